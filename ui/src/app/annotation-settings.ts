import { ChangeDetectionStrategy, Component, effect, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Annotation, errorText } from './api';
import { isDay, todayIn } from './date-range';
import { SiteItems } from './site-items';

/** A site's annotations (notes on days of the chart) in its settings: the list, a form to add one and removal (admins). */
@Component({
  selector: 'hk-annotation-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule],
  template: `
    <section [class]="card" aria-labelledby="annotations-title" data-testid="annotation-settings" id="annotations">
      <h2 id="annotations-title" class="text-lg font-semibold mb-1">Annotations</h2>
      <p class="text-sm text-surface-500 mb-3">Notes on days of the chart, such as “new pricing page”: a marker on the dashboard, the note on hover.</p>
      @if (canManage()) {
        <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="add()" aria-label="New annotation">
          <label class="flex flex-col gap-1 text-sm">
            <span>Day</span>
            <input pInputText type="date" name="annotation-date" [(ngModel)]="date" required data-testid="annotation-date" />
          </label>
          <label class="flex flex-col gap-1 text-sm grow min-w-48">
            <span>Note</span>
            <input pInputText name="annotation-text" maxlength="200" [(ngModel)]="text" placeholder="Launched the new pricing page"
                   data-testid="annotation-text-input" />
          </label>
          <p-button type="submit" label="Add note" size="small" [loading]="busy()" data-testid="annotation-add" />
        </form>
      }
      @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="annotation-error" [text]="error()!" /> }
      @if (items().length === 0) {
        <p class="text-sm text-surface-500 m-0" data-testid="no-annotations">No annotations yet.</p>
      } @else {
        <ul class="list-none p-0 m-0 text-sm" data-testid="annotation-list">
          @for (note of items(); track note.id) {
            <li [class]="row" data-testid="annotation-row">
              <span class="min-w-0"><time [attr.datetime]="note.date" class="tabular-nums text-surface-500">{{ note.date }}</time> {{ note.text }}</span>
              @if (canManage()) {
                <p-button label="Remove" size="small" severity="danger" [text]="true" [ariaLabel]="'Remove the note of ' + note.date"
                          (onClick)="remove(note)" data-testid="annotation-remove" />
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class AnnotationSettings extends SiteItems<Annotation> {
  /** the site's time zone: the form starts on its today */
  readonly timezone = input('UTC');
  protected date = '';
  protected text = '';

  constructor() {
    super();
    effect(() => {
      this.date = todayIn(this.timezone());
      this.api.annotations(this.siteId()).then((notes) => this.show(notes)).catch((e) => this.error.set(errorText(e)));
    });
  }

  /** newest first */
  protected override order(notes: Annotation[]): Annotation[] {
    return [...notes].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  }

  protected async add(): Promise<void> {
    const text = this.text.trim();
    if (!isDay(this.date) || !text) {
      this.error.set(isDay(this.date) ? 'Write the note.' : 'Choose a day.');
      return;
    }
    if (await this.adding(() => this.api.createAnnotation(this.siteId(), this.date, text))) this.text = '';
  }

  protected remove(note: Annotation): Promise<void> {
    return this.removing(note, () => this.api.deleteAnnotation(this.siteId(), note.id));
  }
}

import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Annotation, Api, errorText } from './api';
import { isDay, todayIn } from './date-range';
import { SETTINGS_CARD, SETTINGS_ROW } from './settings-card';

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
      @if (notes().length === 0) {
        <p class="text-sm text-surface-500 m-0" data-testid="no-annotations">No annotations yet.</p>
      } @else {
        <ul class="list-none p-0 m-0 text-sm" data-testid="annotation-list">
          @for (note of notes(); track note.id) {
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
export class AnnotationSettings {
  private readonly api = inject(Api);
  readonly siteId = input.required<number>();
  /** the site's time zone: the form starts on its today */
  readonly timezone = input('UTC');
  readonly canManage = input(false);

  protected readonly card = SETTINGS_CARD;
  protected readonly row = SETTINGS_ROW;
  protected readonly notes = signal<Annotation[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected date = '';
  protected text = '';

  constructor() {
    effect(() => {
      this.date = todayIn(this.timezone());
      this.api.annotations(this.siteId()).then((notes) => this.notes.set(newestFirst(notes))).catch((e) => this.error.set(errorText(e)));
    });
  }

  protected async add(): Promise<void> {
    if (!isDay(this.date)) {
      this.error.set('Choose a day.');
      return;
    }
    if (!this.text.trim()) {
      this.error.set('Write the note.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const note = await this.api.createAnnotation(this.siteId(), this.date, this.text.trim());
      this.notes.update((notes) => newestFirst([...notes, note]));
      this.text = '';
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(note: Annotation): Promise<void> {
    this.error.set(null);
    try {
      await this.api.deleteAnnotation(this.siteId(), note.id);
      this.notes.update((notes) => notes.filter((n) => n.id !== note.id));
    } catch (e) {
      this.error.set(errorText(e));
    }
  }
}

function newestFirst(notes: Annotation[]): Annotation[] {
  return [...notes].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
}

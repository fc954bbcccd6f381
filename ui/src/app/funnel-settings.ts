import { ChangeDetectionStrategy, Component, effect, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { errorText } from './api';
import { Funnel, FunnelStepForm, FunnelWindow, MAX_STEPS, MIN_STEPS, WINDOWS, funnelBody, stepName } from './funnel';
import { TargetForm, blankTarget } from './goals';
import { SiteItems } from './site-items';
import { TargetFields } from './target-fields';

/** A site's funnels in its settings: the list (members read it), a form of 2 to 8 steps and removal (admins). */
@Component({
  selector: 'hk-funnel-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule, TargetFields],
  template: `
    <section [class]="card" aria-labelledby="funnels-title" data-testid="funnel-settings" id="funnels">
      <h2 id="funnels-title" class="text-lg font-semibold mb-1">Funnels</h2>
      <p class="text-sm text-surface-500 mb-3">
        Steps a visitor takes in order, such as pricing page, signup, first login. A visitor passes a step only after the step
        before it, within the same session or, if you choose, within 24 hours.
      </p>
      @if (canManage()) {
        <form class="flex flex-col gap-3 mb-3" (ngSubmit)="add()" aria-label="New funnel" data-testid="funnel-form">
          <div class="flex flex-wrap items-end gap-2">
            <label class="flex flex-col gap-1 text-sm min-w-40 flex-1">
              <span>Name</span>
              <input pInputText name="funnel-name" maxlength="100" [(ngModel)]="name" placeholder="Checkout" data-testid="funnel-name" />
            </label>
            <label class="flex flex-col gap-1 text-sm">
              <span>Steps count when</span>
              <select class="rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-950 text-inherit px-2 py-2 text-sm"
                      name="funnel-window" [(ngModel)]="window" data-testid="funnel-window">
                @for (w of windows; track w.key) { <option [value]="w.key">{{ w.label }}</option> }
              </select>
            </label>
          </div>
          <ol class="list-none p-0 m-0 flex flex-col gap-2">
            @for (step of steps(); track $index; let i = $index) {
              <li class="flex flex-wrap items-end gap-2 rounded-lg bg-surface-50 dark:bg-surface-950 p-2" data-testid="funnel-step">
                <hk-target-fields [prefix]="'step-' + (i + 1)" [label]="'Step ' + (i + 1)" [target]="step" (targetChange)="setStep(i, $event)" />
                <label class="flex flex-col gap-1 text-sm min-w-32">
                  <span>Label <span class="text-surface-500">(optional)</span></span>
                  <input pInputText [name]="'step-' + (i + 1) + '-label'" maxlength="100" [ngModel]="step.label"
                         (ngModelChange)="setLabel(i, $event)" [placeholder]="i === 0 ? 'Saw pricing' : 'Signed up'"
                         [attr.data-testid]="'step-' + (i + 1) + '-label'" />
                </label>
                @if (steps().length > minSteps) {
                  <p-button type="button" label="Remove" size="small" [text]="true" severity="secondary"
                            [ariaLabel]="'Remove step ' + (i + 1)" (onClick)="removeStep(i)" />
                }
              </li>
            }
          </ol>
          <div class="flex flex-wrap gap-2">
            @if (steps().length < maxSteps) {
              <p-button type="button" label="Add a step" size="small" [outlined]="true" (onClick)="addStep()" data-testid="funnel-add-step" />
            }
            <p-button type="submit" label="Save funnel" size="small" [loading]="busy()" data-testid="funnel-save" />
          </div>
        </form>
      }
      @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="funnel-error" [text]="error()!" /> }
      @if (items().length === 0) {
        <p class="text-sm text-surface-500 m-0" data-testid="no-funnels">No funnels yet.</p>
      } @else {
        <ul class="list-none p-0 m-0 text-sm" data-testid="funnel-list">
          @for (funnel of items(); track funnel.id) {
            <li [class]="row" data-testid="funnel-row" [attr.data-name]="funnel.name">
              <span class="min-w-0">
                <a [routerLink]="['/sites', siteId(), 'funnels']" [queryParams]="{ funnel: funnel.id }" class="font-semibold text-primary">{{ funnel.name }}</a>
                <span class="text-surface-500"> · {{ funnel.steps.length }} steps, {{ funnel.window === '24h' ? 'within 24 hours' : 'within a session' }}:
                  {{ stepsOf(funnel) }}</span>
              </span>
              @if (canManage()) {
                <p-button label="Remove" size="small" severity="danger" [text]="true" [ariaLabel]="'Remove funnel ' + funnel.name"
                          (onClick)="remove(funnel)" data-testid="funnel-remove" />
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class FunnelSettings extends SiteItems<Funnel> {
  protected readonly windows = WINDOWS;
  protected readonly minSteps = MIN_STEPS;
  protected readonly maxSteps = MAX_STEPS;
  protected name = '';
  protected window: FunnelWindow = 'session';
  protected readonly steps = signal<FunnelStepForm[]>([blankStep(), blankStep('event')]);

  constructor() {
    super();
    effect(() => {
      this.api.funnels(this.siteId()).then((funnels) => this.show(funnels)).catch((e) => this.error.set(errorText(e)));
    });
  }

  protected stepsOf(funnel: Funnel): string {
    return funnel.steps.map(stepName).join(' → ');
  }

  protected setStep(index: number, target: TargetForm): void {
    this.steps.update((steps) => steps.map((s, i) => (i === index ? { ...target, label: s.label } : s)));
  }

  protected setLabel(index: number, label: string): void {
    this.steps.update((steps) => steps.map((s, i) => (i === index ? { ...s, label } : s)));
  }

  protected addStep(): void {
    this.steps.update((steps) => (steps.length < MAX_STEPS ? [...steps, blankStep()] : steps));
  }

  protected removeStep(index: number): void {
    this.steps.update((steps) => (steps.length > MIN_STEPS ? steps.filter((_, i) => i !== index) : steps));
  }

  protected async add(): Promise<void> {
    const made = funnelBody(this.name, this.steps(), this.window);
    if ('error' in made) {
      this.error.set(made.error);
      return;
    }
    // a server that answers only the id: the list shows what was sent
    const saved = await this.adding(async () => {
      const funnel = await this.api.createFunnel(this.siteId(), made.body);
      return { ...made.body, ...funnel, steps: funnel.steps ?? made.body.steps };
    });
    if (saved) {
      this.name = '';
      this.steps.set([blankStep(), blankStep('event')]);
    }
  }

  protected remove(funnel: Funnel): Promise<void> {
    return this.removing(funnel, () => this.api.deleteFunnel(this.siteId(), funnel.id));
  }
}

function blankStep(type: TargetForm['type'] = 'pageview'): FunnelStepForm {
  return { ...blankTarget(type), label: '' };
}

import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { InputTextModule } from 'primeng/inputtext';
import { TargetForm } from './goals';

/**
 * The fields of a goal or a funnel step: a pageview of a path (a glob), or a custom event with an optional
 * property value. Used by the goal form and by every step of the funnel form.
 */
@Component({
  selector: 'hk-target-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, InputTextModule],
  host: { class: 'contents' },
  template: `
    <label class="flex flex-col gap-1 text-sm">
      <span>{{ label() }}</span>
      <select class="rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-950 text-inherit px-2 py-2 text-sm"
              [name]="prefix() + '-type'" [ngModel]="target().type" (ngModelChange)="set('type', $event)" [attr.data-testid]="prefix() + '-type'">
        <option value="pageview">Pageview</option>
        <option value="event">Event</option>
      </select>
    </label>
    @if (target().type === 'pageview') {
      <label class="flex flex-col gap-1 text-sm grow min-w-40">
        <span>Path</span>
        <input pInputText [name]="prefix() + '-path'" [ngModel]="target().path" (ngModelChange)="set('path', $event)" placeholder="/signup or /docs/*"
               spellcheck="false" [attr.data-testid]="prefix() + '-path'" />
      </label>
    } @else {
      <label class="flex flex-col gap-1 text-sm grow min-w-32">
        <span>Event</span>
        <input pInputText [name]="prefix() + '-event'" [ngModel]="target().event" (ngModelChange)="set('event', $event)" placeholder="Signup"
               [attr.data-testid]="prefix() + '-event'" />
      </label>
      <label class="flex flex-col gap-1 text-sm min-w-24 flex-1">
        <span>Property (optional)</span>
        <input pInputText [name]="prefix() + '-key'" [ngModel]="target().key" (ngModelChange)="set('key', $event)" placeholder="plan"
               [attr.data-testid]="prefix() + '-key'" />
      </label>
      <label class="flex flex-col gap-1 text-sm min-w-24 flex-1">
        <span>Value</span>
        <input pInputText [name]="prefix() + '-value'" [ngModel]="target().value" (ngModelChange)="set('value', $event)" placeholder="pro"
               [attr.data-testid]="prefix() + '-value'" />
      </label>
    }
  `,
})
export class TargetFields {
  readonly target = model.required<TargetForm>();
  /** names and test ids of the fields: goal-path, step-2-event, ... */
  readonly prefix = input.required<string>();
  readonly label = input('Type');

  protected set<K extends keyof TargetForm>(field: K, value: TargetForm[K]): void {
    this.target.update((target) => ({ ...target, [field]: value }));
  }
}

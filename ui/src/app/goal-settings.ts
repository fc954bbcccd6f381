import { ChangeDetectionStrategy, Component, effect, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { errorText } from './api';
import { Goal, TargetForm, blankTarget, describeTarget, goalBody } from './goals';
import { SiteItems } from './site-items';
import { TargetFields } from './target-fields';


/** A site's goals in its settings: the list (members read it), a form to add one and removal (admins). */
@Component({
  selector: 'hk-goal-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule, TargetFields],
  template: `
    <section [class]="card" aria-labelledby="goals-title" data-testid="goal-settings" id="goals">
      <h2 id="goals-title" class="text-lg font-semibold mb-1">Goals</h2>
      <p class="text-sm text-surface-500 mb-3">
        What visitors should do: view a page (<code>*</code> matches any part of a path) or send a custom event. The dashboard
        shows how many of them did, and a click on a goal shows only those visitors.
      </p>
      @if (canManage()) {
        <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="add()" aria-label="New goal">
          <label class="flex flex-col gap-1 text-sm min-w-32 flex-1">
            <span>Name</span>
            <input pInputText name="goal-name" maxlength="100" [(ngModel)]="name" placeholder="Signed up" data-testid="goal-name" />
          </label>
          <hk-target-fields prefix="goal" [(target)]="target" />
          <p-button type="submit" label="Add goal" size="small" [loading]="busy()" data-testid="goal-add" />
        </form>
      }
      @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="goal-error" [text]="error()!" /> }
      @if (items().length === 0) {
        <p class="text-sm text-surface-500 m-0" data-testid="no-goals">No goals yet.</p>
      } @else {
        <ul class="list-none p-0 m-0 text-sm" data-testid="goal-list">
          @for (goal of items(); track goal.id) {
            <li [class]="row" data-testid="goal-row" [attr.data-name]="goal.name">
              <span class="min-w-0"><strong>{{ goal.name }}</strong> <span class="text-surface-500">· {{ describe(goal) }}</span></span>
              @if (canManage()) {
                <p-button label="Remove" size="small" severity="danger" [text]="true" [ariaLabel]="'Remove goal ' + goal.name"
                          (onClick)="remove(goal)" data-testid="goal-remove" />
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class GoalSettings extends SiteItems<Goal> {
  protected readonly describe = describeTarget;
  protected name = '';
  protected readonly target = signal<TargetForm>(blankTarget());

  constructor() {
    super();
    effect(() => {
      this.api.goals(this.siteId()).then((goals) => this.show(goals)).catch((e) => this.error.set(errorText(e)));
    });
  }

  protected async add(): Promise<void> {
    const made = goalBody(this.name, this.target());
    if ('error' in made) {
      this.error.set(made.error);
      return;
    }
    if (await this.adding(() => this.api.createGoal(this.siteId(), made.body))) {
      this.name = '';
      this.target.set(blankTarget(this.target().type));
    }
  }

  protected remove(goal: Goal): Promise<void> {
    return this.removing(goal, () => this.api.deleteGoal(this.siteId(), goal.id));
  }
}

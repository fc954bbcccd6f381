import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, errorText } from './api';

/** The page of a password reset link (/reset-password?token=...): a new password, then sign in. */
@Component({
  selector: 'hk-reset-password',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule],
  template: `
    <div class="mx-auto max-w-sm mt-8 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-6 shadow-sm">
      <h1 class="text-xl font-semibold mb-4">Set a new password</h1>
      @if (done()) {
        <p-message severity="success" data-testid="reset-done"><span role="status">Your password is changed. Sign in with it.</span></p-message>
        <p class="mt-4"><a routerLink="/" class="text-primary" data-testid="reset-sign-in">Sign in</a></p>
      } @else if (!token()) {
        <p-message severity="error" data-testid="reset-error" text="This link has no token: open the link from the e-mail again." />
      } @else {
        @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="reset-error" [text]="error()!" /> }
        <form class="flex flex-col gap-3" (ngSubmit)="submit()">
          <label class="flex flex-col gap-1 text-sm">New password
            <input pInputText type="password" name="password" autocomplete="new-password" required minlength="8"
                   [(ngModel)]="password" data-testid="reset-password" />
          </label>
          <label class="flex flex-col gap-1 text-sm">Repeat it
            <input pInputText type="password" name="repeat" autocomplete="new-password" required minlength="8"
                   [(ngModel)]="repeat" data-testid="reset-repeat" />
          </label>
          <p-button type="submit" label="Set password" [loading]="busy()" styleClass="w-full" data-testid="reset-submit" />
        </form>
      }
    </div>
  `,
})
export class ResetPasswordPage {
  private readonly api = inject(Api);
  /** ?token= of the link */
  readonly token = input<string | undefined>(undefined);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal(false);
  protected password = '';
  protected repeat = '';

  protected async submit(): Promise<void> {
    if (this.password !== this.repeat) {
      this.error.set('The two passwords differ.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.confirmPasswordReset(this.token() ?? '', this.password);
      this.password = this.repeat = '';
      // a reset ends every session: this browser signs in again
      this.api.session.set('signed-out');
      this.done.set(true);
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, errorText } from './api';

/** Sign in (with a TOTP step when the account has one), or create the first account of a new server. */
@Component({
  selector: 'hk-sign-in',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule],
  template: `
    <div class="mx-auto max-w-sm mt-8 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-6 shadow-sm">
      <h1 class="text-xl font-semibold mb-4">
        {{ mode() === 'create' ? 'Create the first account' : mode() === 'totp' ? 'Two-factor code' : 'Sign in' }}
      </h1>
      @if (notice()) { <p-message severity="info" styleClass="mb-3" [text]="notice()!" /> }
      @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="auth-error" [text]="error()!" /> }
      @if (mode() === 'totp') {
        <form class="flex flex-col gap-3" (ngSubmit)="submitCode()">
          <label class="flex flex-col gap-1 text-sm">Code from your authenticator app
            <input pInputText name="code" autocomplete="one-time-code" inputmode="numeric" required
                   [(ngModel)]="code" data-testid="totp-code" />
          </label>
          <p-button type="submit" label="Verify" [loading]="busy()" styleClass="w-full" />
        </form>
      } @else {
        <form class="flex flex-col gap-3" (ngSubmit)="submit()">
          <label class="flex flex-col gap-1 text-sm">Email
            <input pInputText type="email" name="email" autocomplete="username" required [(ngModel)]="email" data-testid="email" />
          </label>
          <label class="flex flex-col gap-1 text-sm">Password
            <input pInputText type="password" name="password" required
                   [attr.autocomplete]="mode() === 'create' ? 'new-password' : 'current-password'"
                   [(ngModel)]="password" data-testid="password" />
          </label>
          <p-button type="submit" [label]="mode() === 'create' ? 'Create account' : 'Sign in'" [loading]="busy()"
                    styleClass="w-full" data-testid="auth-submit" />
        </form>
        <p class="text-sm mt-4 text-surface-500">
          @if (mode() === 'create') {
            Already have an account? <a href="" class="text-primary" (click)="$event.preventDefault(); switchTo('login')">Sign in</a>
          } @else {
            New server? <a href="" class="text-primary" data-testid="to-create" (click)="$event.preventDefault(); switchTo('create')">Create the first account</a>
          }
        </p>
      }
    </div>
  `,
})
export class SignIn {
  private readonly api = inject(Api);
  protected readonly mode = signal<'login' | 'create' | 'totp'>('login');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected email = '';
  protected password = '';
  protected code = '';
  private challenge = '';

  protected switchTo(mode: 'login' | 'create'): void {
    this.mode.set(mode);
    this.error.set(null);
    this.notice.set(null);
  }

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      if (this.mode() === 'create') {
        try {
          await this.api.initialUser(this.email, this.password);
        } catch (e) {
          if (e instanceof HttpErrorResponse && e.status === 409) {
            this.mode.set('login');
            this.notice.set('An account exists already: sign in.');
            return;
          }
          throw e;
        }
      } else {
        const answer = await this.api.login(this.email, this.password);
        if (answer.second_factor === 'required') {
          this.challenge = answer.challenge ?? '';
          this.mode.set('totp');
          return;
        }
      }
      this.password = '';
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected async submitCode(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.loginTotp(this.challenge, this.code.trim());
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }
}

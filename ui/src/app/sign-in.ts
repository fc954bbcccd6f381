import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, errorText } from './api';
import { getPasskey, passkeysAvailable, rememberServerPasskeys, serverPasskeys } from './webauthn';

type Mode = 'login' | 'create' | 'totp' | 'recovery' | 'forgot';

/**
 * Sign in (password, with a second factor when the account has one: TOTP code, recovery code or passkey;
 * or a passkey alone), ask for a password reset link, or create the first account of a new server.
 */
@Component({
  selector: 'hk-sign-in',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule],
  template: `
    <div class="mx-auto max-w-sm mt-8 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-6 shadow-sm">
      <h1 class="text-xl font-semibold mb-4">
        {{ titles[mode()] }}
      </h1>
      @if (notice()) { <p-message severity="info" styleClass="mb-3" [text]="notice()!" /> }
      @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="auth-error" [text]="error()!" /> }
      @if (mode() === 'totp' || mode() === 'recovery') {
        @if (factors().includes('passkey') && passkeyBrowser) {
          <p-button label="Use a passkey" [outlined]="true" styleClass="w-full mb-3" [loading]="busy()" (onClick)="passkey(challenge)"
                    data-testid="second-factor-passkey" />
        }
        @if (mode() === 'recovery' || factors().includes('totp')) {
        <form class="flex flex-col gap-3" (ngSubmit)="submitCode()">
          @if (mode() === 'totp') {
            <label class="flex flex-col gap-1 text-sm">Code from your authenticator app
              <input pInputText name="code" autocomplete="one-time-code" inputmode="numeric" required
                     [(ngModel)]="code" data-testid="totp-code" />
            </label>
          } @else {
            <label class="flex flex-col gap-1 text-sm">One of your recovery codes
              <input pInputText name="recovery" autocomplete="off" required [(ngModel)]="code" data-testid="recovery-code-input" />
            </label>
          }
          <p-button type="submit" label="Verify" [loading]="busy()" styleClass="w-full" />
        </form>
        }
        @if (factors().includes('recovery_code') && factors().includes('totp')) {
          <p class="text-sm mt-4">
            <a href="" class="text-primary" data-testid="toggle-recovery"
               (click)="$event.preventDefault(); code = ''; mode.set(mode() === 'totp' ? 'recovery' : 'totp')">
              {{ mode() === 'totp' ? 'Use a recovery code instead' : 'Use a code from the app' }}</a>
          </p>
        }
      } @else if (mode() === 'forgot') {
        @if (resetSent()) {
          <p-message severity="success" data-testid="reset-sent">
            <span role="status">If an account has this address, a link to set a new password is on its way. It is valid for a short time.</span>
          </p-message>
        } @else {
          <form class="flex flex-col gap-3" (ngSubmit)="requestReset()">
            <p class="text-sm m-0">We send a link to set a new password to the account's address.</p>
            <label class="flex flex-col gap-1 text-sm">Email
              <input pInputText type="email" name="email" autocomplete="username" required [(ngModel)]="email" data-testid="reset-email" />
            </label>
            <p-button type="submit" label="Send reset link" [loading]="busy()" styleClass="w-full" data-testid="reset-request" />
          </form>
        }
        <p class="text-sm mt-4"><a href="" class="text-primary" (click)="$event.preventDefault(); switchTo('login')">Back to sign in</a></p>
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
          @if (mode() === 'login') {
            <div class="flex items-center justify-between gap-2 text-sm">
              <label class="inline-flex items-center gap-2" title="Stay signed in on this browser for 30 days">
                <input type="checkbox" name="remember" [(ngModel)]="remember" data-testid="remember" /> Remember me
              </label>
              <a href="" class="text-primary whitespace-nowrap" data-testid="forgot" (click)="$event.preventDefault(); switchTo('forgot')">Forgot password?</a>
            </div>
          }
          <p-button type="submit" [label]="mode() === 'create' ? 'Create account' : 'Sign in'" [loading]="busy()"
                    styleClass="w-full" data-testid="auth-submit" />
        </form>
        @if (mode() === 'login' && passkeyBrowser && passkeyServer()) {
          <p-button label="Sign in with a passkey" [outlined]="true" styleClass="w-full mt-3" [loading]="busy()"
                    (onClick)="passkey()" data-testid="passkey-sign-in" />
        }
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
  protected readonly mode = signal<Mode>('login');
  protected readonly titles: Record<Mode, string> = {
    login: 'Sign in', create: 'Create the first account', totp: 'Two-factor code', recovery: 'Recovery code', forgot: 'Forgot password',
  };
  /** the second factors the server offers for this sign-in */
  protected readonly factors = signal<string[]>([]);
  protected readonly resetSent = signal(false);
  /** a browser with WebAuthn; the server's passkey routes may still be missing (then a 404 says so) */
  protected readonly passkeyBrowser = passkeysAvailable();
  /** hidden once this browser learned that the server has no passkeys (settings page, or a failed try) */
  protected readonly passkeyServer = signal(serverPasskeys() !== 'no');
  protected remember = false;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected email = '';
  protected password = '';
  protected code = '';
  protected challenge = '';
  /** whether the server answered the start of the passkey sign-in (a later 401 is a refused passkey) */
  private passkeyStarted = false;

  protected switchTo(mode: 'login' | 'create' | 'forgot'): void {
    this.mode.set(mode);
    this.error.set(null);
    this.notice.set(null);
    this.resetSent.set(false);
  }

  protected async requestReset(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.requestPasswordReset(this.email.trim());
      this.resetSent.set(true);
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** A passkey sign-in, alone or (with the password step's challenge) as the second factor. */
  protected async passkey(challenge?: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      this.passkeyStarted = false;
      const start = await this.api.startPasskeyLogin(challenge);
      this.passkeyStarted = true;
      const credential = await getPasskey(start.options);
      await this.api.finishPasskeyLogin(start.ceremony, credential, challenge, this.remember);
    } catch (e) {
      // no such route: 404, or 401 from the session check in front of the routes this server does not have
      if (e instanceof HttpErrorResponse && (e.status === 404 || (e.status === 401 && !challenge && !this.passkeyStarted))) {
        rememberServerPasskeys(false);
        this.passkeyServer.set(false);
        this.error.set('This server does not offer passkeys.');
      } else if (e instanceof DOMException && e.name === 'NotAllowedError') this.error.set('No passkey was used.');
      else this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
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
        const answer = await this.api.login(this.email, this.password, this.remember);
        if (answer.second_factor === 'required') {
          this.challenge = answer.challenge ?? '';
          const factors = answer.factors ?? ['totp', 'recovery_code'];
          this.factors.set(factors);
          this.code = '';
          this.mode.set(factors.includes('totp') ? 'totp' : factors.includes('recovery_code') ? 'recovery' : 'totp');
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
      const recovery = this.mode() === 'recovery';
      await this.api.loginTotp(this.challenge, recovery ? this.code.trim() : this.code.replace(/\s+/g, ''), this.remember, recovery);
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }
}

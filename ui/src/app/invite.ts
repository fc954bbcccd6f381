import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, InvitationPreview, errorText } from './api';
import { roleLabel } from './permissions';

const GONE = 'This invitation is unknown, used or expired. Ask whoever sent it for a new link.';

/**
 * An invitation link (/invite/:token), no session needed: the team and role it offers; signed out, an
 * account is created from it (and signed in); signed in, one button joins the team.
 */
@Component({
  selector: 'hk-invite',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule],
  template: `
    <div class="mx-auto max-w-md mt-8 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-6 shadow-sm"
         data-testid="invite-page">
      <h1 class="text-xl font-semibold mb-4">Invitation</h1>
      @if (gone()) {
        <p-message severity="error" data-testid="invite-error" [text]="gone()!" />
        <p class="text-sm mt-4"><a routerLink="/" class="text-primary">Go to HitKeep</a></p>
      } @else if (invitation(); as inv) {
        <p class="mb-4" data-testid="invite-summary">
          {{ inv.invited_by || 'Someone' }} invites you to <strong data-testid="invite-team">{{ inv.team_name }}</strong>
          as <strong data-testid="invite-role">{{ label(inv.role) }}</strong>.
          @if (inv.email) { <span class="block text-sm text-surface-500 mt-1">For {{ inv.email }}.</span> }
        </p>
        @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="invite-action-error" [text]="error()!" /> }
        @if (api.session() === 'signed-in') {
          <p-button label="Join team" [loading]="busy()" (onClick)="join()" data-testid="invite-join" />
        } @else if (api.session() === 'signed-out') {
          <form class="flex flex-col gap-3" (ngSubmit)="register()" data-testid="invite-register">
            <p class="text-sm m-0">Create your account:</p>
            <label class="flex flex-col gap-1 text-sm">Email
              <input pInputText type="email" name="email" autocomplete="username" required [(ngModel)]="email" data-testid="invite-email-input" />
            </label>
            <label class="flex flex-col gap-1 text-sm">Password
              <input pInputText type="password" name="password" autocomplete="new-password" required minlength="8"
                     [(ngModel)]="password" data-testid="invite-password" />
            </label>
            <p-button type="submit" label="Create account and join" [loading]="busy()" styleClass="w-full" data-testid="invite-submit" />
          </form>
          <p class="text-sm mt-4 text-surface-500">Already have an account? <a routerLink="/" class="text-primary">Sign in</a>, then open this link again.</p>
        } @else {
          <p class="text-surface-500">Loading…</p>
        }
      } @else {
        <p class="text-surface-500">Loading…</p>
      }
    </div>
  `,
})
export class InvitePage {
  protected readonly api = inject(Api);
  private readonly router = inject(Router);
  /** the route's :token */
  readonly token = input.required<string>();

  protected readonly invitation = signal<InvitationPreview | null>(null);
  protected readonly gone = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected email = '';
  protected password = '';

  constructor() {
    effect(() => {
      const token = this.token();
      this.api.invitation(token).then((inv) => {
        this.invitation.set(inv);
        this.email = inv.email ?? '';
      }).catch((e) => this.gone.set(e instanceof HttpErrorResponse && e.status === 404 ? GONE : errorText(e)));
    });
  }

  protected label(role: string): string {
    return roleLabel(role);
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
      await this.api.sites().catch(() => undefined);
      this.router.navigateByUrl('/');
    } catch (e) {
      if (e instanceof HttpErrorResponse && e.status === 404) this.gone.set(GONE);
      else this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected register(): Promise<void> {
    return this.run(() => this.api.registerByInvitation(this.token(), this.email.trim(), this.password));
  }

  protected join(): Promise<void> {
    return this.run(() => this.api.joinTeam(this.token()));
  }
}

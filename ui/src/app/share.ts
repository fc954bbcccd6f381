import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, SharedSite, errorText } from './api';
import { DashboardPage, StatsSource } from './dashboard';

/** sessionStorage key of a share link's access token: a reload does not ask for the password again */
const accessKey = (token: string) => `hk-share-access:${token}`;

/**
 * A public, read-only dashboard of a share link (/share/:token), no account needed: the dashboard with
 * the share API, after a password prompt when the link has one.
 */
@Component({
  selector: 'hk-share',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule, DashboardPage],
  template: `
    @if (gone()) {
      <div class="mx-auto max-w-md mt-8"><p-message severity="error" data-testid="share-error" [text]="gone()!" /></div>
    } @else if (source(); as src) {
      <p class="text-xs text-surface-500 mb-2" data-testid="share-banner">Shared dashboard, read-only</p>
      <hk-dashboard [source]="src" />
    } @else if (site()?.password_required) {
      <div class="mx-auto max-w-sm mt-8 rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-6 shadow-sm">
        <h1 class="text-xl font-semibold mb-1">{{ site()!.name || site()!.domain }}</h1>
        <p class="text-sm text-surface-500 mb-4">This shared dashboard needs a password.</p>
        @if (error()) { <p-message severity="error" styleClass="mb-3" data-testid="share-password-error" [text]="error()!" /> }
        <form class="flex flex-col gap-3" (ngSubmit)="unlock()" data-testid="share-unlock">
          <label class="flex flex-col gap-1 text-sm">Password
            <input pInputText type="password" name="password" autocomplete="current-password" required [(ngModel)]="password"
                   data-testid="share-password" />
          </label>
          <p-button type="submit" label="View dashboard" [loading]="busy()" styleClass="w-full" data-testid="share-submit" />
        </form>
      </div>
    } @else {
      <p class="text-surface-500">Loading…</p>
    }
  `,
})
export class SharePage {
  private readonly api = inject(Api);
  /** the route's :token */
  readonly token = input.required<string>();
  protected readonly site = signal<SharedSite | null>(null);
  protected readonly source = signal<StatsSource | null>(null);
  protected readonly gone = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected password = '';

  constructor() {
    effect(() => {
      const token = this.token();
      this.api.sharedSite(token).then((site) => {
        this.site.set(site);
        const saved = sessionStorage.getItem(accessKey(token));
        if (!site.password_required) this.open(token, site, null);
        else if (saved) this.open(token, site, saved);
      }).catch((e) => this.gone.set(e instanceof HttpErrorResponse && e.status === 404
        ? 'This shared dashboard does not exist (any more): the link was revoked or mistyped.' : errorText(e)));
    });
  }

  private open(token: string, site: SharedSite, access: string | null): void {
    const api = this.api;
    this.source.set({
      shared: true,
      site: async () => ({ id: 0, name: site.name, domain: site.domain, timezone: site.timezone }),
      stats: async (from, to, filters, parts, limit) => {
        try {
          return await api.sharedStats(token, access, from, to, filters, parts, limit);
        } catch (e) {
          // an access token that expired: ask for the password again
          if (access && e instanceof HttpErrorResponse && (e.status === 401 || e.status === 403)) {
            sessionStorage.removeItem(accessKey(token));
            this.source.set(null);
          }
          throw e;
        }
      },
    });
  }

  protected async unlock(): Promise<void> {
    const site = this.site();
    if (!site) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const access = await this.api.unlockShare(this.token(), this.password);
      sessionStorage.setItem(accessKey(this.token()), access);
      this.password = '';
      this.open(this.token(), site, access);
    } catch (e) {
      this.error.set(e instanceof HttpErrorResponse && (e.status === 401 || e.status === 403) ? 'Wrong password.' : errorText(e));
    } finally {
      this.busy.set(false);
    }
  }
}

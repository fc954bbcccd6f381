import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { MessageModule } from 'primeng/message';
import { ToggleSwitchModule } from 'primeng/toggleswitch';
import { Api, ReportSubscription, errorText } from './api';

/**
 * The caller's own e-mail digests of a site, on its settings page: a weekly and a monthly toggle (saved at
 * once) and "send now" for the last whole week or month. Any member may subscribe; the digest goes to the
 * account's own address. Says so when the server sends no mail.
 */
@Component({
  selector: 'hk-report-subscription',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, MessageModule, ToggleSwitchModule],
  template: `
    <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 max-w-2xl mb-4"
             aria-labelledby="reports-title" data-testid="report-subscription">
      <h2 id="reports-title" class="text-lg font-semibold mb-1">E-mail digests</h2>
      <p class="text-sm text-surface-500 mb-3">
        Visitors, pageviews, bounce rate, visit duration, top pages, sources and countries, compared with the period before,
        mailed to you when a week (Monday to Sunday) or a month has ended in the site's time zone.
      </p>
      @if (subscription(); as s) {
        @if (!s.mail_configured) {
          <p-message severity="info" styleClass="mb-3" data-testid="reports-no-mail">
            This server sends no mail yet (its operator sets HITKEEP_SMTP_HOST). Your choice is kept for when it does.
          </p-message>
        }
        <div class="flex flex-col gap-3 text-sm">
          @for (kind of kinds; track kind.field) {
            <div class="flex items-center gap-3">
              <p-toggleswitch [inputId]="'reports-' + kind.field" [name]="kind.field" [ngModel]="s[kind.field]"
                              (ngModelChange)="toggle(kind.field, $event)" [disabled]="busy()" [attr.data-testid]="'reports-' + kind.field" />
              <label [for]="'reports-' + kind.field">{{ kind.label }}</label>
              @if (s.mail_configured) {
                <p-button [label]="kind.send" size="small" [text]="true"
                          (onClick)="send(kind.period)" [loading]="sending() === kind.period" [attr.data-testid]="'reports-send-' + kind.period" />
              }
            </div>
          }
        </div>
      }
      @if (message(); as m) {
        <p-message [severity]="m.severity" styleClass="mt-3" data-testid="reports-message"><span role="status">{{ m.text }}</span></p-message>
      }
    </section>
  `,
})
export class ReportSubscriptionCard {
  private readonly api = inject(Api);
  /** The two digests, as the API names them. */
  protected readonly kinds = [
    { field: 'weekly', period: 'week', label: 'Weekly digest', send: 'Send last week’s now' },
    { field: 'monthly', period: 'month', label: 'Monthly digest', send: 'Send last month’s now' },
  ] as const;
  readonly siteId = input.required<number>();
  protected readonly subscription = signal<ReportSubscription | null>(null);
  protected readonly busy = signal(false);
  protected readonly sending = signal<'week' | 'month' | null>(null);
  protected readonly message = signal<{ severity: 'success' | 'error'; text: string } | null>(null);

  constructor() {
    effect(() => {
      const id = this.siteId();
      this.api.reportSubscription(id).then((s) => this.subscription.set(s))
        .catch((e) => this.message.set({ severity: 'error', text: errorText(e) }));
    });
  }

  protected toggle(field: 'weekly' | 'monthly', on: boolean): Promise<void> {
    return this.change(field === 'weekly' ? { weekly: on } : { monthly: on });
  }

  protected async change(change: { weekly?: boolean; monthly?: boolean }): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    try {
      const saved = await this.api.setReportSubscription(this.siteId(), change);
      this.subscription.set(saved);
      const on = [saved.weekly ? 'weekly' : null, saved.monthly ? 'monthly' : null].filter(Boolean);
      this.message.set({ severity: 'success', text: on.length ? `Saved: you get the ${on.join(' and ')} digest.` : 'Saved: no digests.' });
    } catch (e) {
      this.message.set({ severity: 'error', text: `Not saved: ${errorText(e)}` });
    } finally {
      this.busy.set(false);
    }
  }

  protected async send(period: 'week' | 'month'): Promise<void> {
    this.sending.set(period);
    this.message.set(null);
    try {
      const sent = await this.api.sendReportNow(this.siteId(), period);
      this.message.set({ severity: 'success', text: `On its way to ${sent.email}: ${sent.from} to ${sent.to}.` });
    } catch (e) {
      this.message.set({ severity: 'error', text: errorText(e) });
    } finally {
      this.sending.set(null);
    }
  }
}

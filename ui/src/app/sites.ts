import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { SelectModule } from 'primeng/select';
import { Api, Site, Stats, TeamSummary, errorText } from './api';
import { can } from './permissions';
import { addDays, timeZones, todayIn } from './date-range';
import { sparkline } from './sparkline';

/** What a site card shows from the last 30 days (days in the site's time zone). */
interface Overview { today: string; total: string; points: string; waiting: boolean; }

const integer = new Intl.NumberFormat();

function overviewOf(stats: Stats, today: string): Overview {
  const chart = stats.chart ?? [];
  const todayPoint = chart.find((point) => point.t === today) ?? chart[chart.length - 1];
  return {
    today: integer.format(todayPoint?.visitors ?? 0),
    total: integer.format(stats.summary.visitors),
    points: sparkline(chart.map((point) => point.visitors)),
    waiting: stats.summary.pageviews === 0,
  };
}

/** The sites of the account, a form to add one, and the snippet for a site just added. */
@Component({
  selector: 'hk-sites',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule, SelectModule],
  template: `
    <h1 class="text-2xl font-semibold mb-4">Sites</h1>
    @if (error()) { <p-message severity="error" styleClass="mb-4" [text]="error()!" /> }
    @if (loading()) {
      <p class="text-surface-500">Loading…</p>
    } @else if (sites().length === 0) {
      <p class="text-surface-500 mb-4" data-testid="no-sites">No sites yet: add the first one below.</p>
    } @else {
      <ul class="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 mb-6 list-none p-0" data-testid="site-list">
        @for (site of sites(); track site.id) {
          <li>
            <a [routerLink]="['/sites', site.id]"
               class="block rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 no-underline text-inherit hover:border-primary">
              <span class="block font-semibold">{{ site.name || site.domain }}</span>
              <span class="block text-sm text-surface-500">{{ site.domain }} · {{ site.timezone }}@if (teams().length > 1 && teamName(site.team_id); as team) { · {{ team }}}</span>
              @if (overview()[site.id]; as o) {
                @if (o.waiting) {
                  <span class="block mt-3 text-sm" data-testid="waiting">
                    <span class="block font-medium">Waiting for the first hit</span>
                    <code class="block mt-1 overflow-x-auto whitespace-nowrap rounded bg-surface-100 dark:bg-surface-800 p-2 text-xs">{{ snippet() }}</code>
                  </span>
                } @else {
                  <span class="flex items-end justify-between gap-3 mt-3">
                    <span class="block">
                      <span class="block text-2xl font-semibold tabular-nums" data-testid="visitors-today">{{ o.today }}</span>
                      <span class="block text-xs text-surface-500">visitors today</span>
                    </span>
                    <svg class="w-32 h-8 text-primary shrink-0" viewBox="0 0 100 24" preserveAspectRatio="none"
                         role="img" [attr.aria-label]="'Visitors, last 30 days: ' + o.total" data-testid="sparkline">
                      <polyline [attr.points]="o.points" fill="none" stroke="currentColor" stroke-width="1.5"
                                stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke" />
                    </svg>
                  </span>
                }
              } @else if (overviewError()[site.id]) {
                <span class="block mt-3 text-xs text-surface-500">Stats unavailable</span>
              }
            </a>
          </li>
        }
      </ul>
    }

    @if (added(); as site) {
      <section class="rounded-xl border border-primary bg-surface-0 dark:bg-surface-900 p-4 mb-6" data-testid="snippet">
        <h2 class="font-semibold mb-2">{{ site.domain }} added: put this in the &lt;head&gt; of its pages</h2>
        <pre class="overflow-x-auto rounded bg-surface-100 dark:bg-surface-800 p-3 text-sm"><code>{{ snippet() }}</code></pre>
        <div class="flex gap-2 mt-2 items-center">
          <p-button label="Copy" icon="" size="small" (onClick)="copy()" data-testid="copy-snippet" />
          <a [routerLink]="['/sites', site.id]" class="text-primary text-sm" data-testid="open-dashboard">Open its dashboard</a>
          @if (copied()) { <span class="text-sm text-surface-500">Copied</span> }
        </div>
      </section>
    }

    <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 max-w-xl">
      <h2 class="font-semibold mb-3">Add a site</h2>
      <form class="flex flex-col gap-3" (ngSubmit)="add()">
        <label class="flex flex-col gap-1 text-sm">Domain
          <input pInputText name="domain" required placeholder="example.com" [(ngModel)]="domain" data-testid="site-domain" />
        </label>
        <label class="flex flex-col gap-1 text-sm">Name
          <input pInputText name="name" placeholder="My blog" [(ngModel)]="name" data-testid="site-name" />
        </label>
        <label class="flex flex-col gap-1 text-sm">Time zone
          <p-select name="timezone" [options]="zones" [(ngModel)]="timezone" [filter]="true" appendTo="body"
                    styleClass="w-full" data-testid="site-timezone" />
        </label>
        @if (addableTeams().length > 1) {
          <label class="flex flex-col gap-1 text-sm">Team
            <select name="team" [(ngModel)]="teamId" data-testid="site-team"
                    class="rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-2 text-sm">
              @for (t of addableTeams(); track t.id) { <option [ngValue]="t.id">{{ t.name }}</option> }
            </select>
          </label>
        }
        <p-button type="submit" label="Add site" [loading]="busy()" class="self-start" data-testid="add-site" />
      </form>
    </section>
  `,
})
export class SitesPage implements OnInit {
  private readonly api = inject(Api);
  protected readonly sites = signal<Site[]>([]);
  /** per site id: visitors today and the last 30 days, loaded after the list */
  protected readonly overview = signal<Record<number, Overview>>({});
  protected readonly overviewError = signal<Record<number, boolean>>({});
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly added = signal<Site | null>(null);
  protected readonly copied = signal(false);
  protected readonly snippet = computed(() => `<script defer src="${location.origin}/hk.js"></script>`);
  protected readonly browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  protected readonly zones = timeZones(this.browserZone);
  protected domain = '';
  protected name = '';
  protected timezone = this.browserZone;
  /** the account's teams; a site is added to one where the caller is admin or owner */
  protected readonly teams = signal<TeamSummary[]>([]);
  protected readonly addableTeams = computed(() => this.teams().filter((t) => can(t.role, 'edit-site')));
  protected teamId: number | null = null;

  protected teamName(id: number | undefined): string | null {
    return this.teams().find((t) => t.id === id)?.name ?? null;
  }

  async ngOnInit(): Promise<void> {
    try {
      this.sites.set(await this.api.sites());
      this.loadOverviews();
      this.api.user().then((user) => {
        this.teams.set(user.teams ?? []);
        this.teamId = this.addableTeams()[0]?.id ?? null;
      }).catch(() => undefined);
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.loading.set(false);
    }
  }

  protected async add(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const domain = this.domain.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      const team = this.addableTeams().length > 1 && this.teamId ? { team_id: this.teamId } : {};
      const site = await this.api.addSite({ domain, name: this.name.trim() || domain, timezone: this.timezone, ...team });
      this.added.set(site);
      this.copied.set(false);
      this.sites.set(await this.api.sites());
      this.loadOverviews();
      this.domain = '';
      this.name = '';
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** one 30-day stats request per site, in parallel; a failure only blanks that card */
  private loadOverviews(): void {
    for (const site of this.sites()) {
      const today = todayIn(site.timezone);
      this.api.stats(site.id, addDays(today, -29), today, []).then(
        (stats) => this.overview.update((all) => ({ ...all, [site.id]: overviewOf(stats, today) })),
        () => this.overviewError.update((all) => ({ ...all, [site.id]: true })),
      );
    }
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.snippet());
      this.copied.set(true);
    } catch {
      this.copied.set(false);
    }
  }
}

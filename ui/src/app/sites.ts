import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { SelectModule } from 'primeng/select';
import { Api, Site, errorText } from './api';
import { timeZones } from './date-range';

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
              <span class="block text-sm text-surface-500">{{ site.domain }} · {{ site.timezone }}</span>
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
        <p-button type="submit" label="Add site" [loading]="busy()" class="self-start" data-testid="add-site" />
      </form>
    </section>
  `,
})
export class SitesPage implements OnInit {
  private readonly api = inject(Api);
  protected readonly sites = signal<Site[]>([]);
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

  async ngOnInit(): Promise<void> {
    try {
      this.sites.set(await this.api.sites());
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
      const site = await this.api.addSite({ domain, name: this.name.trim() || domain, timezone: this.timezone });
      this.added.set(site);
      this.copied.set(false);
      this.sites.set(await this.api.sites());
      this.domain = '';
      this.name = '';
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(false);
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

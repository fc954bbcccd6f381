import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { SelectModule } from 'primeng/select';
import { TextareaModule } from 'primeng/textarea';
import { ToggleSwitchModule } from 'primeng/toggleswitch';
import { Api, ShareLink, SiteChanges, SiteDetail, errorText } from './api';
import { ReportSubscriptionCard } from './report-subscription';
import { copyText } from './clipboard';
import { timeZones } from './date-range';
import { shareUrl } from './links';
import { AnnotationSettings } from './annotation-settings';
import { FunnelSettings } from './funnel-settings';
import { GoalSettings } from './goal-settings';
import { linesToList, listToLines } from './lists';
import { SETTINGS_CARD, SETTINGS_ROW } from './settings-card';
import { can, roleLabel } from './permissions';
import { SiteImports } from './site-imports';
import { TrackerMigration } from './tracker-migration';

type Field = 'name' | 'timezone' | 'excluded_ips' | 'excluded_paths' | 'retention_days';

/** The field a validation message of PATCH /api/sites/{id} is about ("excluded_paths: '/a b' is not ..."). */
function fieldOf(message: string): Field | null {
  const match = /^(excluded_ips|excluded_paths|name|timezone|retention_days)\b/.exec(message);
  return match ? (match[1] as Field) : null;
}

/**
 * A site's settings (/sites/:id/settings): name, time zone, excluded addresses and paths, retention, Do Not Track;
 * goals, funnels and annotations; the lines to change in another tool's snippet and the Umami website id; the
 * caller's own e-mail digests; share links; imports of other tools' exports; deleting the site. Admins change
 * settings, goals, funnels, annotations, share links and imports, owners delete; members read (and subscribe to digests).
 */
@Component({
  selector: 'hk-site-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule, ReportSubscriptionCard, SelectModule, TextareaModule,
    ToggleSwitchModule, GoalSettings, FunnelSettings, AnnotationSettings, TrackerMigration, SiteImports],
  template: `
    <a [routerLink]="['/sites', id()]" class="text-sm text-primary">← Dashboard</a>
    <h1 class="text-2xl font-semibold mb-1">Site settings</h1>
    <p class="text-sm text-surface-500 mb-4" data-testid="site-domain">{{ site()?.domain ?? '…' }}</p>

    @if (loadError()) {
      <p-message severity="error" styleClass="mb-4" data-testid="site-settings-error" [text]="loadError()!" />
    }
    @if (site() && !canEdit()) {
      <p-message severity="info" styleClass="mb-4 max-w-2xl" data-testid="site-settings-readonly">
        Your role in this site’s team is {{ roleName() }}: only admins and owners change its settings.
      </p-message>
    }
    @if (site()) {
      <form class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 flex flex-col gap-4 max-w-2xl mb-4"
            (ngSubmit)="save()" data-testid="site-settings-form" aria-labelledby="site-settings-title">
        <fieldset [disabled]="!canEdit()" class="contents border-0 p-0 m-0">
        <h2 id="site-settings-title" class="sr-only">Settings of {{ site()?.domain }}</h2>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-name">Name</label>
          <input pInputText id="settings-name" name="name" maxlength="200" [(ngModel)]="name" data-testid="settings-name"
                 [attr.aria-invalid]="fieldErrors()['name'] ? true : null" aria-describedby="name-error" />
          <small id="name-error" class="text-red-600 dark:text-red-400">{{ fieldErrors()['name'] }}</small>
        </div>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-timezone">Time zone</label>
          <p-select inputId="settings-timezone" name="timezone" [options]="zones" [(ngModel)]="timezone" [filter]="true" [disabled]="!canEdit()"
                    appendTo="body" styleClass="w-full" data-testid="settings-timezone" ariaLabel="Time zone" />
          <small class="text-surface-500">Days and hours of the dashboard are counted in this zone.</small>
          <small class="text-red-600 dark:text-red-400">{{ fieldErrors()['timezone'] }}</small>
        </div>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-excluded-ips">Excluded IP addresses</label>
          <textarea pTextarea id="settings-excluded-ips" name="excluded_ips" rows="4" [(ngModel)]="excludedIps" spellcheck="false"
                    placeholder="203.0.113.7&#10;10.0.0.0/8" data-testid="settings-excluded-ips"
                    [attr.aria-invalid]="fieldErrors()['excluded_ips'] ? true : null" aria-describedby="ips-help ips-error"></textarea>
          <small id="ips-help" class="text-surface-500">One address or CIDR range a line; hits from them are not counted.</small>
          <small id="ips-error" class="text-red-600 dark:text-red-400" data-testid="ips-error">{{ fieldErrors()['excluded_ips'] }}</small>
        </div>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-excluded-paths">Excluded paths</label>
          <textarea pTextarea id="settings-excluded-paths" name="excluded_paths" rows="4" [(ngModel)]="excludedPaths" spellcheck="false"
                    placeholder="/admin/*&#10;/preview" data-testid="settings-excluded-paths"
                    [attr.aria-invalid]="fieldErrors()['excluded_paths'] ? true : null" aria-describedby="paths-help paths-error"></textarea>
          <small id="paths-help" class="text-surface-500">One path a line, starting with /; * matches any part.</small>
          <small id="paths-error" class="text-red-600 dark:text-red-400" data-testid="paths-error">{{ fieldErrors()['excluded_paths'] }}</small>
        </div>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-retention">Keep hits for (days)</label>
          <input pInputText id="settings-retention" name="retention_days" type="number" min="31" max="36500" [(ngModel)]="retentionDays"
                 placeholder="forever" data-testid="settings-retention" class="w-40"
                 [attr.aria-invalid]="fieldErrors()['retention_days'] ? true : null" aria-describedby="retention-help retention-error" />
          <small id="retention-help" class="text-surface-500">Empty: forever. Whole months older than this move to a Parquet archive
            each night; the dashboard still shows them, a little slower.</small>
          <small id="retention-error" class="text-red-600 dark:text-red-400">{{ fieldErrors()['retention_days'] }}</small>
        </div>
        <div class="flex items-center gap-3 text-sm">
          <p-toggleswitch inputId="settings-dnt" name="honour_dnt" [(ngModel)]="honourDnt" [disabled]="!canEdit()" data-testid="settings-dnt" />
          <label for="settings-dnt">Honour Do Not Track (skip visitors whose browser sends DNT: 1)</label>
        </div>
        @if (message(); as m) {
          <p-message [severity]="m.severity" data-testid="settings-message"><span role="status">{{ m.text }}</span></p-message>
        }
        @if (canEdit()) {
          <div class="flex gap-2">
            <p-button type="submit" label="Save" [loading]="busy()" data-testid="settings-save" />
            <p-button type="button" label="Reset" [text]="true" (onClick)="fill(site()!)" />
          </div>
        }
        </fieldset>
      </form>

      <hk-goal-settings [siteId]="site()!.id" [canManage]="canManageGoals()" />
      <hk-funnel-settings [siteId]="site()!.id" [canManage]="canManageGoals()" />
      <hk-annotation-settings [siteId]="site()!.id" [timezone]="site()!.timezone" [canManage]="canManageGoals()" />
      <hk-tracker-migration [site]="site()!" [canEdit]="canEdit()" (saved)="site.set($event)" />
      <hk-report-subscription [siteId]="site()!.id" />

      @if (canShare()) {
        <section [class]="card" aria-labelledby="share-title" data-testid="share-links">
          <h2 id="share-title" class="text-lg font-semibold mb-1">Share links</h2>
          <p class="text-sm text-surface-500 mb-3">Anyone with a link sees this site's dashboard, read-only, without an account.</p>
          <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="createLink()">
            <label class="flex flex-col gap-1 text-sm">Label (optional)
              <input pInputText name="label" maxlength="100" [(ngModel)]="linkLabel" placeholder="e.g. Client" data-testid="share-label" />
            </label>
            <label class="flex flex-col gap-1 text-sm">Password (optional)
              <input pInputText type="password" name="linkPassword" autocomplete="new-password" [(ngModel)]="linkPassword" data-testid="share-password-new" />
            </label>
            <p-button type="submit" label="Create link" size="small" [loading]="linkBusy()" data-testid="share-create" />
          </form>
          @if (linkError()) { <p-message severity="error" styleClass="mb-3" data-testid="share-error" [text]="linkError()!" /> }
          @if (newLink(); as l) {
            <div class="rounded-lg border border-amber-400 p-3 mb-3" role="region" aria-labelledby="new-link-title" data-testid="new-share-link">
              <h3 id="new-link-title" class="font-semibold mb-1">Link created{{ l.has_password ? ', with a password' : '' }}</h3>
              <p class="text-sm mb-2">Copy it now: it is not shown again.</p>
              <div class="flex flex-wrap items-center gap-2">
                <code class="break-all font-mono text-sm bg-surface-100 dark:bg-surface-800 rounded px-2 py-1" data-testid="share-link-value">{{ linkOf(l) }}</code>
                <p-button label="Copy" size="small" [outlined]="true" (onClick)="copy(linkOf(l))" data-testid="copy-share-link" />
                <p-button label="Done" size="small" [text]="true" (onClick)="newLink.set(null)" />
              </div>
              @if (copied()) { <p class="text-sm mt-2" role="status">Copied.</p> }
            </div>
          }
          @if (links().length === 0) {
            <p class="text-sm text-surface-500" data-testid="no-share-links">No share links.</p>
          } @else {
            <ul class="list-none p-0 m-0 text-sm" data-testid="share-link-list">
              @for (l of links(); track l.id) {
                <li [class]="row"
                    data-testid="share-link-row">
                  <span><strong>{{ l.label || 'Link ' + l.id }}</strong>{{ l.has_password ? ' · password' : '' }}
                    <span class="text-surface-500">· <time [attr.datetime]="l.created_at">{{ when(l.created_at) }}</time></span></span>
                  <p-button label="Revoke" size="small" severity="danger" [text]="true" [ariaLabel]="'Revoke ' + (l.label || 'link ' + l.id)"
                            (onClick)="revokeLink(l)" data-testid="share-revoke" />
                </li>
              }
            </ul>
          }
        </section>
      }

      <hk-site-imports [siteId]="site()!.id" [canManage]="canImport()" />

      @if (canDelete()) {
        <section [class]="card + ' border-red-300 dark:border-red-900'" aria-labelledby="delete-title" data-testid="delete-site">
          <h2 id="delete-title" class="text-lg font-semibold mb-1">Delete this site</h2>
          <p class="text-sm mb-3">The site and all its statistics are deleted for good. Type <strong>{{ site()!.domain }}</strong> to confirm.</p>
          <form class="flex flex-wrap items-end gap-2" (ngSubmit)="deleteSite()">
            <label class="flex flex-col gap-1 text-sm">Domain
              <input pInputText name="confirmDomain" autocomplete="off" [(ngModel)]="confirmDomain" data-testid="delete-confirm" />
            </label>
            <p-button type="submit" label="Delete site" severity="danger" size="small" [disabled]="confirmDomain.trim() !== site()!.domain"
                      [loading]="deleting()" data-testid="delete-site-submit" />
          </form>
          @if (deleteError()) { <p-message severity="error" styleClass="mt-3" [text]="deleteError()!" /> }
        </section>
      }
    }
  `,
})
export class SiteSettingsPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly card = SETTINGS_CARD;
  protected readonly row = SETTINGS_ROW;
  /** the route's :id */
  readonly id = input.required<string>();

  protected readonly site = signal<SiteDetail | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal<{ severity: 'success' | 'error' | 'warn'; text: string } | null>(null);
  protected readonly fieldErrors = signal<Partial<Record<Field, string>>>({});
  protected zones: string[] = timeZones('UTC');

  protected name = '';
  protected timezone = 'UTC';
  protected excludedIps = '';
  protected excludedPaths = '';
  protected honourDnt = true;
  protected retentionDays: number | null = null;

  /** the caller's role in the site's team (an older server without roles: everything shown) */
  protected readonly canEdit = computed(() => this.allows('edit-site'));
  protected readonly canShare = computed(() => this.allows('share'));
  protected readonly canManageGoals = computed(() => this.allows('manage-goals'));
  protected readonly canImport = computed(() => this.allows('import'));
  protected readonly canDelete = computed(() => this.allows('delete-site'));
  protected readonly roleName = computed(() => roleLabel(this.site()?.role ?? ''));
  protected readonly links = signal<ShareLink[]>([]);
  protected readonly newLink = signal<ShareLink | null>(null);
  protected readonly linkError = signal<string | null>(null);
  protected readonly linkBusy = signal(false);
  protected readonly copied = signal(false);
  protected linkLabel = '';
  protected linkPassword = '';
  protected readonly deleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);
  protected confirmDomain = '';

  private allows(action: 'edit-site' | 'share' | 'import' | 'delete-site' | 'manage-goals'): boolean {
    const site = this.site();
    if (!site) return false;
    return site.role === undefined || can(site.role, action);
  }

  constructor() {
    effect(() => {
      const id = Number(this.id());
      this.api.site(id).then((site) => {
        this.fill(site);
        if (this.canShare()) this.loadLinks();
      }).catch((e) => this.loadError.set(errorText(e)));
    });
  }

  protected fill(site: SiteDetail): void {
    this.zones = timeZones(site.timezone);
    this.name = site.name ?? '';
    this.timezone = site.timezone;
    this.excludedIps = listToLines(site.excluded_ips);
    this.excludedPaths = listToLines(site.excluded_paths);
    this.honourDnt = site.honour_dnt;
    this.retentionDays = site.retention_days ?? null;
    this.fieldErrors.set({});
    this.site.set(site);
  }

  private loadLinks(): void {
    const site = this.site();
    if (site) this.api.shareLinks(site.id).then((links) => this.links.set(links)).catch((e) => this.linkError.set(errorText(e)));
  }

  protected linkOf(link: ShareLink): string {
    return link.link || shareUrl(location.origin, link.token ?? '');
  }

  protected when(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected async copy(text: string): Promise<void> {
    if (await copyText(text)) {
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    }
  }

  protected async createLink(): Promise<void> {
    const site = this.site();
    if (!site) return;
    this.linkBusy.set(true);
    this.linkError.set(null);
    try {
      this.newLink.set(await this.api.createShareLink(site.id, this.linkLabel.trim(), this.linkPassword));
      this.linkLabel = '';
      this.linkPassword = '';
      this.loadLinks();
    } catch (e) {
      this.linkError.set(errorText(e));
    } finally {
      this.linkBusy.set(false);
    }
  }

  protected async revokeLink(link: ShareLink): Promise<void> {
    const site = this.site();
    if (!site) return;
    this.linkError.set(null);
    try {
      await this.api.revokeShareLink(site.id, link.id);
      if (this.newLink()?.id === link.id) this.newLink.set(null);
      this.links.update((links) => links.filter((l) => l.id !== link.id));
    } catch (e) {
      this.linkError.set(errorText(e));
    }
  }

  protected async deleteSite(): Promise<void> {
    const site = this.site();
    if (!site || this.confirmDomain.trim() !== site.domain) return;
    this.deleting.set(true);
    this.deleteError.set(null);
    try {
      await this.api.deleteSite(site.id);
      this.router.navigateByUrl('/');
    } catch (e) {
      this.deleteError.set(errorText(e));
    } finally {
      this.deleting.set(false);
    }
  }

  protected async save(): Promise<void> {
    const site = this.site();
    if (!site) return;
    const changes: SiteChanges = {
      excluded_ips: linesToList(this.excludedIps),
      excluded_paths: linesToList(this.excludedPaths),
      honour_dnt: this.honourDnt,
    };
    // older servers leave retention_days out of the site: then it is not sent either
    if (site.retention_days !== undefined || this.retentionDays !== null) {
      changes.retention_days = this.retentionDays === null || String(this.retentionDays) === '' ? null : Number(this.retentionDays);
    }
    const name = this.name.trim();
    if (name !== site.name) changes.name = name;
    if (this.timezone !== site.timezone) changes.timezone = this.timezone;
    this.busy.set(true);
    this.message.set(null);
    this.fieldErrors.set({});
    try {
      const saved = await this.api.updateSite(site.id, changes);
      this.fill(saved);
      // a server that does not change name or time zone yet answers the old ones: say so, do not pretend
      const ignored = [changes.name !== undefined && saved.name !== changes.name ? 'name' : null,
        changes.timezone !== undefined && saved.timezone !== changes.timezone ? 'time zone' : null].filter(Boolean);
      this.message.set(ignored.length
        ? { severity: 'warn', text: `Saved, but this server did not change the ${ignored.join(' and ')}.` }
        : { severity: 'success', text: 'Saved.' });
    } catch (e) {
      const text = errorText(e);
      const field = fieldOf(text);
      if (field) this.fieldErrors.set({ [field]: text });
      this.message.set({ severity: 'error', text: `Not saved: ${text}` });
    } finally {
      this.busy.set(false);
    }
  }
}

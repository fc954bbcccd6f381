import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { SelectModule } from 'primeng/select';
import { TextareaModule } from 'primeng/textarea';
import { ToggleSwitchModule } from 'primeng/toggleswitch';
import { Api, SiteChanges, SiteDetail, errorText } from './api';
import { timeZones } from './date-range';
import { linesToList, listToLines } from './lists';

type Field = 'name' | 'timezone' | 'excluded_ips' | 'excluded_paths';

/** The field a validation message of PATCH /api/sites/{id} is about ("excluded_paths: '/a b' is not ..."). */
function fieldOf(message: string): Field | null {
  const match = /^(excluded_ips|excluded_paths|name|timezone)\b/.exec(message);
  return match ? (match[1] as Field) : null;
}

/** A site's settings (/sites/:id/settings): name, time zone, excluded addresses and paths, Do Not Track. */
@Component({
  selector: 'hk-site-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule, SelectModule, TextareaModule, ToggleSwitchModule],
  template: `
    <a [routerLink]="['/sites', id()]" class="text-sm text-primary">← Dashboard</a>
    <h1 class="text-2xl font-semibold mb-1">Site settings</h1>
    <p class="text-sm text-surface-500 mb-4" data-testid="site-domain">{{ site()?.domain ?? '…' }}</p>

    @if (loadError()) {
      <p-message severity="error" styleClass="mb-4" data-testid="site-settings-error" [text]="loadError()!" />
    }
    @if (site()) {
      <form class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 flex flex-col gap-4 max-w-2xl"
            (ngSubmit)="save()" data-testid="site-settings-form" aria-labelledby="site-settings-title">
        <h2 id="site-settings-title" class="sr-only">Settings of {{ site()?.domain }}</h2>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-name">Name</label>
          <input pInputText id="settings-name" name="name" maxlength="200" [(ngModel)]="name" data-testid="settings-name"
                 [attr.aria-invalid]="fieldErrors()['name'] ? true : null" aria-describedby="name-error" />
          <small id="name-error" class="text-red-600 dark:text-red-400">{{ fieldErrors()['name'] }}</small>
        </div>
        <div class="flex flex-col gap-1 text-sm">
          <label for="settings-timezone">Time zone</label>
          <p-select inputId="settings-timezone" name="timezone" [options]="zones" [(ngModel)]="timezone" [filter]="true"
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
        <div class="flex items-center gap-3 text-sm">
          <p-toggleswitch inputId="settings-dnt" name="honour_dnt" [(ngModel)]="honourDnt" data-testid="settings-dnt" />
          <label for="settings-dnt">Honour Do Not Track (skip visitors whose browser sends DNT: 1)</label>
        </div>
        @if (message(); as m) {
          <p-message [severity]="m.severity" data-testid="settings-message"><span role="status">{{ m.text }}</span></p-message>
        }
        <div class="flex gap-2">
          <p-button type="submit" label="Save" [loading]="busy()" data-testid="settings-save" />
          <p-button type="button" label="Reset" [text]="true" (onClick)="fill(site()!)" />
        </div>
      </form>
    }
  `,
})
export class SiteSettingsPage {
  private readonly api = inject(Api);
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

  constructor() {
    effect(() => {
      const id = Number(this.id());
      this.api.site(id).then((site) => this.fill(site)).catch((e) => this.loadError.set(errorText(e)));
    });
  }

  protected fill(site: SiteDetail): void {
    this.zones = timeZones(site.timezone);
    this.name = site.name ?? '';
    this.timezone = site.timezone;
    this.excludedIps = listToLines(site.excluded_ips);
    this.excludedPaths = listToLines(site.excluded_paths);
    this.honourDnt = site.honour_dnt;
    this.fieldErrors.set({});
    this.site.set(site);
  }

  protected async save(): Promise<void> {
    const site = this.site();
    if (!site) return;
    const changes: SiteChanges = {
      excluded_ips: linesToList(this.excludedIps),
      excluded_paths: linesToList(this.excludedPaths),
      honour_dnt: this.honourDnt,
    };
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

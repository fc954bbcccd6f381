import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, SiteDetail, errorText } from './api';
import { copyText } from './clipboard';
import { isGoatCounterCode, isUmamiWebsiteId, migrations } from './snippets';

/** A site setting that maps another tool's hits to this site: the Umami website id, the GoatCounter code. */
interface OtherToolSetting {
  field: 'umami_website_id' | 'goatcounter_code';
  label: string;
  inputId: string;
  /** prefix of the form's, button's and message's test ids */
  testId: string;
  placeholder: string;
  help: string;
  valid: (text: string) => boolean;
  saved: string;
  cleared: string;
}

const SETTINGS: OtherToolSetting[] = [
  {
    field: 'umami_website_id', label: 'Umami website id', inputId: 'umami-website-id', testId: 'umami',
    placeholder: 'e.g. 6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01',
    help: 'The data-website-id of your Umami snippet (a UUID; empty for none). One site per id.',
    valid: isUmamiWebsiteId, saved: 'Saved: this website\'s Umami hits count here.', cleared: 'Saved: no Umami website id.',
  },
  {
    field: 'goatcounter_code', label: 'GoatCounter code', inputId: 'goatcounter-code', testId: 'goatcounter',
    placeholder: 'e.g. my-blog',
    help: 'The MYCODE of MYCODE.goatcounter.com (2 to 50 letters, digits and dashes; empty for none). One site per code: '
      + 'hits sent to MYCODE.<this server\'s host> count here, even from pages that send no Referer.',
    valid: isGoatCounterCode, saved: 'Saved: hits sent to this code\'s host count here.', cleared: 'Saved: no GoatCounter code.',
  },
];

type Message = { severity: 'success' | 'error'; text: string };

/**
 * On a site's settings page: the lines to change in an existing Plausible, Umami or GoatCounter snippet so
 * that it sends here, and the site's Umami website id and GoatCounter code (admins and owners change them; members
 * read them).
 */
@Component({
  selector: 'hk-tracker-migration',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, InputTextModule, MessageModule],
  template: `
    <section class="rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 max-w-2xl mb-4"
             aria-labelledby="migration-title" data-testid="tracker-migration">
      <h2 id="migration-title" class="text-lg font-semibold mb-1">Moving from Plausible, Umami or GoatCounter</h2>
      <p class="text-sm text-surface-500 mb-3">
        Keep their snippet on your pages and change only these lines: its hits then come here and are counted like
        those of hk.js (bots, Do Not Track, excluded addresses and paths included). The script itself still loads
        from where it does today; replace the snippet with hk.js to drop that request too.
      </p>
      @for (m of migrations(); track m.tool) {
        <h3 class="font-semibold text-sm mt-3 mb-1" [attr.data-testid]="'migration-' + m.tool">{{ m.tool }}</h3>
        @for (line of m.lines; track line.was) {
          <div class="text-xs mb-2" data-testid="migration-line">
            <code class="block overflow-x-auto whitespace-nowrap rounded bg-surface-100 dark:bg-surface-800 px-2 py-1 line-through opacity-70"
                  aria-label="was">{{ line.was }}</code>
            <div class="flex items-center gap-2 mt-1">
              <code class="block grow overflow-x-auto whitespace-nowrap rounded bg-surface-100 dark:bg-surface-800 px-2 py-1"
                    data-testid="migration-now">{{ line.now }}</code>
              <p-button label="Copy" size="small" [text]="true" [ariaLabel]="'Copy the new ' + m.tool + ' line'" (onClick)="copy(line.now)" />
            </div>
          </div>
        }
        <p class="text-xs text-surface-500">{{ m.note }}</p>
      }
      @if (copied()) { <p class="text-sm mt-2" role="status">Copied.</p> }

      @for (setting of settings; track setting.field) {
        <form class="flex flex-col gap-1 text-sm mt-4" (ngSubmit)="save(setting)" [attr.data-testid]="setting.testId + '-form'">
          <label [for]="setting.inputId">{{ setting.label }}</label>
          <div class="flex flex-wrap items-center gap-2">
            <input pInputText [id]="setting.inputId" [name]="setting.field" class="grow font-mono" spellcheck="false" autocomplete="off"
                   [placeholder]="setting.placeholder" [(ngModel)]="values[setting.field]" [disabled]="!canEdit()"
                   [attr.aria-invalid]="invalid(setting) ? true : null" [attr.aria-describedby]="setting.testId + '-help'"
                   [attr.data-testid]="setting.inputId" />
            @if (canEdit()) {
              <p-button type="submit" label="Save" size="small" [loading]="busy() === setting.field" [disabled]="invalid(setting)"
                        [attr.data-testid]="setting.testId + '-save'" />
            }
          </div>
          <small [id]="setting.testId + '-help'" class="text-surface-500">{{ setting.help }}</small>
          @if (messages()[setting.field]; as m) {
            <p-message [severity]="m.severity" [attr.data-testid]="setting.testId + '-message'"><span role="status">{{ m.text }}</span></p-message>
          }
        </form>
      }
    </section>
  `,
})
export class TrackerMigration {
  private readonly api = inject(Api);
  readonly site = input.required<SiteDetail>();
  readonly canEdit = input(false);
  /** the site as the server answered after a change */
  readonly saved = output<SiteDetail>();

  protected readonly settings = SETTINGS;
  /** what the fields hold, by setting */
  protected values: Record<OtherToolSetting['field'], string> = { umami_website_id: '', goatcounter_code: '' };
  /** the setting being saved, if any */
  protected readonly busy = signal<OtherToolSetting['field'] | null>(null);
  protected readonly copied = signal(false);
  protected readonly messages = signal<Partial<Record<OtherToolSetting['field'], Message>>>({});
  protected readonly migrations = computed(() =>
    migrations(location.origin, this.site().domain, this.site().umami_website_id ?? '', this.site().goatcounter_code ?? ''));

  /** the fields are filled when another site is shown, not each time this one is saved (an unsaved edit stays) */
  private readonly siteId = computed(() => this.site().id);

  constructor() {
    effect(() => {
      this.siteId();
      const site = untracked(this.site);
      this.values = { umami_website_id: site.umami_website_id ?? '', goatcounter_code: site.goatcounter_code ?? '' };
    });
  }

  protected invalid(setting: OtherToolSetting): boolean {
    const value = this.values[setting.field].trim();
    return value !== '' && !setting.valid(value);
  }

  protected async copy(text: string): Promise<void> {
    if (await copyText(text)) {
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    }
  }

  protected async save(setting: OtherToolSetting): Promise<void> {
    if (this.invalid(setting)) return;
    const field = setting.field;
    const unsaved = { ...this.values };
    this.busy.set(field);
    this.show(field, null);
    try {
      const saved = await this.api.updateSite(this.site().id, { [field]: unsaved[field].trim() });
      this.saved.emit(saved);
      this.values = { ...unsaved, [field]: saved[field] ?? '' };
      this.show(field, { severity: 'success', text: saved[field] ? setting.saved : setting.cleared });
    } catch (e) {
      this.show(field, { severity: 'error', text: `Not saved: ${errorText(e)}` });
    } finally {
      this.busy.set(null);
    }
  }

  private show(field: OtherToolSetting['field'], message: Message | null): void {
    this.messages.update((all) => ({ ...all, [field]: message ?? undefined }));
  }
}

import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, SiteDetail, errorText } from './api';
import { copyText } from './clipboard';
import { isUmamiWebsiteId, migrations } from './snippets';

/**
 * On a site's settings page: the lines to change in an existing Plausible, Umami or GoatCounter snippet so
 * that it sends here, and the site's Umami website id (admins and owners change it; members read it).
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

      <form class="flex flex-col gap-1 text-sm mt-4" (ngSubmit)="save()" data-testid="umami-form">
        <label for="umami-website-id">Umami website id</label>
        <div class="flex flex-wrap items-center gap-2">
          <input pInputText id="umami-website-id" name="umamiWebsiteId" class="grow font-mono" spellcheck="false" autocomplete="off"
                 placeholder="e.g. 6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01" [(ngModel)]="websiteId" [disabled]="!canEdit()"
                 [attr.aria-invalid]="invalid() ? true : null" aria-describedby="umami-help" data-testid="umami-website-id" />
          @if (canEdit()) {
            <p-button type="submit" label="Save" size="small" [loading]="busy()" [disabled]="invalid()" data-testid="umami-save" />
          }
        </div>
        <small id="umami-help" class="text-surface-500">
          The data-website-id of your Umami snippet (a UUID; empty for none). One site per id.
        </small>
        @if (message(); as m) {
          <p-message [severity]="m.severity" data-testid="umami-message"><span role="status">{{ m.text }}</span></p-message>
        }
      </form>
    </section>
  `,
})
export class TrackerMigration {
  private readonly api = inject(Api);
  readonly site = input.required<SiteDetail>();
  readonly canEdit = input(false);
  /** the site as the server answered after a change */
  readonly saved = output<SiteDetail>();

  protected websiteId = '';
  protected readonly busy = signal(false);
  protected readonly copied = signal(false);
  protected readonly message = signal<{ severity: 'success' | 'error'; text: string } | null>(null);
  protected readonly migrations = computed(() =>
    migrations(location.origin, this.site().domain, this.site().umami_website_id ?? ''));

  constructor() {
    effect(() => {
      this.websiteId = this.site().umami_website_id ?? '';
    });
  }

  protected invalid(): boolean {
    const id = this.websiteId.trim();
    return id !== '' && !isUmamiWebsiteId(id);
  }

  protected async copy(text: string): Promise<void> {
    if (await copyText(text)) {
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    }
  }

  protected async save(): Promise<void> {
    if (this.invalid()) return;
    this.busy.set(true);
    this.message.set(null);
    try {
      const saved = await this.api.updateSite(this.site().id, { umami_website_id: this.websiteId.trim() });
      this.saved.emit(saved);
      this.message.set({ severity: 'success', text: saved.umami_website_id ? 'Saved: this website\'s Umami hits count here.' : 'Saved: no Umami website id.' });
    } catch (e) {
      this.message.set({ severity: 'error', text: `Not saved: ${errorText(e)}` });
    } finally {
      this.busy.set(false);
    }
  }
}

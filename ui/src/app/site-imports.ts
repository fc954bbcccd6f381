import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ButtonModule } from 'primeng/button';
import { MessageModule } from 'primeng/message';
import { ProgressBarModule } from 'primeng/progressbar';
import { SelectModule } from 'primeng/select';
import { Api, SiteImport, errorText } from './api';
import { ImportSource, fileProblem, formatBytes, guessSource, importDays, percentSent, sourceLabel } from './import-files';
import { SETTINGS_CARD, SETTINGS_ROW } from './settings-card';

/**
 * A site's imports, in its settings: admins upload another tool's export (with the upload's progress,
 * then a wait while the server reads it) and delete imports; members see the list.
 */
@Component({
  selector: 'hk-site-imports',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, ButtonModule, MessageModule, ProgressBarModule, SelectModule],
  template: `
    <section [class]="card" aria-labelledby="imports-title" data-testid="imports">
      <h2 id="imports-title" class="text-lg font-semibold mb-1">Import data</h2>
      <p class="text-sm text-surface-500 mb-3">
        Bring a site's history from Plausible (its CSV export, a .zip) or GoatCounter (its CSV export, .csv or .csv.gz).
        Imported days are added to the dashboard; on those days, visitors are the sum of each day's visitors.
      </p>
      @if (canManage()) {
        <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="upload()" data-testid="import-form">
          <div class="flex flex-col gap-1 text-sm">
            <label for="import-source">Export from</label>
            <p-select inputId="import-source" name="source" [options]="sources" optionLabel="label" optionValue="value"
                      [(ngModel)]="source" [disabled]="busy()" data-testid="import-source" ariaLabel="Export from" />
          </div>
          <div class="flex flex-col gap-1 text-sm">
            <label for="import-file">Export file</label>
            <input id="import-file" type="file" name="file" accept=".zip,.csv,.gz" [disabled]="busy()" (change)="pick($event)"
                   class="text-sm" data-testid="import-file" />
          </div>
          <p-button type="submit" label="Import" size="small" [loading]="busy()" [disabled]="!file() || busy()" data-testid="import-submit" />
        </form>
        @if (busy()) {
          <div class="mb-3" role="status" aria-live="polite" data-testid="import-progress">
            <p-progressbar [value]="percent()" [showValue]="false" styleClass="h-2" [attr.aria-valuenow]="percent()" />
            <p class="text-sm mt-1">{{ percent() < 100 ? 'Uploading… ' + percent() + ' % of ' + size() : 'Reading the export…' }}</p>
          </div>
        }
      }
      @if (message(); as m) {
        <p-message [severity]="m.severity" styleClass="mb-3" data-testid="import-message"><span role="status">{{ m.text }}</span></p-message>
      }
      @if (imports().length === 0) {
        <p class="text-sm text-surface-500" data-testid="no-imports">No imports.</p>
      } @else {
        <ul class="list-none p-0 m-0 text-sm" data-testid="import-list">
          @for (i of imports(); track i.id) {
            <li [class]="row" data-testid="import-row">
              <span>
                <strong>{{ label(i.source) }}</strong> · {{ days(i) }} · {{ i.pageviews.toLocaleString() }} pageviews
                <span class="text-surface-500">· {{ i.file_name }}{{ i.status === 'done' ? '' : ' (' + i.status + ')' }}</span>
              </span>
              @if (canManage()) {
                @if (confirming() === i.id) {
                  <span class="flex gap-1">
                    <p-button label="Delete its data" size="small" severity="danger" (onClick)="remove(i)" data-testid="import-delete-confirm" />
                    <p-button label="Keep" size="small" [text]="true" (onClick)="confirming.set(null)" />
                  </span>
                } @else {
                  <p-button label="Delete" size="small" severity="danger" [text]="true" [ariaLabel]="'Delete the import of ' + days(i)"
                            (onClick)="confirming.set(i.id)" data-testid="import-delete" />
                }
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class SiteImports {
  private readonly api = inject(Api);
  protected readonly card = SETTINGS_CARD;
  protected readonly row = SETTINGS_ROW;
  readonly siteId = input.required<number>();
  /** admins and owners upload and delete */
  readonly canManage = input(false);

  protected readonly sources = [
    { label: 'Plausible (.zip)', value: 'plausible' },
    { label: 'GoatCounter (.csv, .csv.gz)', value: 'goatcounter' },
  ];
  protected source: ImportSource = 'plausible';
  protected readonly file = signal<File | null>(null);
  protected readonly imports = signal<SiteImport[]>([]);
  protected readonly busy = signal(false);
  protected readonly percent = signal(0);
  protected readonly size = signal('');
  protected readonly confirming = signal<number | null>(null);
  protected readonly message = signal<{ severity: 'success' | 'error' | 'warn'; text: string } | null>(null);

  constructor() {
    effect(() => this.load(this.siteId()));
  }

  private load(siteId: number): void {
    this.api.imports(siteId).then((imports) => this.imports.set(imports))
      .catch((e) => this.message.set({ severity: 'error', text: errorText(e) }));
  }

  protected label(source: string): string {
    return sourceLabel(source);
  }

  protected days(i: SiteImport): string {
    return importDays(i.from, i.to);
  }

  protected pick(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0] ?? null;
    this.file.set(file);
    this.message.set(null);
    const guessed = file ? guessSource(file.name) : null;
    if (guessed) this.source = guessed;
  }

  protected async upload(): Promise<void> {
    const file = this.file();
    if (!file) return;
    const problem = fileProblem(this.source, file);
    if (problem) {
      this.message.set({ severity: 'error', text: problem });
      return;
    }
    this.busy.set(true);
    this.percent.set(0);
    this.size.set(formatBytes(file.size));
    this.message.set(null);
    try {
      const result = await this.api.uploadImport(this.siteId(), this.source, file,
        (sent, total) => this.percent.set(percentSent(sent, total)));
      const overlap = result.tracked_days
        ? ` ${result.tracked_days} of its days also have tracked pageviews: both are counted there.` : '';
      this.message.set({
        severity: overlap ? 'warn' : 'success',
        text: `Imported ${result.pageviews.toLocaleString()} pageviews, ${importDays(result.from, result.to)}.${overlap}`,
      });
      this.load(this.siteId());
    } catch (e) {
      this.message.set({ severity: 'error', text: `Not imported: ${errorText(e)}` });
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(i: SiteImport): Promise<void> {
    this.confirming.set(null);
    try {
      await this.api.deleteImport(this.siteId(), i.id);
      this.imports.update((imports) => imports.filter((other) => other.id !== i.id));
      this.message.set({ severity: 'success', text: `Deleted the import of ${importDays(i.from, i.to)}.` });
    } catch (e) {
      this.message.set({ severity: 'error', text: errorText(e) });
    }
  }
}

import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, ApiKey, AuditEvent, NewApiKey, Passkey, TotpEnrolment, User, errorText } from './api';
import { copyText, downloadText } from './clipboard';
import { grantable, roleLabel } from './permissions';
import { createPasskey, passkeysAvailable, rememberServerPasskeys } from './webauthn';

/** How the activity list names the audit events of AccountRoutes. */
const EVENTS: Record<string, string> = {
  user_created: 'Account created',
  login: 'Signed in',
  login_failed: 'Failed sign-in',
  logout: 'Signed out',
  sign_out_everywhere: 'Signed out everywhere',
  totp_enabled: 'Two-factor authentication turned on',
  totp_disabled: 'Two-factor authentication turned off',
  api_key_created: 'API key created',
  api_key_revoked: 'API key revoked',
  password_changed: 'Password changed',
  password_reset_requested: 'Password reset requested',
  password_reset: 'Password reset',
  passkey_added: 'Passkey added',
  passkey_removed: 'Passkey removed',
  passkey_renamed: 'Passkey renamed',
};

const SELECT = 'rounded border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-2 text-sm';

const CARD = 'rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 mb-4';

/** A base64 data: URL of the server's QR code SVG, shown through <img> (no markup of it enters the DOM). */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return 'data:image/svg+xml;base64,' + btoa(binary);
}

/**
 * The account's settings (/settings): profile, sign out everywhere, two-factor authentication, API keys
 * and the activity (audit) list. Loaded lazily.
 */
@Component({
  selector: 'hk-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule],
  template: `
    <a routerLink="/" class="text-sm text-primary">← Sites</a>
    <h1 class="text-2xl font-semibold mb-4">Settings</h1>
    @if (loadError()) {
      <p-message severity="error" styleClass="mb-4" data-testid="settings-error" [text]="loadError()!" />
    }
    <nav aria-label="Settings sections" class="flex flex-wrap gap-3 text-sm mb-4">
      <a href="/settings#profile" (click)="jump($event, 'profile')" class="text-primary">Profile</a>
      <a href="/settings#security" (click)="jump($event, 'security')" class="text-primary">Security</a>
      <a href="/settings#api-keys" (click)="jump($event, 'api-keys')" class="text-primary">API keys</a>
      <a routerLink="/settings/teams" class="text-primary" data-testid="settings-teams-link">Teams</a>
      <a href="/settings#activity" (click)="jump($event, 'activity')" class="text-primary">Activity</a>
    </nav>

    <section id="profile" [class]="card" aria-labelledby="profile-title" data-testid="profile">
      <h2 id="profile-title" class="text-lg font-semibold mb-2">Profile</h2>
      <dl class="m-0 text-sm grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt class="text-surface-500">Email</dt>
        <dd class="m-0 break-all" data-testid="profile-email">{{ user()?.email ?? '…' }}</dd>
      </dl>
    </section>

    <section id="security" [class]="card" aria-labelledby="security-title" data-testid="security">
      <h2 id="security-title" class="text-lg font-semibold mb-3">Security</h2>

      @if (passwordSupported()) {
        <h3 class="font-semibold mb-2">Password</h3>
        @if (passwordOpen()) {
          <form class="flex flex-col gap-3 max-w-sm mb-4" (ngSubmit)="changePassword()" data-testid="password-form">
            <label class="flex flex-col gap-1 text-sm">Current password
              <input pInputText type="password" name="current" autocomplete="current-password" required
                     [(ngModel)]="currentPassword" data-testid="current-password" />
            </label>
            <label class="flex flex-col gap-1 text-sm">New password
              <input pInputText type="password" name="new" autocomplete="new-password" required minlength="8"
                     [(ngModel)]="newPassword" data-testid="new-password" />
            </label>
            <div class="flex gap-2">
              <p-button type="submit" label="Change password" size="small" [loading]="busy() === 'password'" data-testid="password-submit" />
              <p-button type="button" label="Cancel" size="small" [text]="true" (onClick)="passwordOpen.set(false)" />
            </div>
          </form>
        } @else {
          <p-button label="Change password…" size="small" [outlined]="true" styleClass="mb-4" (onClick)="passwordOpen.set(true)"
                    data-testid="password-open" />
        }
        @if (passwordMessage(); as m) { <p-message [severity]="m.severity" [text]="m.text" styleClass="mb-4" data-testid="password-message" /> }
      } @else {
        <p class="text-sm text-surface-500 mb-4" data-testid="password-unsupported">This server cannot change passwords yet.</p>
      }

      <h3 class="font-semibold mb-2">Two-factor authentication</h3>
      <div data-testid="totp" [attr.data-state]="totpState()">
        @switch (totpState()) {
          @case ('on') {
            <p class="text-sm mb-2">
              <span class="font-semibold text-green-600 dark:text-green-400" data-testid="totp-status">On.</span>
              Signing in asks for a code from your authenticator app.
            </p>
          }
          @case ('off') {
            <p class="text-sm mb-2"><span data-testid="totp-status">Off.</span> Add a code from an authenticator app to your password.</p>
          }
          @default {
            <p class="text-sm mb-2 text-surface-500" data-testid="totp-status">Set it up, or turn it off with a code if it is on.</p>
          }
        }

        @if (recoveryCodes(); as codes) {
          <div class="rounded-lg border border-amber-400 p-3 mb-3" role="region" aria-labelledby="recovery-title" data-testid="recovery-codes">
            <h4 id="recovery-title" class="font-semibold mb-1">Recovery codes</h4>
            <p class="text-sm mb-2">Each code signs you in once without the app. They are shown only now: keep them somewhere safe.</p>
            <ul class="list-none p-0 m-0 mb-3 grid grid-cols-2 sm:grid-cols-5 gap-2 font-mono text-sm">
              @for (code of codes; track code) { <li data-testid="recovery-code">{{ code }}</li> }
            </ul>
            <div class="flex flex-wrap gap-2">
              <p-button label="Copy" size="small" [outlined]="true" (onClick)="copy(codes.join('\\n'), 'codes')" data-testid="copy-codes" />
              <p-button label="Download .txt" size="small" [outlined]="true" (onClick)="downloadCodes(codes)" data-testid="download-codes" />
              <p-button label="I have saved them" size="small" (onClick)="recoveryCodes.set(null)" data-testid="codes-done" />
            </div>
            @if (copied() === 'codes') { <p class="text-sm mt-2" role="status">Copied.</p> }
          </div>
        }

        @if (enrolment(); as e) {
          <div class="flex flex-col gap-3" data-testid="totp-enrol">
            <p class="text-sm m-0">Scan the code with your authenticator app, or enter the secret by hand, then type the code it shows.</p>
            @if (qr(); as src) {
              <img [src]="src" alt="QR code of the two-factor secret" width="192" height="192"
                   class="bg-white p-2 rounded" data-testid="totp-qr">
            }
            <div class="text-sm">
              <div class="text-surface-500">Secret ({{ e.algorithm }}, {{ e.digits }} digits, {{ e.period }} s)</div>
              <code class="break-all font-mono text-base" data-testid="totp-secret">{{ e.secret }}</code>
            </div>
            <details class="text-sm">
              <summary class="cursor-pointer">Setup link</summary>
              <code class="break-all" data-testid="totp-uri">{{ e.otpauth_uri }}</code>
            </details>
            <form class="flex flex-wrap items-end gap-2" (ngSubmit)="confirmTotp()">
              <label class="flex flex-col gap-1 text-sm">Code from the app
                <input pInputText name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*" required
                       [(ngModel)]="totpCode" data-testid="totp-confirm-code" />
              </label>
              <p-button type="submit" label="Turn on" size="small" [loading]="busy() === 'totp'" data-testid="totp-confirm" />
              <p-button type="button" label="Cancel" size="small" [text]="true" (onClick)="enrolment.set(null)" />
            </form>
          </div>
        } @else if (totpState() !== 'on' && !recoveryCodes()) {
          <p-button label="Set up two-factor authentication" size="small" (onClick)="startTotp()"
                    [loading]="busy() === 'totp'" data-testid="totp-start" />
        }
        @if (totpState() !== 'off' && !enrolment() && !recoveryCodes()) {
          <form class="flex flex-wrap items-end gap-2 mt-3" (ngSubmit)="disableTotp()" data-testid="totp-disable-form">
            <label class="flex flex-col gap-1 text-sm">Code from the app, to turn it off
              <input pInputText name="code" autocomplete="one-time-code" inputmode="numeric" required
                     [(ngModel)]="disableCode" data-testid="totp-disable-code" />
            </label>
            <p-button type="submit" label="Turn off" size="small" severity="danger" [outlined]="true"
                      [loading]="busy() === 'totp-off'" data-testid="totp-disable" />
          </form>
        }
        @if (totpMessage(); as m) { <p-message [severity]="m.severity" [text]="m.text" styleClass="mt-3" data-testid="totp-message" /> }
      </div>

      @if (passkeysSupported()) {
        <h3 class="font-semibold mt-5 mb-2">Passkeys</h3>
        <div data-testid="passkeys">
          <p class="text-sm mb-2">Sign in with your device's screen lock or a security key instead of a password, or as the second step.</p>
          @if (passkeys().length) {
            <ul class="list-none p-0 m-0 mb-3 text-sm" data-testid="passkey-list">
              @for (p of passkeys(); track p.id) {
                <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap items-center justify-between gap-2"
                    data-testid="passkey-row">
                  @if (renaming() === p.id) {
                    <form class="flex flex-wrap items-end gap-2" (ngSubmit)="renamePasskey(p)">
                      <input pInputText name="passkeyRename" maxlength="100" required [(ngModel)]="passkeyRename" [attr.aria-label]="'New name of ' + p.name" />
                      <p-button type="submit" label="Save" size="small" />
                      <p-button type="button" label="Cancel" size="small" [text]="true" (onClick)="renaming.set(null)" />
                    </form>
                  } @else {
                    <span><strong>{{ p.name }}</strong>
                      <span class="text-surface-500">· added {{ when(p.created_at) }}@if (p.last_used_at) { · last used {{ when(p.last_used_at) }}}</span></span>
                    <span class="inline-flex gap-1">
                      <p-button label="Rename" size="small" [text]="true" (onClick)="passkeyRename = p.name; renaming.set(p.id)" />
                      @if (confirming() === 'passkey-' + p.id) {
                        <p-button label="Remove" size="small" severity="danger" (onClick)="removePasskey(p)" [attr.data-confirm]="'passkey-' + p.id" />
                        <p-button label="Keep" size="small" [text]="true" (onClick)="confirming.set(null)" />
                      } @else {
                        <p-button label="Remove…" size="small" severity="danger" [text]="true" [ariaLabel]="'Remove ' + p.name"
                                  (onClick)="askConfirm('passkey-' + p.id)" />
                      }
                    </span>
                  }
                </li>
              }
            </ul>
          } @else {
            <p class="text-sm text-surface-500 mb-2">No passkeys yet.</p>
          }
          @if (passkeyBrowser) {
            <form class="flex flex-wrap items-end gap-2" (ngSubmit)="addPasskey()">
              <label class="flex flex-col gap-1 text-sm">Name
                <input pInputText name="passkeyName" maxlength="100" [(ngModel)]="passkeyName" placeholder="e.g. Laptop" data-testid="passkey-name" />
              </label>
              <p-button type="submit" label="Add a passkey" size="small" [loading]="busy() === 'passkey'" data-testid="passkey-add" />
            </form>
          } @else {
            <p class="text-sm text-surface-500">This browser cannot create passkeys.</p>
          }
          @if (passkeyMessage(); as m) { <p-message [severity]="m.severity" [text]="m.text" styleClass="mt-2" data-testid="passkey-message" /> }
        </div>
      }

      <h3 class="font-semibold mt-5 mb-2">Sessions</h3>
      <p class="text-sm mb-2">Sign out on every browser and device, this one included.</p>
      @if (confirming() === 'everywhere') {
        <div class="flex flex-wrap items-center gap-2" role="group" aria-label="Confirm signing out everywhere">
          <span class="text-sm">Sign out everywhere?</span>
          <p-button label="Yes, sign out everywhere" size="small" severity="danger" (onClick)="signOutEverywhere()"
                    [loading]="busy() === 'everywhere'" data-testid="confirm-everywhere" data-confirm="everywhere" />
          <p-button label="Cancel" size="small" [text]="true" (onClick)="confirming.set(null)" />
        </div>
      } @else {
        <p-button label="Sign out everywhere" size="small" severity="danger" [outlined]="true"
                  (onClick)="askConfirm('everywhere')" data-testid="sign-out-everywhere" />
      }
      @if (sessionError()) { <p-message severity="error" styleClass="mt-2" [text]="sessionError()!" /> }
    </section>

    <section id="api-keys" [class]="card" aria-labelledby="keys-title" data-testid="api-keys">
      <h2 id="keys-title" class="text-lg font-semibold mb-1">API keys</h2>
      <p class="text-sm text-surface-500 mb-3">For server-side tracking and the API: send <code>Authorization: Bearer &lt;key&gt;</code>.
        <a routerLink="/docs/api" class="text-primary" data-testid="api-reference-link">API reference</a></p>
      <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="createKey()">
        <label class="flex flex-col gap-1 text-sm">Name
          <input pInputText name="name" required maxlength="100" [(ngModel)]="keyName" placeholder="e.g. backend" data-testid="key-name" />
        </label>
        @if (teams().length) {
          <label class="flex flex-col gap-1 text-sm">Team
            <select [class]="select" name="keyTeam" [ngModel]="keyTeam()" (ngModelChange)="chooseKeyTeam($event)" data-testid="key-team">
              <option [ngValue]="0">All my teams</option>
              @for (t of teams(); track t.id) { <option [ngValue]="t.id">{{ t.name }}</option> }
            </select>
          </label>
          <label class="flex flex-col gap-1 text-sm">Role
            <select [class]="select" name="keyRole" [(ngModel)]="keyRole" data-testid="key-role">
              <option value="">My role</option>
              @for (r of keyRoles(); track r) { <option [value]="r">{{ label(r) }}</option> }
            </select>
          </label>
        }
        <p-button type="submit" label="Create key" size="small" [loading]="busy() === 'key'" data-testid="key-create" />
      </form>
      @if (keyError()) { <p-message severity="error" styleClass="mb-3" data-testid="key-error" [text]="keyError()!" /> }
      @if (newKey(); as k) {
        <div class="rounded-lg border border-amber-400 p-3 mb-3" role="region" aria-labelledby="new-key-title" data-testid="new-key">
          <h3 id="new-key-title" class="font-semibold mb-1">Key “{{ k.name }}” created</h3>
          <p class="text-sm mb-2">Copy it now: it is not shown again.</p>
          <div class="flex flex-wrap items-center gap-2">
            <code class="break-all font-mono text-sm bg-surface-100 dark:bg-surface-800 rounded px-2 py-1" data-testid="new-key-value">{{ k.key }}</code>
            <p-button label="Copy" size="small" [outlined]="true" (onClick)="copy(k.key, 'key')" data-testid="copy-key" />
            <p-button label="Done" size="small" [text]="true" (onClick)="newKey.set(null)" />
          </div>
          @if (copied() === 'key') { <p class="text-sm mt-2" role="status">Copied.</p> }
        </div>
      }
      @if (keys().length === 0) {
        <p class="text-sm text-surface-500" data-testid="no-keys">No API keys.</p>
      } @else {
        <div class="overflow-x-auto">
          <table class="w-full text-sm border-collapse" data-testid="key-list">
            <thead>
              <tr class="text-left text-surface-500">
                <th scope="col" class="py-1 pr-3 font-normal">Name</th>
                <th scope="col" class="py-1 pr-3 font-normal">Prefix</th>
                <th scope="col" class="py-1 pr-3 font-normal">Team · role</th>
                <th scope="col" class="py-1 pr-3 font-normal">Created</th>
                <th scope="col" class="py-1"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (key of keys(); track key.id) {
                <tr class="border-t border-surface-200 dark:border-surface-800" data-testid="key-row" [attr.data-key-id]="key.id">
                  <td class="py-2 pr-3 break-all" data-testid="key-row-name">{{ key.name }}</td>
                  <td class="py-2 pr-3 font-mono">{{ key.prefix }}…</td>
                  <td class="py-2 pr-3" data-testid="key-row-scope">{{ key.team_name || 'All teams' }}@if (key.role) { · {{ label(key.role) }}}</td>
                  <td class="py-2 pr-3 whitespace-nowrap"><time [attr.datetime]="key.created_at">{{ when(key.created_at) }}</time></td>
                  <td class="py-2 text-right whitespace-nowrap">
                    @if (confirming() === 'key-' + key.id) {
                      <span class="inline-flex flex-wrap gap-1 justify-end" role="group" [attr.aria-label]="'Confirm revoking ' + key.name">
                        <p-button label="Revoke" size="small" severity="danger" (onClick)="revokeKey(key)" [attr.data-confirm]="'key-' + key.id"
                                  [ariaLabel]="'Yes, revoke ' + key.name" data-testid="key-revoke-confirm" />
                        <p-button label="Keep" size="small" [text]="true" (onClick)="confirming.set(null)" />
                      </span>
                    } @else {
                      <p-button label="Revoke…" size="small" severity="danger" [text]="true" [ariaLabel]="'Revoke ' + key.name"
                                (onClick)="askConfirm('key-' + key.id)" data-testid="key-revoke" />
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>

    <section id="activity" [class]="card" aria-labelledby="activity-title" data-testid="activity">
      <h2 id="activity-title" class="text-lg font-semibold mb-3">Activity</h2>
      @if (events().length === 0) {
        <p class="text-sm text-surface-500">Nothing recorded yet.</p>
      } @else {
        <ol class="list-none p-0 m-0 flex flex-col text-sm" data-testid="audit-list">
          @for (event of events(); track $index) {
            <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap justify-between gap-x-4"
                data-testid="audit-event" [attr.data-event]="event.event">
              <span>{{ eventLabel(event.event) }}@if (event.detail) {: <span class="break-all">{{ event.detail }}</span>}</span>
              <span class="text-surface-500 tabular-nums">
                <time [attr.datetime]="event.time">{{ when(event.time) }}</time>@if (event.ip) { · {{ event.ip }}}
              </span>
            </li>
          }
        </ol>
      }
    </section>
  `,
})
export class SettingsPage implements OnInit {
  private readonly api = inject(Api);
  protected readonly card = CARD;
  protected readonly select = SELECT;

  protected readonly user = signal<User | null>(null);
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly events = signal<AuditEvent[]>([]);
  protected readonly loadError = signal<string | null>(null);
  /** which action is running, for the buttons' spinners */
  protected readonly busy = signal<string | null>(null);
  /** which destructive action waits for its confirmation ('everywhere', 'key-3') */
  protected readonly confirming = signal<string | null>(null);
  protected readonly copied = signal<string | null>(null);

  protected readonly newKey = signal<NewApiKey | null>(null);
  protected readonly keyError = signal<string | null>(null);
  protected keyName = '';
  protected readonly teams = computed(() => this.user()?.teams ?? []);
  protected readonly keyTeam = signal(0);
  protected keyRole = '';
  /** a key's role is at most the caller's: in the chosen team, or the highest of all teams */
  protected readonly keyRoles = computed(() => {
    const team = this.teams().find((t) => t.id === this.keyTeam());
    if (team) return grantable(team.role);
    return this.teams().reduce((best, t) => (grantable(t.role).length > best.length ? grantable(t.role) : best), [] as string[]);
  });

  /** false while GET /api/user/passkeys answers 404 (a server without passkeys): the section hides */
  protected readonly passkeysSupported = signal(false);
  protected readonly passkeyBrowser = passkeysAvailable();
  protected readonly passkeys = signal<Passkey[]>([]);
  protected readonly renaming = signal<number | string | null>(null);
  protected readonly passkeyMessage = signal<{ severity: 'success' | 'error'; text: string } | null>(null);
  protected passkeyName = '';
  protected passkeyRename = '';

  protected readonly enrolment = signal<TotpEnrolment | null>(null);
  protected readonly recoveryCodes = signal<string[] | null>(null);
  protected readonly totpMessage = signal<{ severity: 'success' | 'error'; text: string } | null>(null);
  /** what this page last did, else what the server says or the audit list tells */
  private readonly totpKnown = signal<'on' | 'off' | null>(null);
  protected totpCode = '';
  protected disableCode = '';
  protected readonly sessionError = signal<string | null>(null);

  /** false once PUT /api/user/password answers 404 (a server without it) */
  protected readonly passwordSupported = signal(true);
  protected readonly passwordOpen = signal(false);
  protected readonly passwordMessage = signal<{ severity: 'success' | 'error'; text: string } | null>(null);
  protected currentPassword = '';
  protected newPassword = '';

  protected readonly qr = computed(() => {
    const svg = this.enrolment()?.qr_svg;
    return svg ? svgDataUrl(svg) : null;
  });

  /**
   * GET /api/user does not say whether TOTP is on (unless a newer server adds totp_enabled); the latest
   * totp_enabled / totp_disabled event of the activity list does, when it is among the last events.
   */
  protected readonly totpState = computed<'on' | 'off' | 'unknown'>(() => {
    const known = this.totpKnown();
    if (known) return known;
    const flag = this.user()?.totp_enabled;
    if (typeof flag === 'boolean') return flag ? 'on' : 'off';
    const latest = this.events().find((e) => e.event === 'totp_enabled' || e.event === 'totp_disabled');
    if (latest) return latest.event === 'totp_enabled' ? 'on' : 'off';
    return this.events().some((e) => e.event === 'user_created') ? 'off' : 'unknown';
  });

  ngOnInit(): void {
    this.api.user().then((user) => this.user.set(user)).catch((e) => this.loadError.set(errorText(e)));
    this.loadKeys();
    this.loadEvents();
    this.loadPasskeys();
  }

  private loadPasskeys(): void {
    this.api.passkeys().then((passkeys) => {
      this.passkeys.set(passkeys);
      this.passkeysSupported.set(true);
      rememberServerPasskeys(true);
    }).catch((e) => {
      this.passkeysSupported.set(false);
      if (e instanceof HttpErrorResponse && e.status === 404) rememberServerPasskeys(false);
    });
  }

  protected label(role: string): string {
    return roleLabel(role);
  }

  protected chooseKeyTeam(team: number): void {
    this.keyTeam.set(Number(team) || 0);
    if (this.keyRole && !this.keyRoles().includes(this.keyRole)) this.keyRole = '';
  }

  protected async addPasskey(): Promise<void> {
    const name = this.passkeyName.trim() || 'Passkey';
    this.busy.set('passkey');
    this.passkeyMessage.set(null);
    try {
      const start = await this.api.startPasskeyRegistration(name);
      const credential = await createPasskey(start.options);
      await this.api.finishPasskeyRegistration(start.ceremony, credential, name);
      this.passkeyName = '';
      this.passkeyMessage.set({ severity: 'success', text: `Passkey “${name}” added.` });
      this.loadPasskeys();
      this.loadEvents();
    } catch (e) {
      const cancelled = e instanceof DOMException && e.name === 'NotAllowedError';
      this.passkeyMessage.set({ severity: 'error', text: cancelled ? 'No passkey was created.' : errorText(e) });
    } finally {
      this.busy.set(null);
    }
  }

  protected async renamePasskey(passkey: Passkey): Promise<void> {
    const name = this.passkeyRename.trim();
    if (!name) return;
    try {
      await this.api.renamePasskey(passkey.id, name);
      this.renaming.set(null);
      this.loadPasskeys();
    } catch (e) {
      this.passkeyMessage.set({ severity: 'error', text: errorText(e) });
    }
  }

  protected async removePasskey(passkey: Passkey): Promise<void> {
    this.confirming.set(null);
    try {
      await this.api.deletePasskey(passkey.id);
      this.passkeys.update((list) => list.filter((p) => p.id !== passkey.id));
      this.passkeyMessage.set({ severity: 'success', text: `Passkey “${passkey.name}” removed.` });
      this.loadEvents();
    } catch (e) {
      this.passkeyMessage.set({ severity: 'error', text: errorText(e) });
    }
  }

  private loadKeys(): void {
    this.api.apiKeys().then((keys) => this.keys.set(keys)).catch((e) => this.loadError.set(errorText(e)));
  }

  private loadEvents(): void {
    this.api.audit().then((events) => this.events.set(events)).catch((e) => this.loadError.set(errorText(e)));
  }

  /** Shows the confirmation of a destructive action and moves the focus to its button (keyboard users). */
  protected askConfirm(what: string): void {
    this.confirming.set(what);
    setTimeout(() => document.querySelector<HTMLElement>(`[data-confirm="${what}"] button`)?.focus());
  }

  protected jump(event: Event, id: string): void {
    event.preventDefault();
    const target = document.getElementById(id);
    target?.scrollIntoView({ block: 'start' });
    target?.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    target?.querySelector<HTMLElement>('h2')?.focus();
  }

  protected eventLabel(event: string): string {
    return EVENTS[event] ?? event.replaceAll('_', ' ');
  }

  protected when(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected async copy(text: string, what: string): Promise<void> {
    if (await copyText(text)) {
      this.copied.set(what);
      setTimeout(() => this.copied.set(null), 2000);
    }
  }

  protected downloadCodes(codes: string[]): void {
    const who = this.user()?.email ?? 'account';
    downloadText('hitkeep-recovery-codes.txt', `HitKeep recovery codes for ${who} (${location.host})\n\n${codes.join('\n')}\n`);
  }

  protected async createKey(): Promise<void> {
    const name = this.keyName.trim();
    if (!name) {
      this.keyError.set('Give the key a name.');
      return;
    }
    this.busy.set('key');
    this.keyError.set(null);
    try {
      this.newKey.set(await this.api.createApiKey(name, this.keyTeam() || undefined, this.keyRole || undefined));
      this.keyName = '';
      this.loadKeys();
      this.loadEvents();
    } catch (e) {
      this.keyError.set(errorText(e));
    } finally {
      this.busy.set(null);
    }
  }

  protected async revokeKey(key: ApiKey): Promise<void> {
    this.confirming.set(null);
    this.keyError.set(null);
    try {
      await this.api.revokeApiKey(key.id);
      this.keys.update((keys) => keys.filter((k) => k.id !== key.id));
      if (this.newKey()?.id === key.id) this.newKey.set(null);
      // the focused row is gone: back to the form, not to the top of the page
      document.querySelector<HTMLElement>('[data-testid="key-name"]')?.focus();
      this.loadEvents();
    } catch (e) {
      this.keyError.set(errorText(e));
    }
  }

  protected async startTotp(): Promise<void> {
    this.busy.set('totp');
    this.totpMessage.set(null);
    try {
      this.enrolment.set(await this.api.startTotp());
      this.totpCode = '';
    } catch (e) {
      this.totpMessage.set({ severity: 'error', text: errorText(e) });
    } finally {
      this.busy.set(null);
    }
  }

  protected async confirmTotp(): Promise<void> {
    this.busy.set('totp');
    this.totpMessage.set(null);
    try {
      const answer = await this.api.confirmTotp(this.totpCode.replace(/\s+/g, ''));
      this.enrolment.set(null);
      this.recoveryCodes.set(answer.recovery_codes ?? []);
      this.totpKnown.set('on');
      this.totpMessage.set({ severity: 'success', text: 'Two-factor authentication is on.' });
      this.loadEvents();
    } catch (e) {
      this.totpMessage.set({ severity: 'error', text: errorText(e) });
    } finally {
      this.busy.set(null);
    }
  }

  protected async disableTotp(): Promise<void> {
    this.busy.set('totp-off');
    this.totpMessage.set(null);
    try {
      await this.api.disableTotp(this.disableCode.replace(/\s+/g, ''));
      this.disableCode = '';
      this.totpKnown.set('off');
      this.totpMessage.set({ severity: 'success', text: 'Two-factor authentication is off.' });
      this.loadEvents();
    } catch (e) {
      this.totpMessage.set({ severity: 'error', text: errorText(e) });
    } finally {
      this.busy.set(null);
    }
  }

  protected async signOutEverywhere(): Promise<void> {
    this.busy.set('everywhere');
    this.sessionError.set(null);
    try {
      await this.api.signOutEverywhere();
    } catch (e) {
      this.sessionError.set(errorText(e));
    } finally {
      this.busy.set(null);
      this.confirming.set(null);
    }
  }

  protected async changePassword(): Promise<void> {
    this.busy.set('password');
    this.passwordMessage.set(null);
    try {
      await this.api.changePassword(this.currentPassword, this.newPassword);
      this.currentPassword = '';
      this.newPassword = '';
      this.passwordOpen.set(false);
      this.passwordMessage.set({ severity: 'success', text: 'Password changed.' });
      this.loadEvents();
    } catch (e) {
      if (e instanceof HttpErrorResponse && (e.status === 404 || e.status === 405)) {
        this.passwordSupported.set(false);
      } else {
        this.passwordMessage.set({ severity: 'error', text: errorText(e) });
      }
    } finally {
      this.busy.set(null);
    }
  }
}

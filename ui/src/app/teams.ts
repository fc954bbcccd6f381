import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { Api, ApiKey, AuditEvent, NewInvitation, Team, TeamSummary, User, errorText } from './api';
import { copyText } from './clipboard';
import { inviteUrl } from './links';
import { ROLES, can, grantable, roleLabel } from './permissions';

const CARD = 'rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 mb-4';
const SELECT = 'rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-2 text-sm';
/** the role select of a member row: smaller */
const ROW_SELECT = 'rounded-md border border-surface-300 dark:border-surface-700 bg-surface-0 dark:bg-surface-900 text-inherit px-2 py-1 text-sm';

/** How the team activity names the team events of TeamRoutes (and the site and share events). */
const EVENTS: Record<string, string> = {
  user_created: 'Account created',
  login: 'Signed in',
  login_failed: 'Failed sign-in',
  logout: 'Signed out',
  team_created: 'Team created',
  team_renamed: 'Team renamed',
  role_changed: 'Role changed',
  member_removed: 'Member removed',
  team_left: 'Left the team',
  member_invited: 'Invitation sent',
  invitation_revoked: 'Invitation revoked',
  member_joined: 'Joined',
  share_link_created: 'Share link created',
  share_link_revoked: 'Share link revoked',
  site_created: 'Site added',
  site_deleted: 'Site deleted',
  site_updated: 'Site settings changed',
};

/**
 * The teams of the account (/settings/teams?team=ID): each with its role; the chosen team's members
 * (roles and removal for owners, leaving for anyone), invitations by link (admins and owners), and for
 * owners its API keys and activity. A new team can be created. What a role cannot do is not shown.
 */
@Component({
  selector: 'hk-teams',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ButtonModule, InputTextModule, MessageModule],
  template: `
    <a routerLink="/settings" class="text-sm text-primary">← Settings</a>
    <h1 class="text-2xl font-semibold mb-4">Teams</h1>
    @if (error()) { <p-message severity="error" styleClass="mb-4" data-testid="teams-error" [text]="error()!" /> }

    <section [class]="card" aria-labelledby="your-teams" data-testid="team-list">
      <h2 id="your-teams" class="text-lg font-semibold mb-2">Your teams</h2>
      <ul class="list-none p-0 m-0 flex flex-col">
        @for (t of teams(); track t.id) {
          <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap items-center justify-between gap-2"
              data-testid="team-row" [attr.data-team-id]="t.id">
            <a [routerLink]="[]" [queryParams]="{ team: t.id }" class="font-medium text-primary"
               [attr.aria-current]="t.id === selectedId() ? 'page' : null" data-testid="team-open">{{ t.name }}</a>
            <span class="text-sm text-surface-500">
              <span data-testid="team-role">{{ label(t.role) }}</span> · {{ t.members }} {{ t.members === 1 ? 'member' : 'members' }}
              · {{ t.sites }} {{ t.sites === 1 ? 'site' : 'sites' }}
            </span>
          </li>
        } @empty {
          <li class="text-sm text-surface-500">You are in no team.</li>
        }
      </ul>
      <form class="flex flex-wrap items-end gap-2 mt-3" (ngSubmit)="createTeam()" data-testid="team-create-form">
        <label class="flex flex-col gap-1 text-sm">New team
          <input pInputText name="teamName" required maxlength="100" [(ngModel)]="newTeamName" placeholder="e.g. Marketing" data-testid="team-name" />
        </label>
        <p-button type="submit" label="Create team" size="small" [loading]="busy() === 'create'" data-testid="team-create" />
      </form>
    </section>

    @if (team(); as t) {
      <section [class]="card" aria-labelledby="team-title" data-testid="team" [attr.data-role]="t.role">
        <div class="flex flex-wrap items-baseline justify-between gap-2 mb-3">
          <h2 id="team-title" class="text-lg font-semibold m-0" data-testid="team-title">{{ t.name }}</h2>
          <span class="text-sm text-surface-500">Your role: <strong data-testid="my-role">{{ label(t.role) }}</strong></span>
        </div>
        @if (message(); as m) { <p-message [severity]="m.severity" styleClass="mb-3" data-testid="team-message"><span role="status">{{ m.text }}</span></p-message> }

        @if (allowed('rename-team')) {
          <form class="flex flex-wrap items-end gap-2 mb-4" (ngSubmit)="rename()">
            <label class="flex flex-col gap-1 text-sm">Team name
              <input pInputText name="rename" required maxlength="100" [(ngModel)]="renameTo" data-testid="team-rename" />
            </label>
            <p-button type="submit" label="Rename" size="small" [outlined]="true" [loading]="busy() === 'rename'" data-testid="team-rename-save" />
          </form>
        }

        <h3 class="font-semibold mb-2">Members</h3>
        <div class="overflow-x-auto mb-2">
          <table class="w-full text-sm border-collapse" data-testid="members">
            <thead>
              <tr class="text-left text-surface-500">
                <th scope="col" class="py-1 pr-3 font-normal">Email</th>
                <th scope="col" class="py-1 pr-3 font-normal">Role</th>
                <th scope="col" class="py-1 pr-3 font-normal hidden sm:table-cell">Joined</th>
                <th scope="col" class="py-1"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (m of t.members; track m.user_id) {
                <tr class="border-t border-surface-200 dark:border-surface-800" data-testid="member-row" [attr.data-email]="m.email">
                  <td class="py-2 pr-3 break-all">{{ m.email }}@if (m.user_id === me()?.id) { <span class="text-surface-500"> (you)</span>}</td>
                  <td class="py-2 pr-3">
                    @if (allowed('change-roles')) {
                      <select [class]="rowSelect" [ngModel]="m.role" (ngModelChange)="setRole(m.user_id, $event)" [name]="'role-' + m.user_id"
                              [attr.aria-label]="'Role of ' + m.email" data-testid="member-role-select">
                        @for (r of roles; track r) { <option [value]="r">{{ label(r) }}</option> }
                      </select>
                    } @else {
                      <span data-testid="member-role">{{ label(m.role) }}</span>
                    }
                  </td>
                  <td class="py-2 pr-3 whitespace-nowrap hidden sm:table-cell"><time [attr.datetime]="m.joined_at">{{ when(m.joined_at) }}</time></td>
                  <td class="py-2 text-right whitespace-nowrap">
                    @if (m.user_id === me()?.id || allowed('remove-members')) {
                      @if (confirming() === 'member-' + m.user_id) {
                        <span class="inline-flex gap-1" role="group" [attr.aria-label]="'Confirm removing ' + m.email">
                          <p-button [label]="m.user_id === me()?.id ? 'Leave' : 'Remove'" size="small" severity="danger"
                                    (onClick)="remove(m.user_id)" data-testid="member-remove-confirm" />
                          <p-button label="Cancel" size="small" [text]="true" (onClick)="confirming.set(null)" />
                        </span>
                      } @else {
                        <p-button [label]="m.user_id === me()?.id ? 'Leave…' : 'Remove…'" size="small" severity="danger" [text]="true"
                                  [ariaLabel]="(m.user_id === me()?.id ? 'Leave ' + t.name : 'Remove ' + m.email)"
                                  (onClick)="confirming.set('member-' + m.user_id)" data-testid="member-remove" />
                      }
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>

      @if (allowed('invite')) {
        <section [class]="card" aria-labelledby="invite-title" data-testid="invite">
          <h2 id="invite-title" class="text-lg font-semibold mb-1">Invite someone</h2>
          <p class="text-sm text-surface-500 mb-3">The link is valid for a few days and works once. Leave the email empty for anyone with the link.</p>
          <form class="flex flex-wrap items-end gap-2 mb-3" (ngSubmit)="invite()">
            <label class="flex flex-col gap-1 text-sm">Role
              <select [class]="select" name="inviteRole" [(ngModel)]="inviteRole" data-testid="invite-role">
                @for (r of grantableRoles(); track r) { <option [value]="r">{{ label(r) }}</option> }
              </select>
            </label>
            <label class="flex flex-col gap-1 text-sm">Email (optional)
              <input pInputText type="email" name="inviteEmail" maxlength="254" [(ngModel)]="inviteEmail" data-testid="invite-email" />
            </label>
            <p-button type="submit" label="Create invitation link" size="small" [loading]="busy() === 'invite'" data-testid="invite-create" />
          </form>
          @if (newInvitation(); as inv) {
            <div class="rounded-lg border border-amber-400 p-3 mb-3" role="region" aria-labelledby="new-invite-title" data-testid="new-invitation">
              <h3 id="new-invite-title" class="font-semibold mb-1">Invitation as {{ label(inv.role) }}@if (inv.email) { for {{ inv.email }}}</h3>
              <p class="text-sm mb-2">Send this link. It is shown only now.</p>
              <div class="flex flex-wrap items-center gap-2">
                <code class="break-all font-mono text-sm bg-surface-100 dark:bg-surface-800 rounded px-2 py-1" data-testid="invitation-link">{{ inv.link || inviteLink(inv.token) }}</code>
                <p-button label="Copy" size="small" [outlined]="true" (onClick)="copy(inv.link || inviteLink(inv.token))" data-testid="copy-invitation" />
                <p-button label="Done" size="small" [text]="true" (onClick)="newInvitation.set(null)" />
              </div>
              @if (copied()) { <p class="text-sm mt-2" role="status">Copied.</p> }
            </div>
          }
          <h3 class="font-semibold mb-2">Open invitations</h3>
          @if ((t.invitations ?? []).length === 0) {
            <p class="text-sm text-surface-500" data-testid="no-invitations">None.</p>
          } @else {
            <ul class="list-none p-0 m-0 text-sm" data-testid="invitations">
              @for (inv of t.invitations; track inv.id) {
                <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap items-center justify-between gap-2"
                    data-testid="invitation-row">
                  <span>{{ label(inv.role) }} · {{ inv.email || 'anyone with the link' }}
                    <span class="text-surface-500">· expires <time [attr.datetime]="inv.expires_at">{{ when(inv.expires_at) }}</time></span></span>
                  <p-button label="Revoke" size="small" severity="danger" [text]="true" [ariaLabel]="'Revoke invitation ' + inv.id"
                            (onClick)="revokeInvitation(inv.id)" data-testid="invitation-revoke" />
                </li>
              }
            </ul>
          }
        </section>
      }

      @if (allowed('team-api-keys')) {
        <section [class]="card" aria-labelledby="team-keys-title" data-testid="team-keys">
          <h2 id="team-keys-title" class="text-lg font-semibold mb-1">Team API keys</h2>
          <p class="text-sm text-surface-500 mb-3">Keys of any member that act on this team. Members create and revoke their own in <a routerLink="/settings" class="text-primary">Settings</a>.</p>
          @if (keys().length === 0) {
            <p class="text-sm text-surface-500">No API keys.</p>
          } @else {
            <ul class="list-none p-0 m-0 text-sm">
              @for (k of keys(); track k.id) {
                <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap justify-between gap-2" data-testid="team-key">
                  <span><strong>{{ k.name }}</strong> <code class="font-mono">{{ k.prefix }}…</code> · {{ label(k.role ?? '') }}</span>
                  <span class="text-surface-500">{{ k.email }} · <time [attr.datetime]="k.created_at">{{ when(k.created_at) }}</time></span>
                </li>
              }
            </ul>
          }
        </section>
      }

      @if (allowed('team-audit')) {
        <section [class]="card" aria-labelledby="team-activity-title" data-testid="team-activity">
          <h2 id="team-activity-title" class="text-lg font-semibold mb-3">Team activity</h2>
          @if (events().length === 0) {
            <p class="text-sm text-surface-500">Nothing recorded yet.</p>
          } @else {
            <ol class="list-none p-0 m-0 flex flex-col text-sm">
              @for (e of events(); track $index) {
                <li class="py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap justify-between gap-x-4"
                    data-testid="team-event" [attr.data-event]="e.event">
                  <span>{{ eventLabel(e.event) }}@if (e.detail) {: <span class="break-all">{{ e.detail }}</span>}</span>
                  <span class="text-surface-500 tabular-nums">{{ e.email }} · <time [attr.datetime]="e.time">{{ when(e.time) }}</time></span>
                </li>
              }
            </ol>
          }
        </section>
      }
    }
  `,
})
export class TeamsPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  /** ?team=ID, else the first team */
  readonly teamParam = input<string | undefined>(undefined, { alias: 'team' });

  protected readonly card = CARD;
  protected readonly select = SELECT;
  protected readonly rowSelect = ROW_SELECT;
  protected readonly roles = ROLES;
  protected readonly me = signal<User | null>(null);
  protected readonly teams = signal<TeamSummary[]>([]);
  protected readonly team = signal<Team | null>(null);
  protected readonly keys = signal<ApiKey[]>([]);
  protected readonly events = signal<AuditEvent[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly message = signal<{ severity: 'success' | 'error'; text: string } | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly confirming = signal<string | null>(null);
  protected readonly copied = signal(false);
  protected readonly newInvitation = signal<NewInvitation | null>(null);
  protected newTeamName = '';
  protected renameTo = '';
  protected inviteRole = 'member';
  protected inviteEmail = '';

  protected readonly selectedId = computed(() => {
    const wanted = Number(this.teamParam());
    const teams = this.teams();
    return teams.some((t) => t.id === wanted) ? wanted : teams[0]?.id ?? null;
  });
  protected readonly grantableRoles = computed(() => grantable(this.team()?.role));

  constructor() {
    this.api.user().then((user) => this.me.set(user)).catch((e) => this.error.set(errorText(e)));
    this.loadTeams();
    effect(() => {
      const id = this.selectedId();
      if (id !== null) this.loadTeam(id);
    });
  }

  private loadTeams(): void {
    this.api.teams().then((teams) => this.teams.set(teams)).catch((e) => this.error.set(errorText(e)));
  }

  private async loadTeam(id: number): Promise<void> {
    try {
      const team = await this.api.team(id);
      if (this.selectedId() !== id) return;
      this.team.set(team);
      this.renameTo = team.name;
      if (!grantable(team.role).includes(this.inviteRole as any)) this.inviteRole = 'member';
      this.keys.set(can(team.role, 'team-api-keys') ? await this.api.teamApiKeys(id).catch(() => []) : []);
      this.events.set(can(team.role, 'team-audit') ? await this.api.teamAudit(id).catch(() => []) : []);
    } catch (e) {
      this.error.set(errorText(e));
    }
  }

  private reload(): void {
    this.loadTeams();
    const id = this.selectedId();
    if (id !== null) this.loadTeam(id);
  }

  protected allowed(action: Parameters<typeof can>[1]): boolean {
    return can(this.team()?.role, action);
  }

  protected label(role: string): string {
    return roleLabel(role);
  }

  protected eventLabel(event: string): string {
    return EVENTS[event] ?? event.replaceAll('_', ' ');
  }

  protected when(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected inviteLink(token: string): string {
    return inviteUrl(location.origin, token);
  }

  protected async copy(text: string): Promise<void> {
    if (await copyText(text)) {
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    }
  }

  /** runs an action of the chosen team, says how it went and reloads */
  private async act(what: string, action: () => Promise<unknown>, done: string): Promise<boolean> {
    this.busy.set(what);
    this.message.set(null);
    try {
      await action();
      this.message.set({ severity: 'success', text: done });
      return true;
    } catch (e) {
      this.message.set({ severity: 'error', text: errorText(e) });
      return false;
    } finally {
      this.busy.set(null);
      this.confirming.set(null);
      this.reload();
    }
  }

  protected async createTeam(): Promise<void> {
    const name = this.newTeamName.trim();
    if (!name) return;
    this.busy.set('create');
    this.error.set(null);
    try {
      const team = await this.api.createTeam(name);
      this.newTeamName = '';
      this.loadTeams();
      this.router.navigate([], { queryParams: { team: team.id } });
    } catch (e) {
      this.error.set(errorText(e));
    } finally {
      this.busy.set(null);
    }
  }

  protected rename(): void {
    const team = this.team();
    const name = this.renameTo.trim();
    if (team && name) this.act('rename', () => this.api.renameTeam(team.id, name), 'Renamed.');
  }

  protected setRole(userId: number, role: string): void {
    const team = this.team();
    if (team) this.act('role', () => this.api.setMemberRole(team.id, userId, role), `Role changed to ${roleLabel(role)}.`);
  }

  protected async remove(userId: number): Promise<void> {
    const team = this.team();
    if (!team) return;
    const leaving = userId === this.me()?.id;
    const ok = await this.act('remove', () => this.api.removeMember(team.id, userId), leaving ? `You left ${team.name}.` : 'Removed.');
    if (ok && leaving) {
      this.team.set(null);
      this.router.navigate([], { queryParams: { team: null } });
    }
  }

  protected async invite(): Promise<void> {
    const team = this.team();
    if (!team) return;
    this.newInvitation.set(null);
    await this.act('invite', async () => this.newInvitation.set(await this.api.invite(team.id, this.inviteRole, this.inviteEmail.trim())),
      'Invitation created.');
    this.inviteEmail = '';
  }

  protected revokeInvitation(id: number): void {
    const team = this.team();
    if (team) this.act('revoke', () => this.api.revokeInvitation(team.id, id), 'Invitation revoked.');
  }
}

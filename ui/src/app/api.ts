import { HttpClient, HttpErrorResponse, HttpInterceptorFn, HttpParams } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { statsPath, statsQuery, takeEarly, takeSettledEarly } from './early';
import { Funnel, FunnelResult, FunnelWindow } from './funnel';
import { Goal, Target } from './goals';

export interface Site { id: number; domain: string; name: string; timezone: string; team_id?: number; role?: string; }
/** GET /api/sites/{id}: the privacy settings are comma-separated lists (writer Sites.update). */
export interface SiteDetail extends Site {
  created_at?: string; excluded_ips: string; excluded_paths: string; honour_dnt: boolean; role?: string;
  /** the Umami website whose hits are this site's; empty (or absent, an older server) for none */
  umami_website_id?: string;
  /** the GoatCounter code whose host (CODE.stats.example.com) counts for this site; empty (or absent) for none */
  goatcounter_code?: string;
  /** days hits are kept before whole months are archived to Parquet; null: forever */
  retention_days?: number | null;
}
export interface SiteChanges {
  name?: string; timezone?: string; excluded_ips?: string; excluded_paths?: string; honour_dnt?: boolean;
  umami_website_id?: string;
  goatcounter_code?: string;
  retention_days?: number | null;
}
export interface TeamSummary { id: number; name: string; role: string; members: number; sites: number; }
export interface User { id: number; email: string; totp_enabled?: boolean; teams?: TeamSummary[]; }
export interface ApiKey {
  id: number; name: string; prefix: string; created_at: string;
  team_id?: number; team_name?: string; role?: string; user_id?: number; email?: string;
}
export interface NewApiKey { id: number; name: string; prefix: string; key: string; team_id?: number; role?: string; }
export interface Member { user_id: number; email: string; role: string; joined_at: string; }
export interface Invitation { id: number; role: string; email: string; created_at?: string; expires_at: string; }
export interface NewInvitation extends Invitation { token: string; link: string; }
export interface Team { id: number; name: string; role: string; members: Member[]; invitations?: Invitation[]; }
export interface InvitationPreview { team_name: string; role: string; email: string; invited_by: string; expires_at: string; }
export interface ShareLink { id: number; label: string; has_password: boolean; created_at: string; token?: string; link?: string; }
/** GET/PUT /api/sites/{id}/reports: the caller's own digests of the site. */
export interface ReportSubscription { site_id: number; weekly: boolean; monthly: boolean; mail_configured: boolean; }
export interface SentReport { queued: boolean; period: 'week' | 'month'; from: string; to: string; email: string; }
/** GET /api/sites/{id}/imports: one import of another tool's export (query-api Imports). */
export interface SiteImport {
  id: number; source: string; file_name: string; status: string; from: string | null; to: string | null;
  pageviews: number; created_at: string;
}
/** The 201 of an upload: the days it covers, and how many of them have tracked pageviews too. */
export interface ImportResult { id: number; source: string; from: string; to: string; pageviews: number; days?: number; tracked_days?: number; }
export interface SharedSite { name: string; domain: string; timezone: string; password_required: boolean; }
export interface Passkey { id: number | string; name: string; created_at: string; last_used_at?: string | null; }
export interface TotpEnrolment {
  secret: string; otpauth_uri: string; digits: number; period: number; algorithm: string; qr_svg?: string;
}
export interface AuditEvent { time: string; event: string; detail: string; ip: string; user_id?: number; email?: string; }
export interface Row { value: string; pageviews?: number; visitors?: number; count?: number; }
export interface Summary {
  pageviews: number; visitors: number; sessions: number; bounce_rate: number;
  avg_session_duration: number; pages_per_session: number; live_visitors: number;
  /** whether imported data is in these numbers (query-api ImportedStats) */
  imported?: boolean;
}
export interface Stats { summary: Summary; chart: { t: string; pageviews: number; visitors: number }[]; [list: string]: any; }
export interface Annotation { id: number; date: string; text: string; }
/** GET /api/sites/{id}/live: visitors of the last five minutes; newer servers add the pages and sources they are on. */
export interface Live { live_visitors: number; pages?: Row[]; sources?: Row[]; }
export interface LoginAnswer { second_factor?: 'required'; challenge?: string; factors?: string[]; }

/** The message of an API error: its {"error"} body, else the status. */
export function errorText(e: unknown): string {
  if (e instanceof HttpErrorResponse) {
    if (e.status === 0) return 'The server cannot be reached.';
    return e.error?.error ?? `${e.status} ${e.statusText}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}


/** A list answered bare ([...]) or wrapped ({"goals": [...]}): this server answers the first, be ready for both. */
function listIn<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const inner = (answer as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

/**
 * The last answer of GET /api/sites, reused for a moment: the app shell asks at start to learn whether
 * someone is signed in, and the page it opens asks again a few hundred milliseconds later (on a big site
 * every round trip before the first stats request shows). Any request that writes forgets it.
 */
let recentSites: { at: number; answer: Promise<Site[]>; value?: Site[] } | null = null;
const SITES_REUSE_MS = 3000;

/** Registered in app.config: a POST, PUT, PATCH or DELETE may change which sites there are or their names. */
export const forgetSitesOnWrite: HttpInterceptorFn = (request, next) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') recentSites = null;
  return next(request);
};

/** The REST API of the single binary, same origin, the hk_token cookie carries the session. */
@Injectable({ providedIn: 'root' })
export class Api {
  private readonly http = inject(HttpClient);
  /** unknown until the first answer; the app shows the sign-in screen when signed out */
  readonly session = signal<'unknown' | 'signed-in' | 'signed-out'>('unknown');

  private async call<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (e) {
      if (e instanceof HttpErrorResponse && e.status === 401) this.session.set('signed-out');
      throw e;
    }
  }

  sites(): Promise<Site[]> {
    const now = Date.now();
    if (recentSites && now - recentSites.at < SITES_REUSE_MS) return recentSites.answer;
    const ask = () => firstValueFrom(this.http.get<Site[]>('/api/sites'));
    const early = takeEarly<Site[]>('/api/sites');
    const answer = this.call(early ? early.then((sites) => sites ?? ask()) : ask()).then((sites) => {
      this.session.set('signed-in');
      return sites;
    });
    const recent: NonNullable<typeof recentSites> = { at: now, answer };
    recentSites = recent;
    answer.then((sites) => { recent.value = sites; }, () => { if (recentSites === recent) recentSites = null; });
    return answer;
  }

  /**
   * The site list if its answer is already in (the app shell asks for it at start, and shows a page only
   * once it has come): a page can then show its site in its first render instead of one render later.
   */
  settledSites(): Site[] | null {
    return recentSites?.value && Date.now() - recentSites.at < SITES_REUSE_MS ? recentSites.value : null;
  }

  addSite(site: { domain: string; name: string; timezone: string; team_id?: number }): Promise<Site> {
    return this.call(firstValueFrom(this.http.post<Site>('/api/sites', site)));
  }

  /** The stats of a range; with parts (summary, chart, lists, events, goals) only those; limit: rows a list. */
  stats(id: number, from: string, to: string, filters: string[], parts?: string[], limit?: number): Promise<Stats> {
    const path = statsPath(id, from, to, filters, parts, limit);
    const ask = () => firstValueFrom(this.http.get<Stats>(path));
    const early = takeEarly<Stats>(path);
    return this.call(early ? early.then((stats) => stats ?? ask()) : ask());
  }

  /** The stats of this request if they were asked for before Angular started and are in already (once); else null. */
  settledStats(id: number, from: string, to: string, filters: string[], parts?: string[], limit?: number): Stats | null {
    return takeSettledEarly<Stats>(statsPath(id, from, to, filters, parts, limit));
  }

  site(id: number): Promise<SiteDetail> {
    return this.call(firstValueFrom(this.http.get<SiteDetail>(`/api/sites/${id}`)));
  }

  updateSite(id: number, changes: SiteChanges): Promise<SiteDetail> {
    return this.call(firstValueFrom(this.http.patch<SiteDetail>(`/api/sites/${id}`, changes)));
  }

  user(): Promise<User> {
    return this.call(firstValueFrom(this.http.get<User>('/api/user')));
  }

  async signOutEverywhere(): Promise<void> {
    await this.call(firstValueFrom(this.http.post('/api/user/sign-out-everywhere', {})));
    this.session.set('signed-out');
  }

  /** 404 when this server has no password change yet. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.call(firstValueFrom(this.http.put('/api/user/password', { current_password: currentPassword, new_password: newPassword })));
  }

  startTotp(): Promise<TotpEnrolment> {
    return this.call(firstValueFrom(this.http.post<TotpEnrolment>('/api/user/totp', {})));
  }

  confirmTotp(code: string): Promise<{ enabled: boolean; recovery_codes: string[] }> {
    return this.call(firstValueFrom(this.http.post<{ enabled: boolean; recovery_codes: string[] }>('/api/user/totp/confirm', { code })));
  }

  async disableTotp(code: string): Promise<void> {
    await this.call(firstValueFrom(this.http.delete('/api/user/totp', { body: { code } })));
  }

  apiKeys(): Promise<ApiKey[]> {
    return this.call(firstValueFrom(this.http.get<ApiKey[]>('/api/user/api-keys')));
  }

  createApiKey(name: string, teamId?: number, role?: string): Promise<NewApiKey> {
    const body: Record<string, unknown> = { name };
    if (teamId) body['team_id'] = teamId;
    if (role) body['role'] = role;
    return this.call(firstValueFrom(this.http.post<NewApiKey>('/api/user/api-keys', body)));
  }

  async revokeApiKey(id: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/user/api-keys/${id}`)));
  }

  async audit(): Promise<AuditEvent[]> {
    const answer = await this.call(firstValueFrom(this.http.get<{ events: AuditEvent[] }>('/api/audit')));
    return answer?.events ?? [];
  }

  async initialUser(email: string, password: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/initial-user', { email, password }));
    this.session.set('signed-in');
  }

  async login(email: string, password: string, remember = false): Promise<LoginAnswer> {
    const answer = await firstValueFrom(this.http.post<LoginAnswer>('/api/login', { email, password, remember }));
    if (answer?.second_factor !== 'required') this.session.set('signed-in');
    return answer ?? {};
  }

  /** The second step with a TOTP code, or with a recovery code when recovery is true. */
  async loginTotp(challenge: string, code: string, remember = false, recovery = false): Promise<void> {
    const body = recovery ? { challenge, recovery_code: code, remember } : { challenge, code, remember };
    await firstValueFrom(this.http.post('/api/login/totp', body));
    this.session.set('signed-in');
  }

  async requestPasswordReset(email: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/password-reset', { email }));
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/password-reset/confirm', { token, password }));
  }

  // teams

  teams(): Promise<TeamSummary[]> {
    return this.call(firstValueFrom(this.http.get<TeamSummary[]>('/api/teams')));
  }

  team(id: number): Promise<Team> {
    return this.call(firstValueFrom(this.http.get<Team>(`/api/teams/${id}`)));
  }

  createTeam(name: string): Promise<TeamSummary> {
    return this.call(firstValueFrom(this.http.post<TeamSummary>('/api/teams', { name })));
  }

  renameTeam(id: number, name: string): Promise<{ id: number; name: string }> {
    return this.call(firstValueFrom(this.http.patch<{ id: number; name: string }>(`/api/teams/${id}`, { name })));
  }

  async setMemberRole(teamId: number, userId: number, role: string): Promise<void> {
    await this.call(firstValueFrom(this.http.patch(`/api/teams/${teamId}/members/${userId}`, { role })));
  }

  async removeMember(teamId: number, userId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/teams/${teamId}/members/${userId}`)));
  }

  invite(teamId: number, role: string, email: string): Promise<NewInvitation> {
    const body: Record<string, string> = { role };
    if (email) body['email'] = email;
    return this.call(firstValueFrom(this.http.post<NewInvitation>(`/api/teams/${teamId}/invitations`, body)));
  }

  invitations(teamId: number): Promise<Invitation[]> {
    return this.call(firstValueFrom(this.http.get<Invitation[]>(`/api/teams/${teamId}/invitations`)));
  }

  async revokeInvitation(teamId: number, invitationId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/teams/${teamId}/invitations/${invitationId}`)));
  }

  teamApiKeys(teamId: number): Promise<ApiKey[]> {
    return this.call(firstValueFrom(this.http.get<ApiKey[]>(`/api/teams/${teamId}/api-keys`)));
  }

  async teamAudit(teamId: number): Promise<AuditEvent[]> {
    const answer = await this.call(firstValueFrom(this.http.get<{ events: AuditEvent[] }>(`/api/teams/${teamId}/audit`)));
    return answer?.events ?? [];
  }

  /** An invitation as its page shows it; no session needed (404 when used, revoked or expired). */
  invitation(token: string): Promise<InvitationPreview> {
    return firstValueFrom(this.http.get<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`));
  }

  async registerByInvitation(token: string, email: string, password: string): Promise<void> {
    await firstValueFrom(this.http.post(`/api/invitations/${encodeURIComponent(token)}/register`, { email, password }));
    this.session.set('signed-in');
  }

  joinTeam(token: string): Promise<{ team_id: number; team_name: string; role: string }> {
    return this.call(firstValueFrom(this.http.post<{ team_id: number; team_name: string; role: string }>('/api/teams/join', { token })));
  }

  // sites: live counter, deletion, share links

  live(siteId: number): Promise<Live> {
    return this.call(firstValueFrom(this.http.get<Live>(`/api/sites/${siteId}/live`)));
  }

  // goals, annotations, funnels (admins manage them, members read)

  async goals(siteId: number): Promise<Goal[]> {
    return listIn(await this.call(firstValueFrom(this.http.get<unknown>(`/api/sites/${siteId}/goals`))), 'goals');
  }

  createGoal(siteId: number, goal: Target & { name: string }): Promise<Goal> {
    return this.call(firstValueFrom(this.http.post<Goal>(`/api/sites/${siteId}/goals`, goal)));
  }

  async deleteGoal(siteId: number, goalId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}/goals/${goalId}`)));
  }

  /** Both days included; without them the whole history. */
  async annotations(siteId: number, from?: string, to?: string): Promise<Annotation[]> {
    let params = new HttpParams();
    if (from) params = params.set('from', from);
    if (to) params = params.set('to', to);
    return listIn(await this.call(firstValueFrom(this.http.get<unknown>(`/api/sites/${siteId}/annotations`, { params }))), 'annotations');
  }

  createAnnotation(siteId: number, date: string, text: string): Promise<Annotation> {
    return this.call(firstValueFrom(this.http.post<Annotation>(`/api/sites/${siteId}/annotations`, { date, text })));
  }

  async deleteAnnotation(siteId: number, annotationId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}/annotations/${annotationId}`)));
  }

  async funnels(siteId: number): Promise<Funnel[]> {
    return listIn(await this.call(firstValueFrom(this.http.get<unknown>(`/api/sites/${siteId}/funnels`))), 'funnels');
  }

  createFunnel(siteId: number, funnel: { name: string; steps: Target[]; window: FunnelWindow }): Promise<Funnel> {
    return this.call(firstValueFrom(this.http.post<Funnel>(`/api/sites/${siteId}/funnels`, funnel)));
  }

  /** A funnel's steps over a range, with the dashboard's filters. */
  funnel(siteId: number, funnelId: number, from: string, to: string, filters: string[]): Promise<FunnelResult> {
    return this.call(firstValueFrom(this.http.get<FunnelResult>(`/api/sites/${siteId}/funnels/${funnelId}${statsQuery(from, to, filters)}`)));
  }

  async deleteFunnel(siteId: number, funnelId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}/funnels/${funnelId}`)));
  }

  async deleteSite(siteId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}`)));
  }

  shareLinks(siteId: number): Promise<ShareLink[]> {
    return this.call(firstValueFrom(this.http.get<ShareLink[]>(`/api/sites/${siteId}/share-links`)));
  }

  createShareLink(siteId: number, label: string, password: string): Promise<ShareLink> {
    const body: Record<string, string> = {};
    if (label) body['label'] = label;
    if (password) body['password'] = password;
    return this.call(firstValueFrom(this.http.post<ShareLink>(`/api/sites/${siteId}/share-links`, body)));
  }

  async revokeShareLink(siteId: number, linkId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}/share-links/${linkId}`)));
  }

  reportSubscription(siteId: number): Promise<ReportSubscription> {
    return this.call(firstValueFrom(this.http.get<ReportSubscription>(`/api/sites/${siteId}/reports`)));
  }

  setReportSubscription(siteId: number, change: { weekly?: boolean; monthly?: boolean }): Promise<ReportSubscription> {
    return this.call(firstValueFrom(this.http.put<ReportSubscription>(`/api/sites/${siteId}/reports`, change)));
  }

  /** The last whole week's or month's digest, by mail now (once every few minutes). */
  sendReportNow(siteId: number, period: 'week' | 'month'): Promise<SentReport> {
    return this.call(firstValueFrom(this.http.post<SentReport>(`/api/sites/${siteId}/reports/send-now`, { period })));
  }

  imports(siteId: number): Promise<SiteImport[]> {
    return this.call(firstValueFrom(this.http.get<SiteImport[]>(`/api/sites/${siteId}/imports`)));
  }

  async deleteImport(siteId: number, importId: number): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/sites/${siteId}/imports/${importId}`)));
  }

  /**
   * Uploads an export, reporting the bytes sent. Through XMLHttpRequest: the HttpClient here uses fetch,
   * which reports no upload progress. Errors come as HttpErrorResponse, like every other call's.
   */
  uploadImport(siteId: number, source: string, file: Blob & { name: string },
               progress: (sent: number, total: number) => void): Promise<ImportResult> {
    const params = new URLSearchParams({ source, filename: file.name });
    return this.call(new Promise<ImportResult>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/sites/${siteId}/imports?${params}`);
      request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      request.responseType = 'text';
      request.upload.onprogress = (event) => progress(event.loaded, event.lengthComputable ? event.total : file.size);
      request.onload = () => {
        let body: unknown = null;
        try {
          body = request.responseText ? JSON.parse(request.responseText) : null;
        } catch {
          body = null;
        }
        if (request.status === 201) {
          resolve(body as ImportResult);
        } else {
          reject(new HttpErrorResponse({ status: request.status, statusText: request.statusText, error: body, url: request.responseURL }));
        }
      };
      request.onerror = () => reject(new HttpErrorResponse({ status: 0, statusText: 'network error' }));
      request.send(file);
    }));
  }

  /** The public side of a share link (no session). */
  sharedSite(token: string): Promise<SharedSite> {
    return firstValueFrom(this.http.get<SharedSite>(`/api/share/${encodeURIComponent(token)}`));
  }

  async unlockShare(token: string, password: string): Promise<string> {
    const answer = await firstValueFrom(this.http.post<{ access: string }>(`/api/share/${encodeURIComponent(token)}/unlock`, { password }));
    return answer.access;
  }

  sharedStats(token: string, access: string | null, from: string, to: string, filters: string[], parts?: string[], limit?: number): Promise<Stats> {
    const headers: Record<string, string> = access ? { 'X-Share-Access': access } : {};
    return firstValueFrom(this.http.get<Stats>(`/api/share/${encodeURIComponent(token)}/stats${statsQuery(from, to, filters, parts, limit)}`, { headers }));
  }

  // passkeys (a server without them answers 404 to the list)

  async passkeys(): Promise<Passkey[]> {
    const answer = await this.call(firstValueFrom(this.http.get<{ passkeys: Passkey[] }>('/api/user/passkeys')));
    return answer?.passkeys ?? [];
  }

  startPasskeyRegistration(name: string): Promise<{ ceremony: string; options: any }> {
    return this.call(firstValueFrom(this.http.post<{ ceremony: string; options: any }>('/api/user/passkeys/register/start', { name })));
  }

  async finishPasskeyRegistration(ceremony: string, credential: unknown, name: string): Promise<void> {
    await this.call(firstValueFrom(this.http.post('/api/user/passkeys/register/finish', { ceremony, credential, name })));
  }

  async renamePasskey(id: number | string, name: string): Promise<void> {
    await this.call(firstValueFrom(this.http.patch(`/api/user/passkeys/${id}`, { name })));
  }

  async deletePasskey(id: number | string): Promise<void> {
    await this.call(firstValueFrom(this.http.delete(`/api/user/passkeys/${id}`)));
  }

  startPasskeyLogin(challenge?: string): Promise<{ ceremony: string; options: any }> {
    return firstValueFrom(this.http.post<{ ceremony: string; options: any }>('/api/login/passkey/start', challenge ? { challenge } : {}));
  }

  async finishPasskeyLogin(ceremony: string, credential: unknown, challenge?: string, remember = false): Promise<void> {
    const body: Record<string, unknown> = { ceremony, credential, remember };
    if (challenge) body['challenge'] = challenge;
    await firstValueFrom(this.http.post('/api/login/passkey/finish', body));
    this.session.set('signed-in');
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.http.post('/api/logout', {}));
    } finally {
      this.session.set('signed-out');
    }
  }
}

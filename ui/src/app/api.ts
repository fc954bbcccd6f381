import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

export interface Site { id: number; domain: string; name: string; timezone: string; }
/** GET /api/sites/{id}: the privacy settings are comma-separated lists (writer Sites.update). */
export interface SiteDetail extends Site {
  created_at?: string; excluded_ips: string; excluded_paths: string; honour_dnt: boolean;
}
export interface SiteChanges {
  name?: string; timezone?: string; excluded_ips?: string; excluded_paths?: string; honour_dnt?: boolean;
}
export interface User { id: number; email: string; totp_enabled?: boolean; }
export interface ApiKey { id: number; name: string; prefix: string; created_at: string; }
export interface NewApiKey { id: number; name: string; prefix: string; key: string; }
export interface TotpEnrolment {
  secret: string; otpauth_uri: string; digits: number; period: number; algorithm: string; qr_svg?: string;
}
export interface AuditEvent { time: string; event: string; detail: string; ip: string; }
export interface Row { value: string; pageviews?: number; visitors?: number; count?: number; }
export interface Summary {
  pageviews: number; visitors: number; sessions: number; bounce_rate: number;
  avg_session_duration: number; pages_per_session: number; live_visitors: number;
}
export interface Stats { summary: Summary; chart: { t: string; pageviews: number; visitors: number }[]; [list: string]: any; }
export interface LoginAnswer { second_factor?: 'required'; challenge?: string; factors?: string[]; }

/** The message of an API error: its {"error"} body, else the status. */
export function errorText(e: unknown): string {
  if (e instanceof HttpErrorResponse) {
    if (e.status === 0) return 'The server cannot be reached.';
    return e.error?.error ?? `${e.status} ${e.statusText}`;
  }
  return String(e);
}

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

  async sites(): Promise<Site[]> {
    const sites = await this.call(firstValueFrom(this.http.get<Site[]>('/api/sites')));
    this.session.set('signed-in');
    return sites;
  }

  addSite(site: { domain: string; name: string; timezone: string }): Promise<Site> {
    return this.call(firstValueFrom(this.http.post<Site>('/api/sites', site)));
  }

  /** The stats of a range; with parts (summary, chart, lists, events) only those. */
  stats(id: number, from: string, to: string, filters: string[], parts?: string[]): Promise<Stats> {
    let params = new HttpParams().set('from', from).set('to', to);
    for (const filter of filters) params = params.append('filter', filter);
    if (parts) params = params.set('parts', parts.join(','));
    return this.call(firstValueFrom(this.http.get<Stats>(`/api/sites/${id}/stats`, { params })));
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

  createApiKey(name: string): Promise<NewApiKey> {
    return this.call(firstValueFrom(this.http.post<NewApiKey>('/api/user/api-keys', { name })));
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

  async login(email: string, password: string): Promise<LoginAnswer> {
    const answer = await firstValueFrom(this.http.post<LoginAnswer>('/api/login', { email, password }));
    if (answer?.second_factor !== 'required') this.session.set('signed-in');
    return answer ?? {};
  }

  async loginTotp(challenge: string, code: string): Promise<void> {
    await firstValueFrom(this.http.post('/api/login/totp', { challenge, code }));
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

import { Routes } from '@angular/router';

// The server answers index.html for /, /sites/**, /settings/**, /share/**, /invite/**, /reset-password and /docs/** only (app/.../Dashboard.java APP_ROUTES):
// keep in step. Every page loads lazily: the first paint (and the sign-in form) needs none of them.
export const routes: Routes = [
  { path: '', loadComponent: () => import('./sites').then((m) => m.SitesPage), title: 'HitKeep' },
  { path: 'sites/:id', loadComponent: () => import('./dashboard').then((m) => m.DashboardPage), title: 'HitKeep' },
  { path: 'sites/:id/funnels', loadComponent: () => import('./funnel-page').then((m) => m.FunnelPage), title: 'Funnels · HitKeep' },
  { path: 'sites/:id/settings', loadComponent: () => import('./site-settings').then((m) => m.SiteSettingsPage), title: 'Site settings · HitKeep' },
  { path: 'settings', loadComponent: () => import('./settings').then((m) => m.SettingsPage), title: 'Settings · HitKeep' },
  { path: 'settings/teams', loadComponent: () => import('./teams').then((m) => m.TeamsPage), title: 'Teams · HitKeep' },
  // public pages: no session needed (app.ts shows them without the sign-in form)
  { path: 'invite/:token', loadComponent: () => import('./invite').then((m) => m.InvitePage), title: 'Invitation · HitKeep' },
  { path: 'share/:token', loadComponent: () => import('./share').then((m) => m.SharePage), title: 'Shared dashboard · HitKeep' },
  { path: 'reset-password', loadComponent: () => import('./reset-password').then((m) => m.ResetPasswordPage), title: 'New password · HitKeep' },
  { path: 'docs/api', loadComponent: () => import('./api-docs').then((m) => m.ApiDocsPage), title: 'API reference · HitKeep' },
  { path: '**', redirectTo: '' },
];

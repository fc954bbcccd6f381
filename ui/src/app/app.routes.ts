import { Routes } from '@angular/router';

// The server answers index.html for /, /sites/** and /settings only (app/.../Dashboard.java APP_ROUTES):
// keep in step. Every page loads lazily: the first paint (and the sign-in form) needs none of them.
export const routes: Routes = [
  { path: '', loadComponent: () => import('./sites').then((m) => m.SitesPage), title: 'HitKeep' },
  { path: 'sites/:id', loadComponent: () => import('./dashboard').then((m) => m.DashboardPage), title: 'HitKeep' },
  { path: 'sites/:id/settings', loadComponent: () => import('./site-settings').then((m) => m.SiteSettingsPage), title: 'Site settings · HitKeep' },
  { path: 'settings', loadComponent: () => import('./settings').then((m) => m.SettingsPage), title: 'Settings · HitKeep' },
  { path: '**', redirectTo: '' },
];

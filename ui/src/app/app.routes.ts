import { Routes } from '@angular/router';

// The server answers index.html for / and /sites/** only (app/.../Dashboard.java APP_ROUTES): keep in step.
// Both pages load lazily: the first paint (and the sign-in form) needs neither the select nor chart.js
export const routes: Routes = [
  { path: '', loadComponent: () => import('./sites').then((m) => m.SitesPage), title: 'HitKeep' },
  { path: 'sites/:id', loadComponent: () => import('./dashboard').then((m) => m.DashboardPage), title: 'HitKeep' },
  { path: '**', redirectTo: '' },
];

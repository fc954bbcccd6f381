import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { isDashboardPath } from './app/early';

// a dashboard's chunk starts loading now, not once Angular has started and its router asks for it (it gets this one)
if (isDashboardPath(location.pathname)) import('./app/dashboard').catch(() => undefined);

bootstrapApplication(App, appConfig).catch((error) => console.error(error));

import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { providePrimeNG } from 'primeng/config';
import { forgetSitesOnWrite } from './api';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([forgetSitesOnWrite])),
    provideRouter(routes, withComponentInputBinding()),
    // The theme (Aura, dark mode following the system) is a stylesheet made at build time by
    // scripts/primeng-theme.mjs, not CSS that PrimeNG would build in the browser on every load: 'none' tells it so.
    providePrimeNG({ theme: 'none', ripple: false }),
  ],
};

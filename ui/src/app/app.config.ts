import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import Aura from '@primeuix/themes/aura';
import { providePrimeNG } from 'primeng/config';
import { forgetSitesOnWrite } from './api';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([forgetSitesOnWrite])),
    provideRouter(routes, withComponentInputBinding()),
    // dark mode follows the system (prefers-color-scheme), like Tailwind's dark: variant
    providePrimeNG({ theme: { preset: Aura, options: { darkModeSelector: 'system' } }, ripple: false }),
  ],
};

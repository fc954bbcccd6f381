import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ButtonModule } from 'primeng/button';
import { Api } from './api';
import { isPublicPath } from './links';
import { SignIn } from './sign-in';

@Component({
  selector: 'hk-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ButtonModule, SignIn],
  template: `
    <header class="border-b border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900">
      <div class="mx-auto max-w-6xl px-4 h-14 flex items-center justify-between">
        <a routerLink="/" class="flex items-center gap-2 font-semibold text-lg no-underline text-inherit">
          <img src="favicon.svg" alt="" width="24" height="24"> HitKeep
        </a>
        @if (api.session() === 'signed-in') {
          <nav aria-label="Account" class="flex items-center gap-1">
            <a routerLink="/settings/teams" routerLinkActive="font-semibold" ariaCurrentWhenActive="page"
               class="text-sm px-3 py-1 rounded text-inherit no-underline hover:bg-surface-100 dark:hover:bg-surface-800"
               data-testid="teams-link">Teams</a>
            <a routerLink="/settings" [routerLinkActiveOptions]="{ exact: true }" routerLinkActive="font-semibold" ariaCurrentWhenActive="page"
               class="text-sm px-3 py-1 rounded text-inherit no-underline hover:bg-surface-100 dark:hover:bg-surface-800"
               data-testid="settings-link">Settings</a>
            <p-button label="Sign out" [text]="true" size="small" (onClick)="api.logout()" />
          </nav>
        }
      </div>
    </header>
    <main class="mx-auto max-w-6xl px-4 py-6">
      @if (publicPage()) {
        <router-outlet />
      } @else {
      @switch (api.session()) {
        @case ('signed-out') { <hk-sign-in /> }
        @case ('signed-in') { <router-outlet /> }
        @default { <p class="text-surface-500">Loading…</p> }
      }
      }
    </main>
  `,
})
export class App implements OnInit {
  protected readonly api = inject(Api);
  /** share, invitation and password reset pages show without a session (they say so themselves) */
  protected readonly publicPage = signal(isPublicPath(location.pathname));

  constructor() {
    inject(Router).events.subscribe((event) => {
      if (event instanceof NavigationEnd) this.publicPage.set(isPublicPath(event.urlAfterRedirects));
    });
  }

  ngOnInit(): void {
    // the first answer tells whether a session exists (401 means sign in)
    this.api.sites().catch(() => undefined);
  }
}

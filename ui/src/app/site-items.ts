import { Directive, inject, input, signal } from '@angular/core';
import { Api, errorText } from './api';
import { SETTINGS_CARD, SETTINGS_ROW } from './settings-card';

/**
 * What the site settings' lists of goals, funnels and annotations share: the site, whether the caller may
 * change them, the items, the last refusal, and adding and removing one in place.
 */
@Directive()
export abstract class SiteItems<T extends { id: number }> {
  protected readonly api = inject(Api);
  readonly siteId = input.required<number>();
  readonly canManage = input(false);

  protected readonly card = SETTINGS_CARD;
  protected readonly row = SETTINGS_ROW;
  protected readonly items = signal<T[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  /** The list in the order it is shown (as the server answers it unless a subclass says otherwise). */
  protected order(items: T[]): T[] {
    return items;
  }

  protected show(items: T[]): void {
    this.items.set(this.order(items));
  }

  /** Adds what create answers to the list; false (and the reason shown) when it was refused. */
  protected async adding(create: () => Promise<T>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const item = await create();
      this.items.update((items) => this.order([...items, item]));
      return true;
    } catch (e) {
      this.error.set(errorText(e));
      return false;
    } finally {
      this.busy.set(false);
    }
  }

  protected async removing(item: T, remove: () => Promise<void>): Promise<void> {
    this.error.set(null);
    try {
      await remove();
      this.items.update((items) => items.filter((i) => i.id !== item.id));
    } catch (e) {
      this.error.set(errorText(e));
    }
  }
}

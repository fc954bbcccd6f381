// The look of the settings pages' sections, said once: a card, and a row of a list in it.
export const SETTINGS_CARD = 'rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 max-w-2xl mb-4';
export const SETTINGS_ROW = 'py-2 border-t border-surface-200 dark:border-surface-800 first:border-t-0 flex flex-wrap items-center justify-between gap-2';

// Goals and funnel steps as the API takes them, from the site settings' forms: a pageview of a path (a
// glob: /docs/*) or a custom event, optionally with one property value. The server validates again; these
// checks only say what is wrong before a round trip. Plain functions for node --test (test/goals.test.mjs).

/** A goal, or a funnel step: what a visitor does. */
export type Target =
  | { type: 'pageview'; path: string }
  | { type: 'event'; event: string; property?: { key: string; value: string } };

export type Goal = Target & { id: number; name: string };

/** A goal's figures in the stats answer (part goals). */
export interface GoalStat { id: number; name: string; visitors: number; conversions: number; conversion_rate: number; }

/** What the forms hold: all fields as typed, the unused ones ignored. */
export interface TargetForm { type: 'pageview' | 'event'; path: string; event: string; key: string; value: string; }

export const blankTarget = (type: TargetForm['type'] = 'pageview'): TargetForm => ({ type, path: '', event: '', key: '', value: '' });

/** The target of a form, or why it is not one (the server's rules: a path starts with / and has no spaces). */
export function targetOf(form: TargetForm): { target: Target } | { error: string } {
  if (form.type === 'pageview') {
    const path = form.path.trim();
    if (!path) return { error: 'Enter a page path, such as /signup or /docs/*.' };
    if (!path.startsWith('/') || /\s/.test(path)) return { error: 'A path starts with / and has no spaces, such as /docs/*.' };
    return { target: { type: 'pageview', path } };
  }
  const event = form.event.trim();
  if (!event) return { error: 'Enter the name of the event, such as Signup.' };
  const key = form.key.trim();
  const value = form.value.trim();
  if (!key && !value) return { target: { type: 'event', event } };
  if (!key || !value) return { error: 'A property needs both its name and its value.' };
  return { target: { type: 'event', event, property: { key, value } } };
}

/** A new goal's body, or why the form is not one yet. */
export function goalBody(name: string, form: TargetForm): { body: Target & { name: string } } | { error: string } {
  const trimmed = name.trim();
  if (!trimmed) return { error: 'Give the goal a name.' };
  if (trimmed.length > 100) return { error: 'A goal name has at most 100 characters.' };
  const made = targetOf(form);
  return 'error' in made ? made : { body: { name: trimmed, ...made.target } };
}

/** "Visits /docs/*", "Event Signup", "Event Signup with plan = pro". */
export function describeTarget(target: Target): string {
  if (target.type === 'pageview') return `Visits ${target.path}`;
  return target.property ? `Event ${target.event} with ${target.property.key} = ${target.property.value}` : `Event ${target.event}`;
}

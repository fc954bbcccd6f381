// Funnels: 2 to 8 ordered steps (goal-like targets) that a visitor passes in order, within one session or
// within 24 hours. The form's body, and the bars of the funnel screen. Plain functions for node --test
// (test/funnel.test.mjs).
import { Target, TargetForm, describeTarget, targetOf } from './goals';

export const MIN_STEPS = 2;
export const MAX_STEPS = 8;

export type FunnelWindow = 'session' | '24h';
export const WINDOWS: ReadonlyArray<{ key: FunnelWindow; label: string }> = [
  { key: 'session', label: 'Within one session' },
  { key: '24h', label: 'Within 24 hours' },
];

/** A step as stored: its target and its label (the server gives one when none was sent: "Visits /pricing"). */
export type FunnelStep = Target & { label?: string };
export interface Funnel { id: number; name: string; window: FunnelWindow; steps: FunnelStep[]; }

/** A step of the form: its target's fields and an optional label of at most 100 characters. */
export type FunnelStepForm = TargetForm & { label: string };

/** A step of GET /api/sites/{id}/funnels/{funnelId}: visitors who got this far, of the first step, lost since the step before. */
export interface FunnelStepResult { label: string; visitors: number; conversion_rate: number; dropoff: number; dropoff_rate: number; }
export interface FunnelResult { id: number; name: string; window: FunnelWindow; steps: FunnelStepResult[]; }

/**
 * How the settings list names a step: the label someone typed, else what it targets ("Visits /pricing"). The
 * server labels an unlabelled step by its path, or its event and property ("Signup (plan: pro)").
 */
export function stepName(step: FunnelStep): string {
  const automatic = step.type === 'pageview' ? step.path
    : step.property ? `${step.event} (${step.property.key}: ${step.property.value})` : step.event;
  return step.label && step.label !== automatic ? step.label : describeTarget(step);
}

/** A new funnel's body, or what is wrong with the form (naming the step). */
export function funnelBody(name: string, steps: readonly FunnelStepForm[], window: FunnelWindow):
  { body: { name: string; steps: FunnelStep[]; window: FunnelWindow } } | { error: string } {
  const trimmed = name.trim();
  if (!trimmed) return { error: 'Give the funnel a name.' };
  if (steps.length < MIN_STEPS || steps.length > MAX_STEPS) return { error: `A funnel has ${MIN_STEPS} to ${MAX_STEPS} steps.` };
  const targets: FunnelStep[] = [];
  for (const [i, step] of steps.entries()) {
    const made = targetOf(step);
    if ('error' in made) return { error: `Step ${i + 1}: ${made.error}` };
    const label = (step.label ?? '').trim();
    if (label.length > 100) return { error: `Step ${i + 1}: a label has at most 100 characters.` };
    targets.push(label ? { ...made.target, label } : made.target);
  }
  return { body: { name: trimmed, steps: targets, window } };
}

/**
 * The funnel screen's bars: each step's visitors as a share of the first step's (the bar's length), and of
 * the step before (the dashed part is who dropped off there). The API's figures are shown as they are.
 */
export function funnelBars(steps: readonly FunnelStepResult[]): Array<FunnelStepResult & { width: number; lost: number }> {
  const first = steps[0]?.visitors ?? 0;
  return steps.map((step, i) => {
    const width = first > 0 ? (step.visitors / first) * 100 : 0;
    const before = i === 0 ? width : first > 0 ? (steps[i - 1].visitors / first) * 100 : 0;
    return { ...step, width, lost: Math.max(0, before - width) };
  });
}

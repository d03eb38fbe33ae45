// An endpoint's response rules in the editor: each stored rule in words (its conditions, its
// schedule and its answer, read like the label a captured request records), and the add form's
// text fields turned into the engine's RuleSpec. The engine checks the rest and names the option
// at fault; only what the form cannot even send (a word where a number goes) is caught here.

import { parseSeed, randomSeed } from './seed';
import type { JsonCondition, ResponseRuleDef, RuleAction, RuleConditions, RuleCounters, RuleSchedule, RuleSpec } from './bindings';

/** When the rule answers, as the add form offers it. */
export type ScheduleKind = 'always' | 'first' | 'every' | 'percent';
/** What the rule does: answer, hold the connection, or close it. */
export type AnswerKind = 'respond' | 'hang' | 'drop';

/** The add form's fields, as typed. */
export interface RuleForm {
  method: string;
  /** A glob over the path under the endpoint's prefix. */
  path: string;
  /** Header conditions, one `Name=glob` per line. */
  headers: string;
  /** JSON conditions, one `/pointer=value` or `/pointer` per line. */
  json: string;
  bodyContains: string;
  schedule: ScheduleKind;
  /** N of "first N" and "every N". */
  n: string;
  percent: string;
  /** The percent schedule's seed; empty picks one. */
  seed: string;
  answer: AnswerKind;
  status: string;
  /** Response headers, one `Name: value` per line (values are templates). */
  headersOut: string;
  /** The body template; empty answers the default `{"ok":true,"id":…}`. */
  body: string;
  delayMs: string;
}

export function emptyRuleForm(): RuleForm {
  return {
    method: '',
    path: '',
    headers: '',
    json: '',
    bodyContains: '',
    schedule: 'always',
    n: '1',
    percent: '50',
    seed: '',
    answer: 'respond',
    status: '503',
    headersOut: '',
    body: '',
    delayMs: '',
  };
}

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

const optional = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** A whole number typed in `field`, or the reason it is not one. */
function wholeNumber(text: string, field: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) return `${field}: '${t}' is not a whole number`;
  return Number(t);
}

/**
 * The RuleSpec the form stands for, or what is wrong with it. `chooseSeed` gives the seed of a
 * percent schedule left without one (picked here, so that the window shows it exactly).
 */
export function ruleSpecFrom(
  form: RuleForm,
  chooseSeed: () => number = randomSeed,
): { spec: RuleSpec; error: null } | { spec: null; error: string } {
  const spec: RuleSpec = {
    method: optional(form.method)?.toUpperCase() ?? null,
    path: optional(form.path),
    headers: lines(form.headers),
    json: lines(form.json),
    body_contains: form.bodyContains === '' ? null : form.bodyContains,
    first: null,
    every: null,
    percent: null,
    seed: null,
    status: null,
    headers_out: [],
    body: null,
    delay_ms: null,
    hang: false,
    drop: false,
  };
  const fail = (error: string) => ({ spec: null, error }) as const;
  if (form.schedule === 'first' || form.schedule === 'every') {
    const n = wholeNumber(form.n, form.schedule === 'first' ? 'First N' : 'Every N');
    if (typeof n === 'string') return fail(n);
    spec[form.schedule] = n;
  } else if (form.schedule === 'percent') {
    const percent = Number(form.percent.trim());
    if (form.percent.trim() === '' || !Number.isFinite(percent)) return fail(`Percent: '${form.percent.trim()}' is not a number`);
    spec.percent = percent;
    if (form.seed.trim() === '') spec.seed = chooseSeed();
    else {
      const seed = parseSeed(form.seed);
      if (typeof seed === 'string') return fail(`Seed: ${seed}`);
      spec.seed = seed;
    }
  }
  if (form.answer === 'hang') spec.hang = true;
  else if (form.answer === 'drop') spec.drop = true;
  else {
    const status = wholeNumber(form.status, 'Status');
    if (typeof status === 'string') return fail(status);
    spec.status = status;
    spec.headers_out = lines(form.headersOut);
    spec.body = form.body === '' ? null : form.body;
    if (form.delayMs.trim() !== '') {
      const delay = wholeNumber(form.delayMs, 'Delay');
      if (typeof delay === 'string') return fail(delay);
      spec.delay_ms = delay;
    }
  }
  return { spec, error: null };
}

/** The schedule as the label says it: `always`, `first 2`, `every 3`, `25% seed 7`. */
export function describeSchedule(schedule: RuleSchedule): string {
  switch (schedule.kind) {
    case 'always':
      return 'always';
    case 'first':
      return `first ${schedule.n}`;
    case 'every':
      return `every ${schedule.n}`;
    case 'percent':
      return `${schedule.percent}% seed ${schedule.seed}`;
  }
}

/** The answer as the label says it: `503`, `503 after 2000 ms`, `hang`, `drop`. */
export function describeAction(action: RuleAction): string {
  if (action.kind !== 'respond') return action.kind;
  return action.delay_ms === 0 ? String(action.status) : `${action.status} after ${action.delay_ms} ms`;
}

/** What the answer carries beyond its status, or '' (`2 headers, body template`). */
export function describeAnswerExtras(action: RuleAction): string {
  if (action.kind !== 'respond') return '';
  const parts: string[] = [];
  if (action.headers.length) parts.push(action.headers.map((h) => `${h.name}: ${h.value}`).join(', '));
  if (action.body !== null) parts.push(`body ${JSON.stringify(action.body.length > 60 ? `${action.body.slice(0, 60)}…` : action.body)}`);
  return parts.join('; ');
}

const jsonCondition = (c: JsonCondition): string =>
  c.kind === 'exists'
    ? `${c.pointer} exists`
    : `${c.pointer} ${c.kind === 'not_equals' ? '≠' : '='} ${JSON.stringify(c.value)}`;

/** The conditions in words, `any request` when there are none. */
export function describeConditions(conditions: RuleConditions): string {
  const parts: string[] = [];
  if (conditions.method) parts.push(conditions.method);
  if (conditions.path) parts.push(`path ${conditions.path}`);
  for (const h of conditions.headers) parts.push(`header ${h.name}=${h.glob}`);
  for (const c of conditions.json) parts.push(`JSON ${jsonCondition(c)}`);
  if (conditions.body_contains !== null) parts.push(`body contains ${JSON.stringify(conditions.body_contains)}`);
  return parts.length ? parts.join(', ') : 'any request';
}

/** One rule in a line: its conditions, then its schedule and answer (`POST, path /x: first 2 → 503`). */
export function describeRule(def: ResponseRuleDef): string {
  return `${describeConditions(def.conditions)}: ${describeSchedule(def.schedule)} → ${describeAction(def.action)}`;
}

/** The label a request answered by the rule at `position` records (`#1 first 2 → 503`). */
export function ruleLabel(position: number, def: ResponseRuleDef): string {
  return `#${position} ${describeSchedule(def.schedule)} → ${describeAction(def.action)}`;
}

export function countersText(counters: RuleCounters): string {
  return `matched ${counters.matched} · answered ${counters.answered}`;
}

// The Send sample dialog's logic: providers and their events from the catalogue, the provider
// search, where the sample goes, what body to send, the answer in words, and the name of a
// request saved as a sample. Plain text only: the dialog shows it with text interpolation.

import type { DeliveryAttempt, EndpointView } from './bindings';
import type { SampleInfo, SampleTarget } from './api/samples';
import { formatDuration, outcome } from './deliveries';
import { targetProblem, type KeyValue } from './replay';

/** Every provider that has a sample, sorted. */
export function providersOf(samples: SampleInfo[]): string[] {
  return [...new Set(samples.map((s) => s.provider))].sort();
}

/**
 * The providers the search leaves (by part of their id, any case), the exact match first; the
 * selected one stays listed so that the select keeps showing it.
 */
export function visibleProviders(providers: string[], query: string, selected: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return providers;
  const found = providers.filter((p) => p.toLowerCase().includes(q));
  found.sort((a, b) => Number(b.toLowerCase() === q) - Number(a.toLowerCase() === q));
  if (selected && !found.includes(selected)) found.push(selected);
  return found;
}

/** The provider the search picks: the exact match, else the first one found; null when none. */
export function providerForSearch(providers: string[], query: string): string | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  return providers.find((p) => p.toLowerCase() === q) ?? providers.find((p) => p.toLowerCase().includes(q)) ?? null;
}

/** The provider's samples, by event name. */
export function eventsOf(samples: SampleInfo[], provider: string): SampleInfo[] {
  return samples.filter((s) => s.provider === provider).sort((a, b) => a.event.localeCompare(b.event));
}

/** The provider id an endpoint checks (`github;tolerance=600` → `github`), or null for auto-detect. */
export const endpointProvider = (endpoint: EndpointView): string | null => endpoint.provider?.split(';')[0].trim() || null;

/** Why a sample sent to this endpoint will not be verified, or null when it should be. */
export function endpointNote(endpoint: EndpointView | undefined, provider: string): string | null {
  if (!endpoint) return null;
  const checks = endpointProvider(endpoint);
  if (checks && checks !== provider) return `${endpoint.name} checks ${checks} signatures: a ${provider} sample will not verify there.`;
  if (endpoint.secret_count === 0) return `${endpoint.name} has no secret to sign with.`;
  return null;
}

/** The target part of the dialog, as chosen and typed. */
export type TargetForm = { kind: 'endpoint' | 'url'; endpoint: string; url: string };

/** Where to send, or what is missing. */
export function sampleTargetFrom(form: TargetForm): { target: SampleTarget; error: null } | { target: null; error: string } {
  if (form.kind === 'endpoint') {
    if (!form.endpoint) return { target: null, error: 'Choose an endpoint (or send to a URL)' };
    return { target: { kind: 'endpoint', name: form.endpoint }, error: null };
  }
  const problem = targetProblem(form.url);
  if (problem) return { target: null, error: problem };
  return { target: { kind: 'url', url: form.url.trim() }, error: null };
}

/** The body to send: null (the sample's own, freshly filled) unless it was edited. */
export const bodyToSend = (edited: string, original: string | null): string | null => (edited === original ? null : edited);

/** The answer in words: the status and time, or what went wrong. */
export function sendResultText(attempt: DeliveryAttempt): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  const o = outcome(attempt);
  if (attempt.response) return { text: `Answered ${o.text} in ${formatDuration(attempt.duration_us)}`, tone: o.tone };
  return { text: attempt.error ? `Not delivered: ${attempt.error.message}` : 'Not delivered: no answer', tone: 'bad' };
}

/** Why a name cannot name a sample, or null. */
export function sampleNameProblem(name: string): string | null {
  const t = name.trim();
  if (!t) return 'Give the sample a name, like invoice.paid.big-order';
  if (/[/\\]/.test(t)) return 'A sample name cannot contain / or \\';
  return null;
}

/** What the dialog remembers between openings. */
export type SampleChoice = { provider: string; event: string; target: TargetForm };

export const SAMPLE_CHOICE_KEY = 'hookscope.sampleChoice';

export function loadSampleChoice(storage: KeyValue): Partial<SampleChoice> {
  try {
    const value = JSON.parse(storage.getItem(SAMPLE_CHOICE_KEY) ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

export function saveSampleChoice(storage: KeyValue, choice: SampleChoice): void {
  storage.setItem(SAMPLE_CHOICE_KEY, JSON.stringify(choice));
}

/**
 * Where the dialog starts: the remembered choice when it still exists; else the first endpoint
 * whose provider has samples, with its provider; else the first provider and a URL.
 */
export function initialChoice(samples: SampleInfo[], endpoints: EndpointView[], remembered: Partial<SampleChoice>): SampleChoice {
  const providers = providersOf(samples);
  const names = endpoints.map((e) => e.name);
  const signing = endpoints.find((e) => {
    const p = endpointProvider(e);
    return p !== null && providers.includes(p);
  });
  let provider = remembered.provider && providers.includes(remembered.provider) ? remembered.provider : '';
  provider ||= (signing && endpointProvider(signing)) || providers[0] || '';
  const events = eventsOf(samples, provider);
  const event = events.find((s) => s.event === remembered.event)?.event ?? events[0]?.event ?? '';
  const target: TargetForm = {
    kind: names.length ? 'endpoint' : 'url',
    endpoint: signing?.name ?? names[0] ?? '',
    url: remembered.target?.url ?? '',
  };
  if (remembered.target) {
    if (remembered.target.kind === 'url') target.kind = 'url';
    if (remembered.target.endpoint && names.includes(remembered.target.endpoint)) target.endpoint = remembered.target.endpoint;
  }
  return { provider, event, target };
}

/** Whether a body reads as JSON, to highlight it as such (samples may be form-encoded too). */
export const looksLikeJson = (body: string): boolean => /^\s*[[{]/.test(body);

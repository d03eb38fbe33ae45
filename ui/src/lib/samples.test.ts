import { describe, expect, it } from 'vitest';
import type { DeliveryAttempt, EndpointView } from './bindings';
import type { SampleInfo } from './api/samples';
import {
  bodyToSend,
  endpointNote,
  eventsOf,
  initialChoice,
  looksLikeJson,
  loadSampleChoice,
  providerForSearch,
  providersOf,
  sampleNameProblem,
  sampleTargetFrom,
  saveSampleChoice,
  sendResultText,
  visibleProviders,
} from './samples';

const sample = (provider: string, event: string): SampleInfo => ({
  provider,
  event,
  description: `${provider} ${event}`,
  source: 'builtin',
  method: 'POST',
  content_type: 'application/json',
  handshake: false,
  signed: true,
});
const catalogue = [
  sample('stripe', 'payment_intent.succeeded'),
  sample('github', 'push'),
  sample('stripe', 'invoice.paid'),
  sample('stripe-connect', 'account.updated'),
  sample('github', 'pull_request.opened'),
];

const endpoint = (name: string, provider: string | null, secrets = 1): EndpointView => ({
  id: name.length,
  name,
  path_prefix: `/${name}`,
  provider,
  secret_count: secrets,
  verify_token_set: false,
  public_url: null,
  response: { status: 200, headers: [], body: null, delay_ms: 0 },
  handshake_enabled: true,
  forward_targets: [],
  auto_forward: null,
  notify: false,
});

describe('providers and events', () => {
  it('lists each provider once, sorted, and its events by name', () => {
    expect(providersOf(catalogue)).toEqual(['github', 'stripe', 'stripe-connect']);
    expect(eventsOf(catalogue, 'stripe').map((s) => s.event)).toEqual(['invoice.paid', 'payment_intent.succeeded']);
    expect(eventsOf(catalogue, 'nobody')).toEqual([]);
  });

  it('searches providers by part of their id, the exact match first, keeping the selected one', () => {
    const providers = ['github', 'stripe', 'stripe-connect', 'stripe2'];
    expect(visibleProviders(providers, '', 'github')).toEqual(providers);
    expect(visibleProviders(providers, 'STRIPE', 'github')).toEqual(['stripe', 'stripe-connect', 'stripe2', 'github']);
    expect(visibleProviders(providers, 'connect', 'stripe-connect')).toEqual(['stripe-connect']);
    expect(providerForSearch(['stripe-connect', 'stripe'], 'stripe')).toBe('stripe');
    expect(providerForSearch(providers, 'hub')).toBe('github');
    expect(providerForSearch(providers, 'zzz')).toBeNull();
    expect(providerForSearch(providers, ' ')).toBeNull();
  });
});

describe('where a sample goes', () => {
  it('goes to an endpoint by name or to an http URL', () => {
    expect(sampleTargetFrom({ kind: 'endpoint', endpoint: 'stripe', url: 'ignored' })).toEqual({
      target: { kind: 'endpoint', name: 'stripe' },
      error: null,
    });
    expect(sampleTargetFrom({ kind: 'url', endpoint: 'stripe', url: ' http://localhost:3000/hooks ' }).target).toEqual({
      kind: 'url',
      url: 'http://localhost:3000/hooks',
    });
    expect(sampleTargetFrom({ kind: 'endpoint', endpoint: '', url: '' }).error).toContain('Choose an endpoint');
    expect(sampleTargetFrom({ kind: 'url', endpoint: '', url: 'localhost:3000' }).error).toContain('not an http');
  });

  it('warns when the endpoint will not verify the sample', () => {
    expect(endpointNote(endpoint('stripe', 'stripe'), 'stripe')).toBeNull();
    expect(endpointNote(endpoint('gh', 'github;tolerance=600'), 'github')).toBeNull();
    expect(endpointNote(endpoint('gh', 'github'), 'stripe')).toBe('gh checks github signatures: a stripe sample will not verify there.');
    expect(endpointNote(endpoint('open', null, 0), 'stripe')).toBe('open has no secret to sign with.');
    expect(endpointNote(undefined, 'stripe')).toBeNull();
  });

  it("sends the sample's own body unless it was edited", () => {
    expect(bodyToSend('{"a":1}', '{"a":1}')).toBeNull();
    expect(bodyToSend('{"a":2}', '{"a":1}')).toBe('{"a":2}');
    expect(bodyToSend('', null)).toBe('');
  });

  it('highlights JSON bodies only', () => {
    expect(looksLikeJson('  {"id": "evt_1"}')).toBe(true);
    expect(looksLikeJson('[1]')).toBe(true);
    expect(looksLikeJson('MessageSid=SM1&Body=hi')).toBe(false);
  });
});

const attempt = (extra: Partial<DeliveryAttempt>): DeliveryAttempt => ({
  id: 'd1',
  request_id: 'r1',
  kind: 'replay',
  target: 'http://h',
  started_at_ns: 0,
  duration_us: 12_000,
  sent: { method: 'POST', url: 'http://h', headers: [], body: '' },
  edited: false,
  resigned: true,
  response: null,
  error: null,
  ...extra,
});

describe('the answer and saving', () => {
  it('says the status and time, or why nothing was delivered', () => {
    const answered = attempt({ response: { status: 200, headers: [], body: '', body_size: 0, truncated: false } });
    expect(sendResultText(answered)).toEqual({ text: 'Answered 200 in 12 ms', tone: 'ok' });
    const refused = attempt({ error: { kind: 'connection_refused', message: 'connection refused by 127.0.0.1:9' } });
    expect(sendResultText(refused)).toEqual({ text: 'Not delivered: connection refused by 127.0.0.1:9', tone: 'bad' });
  });

  it('asks for a usable sample name', () => {
    expect(sampleNameProblem('  ')).toContain('Give the sample a name');
    expect(sampleNameProblem('a/b')).toContain('cannot contain');
    expect(sampleNameProblem('invoice.paid.big')).toBeNull();
  });
});

describe('where the dialog starts', () => {
  const endpoints = [endpoint('orders', null, 0), endpoint('stripe', 'stripe')];

  it('starts on an endpoint that signs for a provider with samples', () => {
    expect(initialChoice(catalogue, endpoints, {})).toEqual({
      provider: 'stripe',
      event: 'invoice.paid',
      target: { kind: 'endpoint', endpoint: 'stripe', url: '' },
    });
    expect(initialChoice(catalogue, [], {})).toEqual({
      provider: 'github',
      event: 'pull_request.opened',
      target: { kind: 'url', endpoint: '', url: '' },
    });
  });

  it('comes back to what was chosen last, when it still exists', () => {
    const storage = new Map<string, string>();
    const kv = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
    expect(loadSampleChoice(kv)).toEqual({});
    saveSampleChoice(kv, { provider: 'github', event: 'push', target: { kind: 'url', endpoint: 'orders', url: 'http://h/x' } });
    expect(initialChoice(catalogue, endpoints, loadSampleChoice(kv))).toEqual({
      provider: 'github',
      event: 'push',
      target: { kind: 'url', endpoint: 'orders', url: 'http://h/x' },
    });
    const gone = { provider: 'paddle', event: 'x', target: { kind: 'endpoint' as const, endpoint: 'removed', url: '' } };
    expect(initialChoice(catalogue, endpoints, gone)).toMatchObject({ provider: 'stripe', target: { kind: 'endpoint', endpoint: 'stripe' } });
    storage.set('hookscope.sampleChoice', 'not json');
    expect(loadSampleChoice(kv)).toEqual({});
  });
});

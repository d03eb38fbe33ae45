import { describe, expect, it } from 'vitest';
import type { ResponseRuleDef } from './bindings';
import { messageOf } from './commandError';
import { countersText, describeAnswerExtras, describeRule, emptyRuleForm, ruleLabel, ruleSpecFrom, type RuleForm } from './rules';

const form = (extra: Partial<RuleForm>): RuleForm => ({ ...emptyRuleForm(), ...extra });
const noSeed = () => {
  throw new Error('no seed should be chosen');
};

describe('rule form to RuleSpec', () => {
  it('maps "first 1 → 503" with no condition to the CLI options it stands for', () => {
    const { spec, error } = ruleSpecFrom(form({ schedule: 'first', n: '1', status: '503' }), noSeed);
    expect(error).toBeNull();
    expect(spec).toEqual({
      method: null,
      path: null,
      headers: [],
      json: [],
      body_contains: null,
      first: 1,
      every: null,
      percent: null,
      seed: null,
      status: 503,
      headers_out: [],
      body: null,
      delay_ms: null,
      hang: false,
      drop: false,
    });
  });

  it('takes every condition, one per line, blank lines skipped', () => {
    const { spec } = ruleSpecFrom(
      form({
        method: ' post ',
        path: '/orders/*',
        headers: 'X-Kind=invoice.*\n\n  User-Agent=Stripe*  \n',
        json: '/type=invoice.paid\n/data/object/id',
        bodyContains: ' paid',
        schedule: 'every',
        n: '3',
        status: '202',
        headersOut: 'Retry-After: 5\nX-Id: {{request.id}}',
        body: '{"ok":false}',
        delayMs: '250',
      }),
      noSeed,
    );
    expect(spec).toMatchObject({
      method: 'POST',
      path: '/orders/*',
      headers: ['X-Kind=invoice.*', 'User-Agent=Stripe*'],
      json: ['/type=invoice.paid', '/data/object/id'],
      body_contains: ' paid',
      every: 3,
      first: null,
      status: 202,
      headers_out: ['Retry-After: 5', 'X-Id: {{request.id}}'],
      body: '{"ok":false}',
      delay_ms: 250,
    });
  });

  it('keeps a percent schedule repeatable: the typed seed, else one chosen for it', () => {
    expect(ruleSpecFrom(form({ schedule: 'percent', percent: '12.5', seed: '7' }), noSeed).spec).toMatchObject({ percent: 12.5, seed: 7 });
    expect(ruleSpecFrom(form({ schedule: 'percent', percent: '30', seed: ' ' }), () => 42).spec).toMatchObject({ percent: 30, seed: 42 });
  });

  it('sends hang and drop without a response, whatever the response fields hold', () => {
    const hang = ruleSpecFrom(form({ answer: 'hang', status: 'x', delayMs: 'y', body: 'b', headersOut: 'A: b' }), noSeed).spec;
    expect(hang).toMatchObject({ hang: true, drop: false, status: null, body: null, delay_ms: null, headers_out: [] });
    expect(ruleSpecFrom(form({ answer: 'drop' }), noSeed).spec).toMatchObject({ hang: false, drop: true, status: null });
  });

  it('leaves range checks to the engine but refuses what is not a number', () => {
    // 150% and status 42 are sent: the engine refuses them in words that name the option.
    expect(ruleSpecFrom(form({ schedule: 'percent', percent: '150', seed: '1' }), noSeed).spec?.percent).toBe(150);
    expect(ruleSpecFrom(form({ status: '42' }), noSeed).spec?.status).toBe(42);
    expect(ruleSpecFrom(form({ schedule: 'first', n: 'two' }), noSeed).error).toBe("First N: 'two' is not a whole number");
    expect(ruleSpecFrom(form({ schedule: 'every', n: '-1' }), noSeed).error).toBe("Every N: '-1' is not a whole number");
    expect(ruleSpecFrom(form({ schedule: 'percent', percent: 'half' }), noSeed).error).toBe("Percent: 'half' is not a number");
    expect(ruleSpecFrom(form({ schedule: 'percent', percent: '5', seed: '99999999999999999999' }), noSeed).error).toContain('Seed');
    expect(ruleSpecFrom(form({ status: '' }), noSeed).error).toBe("Status: '' is not a whole number");
    expect(ruleSpecFrom(form({ delayMs: '1.5' }), noSeed).error).toBe("Delay: '1.5' is not a whole number");
  });
});

const rule = (extra: Partial<ResponseRuleDef>): ResponseRuleDef => ({
  conditions: { method: null, path: null, headers: [], json: [], body_contains: null },
  schedule: { kind: 'always' },
  action: { kind: 'respond', status: 200, headers: [], body: null, delay_ms: 0 },
  ...extra,
});

describe('a rule in words', () => {
  it('reads like the label a request records', () => {
    const first = rule({ schedule: { kind: 'first', n: 2 }, action: { kind: 'respond', status: 503, headers: [], body: null, delay_ms: 0 } });
    expect(ruleLabel(1, first)).toBe('#1 first 2 → 503');
    expect(describeRule(first)).toBe('any request: first 2 → 503');
    expect(ruleLabel(3, rule({ schedule: { kind: 'every', n: 3 }, action: { kind: 'hang' } }))).toBe('#3 every 3 → hang');
    expect(ruleLabel(2, rule({ schedule: { kind: 'percent', percent: 12.5, seed: 7 }, action: { kind: 'drop' } }))).toBe(
      '#2 12.5% seed 7 → drop',
    );
    expect(ruleLabel(1, rule({ action: { kind: 'respond', status: 200, headers: [], body: null, delay_ms: 2000 } }))).toBe(
      '#1 always → 200 after 2000 ms',
    );
  });

  it('says every condition', () => {
    const text = describeRule(
      rule({
        conditions: {
          method: 'POST',
          path: '/orders/**',
          headers: [{ name: 'X-Kind', glob: 'a*' }],
          json: [
            { kind: 'equals', pointer: '/type', value: 'invoice.paid' },
            { kind: 'equals', pointer: '/n', value: 1 },
            { kind: 'not_equals', pointer: '/livemode', value: 'true' },
            { kind: 'exists', pointer: '/data' },
          ],
          body_contains: 'paid',
        },
      }),
    );
    expect(text).toBe(
      'POST, path /orders/**, header X-Kind=a*, JSON /type = "invoice.paid", JSON /n = 1, JSON /livemode ≠ "true", JSON /data exists, body contains "paid": always → 200',
    );
  });

  it('says what an answer carries beyond its status', () => {
    const respond = (headers: { name: string; value: string }[], body: string | null) =>
      describeAnswerExtras({ kind: 'respond', status: 503, headers, body, delay_ms: 0 });
    expect(respond([], null)).toBe('');
    expect(respond([{ name: 'Retry-After', value: '5' }], '{"busy":true}')).toBe('Retry-After: 5; body "{\\"busy\\":true}"');
    expect(respond([], 'x'.repeat(70))).toBe(`body "${'x'.repeat(60)}…"`);
    expect(describeAnswerExtras({ kind: 'hang' })).toBe('');
  });

  it('counts what matched and what was answered', () => {
    expect(countersText({ matched: 3, answered: 2 })).toBe('matched 3 · answered 2');
  });
});

describe('command errors', () => {
  it('are words whatever their shape', () => {
    expect(messageOf('--percent: 150 is not a percentage (0 to 100)')).toBe('--percent: 150 is not a percentage (0 to 100)');
    expect(messageOf({ field: null, message: 'no endpoint named x' })).toBe('no endpoint named x');
    expect(messageOf(new Error('boom'))).toBe('boom');
  });
});

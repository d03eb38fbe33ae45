import { describe, expect, it } from 'vitest';
import type { EndpointView } from './bindings';
import { emptyForm, errorsFrom, formFromEndpoint, isDirty, providerOptions, toChanges, describeSigning } from './endpointForm';

const stored: EndpointView = {
  id: 3,
  name: 'shop',
  path_prefix: '/shop',
  provider: 'shopify',
  secret_count: 2,
  verify_token_set: true,
  public_url: null,
  response: {
    status: 201,
    headers: [
      { name: 'content-type', value: 'text/plain' },
      { name: 'X-Order', value: '{{json.id}}' },
    ],
    body: 'got {{json.id}}',
    delay_ms: 250,
  },
  handshake_enabled: false,
  forward_targets: ['http://localhost:3000/hooks'],
  auto_forward: 'passthrough',
  notify: true,
};

describe('endpoint form', () => {
  it('round-trips a stored endpoint, keeping secrets and token untouched', () => {
    const form = formFromEndpoint(stored);
    expect(form.contentType).toBe('text/plain');
    expect(form.headers).toBe('X-Order: {{json.id}}');
    expect(form.secretInput).toBe('');
    const { changes } = toChanges(form, false);
    expect(changes).toEqual({
      name: 'shop',
      path_prefix: '/shop',
      provider: { kind: 'set', value: 'shopify' },
      secrets: { kind: 'keep' },
      verify_token: { kind: 'keep' },
      public_url: { kind: 'clear' },
      status: 201,
      headers: [
        { name: 'Content-Type', value: 'text/plain' },
        { name: 'X-Order', value: '{{json.id}}' },
      ],
      body: { kind: 'set', value: 'got {{json.id}}' },
      delay_ms: 250,
      handshake_enabled: false,
      forward_targets: ['http://localhost:3000/hooks'],
      auto_forward: 'passthrough',
      notify: true,
    });
  });

  it('sends secrets only as the chosen action', () => {
    const form = { ...formFromEndpoint(stored), secretAction: 'add' as const, secretInput: ' whsec_new \n' };
    expect(toChanges(form, false).changes?.secrets).toEqual({ kind: 'add_newest', secret: 'whsec_new' });
    const replace = { ...form, secretAction: 'replace' as const, secretInput: 'a\n\nb' };
    expect(toChanges(replace, false).changes?.secrets).toEqual({ kind: 'replace', secrets: ['a', 'b'] });
    expect(toChanges({ ...form, secretAction: 'clear' }, false).changes?.secrets).toEqual({ kind: 'clear' });
    expect(toChanges({ ...form, secretAction: 'add', secretInput: '' }, false).errors?.secrets).toMatch(/new secret/);
    const token = { ...form, tokenAction: 'set' as const, tokenInput: 'vt' };
    expect(toChanges(token, false).changes?.verify_token).toEqual({ kind: 'set', value: 'vt' });
  });

  it('a new endpoint without secrets keeps none and answers the default body', () => {
    const form = { ...emptyForm(), name: ' hooks ', pathPrefix: '/hooks' };
    const { changes } = toChanges(form, true);
    expect(changes?.name).toBe('hooks');
    expect(changes?.secrets).toEqual({ kind: 'keep' });
    expect(changes?.provider).toEqual({ kind: 'clear' });
    expect(changes?.body).toEqual({ kind: 'clear' });
    expect(changes?.headers).toEqual([]);
    expect(changes?.auto_forward).toBe('off');
  });

  it('an empty custom body is a real empty answer, not the default', () => {
    const form = { ...emptyForm(), name: 'x', pathPrefix: '/x', customBody: true, body: '' };
    expect(toChanges(form, true).changes?.body).toEqual({ kind: 'set', value: '' });
  });

  it('says what is wrong with typed numbers and header lines, next to the field', () => {
    const form = { ...emptyForm(), name: 'x', status: '2OO', delayMs: '-5', headers: 'X-Fine: 1\nno colon here' };
    const { errors } = toChanges(form, true);
    expect(errors?.status).toMatch(/100 to 599/);
    expect(errors?.delay_ms).toMatch(/milliseconds/);
    expect(errors?.headers).toContain('no colon here');
  });

  it('places engine errors next to their field, others on the form', () => {
    expect(errorsFrom({ field: 'path_prefix', message: "must start with '/'" })).toEqual({
      path_prefix: "must start with '/'",
    });
    expect(errorsFrom({ field: null, message: 'database error' })).toEqual({ form: 'database error' });
    expect(errorsFrom('listener not running')).toEqual({ form: 'listener not running' });
  });

  it('offers a stored provider that is not a built-in id, and never shows secret values', () => {
    const known = [{ id: 'github', name: 'GitHub' }];
    expect(providerOptions(known, 'github').map((p) => p.id)).toEqual(['', 'github']);
    expect(providerOptions(known, 'stripe;tolerance=600').map((p) => p.id)).toEqual(['', 'github', 'stripe;tolerance=600']);
    expect(describeSigning(stored)).toBe('shopify · 2 secrets');
    expect(describeSigning({ ...stored, provider: null, secret_count: 0 })).toBe('auto-detect · no secret');
  });
  it('is dirty after an edit and clean again when the edit is undone', () => {
    const baseline = formFromEndpoint(stored);
    const form = formFromEndpoint(stored);
    expect(isDirty(form, baseline)).toBe(false);
    form.status = '500';
    expect(isDirty(form, baseline)).toBe(true);
    form.status = '201';
    expect(isDirty(form, baseline)).toBe(false);
    form.handshake = true;
    expect(isDirty(form, baseline)).toBe(true);
    form.handshake = false;
    form.body = 'got {{json.id}}!';
    expect(isDirty(form, baseline)).toBe(true);
    form.body = 'got {{json.id}}';
    expect(isDirty(form, baseline)).toBe(false);
    // A new endpoint's form is clean until something is typed.
    expect(isDirty(emptyForm(), emptyForm())).toBe(false);
    expect(isDirty({ ...emptyForm(), name: 'n' }, emptyForm())).toBe(true);
  });

  it('counts secrets and a token typed into the password fields as edits', () => {
    const baseline = formFromEndpoint(stored);
    expect(isDirty({ ...baseline, secretAction: 'add', secretInput: 'whsec_new' }, baseline)).toBe(true);
    expect(isDirty({ ...baseline, secretAction: 'replace', secretInput: 'a\nb' }, baseline)).toBe(true);
    expect(isDirty({ ...baseline, tokenAction: 'set', tokenInput: 'vt' }, baseline)).toBe(true);
    expect(isDirty({ ...emptyForm(), secretInput: 'whsec_new' }, emptyForm())).toBe(true);
    // Choosing an action is an edit by itself; back to "Keep", what was typed is not sent.
    expect(isDirty({ ...baseline, secretAction: 'clear' }, baseline)).toBe(true);
    expect(isDirty({ ...baseline, secretAction: 'keep', secretInput: 'typed then kept' }, baseline)).toBe(false);
    expect(isDirty({ ...baseline, tokenAction: 'keep', tokenInput: 'typed then kept' }, baseline)).toBe(false);
  });
});

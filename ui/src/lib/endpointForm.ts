// The endpoint editor's form: text fields as a person types them, turned into the engine's
// EndpointChanges. Secrets and the verify token are write-only: the form never holds a stored
// value, only what is typed to add or replace, and the action to take.

import type {
  AutoForwardSetting,
  EndpointChanges,
  EndpointField,
  EndpointView,
  HeaderField,
  TextChange,
} from './bindings';

export type SecretAction = 'keep' | 'add' | 'replace' | 'clear';
export type TokenAction = 'keep' | 'set' | 'clear';

export interface EndpointForm {
  name: string;
  pathPrefix: string;
  /** A provider id; '' auto-detects. */
  provider: string;
  secretAction: SecretAction;
  /** The secret to add, or the secrets to replace with (one per line, newest first). */
  secretInput: string;
  tokenAction: TokenAction;
  tokenInput: string;
  publicUrl: string;
  status: string;
  /** The Content-Type header of the answer; '' lets the engine choose from the body. */
  contentType: string;
  /** Other response headers, one `Name: value` per line. */
  headers: string;
  /** When false the answer is the default `{"ok":true,"id":…}`. */
  customBody: boolean;
  body: string;
  delayMs: string;
  handshake: boolean;
  /** Forward targets, one URL per line. */
  forwardTargets: string;
  autoForward: AutoForwardSetting;
  /** Desktop notifications while the window is not in front. */
  notify: boolean;
}

/** Errors shown next to fields; `form` is for what belongs to no single field. */
export type FormErrors = Partial<Record<EndpointField | 'form', string>>;

/** Placeholders the response body and header values understand, for the inline help. */
export const TEMPLATE_HELP: [string, string][] = [
  ['{{request.id}}', 'the captured request’s id'],
  ['{{request.method}}, {{request.path}}, {{request.query}}, {{request.body}}', 'as received'],
  ['{{header.X-Name}}', 'the first header of that name'],
  ['{{query.name}}', 'a query parameter, decoded'],
  ['{{json.a.b.0}}', 'a path into a JSON body (numbers index arrays)'],
];

export function emptyForm(): EndpointForm {
  return {
    name: '',
    pathPrefix: '/',
    provider: '',
    secretAction: 'replace',
    secretInput: '',
    tokenAction: 'keep',
    tokenInput: '',
    publicUrl: '',
    status: '200',
    contentType: '',
    headers: '',
    customBody: false,
    body: '',
    delayMs: '0',
    handshake: true,
    forwardTargets: '',
    autoForward: 'off',
    notify: false,
  };
}

const isContentType = (h: HeaderField) => h.name.trim().toLowerCase() === 'content-type';

/** The form for a stored endpoint; secret fields start empty with "keep". */
export function formFromEndpoint(e: EndpointView): EndpointForm {
  const contentType = e.response.headers.find(isContentType);
  return {
    ...emptyForm(),
    name: e.name,
    pathPrefix: e.path_prefix,
    provider: e.provider ?? '',
    secretAction: 'keep',
    publicUrl: e.public_url ?? '',
    status: String(e.response.status),
    contentType: contentType?.value ?? '',
    headers: e.response.headers
      .filter((h) => !isContentType(h))
      .map((h) => `${h.name}: ${h.value}`)
      .join('\n'),
    customBody: e.response.body !== null,
    body: e.response.body ?? '',
    delayMs: String(e.response.delay_ms),
    handshake: e.handshake_enabled,
    forwardTargets: e.forward_targets.join('\n'),
    autoForward: e.auto_forward ?? 'off',
    notify: e.notify,
  };
}

/**
 * What the form would send, as text to compare: secret and token inputs count only while the
 * chosen action uses them (a secret typed and then hidden by choosing "Keep" is not sent).
 */
function comparable(form: EndpointForm): string {
  const usesSecret = form.secretAction === 'add' || form.secretAction === 'replace';
  return JSON.stringify({
    ...form,
    secretInput: usesSecret ? form.secretInput : '',
    tokenInput: form.tokenAction === 'set' ? form.tokenInput : '',
  });
}

/**
 * Whether the form differs from `baseline`, the form as it was opened (`formFromEndpoint` or
 * `emptyForm`): an edit that was typed back to the original value is not a change; a secret or
 * token typed into the password fields is.
 */
export function isDirty(form: EndpointForm, baseline: EndpointForm): boolean {
  return comparable(form) !== comparable(baseline);
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

const textChange = (value: string): TextChange =>
  value.trim() === '' ? { kind: 'clear' } : { kind: 'set', value: value.trim() };

/**
 * The changes to send, or the errors the form can tell by itself (the engine checks the rest
 * and names the field it refuses). `isNew` sends the secrets typed as the endpoint's secrets.
 */
export function toChanges(
  form: EndpointForm,
  isNew: boolean,
): { changes: EndpointChanges; errors: null } | { changes: null; errors: FormErrors } {
  const errors: FormErrors = {};
  const status = wholeNumber(form.status);
  if (status === null) errors.status = 'the status is a number from 100 to 599, like 200';
  const delay = form.delayMs.trim() === '' ? 0 : wholeNumber(form.delayMs);
  if (delay === null) errors.delay_ms = 'the delay is a whole number of milliseconds, like 250';
  const headers: HeaderField[] = [];
  for (const line of lines(form.headers)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors.headers = `“${line}” is not a header line like X-Name: value`;
      break;
    }
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  if (form.contentType.trim()) headers.unshift({ name: 'Content-Type', value: form.contentType.trim() });
  const secrets = lines(form.secretInput);
  let secretChange: EndpointChanges['secrets'] = { kind: 'keep' };
  if (isNew || form.secretAction === 'replace') {
    if (secrets.length) secretChange = { kind: 'replace', secrets };
    else if (!isNew) errors.secrets = 'type the secrets to use, one per line (or choose Remove all)';
  } else if (form.secretAction === 'add') {
    if (secrets.length === 1) secretChange = { kind: 'add_newest', secret: secrets[0] };
    else errors.secrets = 'type the one new secret to add';
  } else if (form.secretAction === 'clear') {
    secretChange = { kind: 'clear' };
  }
  let token: TextChange = { kind: 'keep' };
  if (form.tokenAction === 'set') {
    if (form.tokenInput.trim()) token = { kind: 'set', value: form.tokenInput.trim() };
    else errors.verify_token = 'type the verify token (or choose Remove)';
  } else if (form.tokenAction === 'clear') {
    token = { kind: 'clear' };
  }
  if (Object.keys(errors).length) return { changes: null, errors };
  const changes: EndpointChanges = {
    name: form.name.trim(),
    path_prefix: form.pathPrefix.trim(),
    provider: textChange(form.provider),
    secrets: secretChange,
    verify_token: token,
    public_url: textChange(form.publicUrl),
    status,
    headers,
    body: form.customBody ? { kind: 'set', value: form.body } : { kind: 'clear' },
    delay_ms: delay,
    handshake_enabled: form.handshake,
    forward_targets: lines(form.forwardTargets),
    auto_forward: form.autoForward,
    notify: form.notify,
  };
  return { changes, errors: null };
}

/** A failed command as errors next to fields: the engine's `{field, message}` or plain text. */
export function errorsFrom(error: unknown): FormErrors {
  if (error && typeof error === 'object' && 'message' in error) {
    const { field, message } = error as { field?: EndpointField | null; message: unknown };
    return { [field ?? 'form']: String(message) };
  }
  return { form: String(error) };
}

/** What the list shows for an endpoint's provider and secrets, never their values. */
export function describeSigning(e: EndpointView): string {
  const provider = e.provider ?? 'auto-detect';
  const secrets = e.secret_count === 0 ? 'no secret' : e.secret_count === 1 ? '1 secret' : `${e.secret_count} secrets`;
  return `${provider} · ${secrets}`;
}

/** The provider choices, plus the stored one when it is not a plain built-in id (generic, tolerance). */
export function providerOptions(known: { id: string; name: string }[], current: string): { id: string; name: string }[] {
  const options = [{ id: '', name: 'Auto-detect from headers' }, ...known];
  if (current && !known.some((p) => p.id === current)) options.push({ id: current, name: current });
  return options;
}

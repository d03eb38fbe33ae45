// How a stored signature verdict is put into words for the Signature tab and the list badge.

import type { SignatureVerdict, VerdictStatus } from './bindings';

/** The verdict's status as a short label. */
export function statusLabel(status: VerdictStatus): string {
  switch (status) {
    case 'verified':
      return 'Verified';
    case 'failed':
      return 'Failed';
    case 'unsigned':
      return 'Unsigned';
    case 'no_secret':
      return 'No secret configured';
    case 'unknown_provider':
      return 'Unknown provider';
  }
}

/** The colour class of a status: good, bad, or neutral (nothing could be checked). */
export function statusTone(status: VerdictStatus): 'ok' | 'bad' | 'warn' | 'muted' {
  switch (status) {
    case 'verified':
      return 'ok';
    case 'failed':
      return 'bad';
    case 'unsigned':
      return 'warn';
    default:
      return 'muted';
  }
}

const DIAGNOSES: Record<string, string> = {
  missing_signature: 'Signature header missing',
  provider_mismatch: 'Another provider signed this',
  malformed_header: 'Malformed signature header',
  secret_encoding: 'Secret taken in the wrong encoding',
  algorithm_mismatch: 'Algorithm mismatch',
  body_modified: 'Body modified in transit',
  url_mismatch: 'URL mismatch',
  timestamp_outside_tolerance: 'Timestamp outside tolerance',
  older_secret: 'Matched an older secret',
  signature_mismatch: 'Signature mismatch',
  no_secret: 'No secret to check with',
};

/** A title for a diagnosis code; unknown codes are shown as words. */
export function diagnosisTitle(code: string): string {
  return DIAGNOSES[code] ?? code.replaceAll('_', ' ');
}

/** "secret #2 of the endpoint's list" from the 0-based index the engine stores. */
export function matchedSecretText(index: number | null): string | null {
  return index === null ? null : `secret #${index + 1} of the endpoint's list`;
}

/** Where two signatures first differ (-1 when equal): the UI marks the rest. */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/**
 * Where expected and received signatures part, each as an index into its own text. A scheme
 * prefix on one side only (`sha256=`, `v1=`) is skipped, so that only the digests are compared.
 */
export function signatureSplit(expected: string, received: string): { expectedAt: number; receivedAt: number } {
  const prefix = (text: string) => /^[A-Za-z0-9_-]{1,16}=(?=.)/.exec(text)?.[0] ?? '';
  const [pe, pr] = [prefix(expected), prefix(received)];
  const skipE = pe && !pr ? pe.length : 0;
  const skipR = pr && !pe ? pr.length : 0;
  const at = firstDifference(expected.slice(skipE), received.slice(skipR));
  return at < 0 ? { expectedAt: -1, receivedAt: -1 } : { expectedAt: skipE + at, receivedAt: skipR + at };
}

/** The rows of the Signature tab, in order, leaving out what the verdict does not carry. */
export function verdictRows(v: SignatureVerdict): { label: string; value: string; mono?: boolean }[] {
  const rows: { label: string; value: string; mono?: boolean }[] = [];
  rows.push({
    label: 'Provider',
    value: v.provider ? `${v.provider} (${v.detected ? 'detected from the headers' : "the endpoint's provider"})` : 'none',
  });
  const matched = matchedSecretText(v.matched_secret);
  if (matched) rows.push({ label: 'Matched', value: matched });
  if (v.diagnosis) rows.push({ label: 'Diagnosis', value: `${diagnosisTitle(v.diagnosis)} (${v.diagnosis})` });
  if (v.reason) rows.push({ label: 'Reason', value: v.reason });
  if (v.signed_content) rows.push({ label: 'Signed content', value: v.signed_content, mono: true });
  return rows;
}

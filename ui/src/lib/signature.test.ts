import { describe, expect, it } from 'vitest';
import type { SignatureVerdict } from './bindings';
import { diagnosisTitle, firstDifference, signatureSplit, statusLabel, statusTone, verdictRows } from './signature';

const failed: SignatureVerdict = {
  provider: 'github',
  detected: true,
  status: 'failed',
  matched_secret: null,
  reason: 'the body was re-serialized: it matches the compact JSON',
  diagnosis: 'body_modified',
  signed_content: '{body}',
  expected_signature: 'sha256=abc1',
  received_signature: 'sha256=abd9',
};

describe('signature verdict in words', () => {
  it('labels and colours each status', () => {
    expect(statusLabel('verified')).toBe('Verified');
    expect(statusTone('verified')).toBe('ok');
    expect(statusTone('failed')).toBe('bad');
    expect(statusLabel('no_secret')).toBe('No secret configured');
    expect(statusTone('no_secret')).toBe('muted');
  });

  it('names known diagnoses and spells out unknown codes', () => {
    expect(diagnosisTitle('timestamp_outside_tolerance')).toBe('Timestamp outside tolerance');
    expect(diagnosisTitle('some_new_code')).toBe('some new code');
  });

  it('lists provider, diagnosis, reason and signed content of a failure, and no matched secret', () => {
    const rows = verdictRows(failed);
    expect(rows.map((r) => r.label)).toEqual(['Provider', 'Diagnosis', 'Reason', 'Signed content']);
    expect(rows[0].value).toBe('github (detected from the headers)');
    expect(rows[1].value).toBe('Body modified in transit (body_modified)');
    expect(rows[3]).toEqual({ label: 'Signed content', value: '{body}', mono: true });
  });

  it('says which secret matched a verified request, counting from one', () => {
    const rows = verdictRows({ ...failed, status: 'verified', detected: false, matched_secret: 1, diagnosis: 'older_secret' });
    expect(rows[0].value).toBe("github (the endpoint's provider)");
    expect(rows[1]).toEqual({ label: 'Matched', value: "secret #2 of the endpoint's list" });
  });

  it('finds where two signatures part', () => {
    expect(firstDifference('sha256=abc1', 'sha256=abd9')).toBe(9);
    expect(firstDifference('same', 'same')).toBe(-1);
    expect(firstDifference('abc', 'abcd')).toBe(3);
  });

  it('compares digests when only the received signature carries a scheme prefix', () => {
    expect(signatureSplit('ab12', 'sha256=ab99')).toEqual({ expectedAt: 2, receivedAt: 9 });
    expect(signatureSplit('ab12', 'sha256=ab12')).toEqual({ expectedAt: -1, receivedAt: -1 });
    expect(signatureSplit('sha256=ab12', 'sha256=ab13')).toEqual({ expectedAt: 10, receivedAt: 10 });
  });
});

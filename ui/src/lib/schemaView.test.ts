import { describe, expect, it } from 'vitest';
import { schemaSource } from './schemaView';

describe('schemaSource', () => {
  it('pretty-prints the schema and counts the samples', () => {
    const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
    const out = schemaSource({ samples: 2, skipped: 0, schema });
    expect(out.summary).toBe('Inferred from 2 samples');
    expect(JSON.parse(out.text)).toEqual(schema);
    expect(out.text.split('\n').length).toBeGreaterThan(3);
  });

  it('says one sample, and how many bodies were left out', () => {
    expect(schemaSource({ samples: 1, skipped: 3, schema: {} }).summary).toBe('Inferred from 1 sample (3 not JSON, left out)');
  });
});

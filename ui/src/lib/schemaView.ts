// The Schema tab's words: the inferred schema as pretty JSON and where it comes from.

import type { InferredSchema } from './bindings';

/** The schema as indented JSON text, and a line saying how many samples it was inferred from. */
export function schemaSource(inferred: InferredSchema): { text: string; summary: string } {
  const n = inferred.samples;
  let summary = `Inferred from ${n} sample${n === 1 ? '' : 's'}`;
  if (inferred.skipped > 0) summary += ` (${inferred.skipped} not JSON, left out)`;
  return { text: JSON.stringify(inferred.schema, null, 2) ?? 'null', summary };
}

// What an import says in the toolbar: how many requests came in, how many warnings (entries
// skipped, bodies the file does not carry byte for byte), and each note as a line for the hover.

import type { ImportReport } from './bindings';

export interface ImportSummary {
  text: string;
  notes: string[];
}

export function importSummary(report: ImportReport): ImportSummary {
  const count = report.ids.length;
  const warnings = report.notes.filter((note) => note.kind !== 'unchecked').length;
  const imported = `Imported ${count} request${count === 1 ? '' : 's'}`;
  return {
    text: warnings === 0 ? imported : `${imported}, ${warnings} warning${warnings === 1 ? '' : 's'} (hover)`,
    notes: report.notes.map((note) =>
      note.request_id === null
        ? `entry ${note.entry} skipped: ${note.message}`
        : `entry ${note.entry} (${note.request_id}): ${note.message}`,
    ),
  };
}

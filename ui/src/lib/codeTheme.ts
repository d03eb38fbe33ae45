// CodeMirror's look in Hookscope, shared by the read-only body view and the sample editor.

import { EditorView } from '@codemirror/view';
import { HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';

/** Mid-tone colours that read on both the light and the dark theme. */
export const codeHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: '#3b82f6' },
  { tag: tags.string, color: '#16a34a' },
  { tag: tags.number, color: '#d97706' },
  { tag: [tags.bool, tags.null], color: '#c026d3' },
  { tag: [tags.tagName, tags.angleBracket], color: '#3b82f6' },
  { tag: tags.attributeName, color: '#d97706' },
  { tag: tags.attributeValue, color: '#16a34a' },
  { tag: tags.comment, color: '#8b8b8b', fontStyle: 'italic' },
]);

/** The window's colours and monospace font. */
export const codeTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '12px', backgroundColor: 'var(--bg)', color: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', overflow: 'auto' },
  '.cm-gutters': { backgroundColor: 'var(--bg-alt)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--bg-hover)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--bg-alt)', border: '1px solid var(--border)', color: 'var(--fg-muted)' },
});

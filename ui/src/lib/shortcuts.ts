// The main window's keyboard shortcuts: what each key does, given the few things it acts on.
// Kept apart from the components so that the whole key map is read in one place.

/** What the shortcuts act on, supplied by the window. */
export interface ShortcutTarget {
  /** A dialog is open: the list's keys are off. */
  blocked(): boolean;
  /** The multi-selection's own keys (x, J/K, A, b); true when it handled the key. */
  selectionKey(event: KeyboardEvent): boolean;
  /** Whether rows are selected (Esc clears them first). */
  hasSelection(): boolean;
  clearSelection(): void;
  /** Esc without a selection: closes a confirmation, else clears the filters. */
  escape(): void;
  /** Esc also takes the focus out of a field. */
  blurField(): void;
  focusSearch(): void;
  /** Moves the focused row (down is +1: older). */
  move(delta: number): void;
  deleteFocused(): void;
  /** Opens the Send sample dialog (s). */
  sendSample(): void;
  /** Compares the two selected requests (d). */
  diff(): void;
}

/** Whether a key goes to a text field rather than to the list. */
export function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/**
 * The window's keydown handler: / searches, j/k or arrows move, Delete removes, s sends a sample,
 * d diffs the two selected requests, Esc clears the selection, then a confirmation or the filters; the selection keys are the
 * selection's.
 */
export function shortcuts(target: ShortcutTarget): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || target.blocked()) return;
    if (event.key === 'Escape' && target.hasSelection()) {
      target.clearSelection();
      return;
    }
    if (event.key === 'Escape') {
      target.escape();
      target.blurField();
      return;
    }
    if (typing(event.target)) return;
    if (target.selectionKey(event)) return;
    switch (event.key) {
      case '/':
        event.preventDefault();
        target.focusSearch();
        break;
      case 'j':
      case 'ArrowDown':
        event.preventDefault();
        target.move(1);
        break;
      case 'k':
      case 'ArrowUp':
        event.preventDefault();
        target.move(-1);
        break;
      case 'Delete':
        event.preventDefault();
        target.deleteFocused();
        break;
      case 's':
        event.preventDefault();
        target.sendSample();
        break;
      case 'd':
        event.preventDefault();
        target.diff();
        break;
    }
  };
}

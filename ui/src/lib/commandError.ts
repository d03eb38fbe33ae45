// A failed command's error in words. Commands reject with a CommandError: a plain message, or
// for endpoint errors `{field, message}`; anything else (a Tauri failure) is shown as text.

/** The message of a command's error, whatever its shape. */
export function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

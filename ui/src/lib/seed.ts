// Seeds for repeatable random choices (a rule's percentage, a chaos replay's order).

/**
 * A random seed, picked by the window rather than by the engine so that it stays an integer the
 * window shows and sends back exactly (JavaScript numbers are exact only up to 2^53).
 */
export const randomSeed = (): number => Math.floor(Math.random() * 2 ** 32);

/** A seed as typed: a whole number from 0 to 2^53 − 1, or why it is not one. */
export function parseSeed(text: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `'${t}' is not a whole number`;
  const n = Number(t);
  if (!Number.isSafeInteger(n)) return `${t} is too large (at most ${Number.MAX_SAFE_INTEGER})`;
  return n;
}

// Engine events arrive in many small messages during a burst; applying each one re-renders the
// list and the status bar every time. A FrameBatch collects what arrives and hands it over in
// one piece at most once per animation frame, and during a burst at most once per
// `minIntervalMs` (each hand-over repaints the list, which costs more than the JavaScript).
// Frames stop when the window is hidden, so a timeout hands the batch over anyway after
// `maxWaitMs`. Plain TypeScript: the clock is passed in, so tests drive time by hand.

/** Runs `callback` at the next frame (or sooner); returns a function that cancels it. */
export type Schedule = (callback: () => void) => () => void;

/** The window's next animation frame, or `maxWaitMs` if no frame comes first (hidden window). */
export function nextFrameOrTimeout(maxWaitMs: number): Schedule {
  return (callback) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      callback();
    };
    const frame = requestAnimationFrame(run);
    const timer = setTimeout(run, maxWaitMs);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  };
}

/** The longest a captured row waits for a frame before it is applied anyway. */
export const MAX_WAIT_MS = 200;

/**
 * The shortest time between two hand-overs: the first row after a quiet spell is applied at the
 * next frame, rows of a burst at most ten times a second (well within the 250 ms in which the
 * newest request must be listed).
 */
export const MIN_INTERVAL_MS = 100;

/** Time, and a way to wait: the window's unless a test passes its own. */
export interface Clock {
  now(): number;
  /** Runs `callback` after `ms`; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
}

const windowClock: Clock = {
  now: () => performance.now(),
  after: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** How a FrameBatch paces itself. */
export interface FrameBatchOptions {
  schedule?: Schedule;
  /** At most one hand-over per this many milliseconds (0: every frame). */
  minIntervalMs?: number;
  clock?: Clock;
}

export class FrameBatch<T> {
  private items: T[] = [];
  private cancel: (() => void) | null = null;
  private lastHandOver = -Infinity;
  private readonly schedule: Schedule;
  private readonly minIntervalMs: number;
  private readonly clock: Clock;

  constructor(
    /** Receives everything collected since the last call, in arrival order; never empty. */
    private readonly apply: (items: T[]) => void,
    options: FrameBatchOptions = {},
  ) {
    this.schedule = options.schedule ?? nextFrameOrTimeout(MAX_WAIT_MS);
    this.minIntervalMs = options.minIntervalMs ?? MIN_INTERVAL_MS;
    this.clock = options.clock ?? windowClock;
  }

  /** Items waiting for the next frame. */
  get size(): number {
    return this.items.length;
  }

  /** Adds items; the first addition after a hand-over asks for a frame. */
  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.items.push(item);
    if (!this.cancel) this.arm();
  }

  /** Asks for the next frame, after the rest of the minimum interval when one was handed over lately. */
  private arm(): void {
    const wait = this.lastHandOver + this.minIntervalMs - this.clock.now();
    if (wait <= 0) {
      this.cancel = this.schedule(() => this.flush());
      return;
    }
    this.cancel = this.clock.after(wait, () => {
      this.cancel = this.schedule(() => this.flush());
    });
  }

  /** Hands over what is waiting now, without waiting for the frame. */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.lastHandOver = this.clock.now();
    this.apply(items);
  }

  /** Drops what is waiting and the frame asked for (the window is going away, or a reload replaces it). */
  discard(): void {
    this.cancel?.();
    this.cancel = null;
    this.items = [];
  }
}

// Engine events arrive in many small messages during a burst; applying each one re-renders the
// list and the status bar every time. A FrameBatch collects what arrives and hands it over in
// one piece at most once per animation frame. Frames stop when the window is hidden, so a
// timeout hands the batch over anyway after `maxWaitMs`. Plain TypeScript: the clock is passed
// in, so tests drive frames by hand.

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

export class FrameBatch<T> {
  private items: T[] = [];
  private cancel: (() => void) | null = null;

  constructor(
    /** Receives everything collected since the last call, in arrival order; never empty. */
    private readonly apply: (items: T[]) => void,
    private readonly schedule: Schedule = nextFrameOrTimeout(MAX_WAIT_MS),
  ) {}

  /** Items waiting for the next frame. */
  get size(): number {
    return this.items.length;
  }

  /** Adds items; the first addition after a hand-over asks for a frame. */
  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.items.push(item);
    if (!this.cancel) this.cancel = this.schedule(() => this.flush());
  }

  /** Hands over what is waiting now, without waiting for the frame. */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.apply(items);
  }

  /** Drops what is waiting and the frame asked for (the window is going away, or a reload replaces it). */
  discard(): void {
    this.cancel?.();
    this.cancel = null;
    this.items = [];
  }
}

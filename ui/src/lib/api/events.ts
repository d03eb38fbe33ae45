// The engine's live events as the shell hands them to the window. The shell only announces that
// events wait (`engine-events-ready`, no payload: a payload would be inlined in the script the
// webview evaluates, and WebKit keeps every evaluated source with its compiled code); one taker
// per page then reads them with `take_engine_events`, whose answer is parsed as JSON, and hands
// them to every subscriber. Announcements that come while a take is in flight cost one more take.

import type { UnlistenFn } from '@tauri-apps/api/event';
import type { EngineEvent, EngineEventsTaken } from '../bindings';
import { call, subscribe } from './call';
import { Command, EngineEventName } from './names';

/** What one subscriber wants to hear; each part is optional. */
export interface EngineEventHandlers {
  /** Engine events, oldest first (never empty). */
  events?: (events: EngineEvent[]) => void;
  /** The window fell behind and missed events: what it shows must be read again. */
  lagged?: () => void;
  /** This many older captures were left out of the `events` call that comes next (they are stored). */
  leftOut?: (count: number) => void;
}

/** How a taker hears announcements and takes what waits (the shell's, unless a test passes its own). */
export interface EngineEventSource {
  listenReady(onReady: () => void): Promise<UnlistenFn>;
  /** What waits, with at most `mostCaptures` captures (the newest; the others counted as left out). */
  take(mostCaptures: number): Promise<EngineEventsTaken>;
}

/** Counts for the window benchmark: takes that brought something, and the captures they brought. */
export interface TakeStats {
  takes: number;
  captures: number;
}

export class EngineEventTaker {
  readonly stats: TakeStats = { takes: 0, captures: 0 };
  private readonly handlers = new Set<EngineEventHandlers>();
  private listening: Promise<UnlistenFn> | null = null;
  private taking = false;
  private again = false;
  /** How many captures to ask for at most: what the list can show (set by the window). */
  capturesWanted: () => number = () => 100;

  constructor(private readonly source: EngineEventSource) {}

  /** Adds a subscriber until the returned function is called; the first one starts listening. */
  async subscribe(handlers: EngineEventHandlers): Promise<UnlistenFn> {
    this.handlers.add(handlers);
    if (!this.listening) {
      this.listening = this.source.listenReady(() => void this.ready());
      await this.listening;
      // What waited before the page listened (announced to nobody) is taken now.
      void this.ready();
    } else await this.listening;
    return () => void this.handlers.delete(handlers);
  }

  /** Events wait: takes them, once at a time, and again if more were announced meanwhile. */
  async ready(): Promise<void> {
    if (this.taking) {
      this.again = true;
      return;
    }
    this.taking = true;
    try {
      do {
        this.again = false;
        this.hand(await this.source.take(this.capturesWanted()));
      } while (this.again);
    } catch (e) {
      console.error(e);
    } finally {
      this.taking = false;
    }
  }

  /** Hands one take to every subscriber: the gap first, then the count left out, then the events. */
  private hand(taken: EngineEventsTaken): void {
    if (taken.missed === 0 && taken.captures_left_out === 0 && taken.events.length === 0) return;
    this.stats.takes += 1;
    this.stats.captures += taken.events.filter((e) => e.type === 'request_captured').length + taken.captures_left_out;
    const each = (run: (h: EngineEventHandlers) => void) => {
      for (const h of [...this.handlers]) {
        try {
          run(h);
        } catch (e) {
          console.error(e);
        }
      }
    };
    if (taken.missed > 0) each((h) => h.lagged?.());
    if (taken.captures_left_out > 0) each((h) => h.leftOut?.(taken.captures_left_out));
    if (taken.events.length > 0) each((h) => h.events?.(taken.events));
  }
}

const taker = new EngineEventTaker({
  listenReady: (onReady) => subscribe<null>(EngineEventName.engineEventsReady, () => onReady()),
  take: (mostCaptures) => call<EngineEventsTaken>(Command.takeEngineEvents, { mostCaptures }),
});
if (typeof window !== 'undefined') {
  // Read by the window benchmark (tests/e2e/bench-window.mjs).
  (window as unknown as { __hookscopeEventStats: TakeStats }).__hookscopeEventStats = taker.stats;
}

/** Sets how many captures a take asks for at most (the rest of a burst is counted as left out). */
export function setCapturesWanted(wanted: () => number): void {
  taker.capturesWanted = wanted;
}

/** Engine events arrive in batches (oldest first): one per take when traffic is light. */
export function onEngineEvents(handler: (events: EngineEvent[]) => void): Promise<UnlistenFn> {
  return taker.subscribe({ events: handler });
}

/** One call per engine event, for views that care about a few kinds only. */
export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<UnlistenFn> {
  return onEngineEvents((events) => events.forEach(handler));
}

/** The window fell behind and missed events: what it shows must be read again. */
export function onEventsLagged(handler: () => void): Promise<UnlistenFn> {
  return taker.subscribe({ lagged: handler });
}

/**
 * During a burst the shell hands over only the newest captures: this many older ones were left
 * out of the events handed over next (they are stored).
 */
export function onCapturesLeftOut(handler: (count: number) => void): Promise<UnlistenFn> {
  return taker.subscribe({ leftOut: handler });
}

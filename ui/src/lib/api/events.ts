// The engine's live events as the shell re-emits them to the window.

import type { UnlistenFn } from '@tauri-apps/api/event';
import type { EngineEvent } from '../bindings';
import { subscribe } from './call';
import { EngineEventName } from './names';

/** Engine events arrive in batches (oldest first): one per message when traffic is light. */
export function onEngineEvents(handler: (events: EngineEvent[]) => void): Promise<UnlistenFn> {
  return subscribe<EngineEvent[]>(EngineEventName.engineEvents, (e) => handler(e.payload));
}

/** One call per engine event, for views that care about a few kinds only. */
export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<UnlistenFn> {
  return onEngineEvents((events) => events.forEach(handler));
}

/** The window fell behind and missed events: what it shows must be read again. */
export function onEventsLagged(handler: () => void): Promise<UnlistenFn> {
  return subscribe<number>(EngineEventName.eventsLagged, () => handler());
}

/**
 * During a burst the shell sends only the newest captures: this many older ones were left out
 * of the engine-events batch that comes next (they are stored).
 */
export function onCapturesLeftOut(handler: (count: number) => void): Promise<UnlistenFn> {
  return subscribe<number>(EngineEventName.capturesLeftOut, (e) => handler(e.payload));
}

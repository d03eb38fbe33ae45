import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, EngineEventsTaken } from '../bindings';
import { EngineEventTaker, type EngineEventSource } from './events';
import { summaryRow } from '../summaryRow.test-fixture';

const captured = (seq: number): EngineEvent => ({ type: 'request_captured', ...summaryRow(seq) });
const taken = (events: EngineEvent[], captures_left_out = 0, missed = 0): EngineEventsTaken => ({
  events,
  captures_left_out,
  missed,
});

/** A shell: announcements by hand, takes answered from a queue (each resolved when the test says). */
function fakeShell() {
  let announce: () => void = () => {};
  const waiting: EngineEventsTaken[] = [];
  const takes: { resolve: () => void; mostCaptures: number }[] = [];
  const source: EngineEventSource = {
    listenReady: async (onReady) => {
      announce = onReady;
      return () => {};
    },
    take: (mostCaptures) =>
      new Promise((resolve) => {
        takes.push({ resolve: () => resolve(waiting.shift() ?? taken([])), mostCaptures });
      }),
  };
  return {
    source,
    announce: () => announce(),
    put: (t: EngineEventsTaken) => waiting.push(t),
    /** Answers the oldest take still open. */
    answer: async () => {
      takes.shift()?.resolve();
      await new Promise((r) => setTimeout(r));
    },
    get openTakes() {
      return takes.length;
    },
    get askedFor() {
      return takes.map((t) => t.mostCaptures);
    },
  };
}

describe('EngineEventTaker', () => {
  it('takes what waited before the page listened, then what each announcement says waits', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    const events = vi.fn();
    shell.put(taken([captured(1)]));
    await taker.subscribe({ events });
    expect(shell.openTakes).toBe(1);
    await shell.answer();
    expect(events).toHaveBeenCalledWith([captured(1)]);
    shell.put(taken([captured(2), captured(3)]));
    shell.announce();
    await shell.answer();
    expect(events).toHaveBeenLastCalledWith([captured(2), captured(3)]);
    expect(taker.stats).toEqual({ takes: 2, captures: 3 });
  });

  it('takes once at a time: announcements during a take cost one more take, not one each', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    const events = vi.fn();
    await taker.subscribe({ events });
    await shell.answer();
    shell.announce();
    shell.announce();
    shell.announce();
    expect(shell.openTakes).toBe(1);
    shell.put(taken([captured(4)]));
    await shell.answer();
    // One more take for the announcements that came while the first was in flight.
    expect(shell.openTakes).toBe(1);
    shell.put(taken([captured(5)]));
    await shell.answer();
    expect(shell.openTakes).toBe(0);
    expect(events.mock.calls).toEqual([[[captured(4)]], [[captured(5)]]]);
  });

  it('hands every subscriber the gap first, then the count left out, then the events', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    const heard: string[] = [];
    await taker.subscribe({ events: (e) => heard.push(`a events ${e.length}`) });
    await shell.answer();
    await taker.subscribe({ lagged: () => heard.push('b lagged'), leftOut: (n) => heard.push(`b left out ${n}`) });
    shell.put(taken([captured(9)], 7, 2));
    shell.announce();
    await shell.answer();
    expect(heard).toEqual(['b lagged', 'b left out 7', 'a events 1']);
  });

  it('keeps handing events to the others when one subscriber throws, and stops at unsubscribe', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    await taker.subscribe({
      events: () => {
        throw new Error('broken view');
      },
    });
    const stop = await taker.subscribe({ events: good });
    await shell.answer();
    shell.put(taken([captured(1)]));
    shell.announce();
    await shell.answer();
    expect(good).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
    stop();
    shell.put(taken([captured(2)]));
    shell.announce();
    await shell.answer();
    expect(good).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });

  it('hands nothing over for an empty take', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    const handlers = { events: vi.fn(), lagged: vi.fn(), leftOut: vi.fn() };
    await taker.subscribe(handlers);
    await shell.answer();
    expect(handlers.events).not.toHaveBeenCalled();
    expect(handlers.lagged).not.toHaveBeenCalled();
    expect(handlers.leftOut).not.toHaveBeenCalled();
    expect(taker.stats.takes).toBe(0);
  });

  it('asks each take for as many captures as the window wants at that moment', async () => {
    const shell = fakeShell();
    const taker = new EngineEventTaker(shell.source);
    let wanted = 57;
    taker.capturesWanted = () => wanted;
    await taker.subscribe({ events: vi.fn() });
    expect(shell.askedFor).toEqual([57]);
    await shell.answer();
    wanted = 80;
    shell.announce();
    expect(shell.askedFor).toEqual([80]);
    await shell.answer();
  });
});

import { describe, expect, it } from 'vitest';
import { FrameBatch, type Clock, type Schedule } from './frameBatch';

/** Frames driven by hand: `tick()` runs what was scheduled, like one animation frame. */
function manualFrames() {
  let queued: (() => void)[] = [];
  let asked = 0;
  const schedule: Schedule = (callback) => {
    asked += 1;
    queued.push(callback);
    return () => {
      queued = queued.filter((c) => c !== callback);
    };
  };
  const tick = () => {
    const run = queued;
    queued = [];
    run.forEach((c) => c());
  };
  return { schedule, tick, asked: () => asked, pending: () => queued.length };
}

describe('FrameBatch', () => {
  it('hands every message of a frame over in one call, in arrival order', () => {
    const frames = manualFrames();
    const applied: number[][] = [];
    const batch = new FrameBatch<number>((items) => applied.push(items), { schedule: frames.schedule, minIntervalMs: 0 });
    for (let message = 0; message < 50; message++) batch.push([message * 2, message * 2 + 1]);
    expect(applied).toEqual([]);
    expect(frames.asked()).toBe(1);
    frames.tick();
    expect(applied.length).toBe(1);
    expect(applied[0]).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('asks for a frame only when something waits, and applies nothing empty', () => {
    const frames = manualFrames();
    const applied: string[][] = [];
    const batch = new FrameBatch<string>((items) => applied.push(items), { schedule: frames.schedule, minIntervalMs: 0 });
    batch.push([]);
    frames.tick();
    expect(frames.asked()).toBe(0);
    batch.push(['a']);
    frames.tick();
    frames.tick();
    batch.push(['b']);
    frames.tick();
    expect(applied).toEqual([['a'], ['b']]);
    expect(frames.asked()).toBe(2);
  });

  it('flush hands over at once and cancels the frame; discard drops what waits', () => {
    const frames = manualFrames();
    const applied: string[][] = [];
    const batch = new FrameBatch<string>((items) => applied.push(items), { schedule: frames.schedule, minIntervalMs: 0 });
    batch.push(['a']);
    batch.flush();
    expect(applied).toEqual([['a']]);
    expect(frames.pending()).toBe(0);
    batch.push(['b']);
    batch.discard();
    frames.tick();
    expect(applied).toEqual([['a']]);
    expect(batch.size).toBe(0);
  });

  it('during a burst hands over at most once per minimum interval, the first row after quiet at once', () => {
    const frames = manualFrames();
    let now = 1000;
    let timers: { at: number; run: () => void }[] = [];
    const clock: Clock = {
      now: () => now,
      after: (ms, run) => {
        const timer = { at: now + ms, run };
        timers.push(timer);
        return () => (timers = timers.filter((t) => t !== timer));
      },
    };
    /** Moves time on by `ms`, firing due timers, with a frame every 16 ms. */
    const advance = (ms: number) => {
      for (let t = 0; t < ms; t += 16) {
        now += 16;
        const due = timers.filter((x) => x.at <= now);
        timers = timers.filter((x) => x.at > now);
        due.forEach((x) => x.run());
        frames.tick();
      }
    };
    const handOvers: { at: number; items: number[] }[] = [];
    const batch = new FrameBatch<number>((items) => handOvers.push({ at: now, items }), {
      schedule: frames.schedule,
      minIntervalMs: 100,
      clock,
    });
    batch.push([1]);
    advance(16);
    expect(handOvers).toEqual([{ at: 1016, items: [1] }]);
    // A burst: a row every 16 ms for 400 ms.
    let next = 2;
    for (let t = 0; t < 400; t += 16) {
      batch.push([next++]);
      advance(16);
    }
    advance(200);
    const gaps = handOvers.slice(1).map((h, i) => h.at - handOvers[i].at);
    expect(gaps.every((g) => g >= 100)).toBe(true);
    expect(handOvers.length).toBeGreaterThan(3);
    expect(handOvers.flatMap((h) => h.items)).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
  });
});

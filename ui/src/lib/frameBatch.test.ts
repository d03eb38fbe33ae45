import { describe, expect, it } from 'vitest';
import { FrameBatch, type Schedule } from './frameBatch';

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
    const batch = new FrameBatch<number>((items) => applied.push(items), frames.schedule);
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
    const batch = new FrameBatch<string>((items) => applied.push(items), frames.schedule);
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
    const batch = new FrameBatch<string>((items) => applied.push(items), frames.schedule);
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
});

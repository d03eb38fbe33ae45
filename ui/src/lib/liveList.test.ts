import { afterEach, describe, expect, it } from 'vitest';
import type { RequestFilter, RequestSummary } from './bindings';
import type { Schedule } from './frameBatch';
import { LiveList } from './liveList.svelte';
import { MOST_CAPTURES, capturesWanted } from './listWindow';
import { summaryRow as row } from './summaryRow.test-fixture';

/** An in-memory stand-in for the store's two reads: keyset pages newest first, and the count. */
function memoryStore() {
  const rows: RequestSummary[] = [];
  return {
    rows,
    capture(n: number): RequestSummary[] {
      const added = Array.from({ length: n }, (_, i) => row(rows.length + i + 1));
      rows.push(...added);
      return added;
    },
    source: {
      listRequests: async (filter: RequestFilter) =>
        rows
          .filter((r) => filter.before_seq === null || r.seq < filter.before_seq)
          .sort((a, b) => b.seq - a.seq)
          .slice(0, filter.limit),
      countRequests: async () => rows.length,
    },
  };
}

function manualFrames() {
  let queued: (() => void)[] = [];
  const schedule: Schedule = (callback) => {
    queued.push(callback);
    return () => (queued = queued.filter((c) => c !== callback));
  };
  return {
    schedule,
    tick() {
      const run = queued;
      queued = [];
      run.forEach((c) => c());
    },
  };
}

const top = (live: LiveList) => live.list.rows[0]?.seq;
let lists: LiveList[] = [];
afterEach(() => {
  lists.forEach((l) => l.dispose());
  lists = [];
});

function setup(cap = 600) {
  const store = memoryStore();
  const frames = manualFrames();
  const live = new LiveList(store.source, { limits: { pageSize: 100, cap }, pacing: { schedule: frames.schedule, minIntervalMs: 0 } });
  lists.push(live);
  return { store, frames, live };
}

describe('LiveList', () => {
  it('applies a burst in one step at the next frame: rows and count together', async () => {
    const { store, frames, live } = setup();
    store.capture(10);
    await live.reload();
    expect(live.total).toBe(10);
    for (let message = 0; message < 40; message++) live.captured(store.capture(5));
    expect(top(live)).toBe(10);
    expect(live.total).toBe(10);
    frames.tick();
    expect(top(live)).toBe(210);
    expect(live.total).toBe(210);
  });

  it('keeps at most the cap while rows stream in at the top', async () => {
    const { store, frames, live } = setup(600);
    await live.reload();
    for (let frame = 0; frame < 500; frame++) {
      live.captured(store.capture(40));
      frames.tick();
      expect(live.list.rows.length).toBeLessThanOrEqual(600);
    }
    expect(top(live)).toBe(20_000);
    expect(live.total).toBe(20_000);
    expect(live.list.hasMore).toBe(true);
  });

  it('a burst with captures left out shows the newest, counts every one, and pages the rest', async () => {
    const { store, frames, live } = setup(600);
    store.capture(10);
    await live.reload();
    live.captured(store.capture(5).slice(0));
    // The engine's next message: 200 stored, 50 sent, 150 left out. The 5 rows still waiting for
    // the frame are below the gap and are read from the store instead.
    const burst = store.capture(200);
    live.capturesLeftOut(150);
    live.captured(burst.slice(150));
    frames.tick();
    expect(live.total).toBe(215);
    expect(live.list.rows.map((r) => r.seq)).toEqual(burst.slice(150).map((r) => r.seq).reverse());
    expect(live.list.hasMore).toBe(true);
    for (let i = 0; i < 3; i++) await live.loadMore();
    const seqs = live.list.rows.map((r) => r.seq);
    expect(seqs[0]).toBe(215);
    expect(seqs.every((seq, i) => i === 0 || seqs[i - 1] - seq === 1)).toBe(true);
    expect(seqs[seqs.length - 1]).toBe(1);
  });

  it('under a filter, captures left out make the list read the newest matching page again', async () => {
    const store = memoryStore();
    const frames = manualFrames();
    let reads = 0;
    const live = new LiveList(
      {
        listRequests: async (filter) => {
          reads += 1;
          return store.source.listRequests(filter);
        },
        countRequests: store.source.countRequests,
      },
      { limits: { pageSize: 100, cap: 600 }, pacing: { schedule: frames.schedule, minIntervalMs: 0 } },
    );
    lists.push(live);
    live.filters.method = 'POST';
    await live.reload();
    const before = reads;
    const burst = store.capture(30);
    live.capturesLeftOut(20);
    live.captured(burst.slice(20));
    frames.tick();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reads).toBe(before + 1);
    expect(live.list.rows).toHaveLength(30);
  });

  it('holds rows while scrolled away and shows them when the view is back on top', async () => {
    const { store, frames, live } = setup();
    store.capture(300);
    await live.reload();
    live.scrolled({ atTop: false, nearTop: true, nearBottom: false });
    live.captured(store.capture(3));
    frames.tick();
    expect(top(live)).toBe(300);
    expect(live.list.heldCount).toBe(3);
    expect(live.total).toBe(303);
    live.scrolled({ atTop: true, nearTop: true, nearBottom: false });
    expect(top(live)).toBe(303);
    expect(live.list.heldCount).toBe(0);
  });

  it('pages down past the cap and back up to the newest, in order and without duplicates', async () => {
    const { store, live } = setup(300);
    store.capture(2000);
    await live.reload();
    const down = { atTop: false, nearTop: false, nearBottom: true };
    for (let i = 0; i < 12; i++) await live.loadMore();
    live.scrolled({ ...down, nearBottom: false });
    expect(live.list.rows.length).toBeLessThanOrEqual(300);
    expect(live.list.lastSeq).toBe(2000 - 1300 + 1);
    expect(live.list.hasNewer).toBe(true);
    while (live.list.hasNewer) await live.loadNewer();
    const seqs = live.list.rows.map((r) => r.seq);
    expect(seqs[0]).toBe(2000);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    live.scrolled({ atTop: true, nearTop: true, nearBottom: false });
    expect(live.list.following).toBe(true);
  });

  it('the pill after a deep scroll reloads the newest page', async () => {
    const { store, frames, live } = setup(300);
    store.capture(1000);
    await live.reload();
    for (let i = 0; i < 5; i++) await live.loadMore();
    live.captured(store.capture(2));
    frames.tick();
    expect(live.list.heldCount).toBe(2);
    live.jumpToNewest();
    await new Promise((resolve) => setTimeout(resolve));
    expect(top(live)).toBe(1002);
    expect(live.list.following).toBe(true);
  });

  it('reads one page at a time, so the kept rows stay one unbroken run', async () => {
    const { store, live } = setup(300);
    store.capture(2000);
    await live.reload();
    for (let i = 0; i < 8; i++) await live.loadMore();
    for (let i = 0; i < 6; i++) await Promise.all([live.loadNewer(), live.loadMore(), live.loadNewer()]);
    const seqs = live.list.rows.map((r) => r.seq);
    expect(seqs.every((seq, i) => i === 0 || seqs[i - 1] - seq === 1)).toBe(true);
  });

  it('keeps the reason a search was rejected, and forgets it when a reload succeeds', async () => {
    const store = memoryStore();
    store.capture(3);
    const live = new LiveList({
      listRequests: async (filter) => {
        if (filter.search?.startsWith('/bad')) throw { message: 'invalid JSON pointer "/bad~2"' };
        return store.source.listRequests(filter);
      },
      countRequests: store.source.countRequests,
    });
    lists.push(live);
    await live.reload();
    expect(live.list.rows).toHaveLength(3);
    live.filters.search = '/bad~2';
    await live.reload();
    expect(live.error).toBe('invalid JSON pointer "/bad~2"');
    expect(live.list.rows).toHaveLength(0);
    live.filters.search = '';
    await live.reload();
    expect(live.error).toBeNull();
    expect(live.list.rows).toHaveLength(3);
  });

  it('takes only the captures a list as tall as the window shows, all the shell keeps under a filter', () => {
    const { live } = setup();
    expect(live.capturesWanted(800)).toBe(capturesWanted(800));
    expect(live.capturesWanted(800)).toBeLessThan(MOST_CAPTURES);
    live.filters.method = 'POST';
    expect(live.capturesWanted(800)).toBe(MOST_CAPTURES);
  });
});

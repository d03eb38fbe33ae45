// The window's UI with a synthetic engine behind Tauri's IPC mock, for measuring the list alone
// under bursts of captured requests: the store holds no rows (each is made from its seq when
// asked), so the page's memory is the UI's own. Not a test of the engine or the shell; the real
// window is measured through tauri-driver.

import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { EngineEvent, RequestFilter, RequestSummary } from '../src/lib/bindings';

const startedMs = Date.now();
let stored = 0;
/** Events announced and not taken yet (the shell's PendingEvents, without its cap). */
let pending: EngineEvent[] = [];

/** The summary of request `seq`, as the store would list it. */
const summary = (seq: number): RequestSummary => ({
  seq,
  id: `r${seq}`,
  endpoint_name: null,
  received_at_ns: (startedMs + seq) * 1e6,
  source: 'local',
  remote_addr: '127.0.0.1:40000',
  method: 'POST',
  target: `/hooks/stripe/${seq}?attempt=1&mode=live`,
  content_type: 'application/json',
  body_size: 2048,
  truncated: false,
  response_status: 200,
  signature_status: null,
  signature_provider: null,
});

mockIPC(
  (command, args) => {
    switch (command) {
      case 'listener_info':
        return { url: 'http://127.0.0.1:8787', error: null, db_path: 'bench.db' };
      case 'list_requests': {
        const { before_seq, limit } = (args as { filter: RequestFilter }).filter;
        const rows: RequestSummary[] = [];
        for (let seq = Math.min(before_seq ?? stored + 1, stored + 1) - 1; seq >= 1 && rows.length < limit; seq--) {
          rows.push(summary(seq));
        }
        return rows;
      }
      case 'count_requests':
        return stored;
      case 'take_engine_events': {
        const events = pending;
        pending = [];
        return { events, captures_left_out: 0, missed: 0 };
      }
      case 'tunnel_state':
        return { state: 'off' };
      case 'list_tunnel_outages':
        return [];
      default:
        return null;
    }
  },
  { shouldMockEvents: true },
);

const bench = window as unknown as {
  __burst: (perSecond: number, count: number) => Promise<void>;
  __stored: () => number;
  __gaps: number[];
};

bench.__stored = () => stored;

/** Captures `count` requests at `perSecond`, announced every 4 ms. */
bench.__burst = (perSecond, count) =>
  new Promise((resolve) => {
    const perMessage = Math.max(1, Math.round(perSecond / 250));
    let left = count;
    const timer = setInterval(() => {
      const batch: EngineEvent[] = [];
      for (let i = 0; i < Math.min(perMessage, left); i++) batch.push({ type: 'request_captured', ...summary(++stored) });
      left -= batch.length;
      pending.push(...batch);
      emit('engine-events-ready', null);
      if (left === 0) {
        clearInterval(timer);
        resolve();
      }
    }, 4);
  });

// Every frame's distance from the one before, read and cleared by the driver.
bench.__gaps = [];
let last = performance.now();
const frame = (t: number) => {
  bench.__gaps.push(t - last);
  last = t;
  requestAnimationFrame(frame);
};
requestAnimationFrame(frame);

import('../src/main');

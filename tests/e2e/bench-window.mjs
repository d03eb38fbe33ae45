// The real window under bursts (see scripts/bench-window.sh): drives the release app through
// tauri-driver, records the gaps between animation frames in the page, and loads the app's
// listener on 127.0.0.1 in bounded phases: idle, a paced rate from keep-alive senders, wrk at
// full speed, and a long wrk run for memory. Prints each phase against the idle baseline taken in
// the same run. Not a test: it prints numbers and asserts nothing about them.
//
// Environment: DRIVER_URL, APP, LISTEN (host:port of the app's listener), POST_LUA (wrk script),
// IDLE_SECONDS (10), PHASE_SECONDS (10), RATE (500), SENDERS (4), LONG_REQUESTS (200000),
// SETTLE_SECONDS (15), SKIP_LONG (1: no memory run), LONG_HIDE_LIST (1: hide the list during the
// memory run, to separate WebKit's layout and painting from the rest), SKIP_PHASES (1: no 500/s
// and full-speed phases), LONG_CHUNK_SECONDS (10: one wrk run of the memory phase; memory is
// printed after each), LONG_PAGE_SCRIPT (a diagnosis: JavaScript run in the page before the
// memory run, e.g. to remove one of the app's listeners).
// `node bench-window.mjs send URL RATE SECONDS SENDERS` is the paced sender (a child process).

import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import http from 'node:http';
import { endSession, exec, startSession, until, wd, s } from './webdriver.mjs';
import { processTree, rollupKb } from './proc.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A webhook-like JSON body of about `bytes` bytes (short words, as real events have). */
function body(bytes) {
  const items = [];
  for (let i = 1; JSON.stringify(items).length < bytes - 200; i++) {
    items.push({ n: i, sku: `sku_${String(i).padStart(4, '0')}`, desc: `line item number ${i} of the order` });
  }
  const head = `{"id":"evt_bench","type":"invoice.paid","data":{"items":${JSON.stringify(items)},"note":"`;
  return head + 'x'.repeat(Math.max(0, bytes - head.length - 3)) + '"}}';
}

/**
 * The paced sender: `rate` POSTs a second spread over `senders` keep-alive connections, for
 * `seconds`. Requests that would queue behind more than a second's worth are skipped and counted.
 */
async function paced(url, rate, seconds, senders) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
  const payload = body(2048);
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  const send = () =>
    new Promise((resolve) => {
      inFlight += 1;
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode < 300) ok += 1;
          else failed += 1;
          inFlight -= 1;
          resolve();
        });
      });
      req.on('error', () => {
        failed += 1;
        inFlight -= 1;
        resolve();
      });
      req.end(payload);
    });
  const start = performance.now();
  const total = Math.round(rate * seconds);
  let due = 0;
  while (due < total) {
    due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (sent + skipped < due) {
      if (inFlight > rate) skipped += 1;
      else {
        sent += 1;
        send();
      }
    }
    await sleep(2);
  }
  while (inFlight > 0) await sleep(5);
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ sent, ok, failed, skipped, rate: +(ok / elapsed).toFixed(1) }));
}

if (process.argv[2] === 'send') {
  const [url, rate, seconds, senders] = process.argv.slice(3);
  await paced(url, Number(rate), Number(seconds), Number(senders));
  process.exit(0);
}

const APP = realpathSync(process.env.APP);
const BASE = `http://${process.env.LISTEN}`;
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 10);
const RATE = Number(process.env.RATE ?? 500);
const SENDERS = Number(process.env.SENDERS ?? 4);
const LONG_REQUESTS = Number(process.env.LONG_REQUESTS ?? 200000);
const SETTLE_SECONDS = Number(process.env.SETTLE_SECONDS ?? 15);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** PSS in MB of the app process and all its descendants (WebKit's web and network processes), by process name. */
function memory() {
  const tree = processTree(APP);
  const parts = {};
  let pss = 0;
  for (const p of tree) {
    const mb = rollupKb(p.pid, 'Pss') / 1024;
    parts[p.name] = +((parts[p.name] ?? 0) + mb).toFixed(1);
    pss += mb;
  }
  return { pss_mb: +pss.toFixed(1), parts, web_kinds: webKinds(tree) };
}

/** The web process's PSS in MB by kind of mapping (heap, anonymous, memfd/shm, files). */
function webKinds(tree) {
  const web = tree.find((p) => p.name.startsWith('WebKitWebProces'));
  if (!web) return {};
  const kinds = {};
  let kind = 'anon';
  for (const line of readFileSync(`/proc/${web.pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      kind = name === '' ? 'anon' : name.startsWith('/memfd') || name.startsWith('/dev/shm') ? 'shm' : name.startsWith('[') ? name : 'file';
      continue;
    }
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) kinds[kind] = (kinds[kind] ?? 0) + Number(pss[1]) / 1024;
  }
  for (const k of Object.keys(kinds)) kinds[k] = +kinds[k].toFixed(1);
  return kinds;
}

// In the page: one requestAnimationFrame loop that keeps every gap between frames, and, while a
// marker is watched, checks at each frame whether the list's first row is the marker or a request
// received after it was sent (a ULID's first 10 characters are its millisecond time).
const RECORDER = `
  if (window.__bench) return true;
  const b = (window.__bench = { gaps: [], last: 0, watch: null, seen: [] });
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const ulidMs = (id) => { let t = 0; for (let i = 0; i < 10; i++) t = t * 32 + CROCKFORD.indexOf(id[i]); return t; };
  const check = () => {
    const w = b.watch;
    const row = document.querySelector('[data-testid=request-list] [data-testid=request-row]');
    const marker = document.querySelector('[data-testid=request-row] .path[title="' + w.path + '"]');
    if (marker || (row && ulidMs(row.dataset.id) >= w.since)) {
      b.seen.push({ path: w.path, ms: Date.now() - w.since, exact: !!marker });
      b.watch = null;
    }
  };
  // Which gaps come with a change of the page (within one frame of a DOM mutation) and which
  // do not: the long ones of the first kind are the page's own work, of the second the machine.
  b.quiet = [];
  b.mutatedAt = -1;
  b.calledAt = 0;
  let flagged = false;
  new MutationObserver(() => (b.mutatedAt = performance.now())).observe(document.body, {
    subtree: true, attributes: true, childList: true, characterData: true,
  });
  // Where a frame's time goes: from the start of this callback to the page's last change in the
  // frame (the app's JavaScript, Svelte's updates), and from there to the first task after the
  // frame (style, layout, painting). A message posted now is handled once the frame is done.
  b.work = [];
  const channel = new MessageChannel();
  let frameStart = 0;
  channel.port1.onmessage = () => {
    const end = performance.now();
    b.lastWork = [frameStart, b.mutatedAt > frameStart ? b.mutatedAt - frameStart : 0, end - Math.max(frameStart, b.mutatedAt)];
    if (b.mutatedAt > frameStart) b.work.push(b.lastWork.slice(1));
  };
  b.long = [];
  b.afterChange = [];
  const frame = (t) => {
    const now = performance.now();
    frameStart = now;
    channel.port2.postMessage(0);
    const mutated = b.mutatedAt > b.calledAt;
    if (b.last) {
      b.gaps.push(t - b.last);
      if (t - b.last > 35 && b.lastWork) b.long.push([+(t - b.last).toFixed(1), +(now - b.lastWork[0]).toFixed(1), +b.lastWork[1].toFixed(1), +b.lastWork[2].toFixed(1)]);
      if (!mutated && !flagged) b.quiet.push(t - b.last);
      if (mutated) b.afterChange.push(t - b.last);
    }
    flagged = mutated;
    b.last = t;
    b.calledAt = now;
    if (b.watch) check();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Messages from the shell: announcements that events wait (engine-events-ready, counted by a
  // listener of its own; the captures taken are counted by the app) or, from builds before
  // that, the engine-events batches themselves.
  b.messages = 0;
  b.captures = 0;
  const internals = window.__TAURI_INTERNALS__;
  for (const event of ['engine-events', 'engine-events-ready']) {
    internals.invoke('plugin:event|listen', {
      event,
      target: { kind: 'Any' },
      handler: internals.transformCallback((e) => {
        b.messages += 1;
        if (Array.isArray(e.payload)) b.captures += e.payload.length;
      }),
    });
  }
  return true;`;

/** Frame gaps since the last call: frames, frames/s, p50, p99, max (ms). */
async function takeGaps(seconds) {
  const [gaps, messages, captures, quiet, work, long, afterChange] = await exec(
    'const b = window.__bench; const st = window.__hookscopeEventStats; const taken = st ? st.captures - (b.takenBefore ?? 0) : 0; ' +
      'b.takenBefore = st ? st.captures : 0; const r = [b.gaps, b.messages, b.captures + taken, b.quiet, b.work, b.long, b.afterChange]; b.gaps = []; b.long = []; b.afterChange = []; b.quiet = []; b.work = []; b.messages = 0; b.captures = 0; return r;',
  );
  const quietMax = +Math.max(0, ...quiet).toFixed(1);
  const spread = (values) => {
    const v = values.sort((a, b) => a - b);
    const at = (q) => (v.length ? +v[Math.min(v.length - 1, Math.floor(v.length * q))].toFixed(1) : 0);
    return { p50: at(0.5), p99: at(0.99), max: at(1) };
  };
  const changed = { frames: work.length, next: spread(afterChange), script: spread(work.map((w) => w[0])), render: spread(work.map((w) => w[1])) };
  const g = gaps.sort((a, b) => a - b);
  const sent = {
    messages_per_s: +(messages / seconds).toFixed(1),
    captures_per_message: +(captures / Math.max(1, messages)).toFixed(1),
    quiet_frames: quiet.length,
    quiet_max: quietMax,
    changed,
  };
  if (process.env.LONG_FRAMES === '1') console.log(`long frames [gap, since last frame start, script, rest]: ${JSON.stringify(long)}`);
  if (g.length === 0) return { frames: 0, fps: 0, p50: Infinity, p99: Infinity, max: Infinity, ...sent };
  const at = (q) => +g[Math.min(g.length - 1, Math.floor(g.length * q))].toFixed(1);
  return { frames: g.length, fps: +(g.length / seconds).toFixed(1), p50: at(0.5), p99: at(0.99), max: at(1), ...sent };
}

let markers = 0;
/** Sends a marker request and has the page watch for it; returns when the page saw it (or 5 s). */
async function marker() {
  const path = `/bench/marker-${++markers}`;
  const since = Date.now();
  await exec('window.__bench.watch = { path: arguments[0], since: arguments[1] }; return true;', [path, since]);
  await fetch(`${BASE}${path}`, { method: 'POST', body: '{"marker":true}', headers: { 'content-type': 'application/json' } });
  const deadline = since + 5000;
  while (Date.now() < deadline) {
    const seen = await exec('return window.__bench.watch === null ? window.__bench.seen[window.__bench.seen.length - 1] : null');
    if (seen) return seen;
    // The page times the marker itself; polling only collects the result (rarely, to stay out of its way).
    await sleep(100);
  }
  await exec('window.__bench.watch = null; return true;');
  return { path, ms: null };
}

/** Sends markers, one a second, until `done` settles; the latencies seen (ms, null if never). */
async function markersDuring(done) {
  const seen = [];
  let finished = false;
  done.then(() => (finished = true));
  await sleep(500);
  while (!finished) {
    const started = Date.now();
    seen.push(await marker());
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
  return seen;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** Runs wrk at full speed for `seconds`; the requests it completed. */
async function wrk(seconds) {
  const out = await run('wrk', ['-t2', '-c8', `-d${seconds}s`, '-s', process.env.POST_LUA, `${BASE}/bench`]);
  const done = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { requests: done, non2xx, perSecond: Math.round(done / seconds) };
}

async function pacedLoad(seconds) {
  const out = await run(process.execPath, [
    new URL(import.meta.url).pathname,
    'send',
    `${BASE}/bench`,
    String(RATE),
    String(seconds),
    String(SENDERS),
  ]);
  return JSON.parse(out.trim().split('\n').pop());
}

const ratio = (a, b) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : '-');
function report(name, g, idle, extra) {
  console.log(
    `${name.padEnd(26)} ${String(g.fps).padStart(5)} frames/s (${ratio(g.fps, idle.fps)}x idle)  ` +
      `gap p50 ${g.p50} ms  p99 ${g.p99} ms (${ratio(g.p99, idle.p99)}x)  max ${g.max} ms (${ratio(g.max, idle.max)}x)  ` +
      `${g.messages_per_s} messages/s of ${g.captures_per_message} captures; ` +
      `max gap away from page changes ${g.quiet_max} ms (${g.quiet_frames} of ${g.frames} frames); ` +
      `${g.changed.frames} frames changed the page: script p50/p99/max ${g.changed.script.p50}/${g.changed.script.p99}/${g.changed.script.max} ms, ` +
      `then style, layout and paint ${g.changed.render.p50}/${g.changed.render.p99}/${g.changed.render.max} ms, until the next frame ${g.changed.next.p50}/${g.changed.next.p99}/${g.changed.next.max} ms  load ${loadavg()}${extra ? `\n${' '.repeat(27)}${extra}` : ''}`,
  );
}
function latencies(seen) {
  const ms = seen.map((m) => m.ms);
  const listed = ms.filter((m) => m !== null).sort((a, b) => a - b);
  if (listed.length === 0) return `newest listed: never within 5 s (${ms.length} markers)`;
  const missed = ms.length - listed.length;
  return (
    `newest listed after ${listed[Math.floor(listed.length / 2)]} ms median, ${listed[listed.length - 1]} ms max ` +
    `(${ms.length} markers${missed ? `, ${missed} not within 5 s` : ''})`
  );
}

async function phase(name, idle, load) {
  await takeGaps(1);
  const started = Date.now();
  const done = load();
  const seen = await markersDuring(done);
  const result = await done;
  const g = await takeGaps((Date.now() - started) / 1000);
  const after = memory();
  report(name, g, idle, `${latencies(seen)}; ${JSON.stringify(result)}; PSS after it ${after.pss_mb} MB`);
  return { ...g, markers: seen.map((m) => m.ms), load: result, memory: after };
}

async function main() {
  await startSession(APP);
  const summary = { app: APP, loadavg_start: loadavg() };
  try {
    await wd('POST', s('/timeouts'), { script: 60000 });
    await until('the window', () => exec("return !!document.querySelector('[data-testid=status-bar]')"), 30000);
    await exec(RECORDER);
    // Warm up: the list mounts with its first rows and its code runs once.
    await pacedLoad(1);
    await until('the first rows', () => exec("return !!document.querySelector('[data-testid=request-row]')"));
    await sleep(2000);
    await takeGaps(1);
    await sleep(IDLE_SECONDS * 1000);
    const idle = await takeGaps(IDLE_SECONDS);
    const idleMemory = memory();
    report('idle', idle, idle, `PSS ${idleMemory.pss_mb} MB ${JSON.stringify(idleMemory.parts)} ${JSON.stringify(idleMemory.web_kinds)}`);
    summary.idle = { ...idle, memory: idleMemory };
    if (process.env.SKIP_PHASES !== '1') {
      summary.paced = await phase(`${RATE}/s, ${SENDERS} senders`, idle, () => pacedLoad(PHASE_SECONDS));
      await sleep(2000);
      summary.full = await phase('full speed (wrk -c8)', idle, () => wrk(PHASE_SECONDS));
    }
    if (process.env.SKIP_LONG !== '1') {
      await sleep(2000);
      await takeGaps(1);
      // A diagnosis: with the list hidden, WebKit neither lays it out nor paints it, while the
      // page still receives and applies every message.
      if (process.env.LONG_HIDE_LIST === '1') {
        await exec("document.querySelector('[data-testid=request-list]').style.display = 'none'; return true;");
      }
      if (process.env.LONG_PAGE_SCRIPT) console.log(`page script: ${JSON.stringify(await exec(process.env.LONG_PAGE_SCRIPT))}`);
      const chunkSeconds = Number(process.env.LONG_CHUNK_SECONDS ?? 10);
      let sent = 0;
      let chunks = 0;
      let peak = 0;
      const started = Date.now();
      while (sent < LONG_REQUESTS) {
        sent += (await wrk(chunkSeconds)).requests;
        chunks += 1;
        const m = memory();
        peak = Math.max(peak, m.pss_mb - idleMemory.pss_mb);
        console.log(`  after ${sent} requests: PSS +${(m.pss_mb - idleMemory.pss_mb).toFixed(1)} MB ${JSON.stringify(m.parts)} ${JSON.stringify(m.web_kinds)}`);
      }
      const during = await takeGaps((Date.now() - started) / 1000);
      const right = memory();
      await sleep(SETTLE_SECONDS * 1000);
      const settled = memory();
      const stored = await exec("return document.querySelector('[data-testid=request-count]')?.textContent ?? ''");
      const rows = await exec("return document.querySelectorAll('[data-testid=request-row]').length");
      const firstRow = await exec("return document.querySelector('[data-testid=request-row]')?.innerText.replace(/\\s+/g, ' ') ?? ''");
      report(
        `${sent} live (${chunks}x wrk ${chunkSeconds} s)`,
        during,
        idle,
        `PSS right after ${right.pss_mb} MB (+${(right.pss_mb - idleMemory.pss_mb).toFixed(1)} MB), ` +
          `after ${SETTLE_SECONDS} s ${settled.pss_mb} MB (+${(settled.pss_mb - idleMemory.pss_mb).toFixed(1)} MB over idle), ` +
          `at most +${Math.max(peak, right.pss_mb - idleMemory.pss_mb).toFixed(1)} MB during the run ` +
          `${JSON.stringify(settled.parts)} ${JSON.stringify(settled.web_kinds)}; status bar "${stored}", ${rows} rows in the DOM, the first "${firstRow}"`,
      );
      summary.long = { requests: sent, ...during, memory_right_after: right, memory_settled: settled, peak_growth_mb: +peak.toFixed(1) };
    }
    summary.loadavg_end = loadavg();
    console.log(JSON.stringify(summary));
  } finally {
    await endSession();
  }
}

main().catch((error) => {
  console.error(`bench-window: ${error.stack ?? error.message}`);
  process.exit(1);
});

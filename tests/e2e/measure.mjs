// Start-up and memory of a Tauri app binary, measured through tauri-driver (see measure.sh):
// - first paint: from the WebDriver new-session request (which launches the app) until the page
//   sets window.__hookscopeFirstListPaint (Hookscope: first list page on screen, after a paint);
// - idle memory: PSS (/proc/PID/smaps_rollup) of the app and all its descendants (WebKit's web
//   and network processes) after the window has been idle for IDLE_SECONDS.

import { realpathSync } from 'node:fs';
import { processTree, rollupKb } from './proc.mjs';

const DRIVER = process.env.DRIVER_URL;
const APP = realpathSync(process.env.APP);
const RUNS = Number(process.env.RUNS ?? 3);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 10);

async function wd(method, path, body) {
  const r = await fetch(`${DRIVER}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

function memory() {
  const tree = processTree(APP);
  const mb = (kb) => +(kb / 1024).toFixed(1);
  const parts = tree.map((p) => ({
    name: p.name,
    pss_mb: mb(rollupKb(p.pid, 'Pss')),
    // Private (USS): not shared with any other process, so other WebKit apps running on the
    // machine do not change it, unlike PSS.
    uss_mb: mb(rollupKb(p.pid, 'Private_Clean') + rollupKb(p.pid, 'Private_Dirty')),
  }));
  const sum = (k) => +parts.reduce((a, p) => a + p[k], 0).toFixed(1);
  return { total_pss_mb: sum('pss_mb'), total_uss_mb: sum('uss_mb'), parts };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (let i = 0; i < 50; i++) {
  try {
    if ((await wd('GET', '/status')).ready) break;
  } catch {}
  await sleep(100);
}
const paints = [];
let mem = null;
for (let run = 0; run < RUNS; run++) {
  const t0 = Date.now();
  const { sessionId } = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } },
  });
  let painted = null;
  while (!painted) {
    painted = await wd('POST', `/session/${sessionId}/execute/sync`, {
      script: 'return window.__hookscopeFirstListPaint ?? null',
      args: [],
    });
    if (!painted) await sleep(20);
  }
  paints.push(painted - t0);
  if (run === RUNS - 1) {
    await sleep(IDLE_SECONDS * 1000);
    mem = memory();
  }
  await wd('DELETE', `/session/${sessionId}`);
}
paints.sort((a, b) => a - b);
console.log(JSON.stringify({ app: APP, first_paint_ms: paints, median_ms: paints[Math.floor(paints.length / 2)], idle: mem }, null, 1));

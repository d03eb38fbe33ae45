// Drives the list burst bench page in WebKit (MiniBrowser through WebKitWebDriver, see run.sh)
// and prints frame gaps against an idle baseline taken in the same run, whether the newest
// request is listed, and the memory of the page's WebKit processes after a long live capture.
//
// Environment: DRIVER_URL, PAGE_URL, DRIVER_PID (the WebKitWebDriver whose browser is measured),
// MINIBROWSER, LONG (requests in the long run, default 200000), SETTLE_SECONDS (quiet time before
// the memory is read, default 15).

import { processTreeOf, rollupKb } from '../../tests/e2e/proc.mjs';

const DRIVER = process.env.DRIVER_URL;
const PAGE = process.env.PAGE_URL;
const LONG = Number(process.env.LONG ?? 200000);
let session;

async function wd(method, path, body) {
  const response = await fetch(`${DRIVER}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}
const s = (path) => `/session/${session}${path}`;
const exec = (script, args = []) => wd('POST', s('/execute/sync'), { script, args });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** PSS in MB of every WebKit web process under the driver (the page's renderer). */
function webProcessPssMb() {
  let kb = 0;
  for (const p of processTreeOf(Number(process.env.DRIVER_PID)).filter((p) => p.name.startsWith('WebKitWebProces'))) {
    kb += rollupKb(p.pid, 'Pss');
  }
  return +(kb / 1024).toFixed(1);
}

/** The frame gaps since the last call: count, median, 99th percentile, largest (ms). */
async function gaps() {
  const g = (await exec('const g = window.__gaps; window.__gaps = []; return g;')).sort((a, b) => a - b);
  const at = (q) => +g[Math.min(g.length - 1, Math.floor(g.length * q))].toFixed(1);
  return { frames: g.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

const burst = (perSecond, count) =>
  wd('POST', s('/execute/async'), {
    script: 'const done = arguments[arguments.length - 1]; window.__burst(arguments[0], arguments[1]).then(() => done(null));',
    args: [perSecond, count],
  });
const firstRow = () => exec("return document.querySelector('[data-testid=request-row]')?.dataset.id ?? null");
const stored = () => exec('return window.__stored()');

/** Waits (polling) until the newest request is the first row; returns how long that took. */
async function newestListedAfter() {
  const started = Date.now();
  const want = `r${await stored()}`;
  while ((await firstRow()) !== want) {
    if (Date.now() - started > 5000) return null;
    await sleep(10);
  }
  return Date.now() - started;
}

function line(what, g, baseline, extra = '') {
  const ratio = (k) => (g[k] / baseline[k]).toFixed(2);
  console.log(
    `${what.padEnd(28)} frames ${String(g.frames).padStart(4)}  gap p50 ${g.p50} ms (${ratio('p50')}x idle)  p99 ${g.p99} ms (${ratio('p99')}x)  max ${g.max} ms (${ratio('max')}x)${extra}`,
  );
}

async function main() {
  const capabilities = {
    alwaysMatch: { 'webkitgtk:browserOptions': { binary: process.env.MINIBROWSER, args: ['--automation'] } },
  };
  session = (await wd('POST', '/session', { capabilities })).sessionId;
  try {
    await wd('POST', s('/timeouts'), { script: 900000 });
    await wd('POST', s('/url'), { url: PAGE });
    while (!(await exec("return document.querySelector('[data-testid=listener-url]')?.textContent ?? null"))) await sleep(100);
    // Warm up: the list's first rows mount it, and its code runs for the first time.
    await burst(500, 500);
    await sleep(2000);
    await gaps();
    await sleep(3000);
    const idle = await gaps();
    const idleMb = webProcessPssMb();
    line('idle', idle, idle, `  web process PSS ${idleMb} MB`);

    await burst(500, 2500);
    line('500/s for 5 s, at the top', await gaps(), idle, `  newest listed after ${await newestListedAfter()} ms (poll)`);
    await burst(7000, 35000);
    line('7000/s for 5 s, at the top', await gaps(), idle, `  newest listed after ${await newestListedAfter()} ms (poll)`);

    await exec("const v = document.querySelector('[data-testid=request-list]'); v.scrollTop = 3000; v.dispatchEvent(new Event('scroll'))");
    await sleep(300);
    const shown = await firstRow();
    await burst(500, 1000);
    await sleep(300);
    const pill = await exec("return document.querySelector('[data-testid=new-rows]')?.textContent ?? null");
    console.log(`scrolled away: first row in the DOM ${shown} -> ${await firstRow()}, pill "${pill}"`);
    await exec("document.querySelector('[data-testid=new-rows]')?.click()");
    console.log(`pill pressed: newest listed after ${await newestListedAfter()} ms (poll)`);

    await gaps();
    await burst(20000, LONG);
    await sleep(2000);
    const long = await gaps();
    // WebKit collects and returns freed memory on its own schedule: read it after a quiet spell.
    await sleep(Number(process.env.SETTLE_SECONDS ?? 15) * 1000);
    const longMb = webProcessPssMb();
    line(`${LONG} more at full speed`, long, idle, `  web process PSS ${longMb} MB (+${(longMb - idleMb).toFixed(1)} MB over idle)`);
    console.log(`status bar: ${await exec("return document.querySelector('[data-testid=request-count]').textContent")}, stored ${await stored()}`);
  } finally {
    await wd('DELETE', s('')).catch(() => {});
  }
}

main().catch((error) => {
  console.error(`list-burst: ${error.message}`);
  process.exit(1);
});

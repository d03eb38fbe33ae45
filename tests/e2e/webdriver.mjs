// The W3C WebDriver calls and the step runner that every end-to-end suite of the real window
// shares. One suite = one node process = one WebDriver session (tauri-driver + WebKitWebDriver).
//
// Environment (set by run.sh): DRIVER_URL, APP (the built binary), SCREENSHOTS (output folder).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DRIVER = process.env.DRIVER_URL ?? 'http://127.0.0.1:4444';
/** The W3C key of an element reference. */
export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
let session = null;

/** One WebDriver call; throws with the driver's message when it answers an error. */
export async function wd(method, path, body) {
  const response = await fetch(`${DRIVER}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}
/** A path inside the current session. */
export const s = (path) => `/session/${session}${path}`;
/** Runs `script` in the page and returns its result. */
export const exec = (script, args = []) => wd('POST', s('/execute/sync'), { script, args });
/** Runs an async `script` in the page; it calls `arguments[arguments.length - 1]` with its result. */
export const execAsync = (script, args = []) => wd('POST', s('/execute/async'), { script, args });
export async function find(css) {
  const found = await wd('POST', s('/element'), { using: 'css selector', value: css });
  const id = found?.[ELEMENT] ?? found?.ELEMENT;
  if (!id) throw new Error(`no element id for ${css} in ${JSON.stringify(found)}`);
  return id;
}
export const click = async (css) => wd('POST', s(`/element/${await find(css)}/click`), {});
export const textOf = async (css) => wd('GET', s(`/element/${await find(css)}/text`));

/** Polls until `check` returns a truthy value; fails with `what` after `ms`. */
export async function until(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function screenshot(name) {
  const shots = process.env.SCREENSHOTS;
  if (!shots) return;
  const png = await wd('GET', s('/screenshot'));
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, name), Buffer.from(png, 'base64'));
}

export async function pressKey(key) {
  await wd('POST', s('/actions'), {
    actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }],
  });
}

/** Waits for tauri-driver, then opens the app in a new session. */
export async function startSession(app = process.env.APP) {
  await until('tauri-driver ready', async () => (await wd('GET', '/status')).ready, 30000);
  session = (await wd('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application: app } } } }))
    .sessionId;
  return session;
}
export async function endSession() {
  if (session) await wd('DELETE', s('')).catch(() => {});
  session = null;
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const results = [];
/** Runs one named check; a failure is printed (with a screenshot) and the suite goes on. */
export async function step(name, fn, onFailure) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n     ${error.message}`);
    await screenshot(`failure-${results.length}.png`).catch(() => {});
    if (onFailure) await onFailure().catch((e) => console.log(`     after the failure: ${e.message}`));
  }
}

/** Prints the suite's closing line (run.sh and test-all.sh read it) and exits. */
export function finish() {
  const failed = results.filter(([, ok]) => !ok).length;
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** A suite that could not even start (no session): exit code 2 lets run.sh retry once. */
export function crashed(error) {
  console.error(`e2e: ${error.message}`);
  process.exit(2);
}

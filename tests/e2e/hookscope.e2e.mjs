// End-to-end test of the real Hookscope window, driven through tauri-driver + WebKitWebDriver
// with plain W3C WebDriver calls. Webhooks are sent over real TCP to the app's listener.
//
// Environment (set by run.sh): DRIVER_URL, APP (the built binary), LISTEN (host:port the app
// listens on, also exported as HOOKSCOPE_LISTEN to the app), SCREENSHOTS (output folder).

import { connect } from 'node:net';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { processTree } from './proc.mjs';
import {
  assert,
  click,
  crashed,
  ELEMENT,
  endSession,
  exec,
  execAsync,
  find,
  finish,
  pressKey,
  screenshot,
  startSession,
  step as stepWith,
  textOf,
  until,
  wd,
  s,
} from './webdriver.mjs';

const APP = process.env.APP;
const LISTEN = process.env.LISTEN;
const SHOTS = process.env.SCREENSHOTS;
if (!APP || !LISTEN || !SHOTS) throw new Error('APP, LISTEN and SCREENSHOTS must be set');
const [HOST, PORT] = LISTEN.split(':');

// ---- raw HTTP to the listener: exact header casing, duplicates, exact bytes ---------------
function send(method, target, headers, body = Buffer.alloc(0)) {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(PORT), HOST);
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(text.split(' ')[1]);
      const json = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4) || '{}');
      resolve({ status, id: json.id });
    });
    const head = [`${method} ${target} HTTP/1.1`, `Host: ${LISTEN}`, 'Connection: close', ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${body.length}`];
    socket.write(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n'), body]));
  });
}

// ---- the test -----------------------------------------------------------------------------
/** On failure with E2E_DEBUG set: what the detail pane and the engine hold. */
async function debugDetail() {
  if (!process.env.E2E_DEBUG) return;
  const pane = await exec("return document.querySelector('.detail-pane')?.innerHTML.slice(-600) ?? ''").catch((e) => e.message);
  console.log(`     detail pane: ${pane}`);
  const probe = await execAsync(
    "const done = arguments[arguments.length - 1]; const id = document.querySelector('[data-testid=request-row].selected')?.dataset.id; window.__TAURI_INTERNALS__.invoke('get_request', { id }).then(v => done('ok ' + JSON.stringify(v.view)), e => done('err ' + JSON.stringify(e)))",
  ).catch((e) => e.message);
  console.log(`     get_request: ${probe}`);
}
/**
 * After a failed step the window may be left anywhere (a dialog open, a search typed): it is
 * loaded again, so that the steps after it start from the list and a failure does not cascade.
 */
async function reloadWindow() {
  await exec('location.reload()').catch(() => {});
  await until('the window loaded again', async () =>
    (await exec("return document.readyState === 'complete' && !!document.querySelector('[data-testid=listener-url]') && !document.querySelector('[aria-modal=true]')")) === true,
  );
}
const step = (name, fn) =>
  stepWith(name, fn, async () => {
    await debugDetail();
    await reloadWindow();
  });

const lineTexts = () => exec("return [...document.querySelectorAll('.cm-line')].map(l => l.textContent)");
const rowIds = () => exec("return [...document.querySelectorAll('[data-testid=request-row]')].map(r => r.dataset.id)");

async function main() {
  configureActionsEndpoint();
  configureRulesAndSampleEndpoints();
  const outage = seedTunnelOutage();
  await startSession(APP);
  const ids = {};
  try {
    await step('window starts the engine and shows the listener URL and the curl command', async () => {
      const url = await until('listener URL', () => textOf('[data-testid=listener-url]'));
      assert(url === `http://${LISTEN}`, `status bar shows ${url}`);
      const curl = await textOf('[data-testid=curl-command]');
      if (process.env.E2E_DEBUG)
        await exec("window.__errs = []; window.addEventListener('error', e => window.__errs.push(String(e.message))); window.addEventListener('unhandledrejection', e => window.__errs.push('rejection: ' + String(e.reason)))");
      assert(curl.includes(`http://${LISTEN}/hello`), `curl command is ${curl}`);
      await screenshot('empty-state.png');
    });

    await step('without a GPU device the window paints with WebKit\'s CPU painter, with one it keeps the default', async () => {
      const gpu = existsSync('/dev/dri') && readdirSync('/dev/dri').some((d) => d.startsWith('renderD') || d.startsWith('card'));
      const web = processTree(realpathSync(APP)).find((p) => p.name.startsWith('WebKitWebProces'));
      assert(web, 'the app has a WebKit web process');
      const env = readFileSync(`/proc/${web.pid}/environ`, 'utf8').split('\0');
      const chosen = process.env.WEBKIT_SKIA_ENABLE_CPU_RENDERING;
      if (chosen !== undefined) {
        assert(env.includes(`WEBKIT_SKIA_ENABLE_CPU_RENDERING=${chosen}`), `the user's choice ${chosen} is kept`);
        return;
      }
      const cpu = env.includes('WEBKIT_SKIA_ENABLE_CPU_RENDERING=1');
      assert(cpu === !gpu, `GPU device: ${gpu}; web process asked for CPU painting: ${cpu}`);
    });

    await step('webhooks sent to the listener appear in the list, newest first', async () => {
      const json = await send(
        'POST',
        '/stripe/events?attempt=1&mode=live',
        [['Content-Type', 'application/json'], ['X-Custom-Case', 'Kept'], ['X-Dup', 'one'], ['X-Dup', 'two']],
        Buffer.from('{"event":"invoice.paid","amount":1200,"customer":{"id":"cus_42","tags":["a","b"]}}'),
      );
      const boundary = 'hookscopeBoundary7MA4YWxk';
      const multipart = await send(
        'POST',
        '/forms/upload',
        [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello from a part\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\u0002binary\r\n` +
            `--${boundary}--\r\n`,
        ),
      );
      const gzip = await send(
        'POST',
        '/github/push',
        [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']],
        gzipSync('{"zipped":true,"ref":"refs/heads/main"}'),
      );
      const hostile = await send(
        'POST',
        '/evil',
        [['Content-Type', 'text/html']],
        Buffer.from(
          '<img src=x onerror="window.__hookscopeMarker=\'img\'"><script>window.__hookscopeMarker=\'script\'</script><b>bold?</b>',
        ),
      );
      for (const r of [json, multipart, gzip, hostile]) assert(r.status === 200 && r.id, `capture answered ${r.status}`);
      Object.assign(ids, { json: json.id, multipart: multipart.id, gzip: gzip.id, hostile: hostile.id });
      const shown = await until('four rows', async () => {
        const rows = await rowIds();
        return rows.length >= 4 ? rows : null;
      });
      assert(
        JSON.stringify(shown.slice(0, 4)) === JSON.stringify([ids.hostile, ids.gzip, ids.multipart, ids.json]),
        `rows in order ${shown}`,
      );
      assert((await textOf('[data-testid=request-count]')).startsWith('4 '), 'status bar counts 4 stored');
    });

    await step('a JSON request shows its headers in arrival order and its body pretty-printed', async () => {
      await click(`[data-id="${ids.json}"]`);
      await until('JSON body', () => find('[data-testid=body-view][data-kind=json] .cm-line'));
      const lines = await lineTexts();
      assert(lines.includes('  "event": "invoice.paid",'), `pretty JSON lines: ${JSON.stringify(lines.slice(0, 6))}`);
      assert(lines.includes('    "id": "cus_42",'), 'nested object indented');
      await screenshot('json-body.png');
      await click('[data-tab=headers]');
      const headers = await until('headers table', () => textOf('[data-testid=headers-table]'));
      assert(headers.includes('X-Custom-Case') && headers.includes('Kept'), 'original header casing shown');
      const dups = await exec(
        "return [...document.querySelectorAll('[data-testid=headers-table] th')].filter(th => th.textContent === 'X-Dup').length",
      );
      assert(dups === 2, `duplicate headers shown twice, saw ${dups}`);
      const order = await exec("return [...document.querySelectorAll('[data-testid=headers-table] th')].map(th => th.textContent)");
      assert(order.indexOf('Content-Type') < order.indexOf('X-Custom-Case'), `arrival order ${order}`);
      await screenshot('headers.png');
      await click('[data-tab=query]');
      const query = await until('query table', () => textOf('[data-testid=query-table]'));
      assert(query.includes('attempt') && query.includes('live'), `query table ${query}`);
      await click('[data-tab=body]');
    });

    await step('a multipart body shows each part with its headers and content', async () => {
      await click(`[data-id="${ids.multipart}"]`);
      await until('two parts', async () => (await exec("return document.querySelectorAll('[data-testid=multipart-part]').length")) === 2);
      const names = await exec("return [...document.querySelectorAll('[data-testid=part-name]')].map(e => e.textContent)");
      assert(JSON.stringify(names) === '["note","file"]', `part names ${names}`);
      assert((await textOf('[data-testid=part-text]')) === 'hello from a part', 'text part shown');
      await screenshot('multipart.png');
    });

    await step('a gzip body is decoded for display', async () => {
      await click(`[data-id="${ids.gzip}"]`);
      await until('decoded gzip JSON', () => find('[data-testid=body-view][data-kind=json] .cm-line'));
      assert((await textOf('[data-testid=body-encoding]')).startsWith('gzip'), 'says it was gzip');
      const lines = await lineTexts();
      assert(lines.includes('  "zipped": true,'), `decoded lines ${JSON.stringify(lines.slice(0, 4))}`);
    });

    await step('a gzip bomb shows an error instead of filling memory', async () => {
      const bomb = await send(
        'POST',
        '/bomb',
        [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']],
        gzipSync(Buffer.alloc(64 * 1024 * 1024)),
      );
      await until('bomb row', async () => (await rowIds())[0] === bomb.id);
      await click(`[data-id="${bomb.id}"]`);
      const error = await until('decode error', () => textOf('[data-testid=body-error]'));
      assert(error.length > 0, 'an error is shown');
      await pressKey('\uE017'); // Delete: the later steps count the rows
      await until('bomb removed', async () => !(await rowIds()).includes(bomb.id));
    });

    await step('a body with <img onerror> and <script> is shown as text and never runs', async () => {
      await click(`[data-id="${ids.hostile}"]`);
      await until('html shown as text', () => find('[data-testid=body-view][data-kind=html] .cm-line'));
      const text = (await lineTexts()).join('\n');
      assert(text.includes('<script>window.__hookscopeMarker'), `body text ${text}`);
      await click('[data-tab=raw]');
      const raw = await until('raw text', () => textOf('[data-testid=raw-text]'));
      assert(raw.startsWith('POST /evil HTTP/1.1') && raw.includes('<img src=x onerror='), `raw ${raw.slice(0, 80)}`);
      const state = await exec(
        "return { marker: window.__hookscopeMarker ?? null, imgs: document.querySelectorAll('img[src=\"x\"]').length, scripts: [...document.scripts].filter(s => s.textContent.includes('__hookscopeMarker')).length, bold: document.querySelectorAll('.detail-pane b').length }",
      );
      assert(state.marker === null, `marker was set to ${state.marker}`);
      assert(state.imgs === 0 && state.scripts === 0 && state.bold === 0, `captured markup became elements: ${JSON.stringify(state)}`);
      await click('[data-tab=body]');
      await screenshot('hostile-html-as-text.png');
    });

    await step('search narrows the list through the full-text index', async () => {
      await pressKey('/');
      const search = await find('[data-testid=search]');
      const focused = await exec("return document.activeElement?.dataset.testid ?? null");
      assert(focused === 'search', `/ focused ${focused}`);
      await wd('POST', s(`/element/${search}/value`), { text: 'invoice' });
      await until('filtered list', async () => JSON.stringify(await rowIds()) === JSON.stringify([ids.json]));
      await pressKey('\uE00C'); // Escape clears the search
      await until('full list again', async () => (await rowIds()).length === 4);
    });

    await step('keyboard moves the selection and Delete removes it from the store', async () => {
      await click(`[data-id="${ids.hostile}"]`);
      await pressKey('j');
      await until('j selects the next row', async () =>
        (await exec("return document.querySelector('[data-testid=request-row].selected')?.dataset.id")) === ids.gzip,
      );
      await pressKey('\uE017'); // Delete
      await until('row removed', async () => !(await rowIds()).includes(ids.gzip));
      await until('count updated', async () => (await textOf('[data-testid=request-count]')).startsWith('3 '));
    });

    await step('a 3 MiB body opens as a preview of its first part', async () => {
      const big = await send('POST', '/big', [['Content-Type', 'text/plain']], Buffer.alloc(3 * 1024 * 1024, 'abcdefgh\n'));
      assert(big.status === 200, `big body answered ${big.status}`);
      await until('big row', async () => (await rowIds())[0] === big.id);
      await click(`[data-id="${big.id}"]`);
      const note = await until('preview note', () => textOf('[data-testid=preview-cut]'));
      assert(note.includes('1.0 MB') && note.includes('3.0 MB'), `preview note ${note}`);
      await until('text shown', async () => (await lineTexts())[0] === 'abcdefgh');
    });

    await step('a webhook arriving while the window is open appears at the top', async () => {
      const late = await send('PUT', '/late/arrival', [['Content-Type', 'text/plain']], Buffer.from('late'));
      await until('new row on top', async () => (await rowIds())[0] === late.id);
      await click(`[data-id="${ids.json}"]`);
      await until('JSON body', () => find('[data-testid=body-view][data-kind=json] .cm-line'));
      await screenshot('main-window.png');
    });

    await step('a brotli JSON body is decoded by the engine and pretty-printed', async () => {
      const br = await send(
        'POST',
        '/brotli',
        [['Content-Type', 'application/json'], ['Content-Encoding', 'br']],
        brotliCompressSync('{"squeezed":"by brotli","n":12345678901234567890}'),
      );
      assert(br.status === 200, `brotli body answered ${br.status}`);
      await until('brotli row', async () => (await rowIds())[0] === br.id);
      await click(`[data-id="${br.id}"]`);
      // The JSON request shown before is JSON too: wait for the brotli body's own lines.
      const lines = await until('decoded brotli JSON', async () => {
        const shown = await lineTexts();
        return shown.includes('  "squeezed": "by brotli",') ? shown : null;
      });
      assert(
        (await exec("return document.querySelector('[data-testid=body-view]').dataset.kind")) === 'json',
        'shown as JSON',
      );
      assert((await textOf('[data-testid=body-encoding]')).startsWith('br:'), 'says it was brotli');
      assert(lines.includes('  "n": 12345678901234567890'), 'the large integer is shown as sent');
    });

    await actionsSteps();
    await bulkReplaySteps();
    await responseRuleSteps();
    await chaosReplaySteps();
    await sendSampleSteps();
    await eventSteps();
    await endpointEditorSteps(outage);
  } finally {
    await endSession();
  }
  finish();
}

// ---- Signature tab, Forward/Replay and Deliveries, the tunnel toggle ---------------------
// (desktop-actions) An endpoint `/gh` with GitHub's scheme and a secret is stored through the
// CLI before the window starts; a local HTTP receiver records what Forward and Replay send.

const GH_SECRET = 'e2e-github-secret';

function configureActionsEndpoint() {
  const cli = process.env.HOOKSCOPE_CLI;
  if (!cli) throw new Error('HOOKSCOPE_CLI must be set (run.sh builds the hookscope CLI)');
  execFileSync(cli, ['endpoint', 'add', 'gh', '--path', '/gh', '--provider', 'github', '--secret', GH_SECRET], {
    stdio: 'inherit',
  });
}

/** Starts `server` on 127.0.0.1 port 0; resolves to `{ server, url, ...extra }`. */
function listenOnLoopback(server, extra) {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, ...extra, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

/**
 * A receiver that records every request it gets (method, url, headers, body bytes) in `received`
 * and answers what `answer(req)` returns: `{ status, headers, body }`.
 */
function startRecordingReceiver(answer) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      const { status, headers, body } = answer(req);
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  return listenOnLoopback(server, { received });
}

const startReceiver = () =>
  startRecordingReceiver(() => ({
    status: 201,
    headers: { 'Content-Type': 'text/plain', 'X-Receiver': 'e2e' },
    body: '<i>thanks</i> from the receiver',
  }));

const deliveryIds = () => exec("return [...document.querySelectorAll('[data-testid=delivery]')].map(d => d.dataset.id)");

async function actionsSteps() {
  const ids = {};
  const body = Buffer.from('{"action":"opened","number":7,"repository":{"full_name":"octo/hooks"}}');
  const receiver = await startReceiver();
  try {
    await step('a GitHub-signed request shows a verified signature; a bad one says why it failed', async () => {
      const good = 'sha256=' + createHmac('sha256', GH_SECRET).update(body).digest('hex');
      const bad = 'sha256=' + createHmac('sha256', 'another-secret').update(body).digest('hex');
      const headers = (sig) => [['Content-Type', 'application/json'], ['X-GitHub-Event', 'pull_request'], ['X-Hub-Signature-256', sig]];
      const signed = await send('POST', '/gh/events', headers(good), body);
      const forged = await send('POST', '/gh/events', headers(bad), body);
      assert(signed.status === 200 && forged.status === 200, 'both captured');
      Object.assign(ids, { signed: signed.id, forged: forged.id });
      await until('signed row', async () => (await rowIds())[0] === ids.forged);
      const badge = await exec(`return document.querySelector('[data-id="${ids.signed}"] .sig')?.textContent ?? null`);
      assert(badge && badge.includes('sig') && badge.includes('✓'), `list badge ${badge}`);
      await click(`[data-id="${ids.signed}"]`);
      await click('[data-tab=signature]');
      const status = await until('verdict', () => textOf('[data-testid=signature-status]'));
      assert(status === 'Verified', `status ${status}`);
      const panel = await textOf('[data-testid=signature-panel]');
      assert(panel.includes('github') && panel.includes("secret #1 of the endpoint's list"), `panel ${panel}`);
      assert(!panel.includes(GH_SECRET), 'the secret is never shown');
      await screenshot('signature-verified.png');
      await click(`[data-id="${ids.forged}"]`);
      await click('[data-tab=signature]');
      await until('failed verdict', async () => (await textOf('[data-testid=signature-status]')) === 'Failed');
      const failed = await textOf('[data-testid=signature-panel]');
      assert(failed.includes('signature_mismatch') || failed.includes('Diagnosis'), `diagnosis shown: ${failed}`);
      const received = await textOf('[data-testid=signature-received]');
      assert(received === bad, `received signature ${received}`);
      await screenshot('signature-failed.png');
    });

    await step('Forward sends the request to the target and the Deliveries tab shows the answer', async () => {
      await click(`[data-id="${ids.signed}"]`);
      const target = await until('target input', () => find('[data-testid=replay-target]'));
      await wd('POST', s(`/element/${target}/clear`), {});
      await wd('POST', s(`/element/${target}/value`), { text: `${receiver.url}/handler` });
      await click('[data-testid=forward]');
      const got = await until('receiver got it', () => receiver.received[0]);
      assert(got.method === 'POST' && got.url === '/handler/events', `receiver saw ${got.method} ${got.url}`);
      assert(got.body.equals(body), 'body bytes unchanged');
      assert(got.headers['x-hub-signature-256'].startsWith('sha256='), 'signature header forwarded');
      await until('deliveries tab', () => find('[data-testid=deliveries-panel] [data-testid=delivery]'));
      assert((await textOf('[data-testid=delivery-outcome]')) === '201', 'outcome 201');
      const response = await until('response shown', () => textOf('[data-testid=delivery-response]'));
      assert(response.includes('X-Receiver: e2e') && response.includes('<i>thanks</i> from the receiver'), `response ${response}`);
      const italics = await exec("return document.querySelectorAll('[data-testid=deliveries-panel] i').length");
      assert(italics === 0, 'the response body stayed text');
      const remembered = await exec("return localStorage.getItem('hookscope.replayTarget')");
      assert(remembered === `${receiver.url}/handler`, `target remembered: ${remembered}`);
      await screenshot('deliveries.png');
    });

    await step('r replays to the same target and the new attempt appears live', async () => {
      await exec('document.activeElement?.blur()');
      await pressKey('r');
      await until('second delivery', async () => (await deliveryIds()).length === 2);
      assert(receiver.received.length === 2, `receiver got ${receiver.received.length}`);
    });

    await step('replay with edit sends the edited method, header and body', async () => {
      await click('[data-testid=edit-replay]');
      const method = await until('dialog', () => find('[data-testid=edit-method]'));
      await wd('POST', s(`/element/${method}/clear`), {});
      await wd('POST', s(`/element/${method}/value`), { text: 'PUT' });
      const bodyField = await find('[data-testid=edit-body]');
      await wd('POST', s(`/element/${bodyField}/clear`), {});
      await wd('POST', s(`/element/${bodyField}/value`), { text: '{"edited":true}' });
      await until('typed body', async () => (await exec("return document.querySelector('[data-testid=edit-body]').value")) === '{"edited":true}');
      await screenshot('replay-dialog.png');
      await click('[data-testid=edit-send]');
      const got = await until('edited request', () => receiver.received[2]);
      assert(got.method === 'PUT' && got.body.toString() === '{"edited":true}', `edited ${got.method} ${got.body}`);
      await until('third delivery', async () => (await deliveryIds()).length === 3);
    });

    await step('starting the tunnel without an authtoken says where to get one', async () => {
      if (process.env.NGROK_AUTHTOKEN) {
        console.log('     (skipped: NGROK_AUTHTOKEN is set)');
        return;
      }
      await click('[data-testid=tunnel-toggle]');
      const text = await until('tunnel error', async () => {
        // textContent: the slot ellipsizes a long message on screen.
        const t = await exec("return document.querySelector('[data-testid=tunnel-text]')?.textContent ?? ''");
        return t.includes('authtoken') ? t.trim() : null;
      });
      assert(text.startsWith('no ngrok authtoken'), `tunnel says ${text}`);
      assert((await exec("return document.querySelector('[data-testid=tunnel-state]').dataset.state")) === 'error', 'error state');
      await screenshot('tunnel-no-authtoken.png');
    });

    await step('the tunnel settings ask for an authtoken in a password field and say none is saved', async () => {
      await click('[data-testid=tunnel-settings]');
      const has = await until('token state', async () => {
        const t = await textOf('[data-testid=tunnel-has-token]');
        return t === '…' ? null : t;
      });
      assert(has === (process.env.NGROK_AUTHTOKEN ? 'available' : 'none saved'), `token state ${has}`);
      const type = await exec("return document.querySelector('[data-testid=tunnel-token]').type");
      assert(type === 'password', `token field type ${type}`);
      await screenshot('tunnel-settings.png');
      await click('[data-testid=tunnel-settings]');
    });
  } finally {
    receiver.server.close();
  }
}

// ---- Multi-selection and bulk replay ------------------------------------------------------
// Four requests are captured; three are selected with x, ctrl-click and shift-click and replayed
// to a local receiver that fails one of them; then every request matching a search is replayed.

/** A click with a modifier key held (ctrl or shift), through W3C actions. */
async function clickWith(key, css) {
  const element = await find(css);
  const pause = { type: 'pause', duration: 0 };
  await wd('POST', s('/actions'), {
    actions: [
      { type: 'key', id: 'keys', actions: [{ type: 'keyDown', value: key }, pause, pause, pause, { type: 'keyUp', value: key }] },
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [pause, { type: 'pointerMove', origin: { [ELEMENT]: element }, x: 0, y: 0 }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }, pause],
      },
    ],
  });
  await wd('DELETE', s('/actions'));
}
const CTRL = '\uE009';
const SHIFT = '\uE008';
const checkedIds = () => exec("return [...document.querySelectorAll('[data-testid=request-row][data-checked=true]')].map(r => r.dataset.id)");
const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

/** Answers 200, except 503 for `/bulk/2`, so that a bulk replay has one failure to report. */
const startBulkReceiver = () =>
  startRecordingReceiver((req) => ({
    status: req.url.endsWith('/bulk/2') ? 503 : 200,
    headers: { 'Content-Type': 'text/plain' },
    body: 'ok',
  }));

/**
 * A receiver that holds every request for `holdMs` before answering 200, so that a run at
 * concurrency 1 is still going when Cancel is pressed. `arrived` counts requests as they come in.
 */
function startSlowReceiver(holdMs) {
  const arrived = [];
  const server = createServer((req, res) => {
    arrived.push(req.url);
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('slow ok'), holdMs));
  });
  return listenOnLoopback(server, { arrived });
}

async function bulkReplaySteps() {
  const receiver = await startBulkReceiver();
  const slow = await startSlowReceiver(1000);
  const ids = [];
  const bodies = [1, 2, 3, 4].map((n) => Buffer.from(`{"bulk":${n},"note":"<b>not bold</b>"}`));
  try {
    await step('rows are multi-selected with x, ctrl-click and shift-click, and Esc clears them', async () => {
      for (const [i, body] of bodies.entries()) {
        const r = await send('POST', `/bulk/${i + 1}`, [['Content-Type', 'application/json'], ['X-Batch', 'e2ebulkbatch']], body);
        assert(r.status === 200, `capture answered ${r.status}`);
        ids.push(r.id);
      }
      await until('bulk rows', async () => (await rowIds())[0] === ids[3]);
      await click(`[data-id="${ids[0]}"]`);
      await pressKey('x');
      await clickWith(CTRL, `[data-id="${ids[1]}"]`);
      await clickWith(CTRL, `[data-id="${ids[3]}"]`);
      await until('three checked', async () => sameSet(await checkedIds(), [ids[0], ids[1], ids[3]]));
      assert((await textOf('[data-testid=selection-count]')) === '3 selected', 'count shown');
      await pressKey('\uE00C'); // Escape
      await until('selection cleared', async () => (await checkedIds()).length === 0);
      // Shift-click selects the range from the focused row; ctrl-click takes one out again.
      await click(`[data-id="${ids[3]}"]`);
      await clickWith(SHIFT, `[data-id="${ids[1]}"]`);
      await until('range checked', async () => sameSet(await checkedIds(), [ids[1], ids[2], ids[3]]));
      await clickWith(CTRL, `[data-id="${ids[2]}"]`);
      await clickWith(CTRL, `[data-id="${ids[0]}"]`);
      await until('three checked again', async () => sameSet(await checkedIds(), [ids[0], ids[1], ids[3]]));
      await screenshot('multi-selection.png');
    });

    await step('the bulk replay dialog sends exactly the selected requests and lists the failure', async () => {
      await click('[data-testid=bulk-replay-open]');
      const target = await until('bulk dialog', () => find('[data-testid=bulk-target]'));
      const remembered = await exec("return localStorage.getItem('hookscope.replayTarget')");
      const prefilled = await exec("return document.querySelector('[data-testid=bulk-target]').value");
      assert(remembered && prefilled === remembered, `target prefilled with the last one used: ${prefilled} / ${remembered}`);
      await wd('POST', s(`/element/${target}/clear`), {});
      await wd('POST', s(`/element/${target}/value`), { text: `${receiver.url}/in` });
      const concurrency = await find('[data-testid=bulk-concurrency]');
      await wd('POST', s(`/element/${concurrency}/clear`), {});
      await wd('POST', s(`/element/${concurrency}/value`), { text: '1' });
      await click('[data-testid=bulk-start]');
      const summary = await until('summary', () => textOf('[data-testid=bulk-summary]'));
      assert(summary === 'Sent 3: 2 2xx, 1 non-2xx, 0 errors.', `summary ${summary}`);
      const progress = await textOf('[data-testid=bulk-progress]');
      assert(progress === '3 of 3 sent · 2 2xx · 1 non-2xx · 0 errors', `progress ${progress}`);
      const got = receiver.received.map((r) => `${r.method} ${r.url}`);
      assert(JSON.stringify(got) === JSON.stringify(['POST /in/bulk/1', 'POST /in/bulk/2', 'POST /in/bulk/4']), `receiver got ${got}`);
      assert(receiver.received[0].body.equals(bodies[0]) && receiver.received[2].body.equals(bodies[3]), 'bodies byte-exact');
      assert(receiver.received.every((r) => r.headers['x-batch'] === 'e2ebulkbatch'), 'headers as captured');
      const failures = await exec("return [...document.querySelectorAll('[data-testid=bulk-failure]')].map(f => [f.dataset.id, f.textContent.trim()])");
      assert(failures.length === 1 && failures[0][0] === ids[1] && failures[0][1].endsWith('answered 503'), `failures ${JSON.stringify(failures)}`);
      await screenshot('bulk-replay-summary.png');
      await click(`[data-testid=bulk-failure][data-id="${ids[1]}"]`);
      await until('dialog closed and the failed request opened', async () =>
        (await exec("return !document.querySelector('[data-testid=bulk-dialog]') && document.querySelector('[data-testid=request-row].selected')?.dataset.id")) === ids[1],
      );
    });

    await step('every request matching a search is replayed without selecting rows one by one', async () => {
      const search = await find('[data-testid=search]');
      await wd('POST', s(`/element/${search}/clear`), {});
      await wd('POST', s(`/element/${search}/value`), { text: 'e2ebulkbatch' });
      await until('search result', async () => sameSet(await rowIds(), ids));
      await exec('document.activeElement?.blur()');
      await pressKey('A');
      await until('all matching', async () => (await textOf('[data-testid=selection-count]')) === 'All 4 matching selected');
      await pressKey('b');
      const concurrency = await until('bulk dialog', () => find('[data-testid=bulk-concurrency]'));
      const prefilled = await exec("return document.querySelector('[data-testid=bulk-target]').value");
      assert(prefilled === `${receiver.url}/in`, `last target remembered: ${prefilled}`);
      await wd('POST', s(`/element/${concurrency}/clear`), {});
      await wd('POST', s(`/element/${concurrency}/value`), { text: '1' });
      const before = receiver.received.length;
      await click('[data-testid=bulk-start]');
      const summary = await until('summary', () => textOf('[data-testid=bulk-summary]'));
      assert(summary === 'Sent 4: 3 2xx, 1 non-2xx, 0 errors.', `summary ${summary}`);
      const got = receiver.received.slice(before).map((r) => r.url);
      assert(JSON.stringify(got) === JSON.stringify(['/in/bulk/1', '/in/bulk/2', '/in/bulk/3', '/in/bulk/4']), `receiver got ${got}`);
      const bold = await exec("return document.querySelectorAll('[data-testid=bulk-dialog] b').length");
      assert(bold === 0, 'nothing from the requests became markup');
      await click('[data-testid=bulk-close]');
      await pressKey('\uE00C'); // Escape: clears the selection
      await until('selection cleared', async () => (await checkedIds()).length === 0);
    });

    await step('Cancel stops a bulk replay: the request in flight finishes and the rest are not sent', async () => {
      // The search for the batch is still in place: select its 4 requests again.
      await exec('document.activeElement?.blur()');
      await pressKey('A');
      await until('all matching', async () => (await textOf('[data-testid=selection-count]')) === 'All 4 matching selected');
      await pressKey('b');
      await typeInto('[data-testid=bulk-target]', `${slow.url}/slow`);
      await typeInto('[data-testid=bulk-concurrency]', '1');
      await click('[data-testid=bulk-start]');
      // The receiver holds the first request while Cancel is pressed.
      await until('the first request at the receiver', () => slow.arrived.length >= 1);
      await click('[data-testid=bulk-cancel]');
      const summary = await until('summary', () => textOf('[data-testid=bulk-summary]'));
      const counts = /^Sent (\d+): (\d+) 2xx, 0 non-2xx, 0 errors\. Cancelled: (\d+) not sent\.$/.exec(summary);
      assert(counts, `summary ${summary}`);
      const [sent, ok, notSent] = counts.slice(1).map(Number);
      assert(sent >= 1 && ok === sent && notSent >= 1 && sent + notSent === 4, `summary ${summary}`);
      const progress = await textOf('[data-testid=bulk-progress]');
      assert(progress.startsWith(`${sent} of 4 sent`), `progress ${progress}`);
      // The run is over: what was sent finished, and nothing more went out.
      assert(slow.arrived.length === sent && slow.arrived.length < 4, `receiver got ${slow.arrived}`);
      assert(slow.arrived[0] === '/slow/bulk/1', `oldest first: ${slow.arrived}`);
      await click('[data-testid=bulk-close]');
      await pressKey('\uE00C'); // Escape: clears the selection
      await until('selection cleared', async () => (await checkedIds()).length === 0);
    });
  } finally {
    receiver.server.close();
    slow.server.close();
  }
}

// ---- The endpoint editor ------------------------------------------------------------------
// An endpoint with a custom response is created in the window; a real request to it gets that
// answer and is listed under the endpoint. The CLI-made `gh` endpoint shows without its secret.

/** A raw request to the listener; resolves with the whole answer as text. */
function sendRaw(method, target, headers, body) {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(PORT), HOST);
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    const head = [`${method} ${target} HTTP/1.1`, `Host: ${LISTEN}`, 'Connection: close', ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`];
    socket.write(head.join('\r\n') + '\r\n\r\n' + body);
  });
}

async function typeInto(css, text) {
  const field = await until(css, () => find(css));
  await wd('POST', s(`/element/${field}/clear`), {});
  await wd('POST', s(`/element/${field}/value`), { text });
}

/**
 * The tunnel cannot come online here (ngrok is out of reach), so an outage is stored the way the
 * engine records one after a reconnect, before the window starts.
 */
function seedTunnelOutage() {
  const endedMs = Date.now() - 30_000;
  const startedMs = endedMs - 157_000;
  execFileSync('sqlite3', [
    process.env.HOOKSCOPE_DB,
    `INSERT INTO tunnel_outages (started_at_ns, ended_at_ns, end_reason, reason) VALUES (${startedMs}000000, ${endedMs}000000, 'reconnected', 'connection to ngrok lost (e2e)')`,
  ]);
  return { startedMs, endedMs };
}

const clockOf = (ms) => {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

async function endpointEditorSteps(outage) {
  await step('the endpoint editor lists endpoints without secrets and shows a refused prefix next to its field', async () => {
    // Earlier steps may leave a search in place: Esc clears it, so every new request is listed.
    await exec('document.activeElement?.blur()');
    await until('search cleared', async () => {
      if ((await exec("return document.querySelector('[data-testid=search]').value")) === '') return true;
      await pressKey('\uE00C');
      return false;
    });
    await click('[data-testid=open-endpoints]');
    const gh = await until('gh listed', () => textOf('[data-testid=endpoint-item][data-name=gh]'));
    assert(gh.includes('/gh') && gh.includes('github') && gh.includes('1 secret'), `gh shows ${gh}`);
    const dialog = await textOf('[data-testid=endpoint-editor]');
    assert(!dialog.includes(GH_SECRET), 'no secret in the editor');
    await click('[data-testid=endpoint-new]');
    await typeInto('[data-testid=ep-name]', 'orders');
    await typeInto('[data-testid=ep-prefix]', 'orders');
    await click('[data-testid=ep-save]');
    const error = await until('prefix error', () => textOf('[data-testid=ep-error-path_prefix]'));
    assert(error.includes("must start with '/'"), `error says ${error}`);
  });

  await step('an endpoint created in the editor answers a real request with its custom response', async () => {
    await typeInto('[data-testid=ep-prefix]', '/orders');
    await typeInto('[data-testid=ep-status]', '202');
    await typeInto('[data-testid=ep-content-type]', 'text/plain; charset=utf-8');
    await typeInto('[data-testid=ep-headers]', 'X-Handled-By: e2e-{{header.X-Shop}}');
    await click('[data-testid=ep-custom-body]');
    await typeInto('[data-testid=ep-body]', 'order {{json.order.id}} received as {{request.id}}');
    await click('[data-testid=ep-save]');
    const notice = await until('saved', () => textOf('[data-testid=endpoint-notice]'));
    assert(notice.includes('Added'), `notice ${notice}`);
    await until('listed', () => find('[data-testid=endpoint-item][data-name=orders]'));
    await screenshot('endpoint-editor.png');
    await click('[data-testid=endpoint-close]');

    const answer = await sendRaw('POST', '/orders/new', [['Content-Type', 'application/json'], ['X-Shop', 'acme']], '{"order":{"id":"A-17"}}');
    const [head, body] = answer.split('\r\n\r\n');
    assert(head.startsWith('HTTP/1.1 202'), `answered ${head}`);
    assert(/\r\nx-handled-by: e2e-acme\r\n/i.test(head + '\r\n'), `templated header in ${head}`);
    assert(/\r\ncontent-type: text\/plain; charset=utf-8/i.test(head), `content type in ${head}`);
    const match = /^order A-17 received as (\S+)$/.exec(body);
    assert(match, `body ${body}`);
    const id = match[1];
    await until('row of the request', async () => (await rowIds()).includes(id));
    const endpoint = await exec(`return document.querySelector('[data-id="${id}"] .endpoint')?.textContent ?? null`);
    assert(endpoint === 'orders', `the list attributes it to ${endpoint}`);
  });

  await step('unsaved edits are kept or discarded only after asking, when switching endpoints', async () => {
    const legend = () => exec("return document.querySelector('[data-testid=endpoint-editor] legend')?.textContent ?? null");
    const status = () => exec("return document.querySelector('[data-testid=ep-status]')?.value ?? null");
    const prompt = () => exec("return !!document.querySelector('[data-testid=ep-discard-prompt]')");
    await click('[data-testid=open-endpoints]');
    await until('orders listed', () => find('[data-testid=endpoint-item][data-name=orders]'));
    await click('[data-testid=endpoint-item][data-name=orders]');
    await until('orders open', async () => (await legend()) === 'Edit orders');
    await typeInto('[data-testid=ep-status]', '418');
    await until('marked unsaved', () => find('[data-testid=ep-unsaved]'));
    await click('[data-testid=endpoint-item][data-name=gh]');
    const asked = await until('the discard prompt', () => textOf('[data-testid=ep-discard-prompt]'));
    assert(asked.includes('orders has unsaved changes'), `prompt says ${asked}`);
    assert((await legend()) === 'Edit orders' && (await status()) === '418', 'nothing switched before the answer');
    await screenshot('endpoint-editor-unsaved.png');
    await click('[data-testid=ep-keep-editing]');
    await until('prompt gone', async () => !(await prompt()));
    assert((await legend()) === 'Edit orders', `still editing: ${await legend()}`);
    assert((await status()) === '418', `the edit is still there: ${await status()}`);
    await click('[data-testid=endpoint-item][data-name=gh]');
    await until('asked again', () => prompt());
    await click('[data-testid=ep-discard]');
    await until('gh open', async () => (await legend()) === 'Edit gh');
    assert(!(await prompt()), 'the prompt is gone');
    // The discarded status was never saved.
    await click('[data-testid=endpoint-item][data-name=orders]');
    await until('orders open again', async () => (await legend()) === 'Edit orders');
    assert((await status()) === '202', `orders keeps its saved status: ${await status()}`);
    // A clean form closes without asking.
    await click('[data-testid=endpoint-close]');
    await until('editor closed', async () => !(await exec("return !!document.querySelector('[data-testid=endpoint-editor]')")));
  });

  await step('the list marks where the tunnel was offline, below the requests that came after', async () => {
    await exec("const v = document.querySelector('[data-testid=request-list]'); v.scrollTop = v.scrollHeight; v.dispatchEvent(new Event('scroll'))");
    // textContent: WebKitWebDriver's element text came back empty for this one-line, ellipsized row.
    const text = await until('gap marker', () =>
      exec("return document.querySelector('[data-testid=tunnel-gap]')?.textContent.trim() ?? null"),
    );
    const expected = `tunnel offline ${clockOf(outage.startedMs)}–${clockOf(outage.endedMs)}, requests sent in this time may be missing`;
    assert(text === expected, `marker says "${text}", expected "${expected}"`);
    const below = await exec(
      "const gap = document.querySelector('[data-testid=tunnel-gap]').offsetTop; return [...document.querySelectorAll('[data-testid=request-row]')].every(r => r.offsetTop < gap)",
    );
    assert(below, 'every request came after the outage, so the marker is below them');
    await screenshot('tunnel-gap.png');
  });
}

// ---- Response rules, chaos replay and sample events ----------------------------------------
// (issues #15 and #14) Two endpoints are stored through the CLI before the window starts:
// `flaky`, which gets a response rule in the editor, and `stripe`, with Stripe's scheme and a
// secret, which a sample sent from the Send sample dialog reaches as a verified request.

const STRIPE_SECRET = 'whsec_e2eSampleSecret0123456789';

function configureRulesAndSampleEndpoints() {
  const cli = process.env.HOOKSCOPE_CLI;
  execFileSync(cli, ['endpoint', 'add', 'flaky', '--path', '/flaky'], { stdio: 'inherit' });
  // Not /stripe: the first step's request to /stripe/events stays outside any endpoint.
  execFileSync(cli, ['endpoint', 'add', 'stripe', '--path', '/sample-stripe', '--provider', 'stripe', '--secret', STRIPE_SECRET], {
    stdio: 'inherit',
  });
}

/** Picks `value` in the <select> `css` (once that option exists), as a person choosing it would. */
async function choose(css, value) {
  await until(`${css} offering ${value}`, () =>
    exec(
      "const el = document.querySelector(arguments[0]); if (!el || ![...el.options].some(o => o.value === arguments[1])) return false; el.value = arguments[1]; el.dispatchEvent(new Event('change', { bubbles: true })); return true;",
      [css, value],
    ),
  );
}

/** Empties the search box (Esc clears it), so that every new request is listed. */
async function clearSearch() {
  await exec('document.activeElement?.blur()');
  await until('search cleared', async () => {
    if ((await exec("return document.querySelector('[data-testid=search]').value")) === '') return true;
    await pressKey('\uE00C');
    return false;
  });
}

/** The text of every element matching `css`, in document order. */
const textsOf = (css) => exec('return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim())', [css]);
const ruleLabels = () => textsOf('[data-testid=rule-item] [data-testid=rule-label]');

async function openEndpoint(name) {
  await click('[data-testid=open-endpoints]');
  await until(`${name} listed`, () => find(`[data-testid=endpoint-item][data-name=${name}]`));
  await click(`[data-testid=endpoint-item][data-name=${name}]`);
  await until(`${name} open`, async () =>
    (await exec("return document.querySelector('[data-testid=endpoint-editor] legend')?.textContent ?? null")) === `Edit ${name}`,
  );
  await until('rules section', () => find('[data-testid=rules-section]'));
}

async function closeEndpoints() {
  await click('[data-testid=endpoint-close]');
  await until('editor closed', async () => !(await exec("return !!document.querySelector('[data-testid=endpoint-editor]')")));
}

async function responseRuleSteps() {
  await step('a response rule added in the endpoint editor is refused in words, then stored', async () => {
    await clearSearch();
    await openEndpoint('flaky');
    await until('no rules yet', () => find('[data-testid=rules-empty]'));
    // Out of range: the engine refuses it and names the option, next to the form.
    await choose('[data-testid=rule-schedule]', 'percent');
    await typeInto('[data-testid=rule-percent]', '150');
    await typeInto('[data-testid=rule-seed]', '1');
    await click('[data-testid=rule-add]');
    const refused = await until('refusal', () => textOf('[data-testid=rule-add-error]'));
    assert(refused.includes('--percent') && refused.includes('150'), `refusal says ${refused}`);
    assert((await ruleLabels()).length === 0, 'nothing was stored');
    await choose('[data-testid=rule-schedule]', 'first');
    await typeInto('[data-testid=rule-n]', '1');
    await typeInto('[data-testid=rule-status]', '503');
    await click('[data-testid=rule-add]');
    await until('the rule listed', async () => JSON.stringify(await ruleLabels()) === '["#1 first 1 → 503"]');
    assert(!(await exec("return !!document.querySelector('[data-testid=rule-add-error]')")), 'the refusal is gone');
    const when = await textOf('[data-testid=rule-conditions]');
    assert(when === 'when any request', `conditions ${when}`);
    assert((await textOf('[data-testid=rule-counters]')) === 'matched 0 · answered 0', 'counters start at 0');
    await screenshot('endpoint-rules.png');
    await closeEndpoints();
  });

  await step('"first 1 → 503" answers 503 then 200, and the list and the detail name the rule', async () => {
    const first = await send('POST', '/flaky/orders', [['Content-Type', 'application/json']], Buffer.from('{"attempt":1}'));
    const second = await send('POST', '/flaky/orders', [['Content-Type', 'application/json']], Buffer.from('{"attempt":2}'));
    assert(first.status === 503 && second.status === 200, `answered ${first.status} then ${second.status}`);
    assert(first.id && second.id, 'both answers name the captured request');
    const [older, newer] = [first.id, second.id];
    await until('both rows, newest first', async () => {
      const rows = await rowIds();
      return rows[0] === newer && rows[1] === older;
    });
    const row = (id) =>
      exec(
        "const r = document.querySelector(`[data-testid=request-row][data-id='${arguments[0]}']`); return { status: r.querySelector('.status').textContent.trim(), rule: r.querySelector('[data-testid=row-rule]')?.textContent.trim() ?? null }",
        [id],
      );
    const a = await row(older);
    const b = await row(newer);
    assert(a.status === '503' && a.rule === '#1 first 1 → 503', `first row ${JSON.stringify(a)}`);
    assert(b.status === '200' && b.rule === null, `second row ${JSON.stringify(b)}`);
    await click(`[data-id="${older}"]`);
    await click('[data-tab=overview]');
    const named = await until('rule in the overview', () => textOf('[data-testid=overview-rule]'));
    assert(named === '#1 first 1 → 503', `overview says ${named}`);
    await screenshot('rule-answered.png');
    await click('[data-tab=body]');
  });

  await step('rule counters are shown and reset; rules are moved and removed', async () => {
    await openEndpoint('flaky');
    const counters = await until('counters after two requests', async () => {
      const t = await textOf('[data-testid=rule-counters]');
      return t === 'matched 2 · answered 1' ? t : null;
    });
    assert(counters, 'matched 2, answered 1');
    await click('[data-testid=rules-reset]');
    await until('counters reset', async () => (await textOf('[data-testid=rule-counters]')) === 'matched 0 · answered 0');
    await choose('[data-testid=rule-schedule]', 'always');
    await typeInto('[data-testid=rule-status]', '202');
    await click('[data-testid=rule-add]');
    await until('two rules', async () => (await ruleLabels()).length === 2);
    assert(JSON.stringify(await ruleLabels()) === '["#1 first 1 → 503","#2 always → 202"]', `rules ${await ruleLabels()}`);
    await click('[data-testid=rule-item][data-position="2"] [data-testid=rule-up]');
    await until('moved up', async () => JSON.stringify(await ruleLabels()) === '["#1 always → 202","#2 first 1 → 503"]');
    await click('[data-testid=rule-item][data-position="1"] [data-testid=rule-remove]');
    await until('removed', async () => JSON.stringify(await ruleLabels()) === '["#1 first 1 → 503"]');
    await closeEndpoints();
  });
}

async function chaosReplaySteps() {
  const receiver = await startRecordingReceiver(() => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' }));
  const ids = [];
  /**
   * Runs a chaos replay (shuffle, seed 7, `duplicate` as typed) of every request matching the
   * search and checks that the receiver got the sends in the order the summary lists (the
   * summary is saved as `shot` when given); resolves with that order (`[id, second send?]`) and
   * the ids said to be sent twice.
   */
  async function chaosRun(duplicate, shot = null) {
    await exec('document.activeElement?.blur()');
    await pressKey('A');
    await until('all matching', async () => (await textOf('[data-testid=selection-count]')) === 'All 4 matching selected');
    await pressKey('b');
    await typeInto('[data-testid=bulk-target]', `${receiver.url}/in`);
    await click('[data-testid=bulk-chaos]');
    const shuffle = await until('chaos options', () => find('[data-testid=bulk-shuffle]'));
    if (!(await exec("return document.querySelector('[data-testid=bulk-shuffle]').checked"))) {
      await wd('POST', s(`/element/${shuffle}/click`), {});
    }
    await typeInto('[data-testid=bulk-seed]', '7');
    await typeInto('[data-testid=bulk-duplicate]', duplicate);
    const before = receiver.received.length;
    await click('[data-testid=bulk-start]');
    const summary = await until('summary', () => textOf('[data-testid=bulk-summary]'));
    assert(/^Sent \d+: \d+ 2xx, 0 non-2xx, 0 errors\.$/.test(summary), `summary ${summary}`);
    const seed = await textOf('[data-testid=bulk-plan-seed]');
    assert(seed.startsWith('Seed 7:'), `seed shown as ${seed}`);
    const order = await exec(
      "return [...document.querySelectorAll('[data-testid=bulk-plan-send]')].map(e => [e.dataset.id, e.dataset.duplicate === 'true'])",
    );
    const duplicated = await exec("return [...document.querySelectorAll('[data-testid=bulk-plan-duplicated] li')].map(e => e.dataset.id)");
    // One at a time: the receiver got them in the order the summary gives.
    const byPath = Object.fromEntries(ids.map((id, i) => [`/in/chaos/${i + 1}`, id]));
    const got = receiver.received.slice(before).map((r) => byPath[r.url]);
    assert(JSON.stringify(got) === JSON.stringify(order.map(([id]) => id)), `receiver order ${got} vs shown ${JSON.stringify(order)}`);
    if (shot) await screenshot(shot);
    await click('[data-testid=bulk-close]');
    return { order, duplicated };
  }
  try {
    await step('a chaos replay (shuffle, seed 7) shows its seed and the order it used, and the seed repeats it', async () => {
      await clearSearch();
      for (let n = 1; n <= 4; n++) {
        const r = await send('POST', `/chaos/${n}`, [['Content-Type', 'application/json'], ['X-Batch', 'e2echaosbatch']], Buffer.from(`{"chaos":${n}}`));
        assert(r.status === 200, `capture answered ${r.status}`);
        ids.push(r.id);
      }
      await typeInto('[data-testid=search]', 'e2echaosbatch');
      await until('the batch', async () => sameSet(await rowIds(), ids));
      const first = await chaosRun('0');
      const order = first.order.map(([id]) => id);
      assert(order.length === 4 && sameSet(order, ids) && first.duplicated.length === 0, `each request once: ${JSON.stringify(first)}`);
      const again = await chaosRun('0');
      assert(JSON.stringify(again) === JSON.stringify(first), `same seed, same order: ${JSON.stringify(again)} vs ${JSON.stringify(first)}`);
      // A quarter sent twice: one request, again later; the first sends keep their order.
      const doubled = await chaosRun('0.25', 'bulk-chaos-summary.png');
      assert(doubled.duplicated.length === 1, `sent twice: ${doubled.duplicated}`);
      const seconds = doubled.order.filter(([, second]) => second).map(([id]) => id);
      assert(JSON.stringify(seconds) === JSON.stringify(doubled.duplicated), `second sends ${JSON.stringify(doubled.order)}`);
      const firsts = doubled.order.filter(([, second]) => !second).map(([id]) => id);
      assert(JSON.stringify(firsts) === JSON.stringify(order), `first sends in the seed's order: ${firsts} vs ${order}`);
      await pressKey('\uE00C'); // Escape: clears the selection
      await until('selection cleared', async () => (await checkedIds()).length === 0);
      await clearSearch();
    });
  } finally {
    receiver.server.close();
  }
}

async function sendSampleSteps() {
  await step('the Send sample dialog (s) sends a signed Stripe sample that is listed as verified', async () => {
    await clearSearch();
    await pressKey('s');
    await until('sample dialog', () => find('[data-testid=sample-provider]'));
    await typeInto('[data-testid=sample-provider-search]', 'stripe');
    await until('stripe chosen', async () => (await exec("return document.querySelector('[data-testid=sample-provider]').value")) === 'stripe');
    await choose('[data-testid=sample-event]', 'payment_intent.succeeded');
    await until('the sample body loaded', () => find('[data-testid=sample-body-slot][data-sample="stripe/payment_intent.succeeded"]'));
    const body = await until('the sample body shown', async () => {
      const text = await exec("return document.querySelector('[data-testid=sample-body] .cm-content')?.textContent ?? ''");
      return text.includes('payment_intent') ? text : null;
    });
    assert(!body.includes(STRIPE_SECRET), 'no secret in the body');
    await click('[data-testid=sample-target-endpoint]');
    await choose('[data-testid=sample-endpoint]', 'stripe');
    assert(!(await exec("return !!document.querySelector('[data-testid=sample-note]')")), 'no warning for a stripe endpoint with a secret');
    await click('[data-testid=sample-send]');
    const result = await until('the answer', async () => {
      const error = await exec("return document.querySelector('[data-testid=sample-error]')?.textContent ?? null");
      if (error) throw new Error(`the dialog says ${error}`);
      return exec("return document.querySelector('[data-testid=sample-result]')?.textContent ?? null");
    });
    assert(result.startsWith('Answered 200'), `result ${result}`);
    await screenshot('send-sample.png');
    await click('[data-testid=sample-close]');
    // Nothing else is sent to the stripe endpoint: its one row is the sample, on top of the list.
    const row = await until('the sample in the list', () =>
      exec(
        "const r = [...document.querySelectorAll('[data-testid=request-row]')].find(r => r.querySelector('.endpoint')?.textContent === 'stripe'); return r ? { id: r.dataset.id, path: r.querySelector('.path').textContent, sig: r.querySelector('.sig')?.textContent ?? null } : null",
      ),
    );
    assert((await rowIds())[0] === row.id, 'the newest request');
    assert(row.path.startsWith('/sample-stripe'), `sent to the endpoint's path: ${row.path}`);
    assert(row.sig && row.sig.includes('✓'), `signature badge ${row.sig}`);
  });
}

// ---- Event types, retries, diff and schema ---------------------------------------------------
// (issue #16) The CLI sends Stripe's signed invoice.paid sample twice to the `stripe` endpoint with
// the same event id (a retry) and a different amount, so that the list shows the event type and
// "attempt 2", the search narrows by event, the diff names the changed pointer, and the schema is
// inferred from the two bodies.

/** Sends Stripe's invoice.paid sample, signed, through the CLI to the app's listener. */
function triggerInvoicePaid(amount) {
  execFileSync(
    process.env.HOOKSCOPE_CLI,
    ['trigger', 'stripe', 'invoice.paid', '--endpoint', 'stripe', '--listen', LISTEN, '--set', '/id="evt_retry"', '--set', `/data/object/amount_paid=${amount}`],
    { stdio: 'inherit' },
  );
}

/** The rows that show `eventType`, newest first: id, attempt tag and endpoint. */
const eventRows = (eventType) =>
  exec(
    "return [...document.querySelectorAll('[data-testid=request-row]')].filter(r => r.querySelector('[data-testid=row-event]')?.textContent.trim() === arguments[0]).map(r => ({ id: r.dataset.id, tag: r.querySelector('[data-testid=row-attempt]')?.textContent.trim() ?? null, endpoint: r.querySelector('.endpoint')?.textContent ?? null }))",
    [eventType],
  );

/** Clicks `css` once it is there (a detail pane still loading its request). */
async function clickOnceThere(css) {
  await until(css, () => find(css));
  await click(css);
}

async function eventSteps() {
  const ids = {};
  await step('a Stripe event sent twice is listed as invoice.paid, the second as "attempt 2"', async () => {
    await clearSearch();
    triggerInvoicePaid(1500);
    triggerInvoicePaid(1700);
    const rows = await until('two invoice.paid rows', async () => {
      const shown = await eventRows('invoice.paid');
      return shown.length === 2 ? shown : null;
    });
    assert(rows.every((r) => r.endpoint === 'stripe'), `both on the stripe endpoint: ${JSON.stringify(rows)}`);
    assert(rows[0].tag === 'attempt 2' && rows[1].tag === null, `attempt tags ${JSON.stringify(rows)}`);
    Object.assign(ids, { retry: rows[0].id, first: rows[1].id });
    await click(`[data-id="${ids.retry}"]`);
    await click('[data-tab=overview]');
    assert((await until('event in the overview', () => textOf('[data-testid=overview-event]'))) === 'invoice.paid', 'overview names the event');
    assert((await textOf('[data-testid=overview-delivery]')).startsWith('evt_retry'), 'overview names the delivery id');
    assert((await textOf('[data-testid=overview-attempt]')).startsWith('2'), 'overview says attempt 2');
    await screenshot('event-retry.png');
    // Folded, the event is one row: its newest attempt, with the count.
    await click('[data-testid=fold-retries]');
    const folded = await until('one folded row', async () => {
      const shown = await eventRows('invoice.paid');
      return shown.length === 1 ? shown : null;
    });
    assert(folded[0].id === ids.retry && folded[0].tag === '2 attempts', `folded row ${JSON.stringify(folded)}`);
    await click('[data-testid=fold-retries]');
    await until('unfolded', async () => (await eventRows('invoice.paid')).length === 2);
  });

  await step('event:invoice.paid in the search box lists only that event type', async () => {
    await typeInto('[data-testid=search]', 'event:invoice.paid');
    await until('only the two invoice.paid requests', async () => sameSet(await rowIds(), [ids.retry, ids.first]));
    // The Overview's button puts the same words in the search box.
    await clearSearch();
    await click(`[data-id="${ids.retry}"]`);
    await click('[data-tab=overview]');
    await clickOnceThere('[data-testid=overview-event-filter]');
    await until('search set from the overview', async () => (await exec("return document.querySelector('[data-testid=search]').value")) === 'event:invoice.paid');
    await until('the two again', async () => sameSet(await rowIds(), [ids.retry, ids.first]));
    // A bad pointer is refused in words near the search box.
    await typeInto('[data-testid=search]', '/data/~9');
    const refused = await until('search error', () => textOf('[data-testid=search-error]'));
    assert(refused.length > 0, 'the refusal is shown');
    await typeInto('[data-testid=search]', 'event:invoice.paid');
    await until('the two once more', async () => sameSet(await rowIds(), [ids.retry, ids.first]));
    assert(!(await exec("return !!document.querySelector('[data-testid=search-error]')")), 'the refusal is gone');
  });

  await step('two selected requests and d show a diff naming the changed pointer', async () => {
    await exec('document.activeElement?.blur()');
    await click(`[data-id="${ids.first}"]`);
    await pressKey('x');
    await clickWith(CTRL, `[data-id="${ids.retry}"]`);
    await until('two selected', async () => sameSet(await checkedIds(), [ids.first, ids.retry]));
    await exec('document.activeElement?.blur()');
    await pressKey('d');
    await until('diff dialog', () => find('[data-testid=diff-dialog]'));
    assert((await textOf('[data-testid=diff-before-id]')) === ids.first, 'the older request on the left');
    const where = await until('the amount named', async () => {
      const shown = await textsOf('[data-testid=diff-body] [data-testid=diff-where]');
      return shown.includes('/data/object/amount_paid') ? shown : null;
    });
    assert(!where.includes('/id'), `the same event id is not a difference: ${where}`);
    await screenshot('diff.png');
    // Hiding volatile fields drops at least the signature header, and keeps the amount.
    await click('[data-testid=diff-hide-volatile]');
    await until('volatile hidden', async () => (await textOf('[data-testid=diff-summary]')).includes('volatile hidden'));
    assert(
      (await textsOf('[data-testid=diff-body] [data-testid=diff-where]')).includes('/data/object/amount_paid'),
      'the amount is still named',
    );
    await click('[data-testid=diff-close]');
    await until('dialog closed', async () => !(await exec("return !!document.querySelector('[data-testid=diff-dialog]')")));
    await pressKey('\uE00C'); // Escape: clears the selection
    await until('selection cleared', async () => (await checkedIds()).length === 0);
  });

  await step('the Schema tab infers the invoice.paid schema from the 2 samples', async () => {
    await click(`[data-id="${ids.retry}"]`);
    await clickOnceThere('[data-tab=schema]');
    const samples = await until('schema summary', () => textOf('[data-testid=schema-samples]'));
    assert(samples.startsWith('Inferred from 2 samples'), `schema says ${samples}`);
    const lines = await until('schema text', async () => {
      const shown = await exec("return [...document.querySelectorAll('[data-testid=schema-panel] .cm-line')].map(l => l.textContent)");
      return shown.length > 3 ? shown : null;
    });
    // The editor draws only the lines in view: the top of the document says what it is.
    assert(
      lines.some((l) => l.includes('"$schema": "https://json-schema.org/draft/2020-12/schema"')) &&
        lines.some((l) => l.includes('"x-samples": 2')),
      `schema heading: ${JSON.stringify(lines.slice(0, 8))}`,
    );
    await screenshot('schema.png');
    await click('[data-tab=body]');
    await clearSearch();
  });
}

main().catch(crashed);

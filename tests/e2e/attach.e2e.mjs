// Two Hookscopes on one database, in the real window: `hookscope serve` holds the window's
// address and database before the window opens, so the window attaches to it (the status bar
// says so, serve's captures appear live), "Use another port" gives the window a listener of its
// own, and a serve started on the window's port attaches the other way round. A second window
// attached to the same serve takes the address over when serve is killed.
//
// Environment (set by run.sh): DRIVER_URL, APP, LISTEN (also HOOKSCOPE_LISTEN), HOOKSCOPE_DB,
// HOOKSCOPE_CLI (the built CLI), SCREENSHOTS.

import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { assert, click, crashed, endSession, exec, finish, startSession, step, textOf, until } from './webdriver.mjs';

const { APP, LISTEN, HOOKSCOPE_CLI: CLI, HOOKSCOPE_DB: DB } = process.env;
if (!APP || !LISTEN || !CLI || !DB) throw new Error('APP, LISTEN, HOOKSCOPE_CLI and HOOKSCOPE_DB must be set');

/** `hookscope serve ARGS` on the suite's database (and, without --listen, its address). */
function startServe(args = []) {
  const child = spawn(CLI, ['serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    /** The first printed line matching `pattern`. */
    line: (what, pattern) => until(what, () => lines.find((l) => pattern.test(l)), 20000),
  };
}

/** A JSON POST over real TCP; resolves to the status and the id Hookscope answered. */
function post(address, path) {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const body = '{"from":"attach.e2e"}';
    const req = request(
      { host, port: Number(port), path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, id: JSON.parse(Buffer.concat(chunks).toString() || '{}').id }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const rowShown = (id) => exec('return !!document.querySelector(`[data-testid=request-row][data-id="${arguments[0]}"]`)', [id]);
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function main() {
  // serve holds the window's address and database before the window opens.
  const serve = startServe();
  await serve.line('serve listening', new RegExp(`^hookscope listening on http://${escaped(LISTEN)} `));
  await startSession(APP);
  let own = null;
  try {
    await step('the window attaches: the status bar says capture runs in hookscope serve, its pid and address', async () => {
      const text = await until('attached status', () => textOf('[data-testid=capture-elsewhere]'));
      assert(text === `Capturing in hookscope serve (pid ${serve.child.pid}) on ${LISTEN}`, `status bar says ${text}`);
      const banner = await textOf('[data-testid=attached-banner]');
      assert(banner.includes('Use another port') && !banner.includes('not running'), `banner says ${banner}`);
      const failed = await exec("return !!document.querySelector('[data-testid=engine-error]')");
      assert(!failed, 'no "listener is not running" banner');
    });

    await step("a POST to serve's listener appears in the window's list live", async () => {
      const { status, id } = await post(LISTEN, '/captured-by-serve');
      assert(status === 200 && id, `serve answered ${status}`);
      await until(`row ${id} in the list`, () => rowShown(id));
      await serve.line('serve printed it', new RegExp(escaped(id)));
    });

    await step('"Use another port" gives the window a working listener of its own', async () => {
      await click('[data-testid=use-another-port]');
      const url = await until('own listener URL', () => textOf('[data-testid=listener-url]'));
      own = url.replace('http://', '');
      assert(own.startsWith('127.0.0.1:') && own !== LISTEN, `window listens on ${own}`);
      const banner = await exec("return !!document.querySelector('[data-testid=attached-banner]')");
      assert(!banner, 'the attached banner is gone');
      const { status, id } = await post(own, '/captured-by-the-window');
      assert(status === 200 && id, `the window answered ${status}`);
      await until(`row ${id} in the list`, () => rowShown(id));
      // serve still captures into the same database, and the window still shows it.
      const fromServe = await post(LISTEN, '/still-captured-by-serve');
      await until(`row ${fromServe.id} in the list`, () => rowShown(fromServe.id));
    });

    await step('serve started on the window\'s port attaches to the window and prints what it captures', async () => {
      assert(own, 'the window has a port of its own');
      const second = startServe(['--listen', own]);
      try {
        const line = await second.line(
          'attach line',
          new RegExp(`capture runs in the Hookscope window \\(pid \\d+\\) on http://${escaped(own)} `),
        );
        assert(line.startsWith('hookscope: '), line);
        const { id } = await post(own, '/captured-by-the-window-printed-by-serve');
        await second.line('the window\'s capture printed by serve', new RegExp(escaped(id)));
      } finally {
        second.child.kill('SIGINT');
        const { code } = await second.exited;
        assert(code === 0, `the attached serve exits cleanly on Ctrl-C (code ${code})`);
      }
    });
  } finally {
    await endSession();
  }

  // A second window, attached to the same serve, which then gets killed: the window takes the
  // address over and captures itself.
  await startSession(APP);
  try {
    await step('when the serve it is attached to is killed, the window takes its address over', async () => {
      await until('attached status', () => textOf('[data-testid=capture-elsewhere]'));
      serve.child.kill('SIGKILL');
      await serve.exited;
      const url = await until('own listener URL', () => textOf('[data-testid=listener-url]'), 20000);
      assert(url === `http://${LISTEN}`, `window listens on ${url}`);
      const { status, id } = await post(LISTEN, '/captured-after-the-take-over');
      assert(status === 200 && id, `the window answered ${status}`);
      await until(`row ${id} in the list`, () => rowShown(id));
    });
  } finally {
    await endSession();
    if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGINT');
  }
  finish();
}

main().catch(crashed);

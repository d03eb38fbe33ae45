// The app's processes and their memory, read from /proc, for the scripts that measure the real
// window (measure.mjs, bench-window.mjs) and the list's bench page (ui/bench/list-burst.mjs).

import { readFileSync, readdirSync, realpathSync } from 'node:fs';

/** Every process: pid, parent pid, executable (resolved) and name. */
function processes() {
  const all = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try {
        exe = realpathSync(`/proc/${pid}/exe`);
      } catch {}
      all.push({ pid: Number(pid), ppid, exe, name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {}
  }
  return all;
}

/** The one process running `app` (a resolved path) and all its descendants (WebKit's web and
 *  network processes), the app first. */
export function processTree(app) {
  const all = processes();
  const found = all.filter((p) => p.exe === app);
  if (found.length !== 1) throw new Error(`expected one app process, found ${found.length}`);
  return withDescendants(found, all);
}

/** The process `pid` and all its descendants, it first (none when it is gone). */
export function processTreeOf(pid) {
  const all = processes();
  return withDescendants(
    all.filter((p) => p.pid === pid),
    all,
  );
}

function withDescendants(roots, all) {
  const tree = [...roots];
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((p) => p.ppid === tree[i].pid));
  return tree;
}

/** A field of /proc/PID/smaps_rollup, in kB. */
export function rollupKb(pid, field) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)[1]);
}

import { describe, expect, it } from 'vitest';
import shellLib from '../../../../src-tauri/src/lib.rs?raw';
import shellEvents from '../../../../src-tauri/src/events.rs?raw';
import shellBulk from '../../../../src-tauri/src/commands_bulk.rs?raw';
import shellNotifications from '../../../../src-tauri/src/notifications.rs?raw';
import shellBuild from '../../../../src-tauri/build.rs?raw';
import capabilities from '../../../../src-tauri/capabilities/main.json';
import { Command, EngineEventName } from './names';

/** The command names in the shell's `generate_handler![...]` list. */
function handlerNames(source: string): string[] {
  const list = /generate_handler!\[([^\]]*)\]/.exec(source);
  if (!list) throw new Error('no generate_handler! list in the shell');
  return list[1]
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((path) => path.split('::').pop() as string);
}

/** The string values of `pub const NAME: &str = "...";` items. */
const stringConsts = (source: string): string[] =>
  [...source.matchAll(/pub const \w+: &str = "([^"]+)";/g)].map((m) => m[1]);

describe('names shared with the shell', () => {
  it('has exactly the commands the shell registers', () => {
    expect(Object.values(Command).sort()).toEqual(handlerNames(shellLib).sort());
  });

  it('has a permission generated and granted for every command, and no other', () => {
    const generated = /const COMMANDS: &\[&str\] = &\[([^\]]*)\]/.exec(shellBuild);
    if (!generated) throw new Error('no COMMANDS list in src-tauri/build.rs');
    const built = [...generated[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(built.sort()).toEqual(Object.values(Command).sort());
    const granted = (capabilities.permissions as string[])
      .filter((p) => p.startsWith('allow-'))
      .map((p) => p.slice('allow-'.length).replaceAll('-', '_'));
    expect(granted.sort()).toEqual(Object.values(Command).sort());
  });

  it('has exactly the event names the shell emits', () => {
    expect(Object.values(EngineEventName).sort()).toEqual([
      ...stringConsts(shellEvents),
      ...stringConsts(shellBulk),
      ...stringConsts(shellNotifications),
    ].sort());
  });
});

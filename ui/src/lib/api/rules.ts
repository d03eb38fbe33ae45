// The endpoint editor's rules section: an endpoint's ordered response rules. A failed command
// rejects with a message that names the option at fault (e.g. "--percent: ...").

import type { RuleSpec, StoredRule } from '../bindings';
import { call } from './call';
import { Command } from './names';

export const listRules = (endpoint: string) => call<StoredRule[]>(Command.listRules, { endpoint });
export const addRule = (endpoint: string, spec: RuleSpec) => call<StoredRule>(Command.addRule, { endpoint, spec });
export const removeRule = (endpoint: string, position: number) =>
  call<StoredRule>(Command.removeRule, { endpoint, position });
export const moveRule = (endpoint: string, from: number, to: number) =>
  call<StoredRule[]>(Command.moveRule, { endpoint, from, to });
export const resetRules = (endpoint: string) => call<number>(Command.resetRules, { endpoint });

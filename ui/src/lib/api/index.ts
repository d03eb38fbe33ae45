// The window's only way to the engine: the shell's commands and events, one file per area.
// Components import from here; names.ts holds every command and event name.

export { Command, EngineEventName, type CommandName, type EngineEventNameValue } from './names';
export * from './requests';
export * from './events';
export * from './actions';
export * from './tunnel';
export * from './bulk';
export * from './endpoints';
export * from './clipboard';
export * from './rules';
export * from './samples';
export * from './reading';
export * from './listener';
export * from './desktop';

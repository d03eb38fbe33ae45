// The window's own listener, when it started attached to another Hookscope (see
// src-tauri/src/commands_listener.rs).

import { call } from './call';
import { Command } from './names';

/** Starts a listener of the window's own on a free port; resolves to its `http://ADDR`. */
export const useAnotherPort = () => call<string>(Command.useAnotherPort);

// The status bar's tunnel slot: what to say and which button to offer for each state.

import type { TunnelState } from './bindings';

export type TunnelView = {
  text: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
  /** The public URL to show and copy, when online. */
  url: string | null;
  /** The toggle's action: start when nothing runs (or it failed), stop otherwise. */
  action: 'start' | 'stop';
};

export function tunnelView(state: TunnelState): TunnelView {
  switch (state.state) {
    case 'off':
      return { text: 'off', tone: 'muted', url: null, action: 'start' };
    case 'connecting':
      return { text: 'connecting…', tone: 'warn', url: null, action: 'stop' };
    case 'online':
      return { text: 'online', tone: 'ok', url: state.url, action: 'stop' };
    case 'reconnecting':
      return { text: `reconnecting (${state.reason})`, tone: 'warn', url: null, action: 'stop' };
    case 'error':
      return { text: state.message, tone: 'bad', url: null, action: 'start' };
  }
}

/** The state to show after a start command failed, unless an event already said more. */
export function afterFailedStart(current: TunnelState, message: string): TunnelState {
  return current.state === 'error' ? current : { state: 'error', message };
}

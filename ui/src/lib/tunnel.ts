// The status bar's tunnel slot: what to say and which button to offer for each state.

import type { TunnelOptions, TunnelState } from './bindings';

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

export const TUNNEL_SETTINGS_KEY = 'hookscope.tunnelSettings';

/** What the settings popover remembers between runs (never the authtoken). */
export type TunnelSettings = { domain: string; allowCidrs: string };

export function loadTunnelSettings(storage: Pick<Storage, 'getItem'>): TunnelSettings {
  try {
    const saved = JSON.parse(storage.getItem(TUNNEL_SETTINGS_KEY) ?? '{}');
    return { domain: String(saved.domain ?? ''), allowCidrs: String(saved.allowCidrs ?? '') };
  } catch {
    return { domain: '', allowCidrs: '' };
  }
}

export function saveTunnelSettings(storage: Pick<Storage, 'setItem'>, settings: TunnelSettings): void {
  storage.setItem(TUNNEL_SETTINGS_KEY, JSON.stringify(settings));
}

/**
 * The options the tunnel starts with: a reserved domain (empty: the account's own) and the
 * networks allowed in (comma or space separated CIDRs; empty: everyone). The engine checks them.
 */
export function tunnelOptions(settings: TunnelSettings): TunnelOptions {
  const domain = settings.domain.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  return {
    domain: domain || null,
    basic_auth: null,
    allow_cidrs: settings.allowCidrs.split(/[\s,]+/).filter((c) => c !== ''),
    deny_cidrs: [],
    server_addr: null,
    connect_timeout_ms: null,
  };
}

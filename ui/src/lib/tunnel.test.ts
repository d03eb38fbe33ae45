import { describe, expect, it } from 'vitest';
import { afterFailedStart, loadTunnelSettings, saveTunnelSettings, tunnelOptions, tunnelView } from './tunnel';

describe('the tunnel slot', () => {
  it('offers Start when off or failed, Stop while connecting, online or reconnecting', () => {
    expect(tunnelView({ state: 'off' })).toEqual({ text: 'off', tone: 'muted', url: null, action: 'start' });
    expect(tunnelView({ state: 'connecting' }).action).toBe('stop');
    expect(tunnelView({ state: 'online', url: 'https://a.ngrok.app' })).toEqual({
      text: 'online',
      tone: 'ok',
      url: 'https://a.ngrok.app',
      action: 'stop',
    });
    expect(tunnelView({ state: 'reconnecting', reason: 'network lost' }).text).toBe('reconnecting (network lost)');
    const error = tunnelView({ state: 'error', message: 'no ngrok authtoken: copy yours from …' });
    expect(error).toEqual({ text: 'no ngrok authtoken: copy yours from …', tone: 'bad', url: null, action: 'start' });
  });

  it('shows a failed start as an error unless an event already did', () => {
    expect(afterFailedStart({ state: 'off' }, 'engine not running')).toEqual({ state: 'error', message: 'engine not running' });
    const fromEvent = { state: 'error' as const, message: 'no ngrok authtoken' };
    expect(afterFailedStart(fromEvent, 'other words')).toBe(fromEvent);
  });

  it('starts with the saved domain and allow-list, and never with a token', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(loadTunnelSettings(storage)).toEqual({ domain: '', allowCidrs: '' });
    saveTunnelSettings(storage, { domain: 'https://hooks.example.com/', allowCidrs: '3.18.12.63/32, 10.0.0.0/8 ' });
    const options = tunnelOptions(loadTunnelSettings(storage));
    expect(options.domain).toBe('hooks.example.com');
    expect(options.allow_cidrs).toEqual(['3.18.12.63/32', '10.0.0.0/8']);
    expect('authtoken' in options).toBe(false);
    expect(tunnelOptions({ domain: ' ', allowCidrs: '' })).toMatchObject({ domain: null, allow_cidrs: [] });
    map.set('hookscope.tunnelSettings', 'not json');
    expect(loadTunnelSettings(storage)).toEqual({ domain: '', allowCidrs: '' });
  });
});

// The ngrok tunnel and the outages it recorded (see src-tauri/src/commands_tunnel.rs).

import type { TunnelOptions, TunnelOutage, TunnelState } from '../bindings';
import { call } from './call';
import { Command } from './names';

export const tunnelState = () => call<TunnelState>(Command.tunnelState);
export const tunnelStart = (options: TunnelOptions | null = null) => call<string>(Command.tunnelStart, { options });
export const tunnelStop = () => call<void>(Command.tunnelStop);
export const tunnelHasAuthtoken = () => call<boolean>(Command.tunnelHasAuthtoken);
/** Saves the token (empty forgets it); the answer says only whether a token is now available. */
export const tunnelSaveAuthtoken = (token: string) => call<boolean>(Command.tunnelSaveAuthtoken, { token });
/** Times the tunnel was down, for the markers between the list's rows. */
export const listTunnelOutages = () => call<TunnelOutage[]>(Command.listTunnelOutages);

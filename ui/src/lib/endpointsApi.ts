// The endpoint editor's and the tunnel-gap markers' commands. A failed endpoint command rejects
// with an EndpointCommandError ({field, message}).

import { invoke } from '@tauri-apps/api/core';
import type { EndpointChanges, EndpointSaved, EndpointView, ProviderChoice, TunnelOutage } from './bindings';

export const listEndpoints = () => invoke<EndpointView[]>('list_endpoints');
export const addEndpoint = (changes: EndpointChanges) => invoke<EndpointView>('add_endpoint', { changes });
export const changeEndpoint = (id: number, changes: EndpointChanges) =>
  invoke<EndpointSaved>('change_endpoint', { id, changes });
export const removeEndpoint = (id: number) => invoke<null>('remove_endpoint', { id });
export const listProviders = () => invoke<ProviderChoice[]>('list_providers');
export const listTunnelOutages = () => invoke<TunnelOutage[]>('list_tunnel_outages');

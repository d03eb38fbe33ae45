// The endpoint editor's commands. A failed endpoint command rejects with an
// EndpointCommandError ({field, message}).

import type { EndpointChanges, EndpointSaved, EndpointView, ProviderChoice } from '../bindings';
import { call } from './call';
import { Command } from './names';

export const listEndpoints = () => call<EndpointView[]>(Command.listEndpoints);
export const addEndpoint = (changes: EndpointChanges) => call<EndpointView>(Command.addEndpoint, { changes });
export const changeEndpoint = (id: number, changes: EndpointChanges) =>
  call<EndpointSaved>(Command.changeEndpoint, { id, changes });
export const removeEndpoint = (id: number) => call<null>(Command.removeEndpoint, { id });
export const listProviders = () => call<ProviderChoice[]>(Command.listProviders);

// Sample events (see issue #14): the catalogue of realistic, signed webhooks per provider, sent
// to an endpoint or a URL, and a captured request saved as a sample of its own.

import type { DeliveryAttempt, SampleSummary, SampleTarget } from '../bindings';
import { call } from './call';
import { Command } from './names';

/** One sample of the catalogue (built in, or saved by the user from a captured request). */
export type SampleInfo = SampleSummary;
export type { SampleTarget };

/** Every sample, built-in and saved. */
export const listSamples = () => call<SampleInfo[]>(Command.listSamples);

/** The sample's body text, its placeholders (`{{now}}`, `{{uuid}}`, ...) not yet filled. */
export const sampleBody = (provider: string, event: string) => call<string>(Command.sampleBody, { provider, event });

/**
 * Fills, signs (with the endpoint's newest secret) and sends the sample; `body` null sends the
 * sample's own. Rejects with a message (an unknown event with the closest names, no secret
 * known, a body that is not JSON, ...); an unreachable target is a failed attempt.
 */
export const sendSample = (provider: string, event: string, body: string | null, target: SampleTarget) =>
  call<DeliveryAttempt>(Command.sendSample, { provider, event, body, target });

/** Turns captured request `id` into a user sample of its provider named `name`. */
export const saveSample = (id: string, name: string) => call<SampleInfo>(Command.saveSample, { id, name });

// Reading across requests (see issue #16): the diff of two requests (or of a request and a
// delivery) and the JSON Schema inferred from the stored bodies of one event type.

import type { InferredSchema, RequestDiff } from '../bindings';
import { call } from './call';
import { Command } from './names';

/**
 * Compares `before` with `after` (request or delivery ids); `hideVolatile` leaves out ids,
 * timestamps and signatures. Rejects with a message naming an unknown id.
 */
export const diffRequests = (before: string, after: string, hideVolatile: boolean) =>
  call<RequestDiff>(Command.diffRequests, { before, after, hideVolatile });

/** The schema of the stored bodies of `eventType`, of `endpoint` only when given. */
export const inferSchema = (eventType: string, endpoint: string | null) =>
  call<InferredSchema>(Command.inferSchema, { eventType, endpoint });

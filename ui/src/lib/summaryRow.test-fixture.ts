import type { RequestSummary } from './bindings';

/** A captured-request summary for unit tests: request `seq`, received `seq` seconds after the epoch. */
export function summaryRow(seq: number, extra: Partial<RequestSummary> = {}): RequestSummary {
  return {
    seq,
    id: `id${seq}`,
    endpoint_name: null,
    received_at_ns: seq * 1e9,
    source: 'local',
    remote_addr: '127.0.0.1:1',
    method: 'POST',
    target: `/hook/${seq}`,
    content_type: null,
    body_size: 0,
    truncated: false,
    response_status: 200,
    signature_status: null,
    signature_provider: null,
    rule: null,
    event_type: null,
    delivery_id: null,
    attempt: null,
    ...extra,
  };
}

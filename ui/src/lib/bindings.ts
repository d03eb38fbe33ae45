// Generated from the Rust types by src-tauri/tests/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p hookscope-desktop --test bindings` instead.

export type CaptureSource = "local" | "tunnel" | "imported";

export type HeaderField = { name: string, value: string, };

export type RecordedResponse = { status: number, headers: Array<HeaderField>, body: string, 
/**
 * Why this answer was given when it was not the endpoint's plain rule
 * (a handshake answered by Hookscope, a body over the limit, a passthrough).
 */
note: string | null, };

export type VerdictStatus = "verified" | "failed" | "unsigned" | "no_secret" | "unknown_provider";

export type SignatureVerdict = { 
/**
 * Provider id used for the check.
 */
provider: string | null, 
/**
 * True when the provider was detected from headers rather than configured.
 */
detected: boolean, status: VerdictStatus, 
/**
 * Which secret (0-based, in the endpoint's order) matched.
 */
matched_secret: number | null, 
/**
 * The failed step or the diagnosis, in words a user can act on.
 */
reason: string | null, 
/**
 * Stable code of the diagnosis (`timestamp_outside_tolerance`, `secret_encoding`, `body_modified`,
 * `url_mismatch`, `algorithm_mismatch`, `older_secret`, `signature_mismatch`, `malformed_header`, ...).
 */
diagnosis?: string | null, 
/**
 * What the provider signs, as a template (`v0:{timestamp}:{body}`); never contains a secret.
 */
signed_content?: string | null, 
/**
 * The signature the newest secret produces (HMAC schemes), to compare with `received_signature`.
 */
expected_signature?: string | null, 
/**
 * The signature value as it arrived (not shown for token schemes, whose value is the secret).
 */
received_signature?: string | null, };

export type CapturedRequest = { 
/**
 * Sortable unique id (ULID).
 */
id: string, endpoint_id: number | null, endpoint_name: string | null, 
/**
 * Nanoseconds since the Unix epoch.
 */
received_at_ns: number, source: CaptureSource, remote_addr: string | null, method: string, 
/**
 * The request target exactly as sent: path and raw query, percent-encoding untouched.
 */
target: string, 
/**
 * "HTTP/1.1", "HTTP/1.0", ...
 */
http_version: string, 
/**
 * Headers in arrival order, original casing, duplicates kept.
 */
headers: Array<HeaderField>, 
/**
 * The body bytes exactly as received (never decoded or re-encoded).
 */
body: string, 
/**
 * The body's full size as sent, which is larger than `body.len()` when truncated.
 */
body_size: number, 
/**
 * True when only the first bytes of the body were kept (body over the limit).
 */
truncated: boolean, response: RecordedResponse, signature: SignatureVerdict | null, };

export type RequestSummary = { 
/**
 * Store order key (monotonic); use it for keyset pagination.
 */
seq: number, id: string, endpoint_name: string | null, received_at_ns: number, source: CaptureSource, remote_addr: string | null, method: string, target: string, content_type: string | null, body_size: number, truncated: boolean, response_status: number, signature_status: VerdictStatus | null, signature_provider: string | null, };

export type TunnelState = { "state": "off" } | { "state": "connecting" } | { "state": "online", url: string, } | { "state": "reconnecting", reason: string, } | { "state": "error", message: string, };

export type EngineEvent = { "type": "request_captured" } & RequestSummary | { "type": "delivery_finished", request_id: string, delivery_id: string, status: number | null, error: string | null, } | { "type": "tunnel_status_changed" } & TunnelState | { "type": "retention_pruned", removed: number, };

export type TextSyntax = "plain" | "html";

export type FormField = { name: string, value: string, };

export type BodyPart = { 
/**
 * Position among the parts, from 0; the path element for [`part_bytes`].
 */
index: number, 
/**
 * The part's headers (names lower-cased by the parser, values as sent).
 */
headers: Array<HeaderField>, 
/**
 * `name` of the Content-Disposition header.
 */
name: string | null, 
/**
 * `filename` of the Content-Disposition header.
 */
filename: string | null, contentType: string | null, size: number, 
/**
 * The part rendered like a body of its own (nested multipart down to `max_depth`).
 */
view: BodyView, };

export type BodyContent = { "kind": "empty" } | { "kind": "json", pretty: string, original: string, charset: string, hadInvalidBytes: boolean, } | { "kind": "xml", text: string, charset: string, hadInvalidBytes: boolean, svg: boolean, } | { "kind": "form", fields: Array<FormField>, } | { "kind": "multipart", subtype: string, boundary: string, parts: Array<BodyPart>, error: string | null, } | { "kind": "text", text: string, syntax: TextSyntax, charset: string, hadInvalidBytes: boolean, } | { "kind": "image", mime: string, base64: string | null, } | { "kind": "binary", mime: string | null, hexDump: string, };

export type BodyView = { 
/**
 * Size of the body as captured (before any content-encoding was undone).
 */
totalSize: number, 
/**
 * The Content-Type header as sent, if any.
 */
declaredType: string | null, 
/**
 * Content-Encoding tokens in the order the sender applied them (`identity` omitted).
 */
contentEncodings: Array<string>, 
/**
 * Size after undoing the content-encodings, when that succeeded.
 */
decodedSize: number | null, 
/**
 * Why the content-encoding could not be undone; `content` then shows the captured bytes.
 */
decodeError: string | null, 
/**
 * True when `content` shows only the first part of the body (or of its parts or fields).
 */
previewTruncated: boolean, content: BodyContent, };

export type RenderOptions = { 
/**
 * Most bytes a content-encoding may decode to; beyond it the decode fails with a message.
 */
maxDecodedSize: number, 
/**
 * Most bytes of text (JSON, XML, text, form input) returned in a preview.
 */
maxTextPreview: number, 
/**
 * Most bytes shown in a binary hex dump.
 */
maxHexPreview: number, 
/**
 * Largest image returned as base64 for preview.
 */
maxImageSize: number, 
/**
 * Most multipart parts listed.
 */
maxParts: number, 
/**
 * Most form fields listed.
 */
maxFormFields: number, 
/**
 * How deep multipart parts nested in multipart parts are rendered.
 */
maxDepth: number, };

export type RequestDetail = { 
/**
 * The request; `request.body` holds only the first preview bytes of what was stored.
 */
request: CapturedRequest, 
/**
 * Bytes of body stored (the whole body, or its first part when the capture was truncated).
 */
stored_len: number, 
/**
 * True when `request.body` is shorter than what is stored.
 */
preview_cut: boolean, };

export type ListenerInfo = { 
/**
 * `http://ADDR` of the capture listener, when it runs.
 */
url: string | null, db_path: string, 
/**
 * Why the engine did not start (address in use, database unreadable, ...).
 */
error: string | null, };

export type RequestFilter = { limit: number, 
/**
 * Only requests older than this `seq` (the last row of the previous page).
 */
before_seq: number | null, search: string | null, method: string | null, endpoint: string | null, status: number | null, header: string | null, };

export type DeliveryKind = "replay" | "auto_forward" | "passthrough";

export type OutgoingRequest = { method: string, 
/**
 * The full URL: scheme, authority, path and raw query, exactly as requested.
 */
url: string, 
/**
 * Header lines in the order and casing they are written, duplicates kept.
 */
headers: Array<HeaderField>, body: string, };

export type DeliveryResponse = { status: number, headers: Array<HeaderField>, 
/**
 * The body bytes as received (never decoded); only the first bytes when `truncated`.
 */
body: string, body_size: number, truncated: boolean, };

export type FailureKind = "invalid_url" | "invalid_request" | "dns" | "connection_refused" | "connect" | "tls" | "timeout" | "protocol" | "signing";

export type DeliveryFailure = { kind: FailureKind, message: string, };

export type DeliveryAttempt = { 
/**
 * Sortable unique id (ULID).
 */
id: string, request_id: string, kind: DeliveryKind, 
/**
 * The target as the user gave it (before the path suffix and query were appended).
 */
target: string, 
/**
 * Nanoseconds since the Unix epoch.
 */
started_at_ns: number, 
/**
 * From the first byte sent to the last byte of the answer (or the failure), microseconds.
 */
duration_us: number, sent: OutgoingRequest, 
/**
 * True when method, URL, headers or body were edited before sending.
 */
edited: boolean, 
/**
 * True when the request was signed again with a fresh timestamp.
 */
resigned: boolean, response: DeliveryResponse | null, error: DeliveryFailure | null, };

export type HeaderChange = { name: string, value: string | null, };

export type RequestEdit = { method: string | null, 
/**
 * A full URL, used as given (no path suffix or query is appended).
 */
url: string | null, 
/**
 * The complete header list, in order (Host and Content-Length are still set for the target).
 */
headers: Array<HeaderField> | null, body: string | null, 
/**
 * Header changes applied after `headers` (or to the captured headers): the one header edit
 * that fits every request of a bulk replay.
 */
header_changes?: Array<HeaderChange>, };

export type ReplayOptions = { 
/**
 * The target URL; the captured path suffix and query are appended (see [`super::target`])
 * unless `edit.url` replaces the whole URL.
 */
target: string, kind: DeliveryKind, edit: RequestEdit, 
/**
 * Sign again with a fresh timestamp (needs an endpoint with a provider and a secret).
 */
resign: boolean, };

export type BasicAuth = { username: string, password?: string, };

export type TunnelOptions = { 
/**
 * The ngrok authtoken; when empty, `NGROK_AUTHTOKEN` and then the stored token are used.
 */
authtoken?: string | null, 
/**
 * A domain reserved in the ngrok dashboard (e.g. `hooks.example.com`); `None` takes the
 * account's assigned domain.
 */
domain: string | null, 
/**
 * Require HTTP basic auth from senders (most providers can put credentials in the URL).
 */
basic_auth: BasicAuth | null, 
/**
 * Only these client networks (CIDR, e.g. `3.18.12.63/32`) may reach the tunnel.
 */
allow_cidrs: Array<string>, 
/**
 * These client networks may not reach the tunnel.
 */
deny_cidrs: Array<string>, 
/**
 * ngrok's agent server as `host:port`; `None` is ngrok's own.
 */
server_addr: string | null, 
/**
 * How long the first connection to ngrok may take; `None` is 20 s.
 */
connect_timeout_ms: number | null, };

export type BulkRequests = { "kind": "ids", ids: Array<string>, } | { "kind": "matching", filter: RequestFilter, };

export type BulkReplayOptions = { 
/**
 * At most this many in flight at once (at least 1).
 */
concurrency: number, 
/**
 * At most this many started per second; null for no limit.
 */
rate_per_second: number | null, 
/**
 * The target, re-signing and edits, applied to every request.
 */
replay: ReplayOptions, };

export type BulkProgress = { done: number, total: number, request_id: string, status: number | null, error: string | null, };

export type BulkReplayProgress = { run: string, progress: BulkProgress, };

export type BulkFailure = { request_id: string, delivery_id: string | null, status: number | null, error: string | null, };

export type BulkSummary = { 
/**
 * Requests for which an attempt was made (answered or not).
 */
sent: number, success: number, non_success: number, 
/**
 * Requests with no answer (network errors) or that could not be attempted.
 */
errors: number, 
/**
 * Every request without a 2xx, in capture order.
 */
failures: Array<BulkFailure>, 
/**
 * The run was cancelled before every request was started.
 */
cancelled: boolean, 
/**
 * Requests never started because the run was cancelled.
 */
not_sent: number, };

export type AutoForwardMode = "async" | "passthrough";

export type ResponseRule = { status: number, headers: Array<HeaderField>, 
/**
 * Body template; `None` answers the default small JSON body naming the captured id.
 */
body: string | null, delay_ms: number, };

export type EndpointView = { id: number, name: string, path_prefix: string, 
/**
 * `None` auto-detects.
 */
provider: string | null, 
/**
 * How many signing secrets are configured; their values never leave the engine.
 */
secret_count: number, verify_token_set: boolean, public_url: string | null, response: ResponseRule, handshake_enabled: boolean, forward_targets: Array<string>, auto_forward: AutoForwardMode | null, };

export type TextChange = { "kind": "keep" } | { "kind": "set", value: string, } | { "kind": "clear" };

export type SecretsChange = { "kind": "keep" } | { "kind": "replace", secrets: Array<string>, } | { "kind": "add_newest", secret: string, } | { "kind": "clear" };

export type AutoForwardSetting = "off" | "async" | "passthrough";

export type EndpointChanges = { name: string | null, path_prefix: string | null, 
/**
 * A provider id (`stripe`, `github;tolerance=600`, `generic;...`); `Clear` auto-detects.
 */
provider: TextChange, secrets: SecretsChange, 
/**
 * Meta's `hub.verify_token`.
 */
verify_token: TextChange, 
/**
 * The public URL the provider signs (Twilio, Square).
 */
public_url: TextChange, status: number | null, 
/**
 * Replaces every response header.
 */
headers: Array<HeaderField> | null, 
/**
 * The response body template; `Clear` answers the default `{"ok":true,"id":...}`.
 */
body: TextChange, delay_ms: number | null, handshake_enabled: boolean | null, 
/**
 * Replaces every forward target.
 */
forward_targets: Array<string> | null, auto_forward: AutoForwardSetting | null, };

export type EndpointField = "name" | "path_prefix" | "provider" | "secrets" | "verify_token" | "public_url" | "status" | "headers" | "body" | "delay_ms" | "forward_targets" | "auto_forward";

export type EndpointSaved = { endpoint: EndpointView, 
/**
 * Stored requests whose signature verdict was computed again (0 when nothing that signs changed).
 */
rechecked: number, };

export type FieldError = { field: EndpointField | null, message: string, };

export type CommandError = string | FieldError;

export type ProviderChoice = { id: string, name: string, };

export type OutageEnd = "reconnected" | "stopped" | "failed" | "app_closed";

export type TunnelOutage = { id: number, started_at_ns: number, 
/**
 * `None` while it lasts, or when Hookscope closed first.
 */
ended_at_ns: number | null, 
/**
 * `None` while it lasts.
 */
end: OutageEnd | null, 
/**
 * Why the connection was lost.
 */
reason: string, };

// Generated from the Rust types by src-tauri/tests/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p hookscope-desktop --test bindings` instead.

export type CaptureSource = "local" | "tunnel" | "imported" | "sample";

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
truncated: boolean, response: RecordedResponse, signature: SignatureVerdict | null, 
/**
 * The endpoint's response rule that answered (its label, e.g. `#1 first 2 → 503`); `None`
 * when a handshake, a limit or the endpoint's default answered.
 */
rule: string | null, 
/**
 * The provider's event type (`invoice.paid`, `pull_request.opened`), read at capture.
 */
event_type: string | null, 
/**
 * The provider's id of the event or delivery, the same when it is delivered again.
 */
delivery_id: string | null, 
/**
 * 1, 2, ... among the requests with the same provider and delivery id, by arrival.
 */
attempt: number | null, };

export type RequestSummary = { 
/**
 * Store order key (monotonic); use it for keyset pagination.
 */
seq: number, id: string, endpoint_name: string | null, received_at_ns: number, source: CaptureSource, remote_addr: string | null, method: string, target: string, content_type: string | null, body_size: number, truncated: boolean, response_status: number, signature_status: VerdictStatus | null, signature_provider: string | null, 
/**
 * The response rule that answered, when one did.
 */
rule: string | null, 
/**
 * The provider's event type, read at capture.
 */
event_type: string | null, 
/**
 * The provider's id of the event or delivery.
 */
delivery_id: string | null, 
/**
 * 1, 2, ... among the requests with the same provider and delivery id, by arrival.
 */
attempt: number | null, };

export type TunnelState = { "state": "off" } | { "state": "connecting" } | { "state": "online", url: string, } | { "state": "reconnecting", reason: string, } | { "state": "error", message: string, };

export type EngineEvent = { "type": "request_captured" } & RequestSummary | { "type": "delivery_finished", request_id: string, delivery_id: string, status: number | null, error: string | null, } | { "type": "tunnel_status_changed" } & TunnelState | { "type": "retention_pruned", removed: number, };

export type EngineEventsTaken = { 
/**
 * Every event since the last take except the older captures left out.
 */
events: Array<EngineEvent>, 
/**
 * Captures left out of `events` during a burst: stored, and older than every capture in
 * `events` (newer than those taken before).
 */
captures_left_out: number, 
/**
 * Events the window fell too far behind to receive (stored): what it shows must be read again.
 */
missed: number, };

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
 * `http://ADDR` of the capture listener, when it runs (another Hookscope's when attached).
 */
url: string | null, db_path: string, 
/**
 * Why the engine did not start (address in use, database unreadable, ...).
 */
error: string | null, 
/**
 * When another Hookscope captures into this database on the window's address and the
 * window is attached to it: who, "hookscope serve (pid 1234) on 127.0.0.1:8787".
 */
capture_elsewhere: string | null, };

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

export type ChaosOptions = { 
/**
 * Send in a random order (else in the order given).
 */
shuffle: boolean, 
/**
 * The seed of every random choice; one is picked (and reported in the plan) when `None`.
 */
seed: number | null, 
/**
 * The fraction of requests (0 to 1) sent a second time, later in the order.
 */
duplicate: number, 
/**
 * Before each send, wait a random time from 0 to this many milliseconds.
 */
jitter_ms: number, };

export type PlannedSend = { request_id: string, 
/**
 * True for the second send of a duplicated request.
 */
duplicate: boolean, 
/**
 * How long to wait before this send.
 */
delay_ms: number, };

export type ChaosPlan = { 
/**
 * The seed used; give it back as `--seed` to repeat the run.
 */
seed: number, 
/**
 * True when no seed was given and this one was picked at random.
 */
seed_was_chosen: boolean, sends: Array<PlannedSend>, 
/**
 * The ids sent twice, in the order of their first send.
 */
duplicated: Array<string>, };

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
replay: ReplayOptions, 
/**
 * A chaos replay instead (one at a time, in a random but reproducible order, some twice,
 * with random delays); the concurrency and rate are then not used.
 */
chaos: ChaosOptions | null, };

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
not_sent: number, 
/**
 * For a chaos replay: the order used, the seed and which requests were sent twice.
 */
plan: ChaosPlan | null, };

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
secret_count: number, verify_token_set: boolean, public_url: string | null, response: ResponseRule, handshake_enabled: boolean, forward_targets: Array<string>, auto_forward: AutoForwardMode | null, 
/**
 * Desktop notifications for this endpoint's requests.
 */
notify: boolean, };

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
forward_targets: Array<string> | null, auto_forward: AutoForwardSetting | null, 
/**
 * Desktop notifications for this endpoint's requests (off for a new endpoint).
 */
notify: boolean | null, };

export type EndpointField = "name" | "path_prefix" | "provider" | "secrets" | "verify_token" | "public_url" | "status" | "headers" | "body" | "delay_ms" | "forward_targets" | "auto_forward";

export type EndpointSaved = { endpoint: EndpointView, 
/**
 * Stored requests whose signature verdict was computed again (0 when nothing that signs changed).
 */
rechecked: number, };

export type FieldError = { field: EndpointField | null, message: string, };

export type CommandError = string | FieldError;

export type ProviderChoice = { id: string, name: string, };

export type RuleSpec = { 
/**
 * `--method M`
 */
method: string | null, 
/**
 * `--path GLOB`, under the endpoint's prefix (a leading `/` is added when missing).
 */
path: string | null, 
/**
 * `--header 'Name=glob'`, repeatable.
 */
headers: Array<string>, 
/**
 * `--json '/pointer=value'`, `'/pointer!=value'` or `'/pointer'` (as `list --where`), repeatable.
 */
json: Array<string>, 
/**
 * `--body-contains TEXT`
 */
body_contains: string | null, 
/**
 * `--first N`
 */
first: number | null, 
/**
 * `--every N`
 */
every: number | null, 
/**
 * `--percent P` (0 to 100, fractions allowed)
 */
percent: number | null, 
/**
 * `--seed S`, with `--percent` only; a random seed is chosen (and stored) when absent.
 */
seed: number | null, 
/**
 * `--status CODE`
 */
status: number | null, 
/**
 * `--header-out 'Name: value'`, repeatable; the value is a template.
 */
headers_out: Array<string>, 
/**
 * `--body TEMPLATE`
 */
body: string | null, 
/**
 * `--delay MS`
 */
delay_ms: number | null, 
/**
 * `--hang`
 */
hang: boolean, 
/**
 * `--drop`
 */
drop: boolean, };

export type HeaderCondition = { name: string, 
/**
 * A glob over the whole value, case-sensitive; `*` matches any text, `/` included.
 */
glob: string, };

export type JsonCondition = { "kind": "equals", pointer: string, value: unknown, } | { "kind": "not_equals", pointer: string, value: unknown, } | { "kind": "exists", pointer: string, };

export type RuleConditions = { 
/**
 * The request method, upper case; compared without regard to case.
 */
method: string | null, 
/**
 * A glob over the path under the endpoint's prefix (always starting with `/`, raw as sent,
 * without the query): `*` stays within a segment, `**` crosses segments.
 */
path: string | null, 
/**
 * Every one must match some header line of the request.
 */
headers: Array<HeaderCondition>, 
/**
 * Every one must hold on the body parsed as JSON (a body that is not JSON fails them).
 */
json: Array<JsonCondition>, 
/**
 * Text that must occur in the body bytes as received (case-sensitive, not decompressed).
 */
body_contains: string | null, };

export type RuleSchedule = { "kind": "always" } | { "kind": "first", n: number, } | { "kind": "every", n: number, } | { "kind": "percent", percent: number, seed: number, };

export type RuleAction = { "kind": "respond", status: number, 
/**
 * Header values are templates, like the body.
 */
headers: Array<HeaderField>, 
/**
 * A body template (see [`crate::respond::template`]); `None` answers `{"ok":true,"id":...}`.
 */
body: string | null, delay_ms: number, } | { "kind": "hang" } | { "kind": "drop" };

export type ResponseRuleDef = { conditions: RuleConditions, schedule: RuleSchedule, action: RuleAction, };

export type RuleCounters = { matched: number, answered: number, };

export type StoredRule = { 
/**
 * Stable across moves; positions are not.
 */
id: number, endpoint_id: number, 
/**
 * 1-based place in the endpoint's order; the first rule that answers wins.
 */
position: number, rule: ResponseRuleDef, counters: RuleCounters, };

export type SampleSource = "builtin" | "user";

export type SampleSummary = { provider: string, event: string, description: string, source: SampleSource, method: string, 
/**
 * The sample's `Content-Type`, if it has a body.
 */
content_type: string | null, 
/**
 * A handshake the provider sends before events (Slack's `url_verification`, ...).
 */
handshake: boolean, 
/**
 * False when the provider sends this request unsigned (no secret needed).
 */
signed: boolean, };

export type SampleTarget = { "kind": "endpoint", name: string, } | { "kind": "url", url: string, };

export type ChangeOp = "equal" | "added" | "removed" | "changed";

export type HeaderLineChange = { op: ChangeOp, 
/**
 * The name as written in `before` (or in `after` for an added line).
 */
name: string, before?: string | null, after?: string | null, };

export type BodyKind = "json" | "text" | "bytes";

export type BodyChange = { op: ChangeOp, 
/**
 * JSON: the pointer of the value that differs (`""` for the whole document).
 */
path?: string | null, 
/**
 * Text: the line number.
 */
line?: number | null, 
/**
 * Bytes: the first offset where they differ.
 */
offset?: number | null, 
/**
 * The value (JSON) or line (text) in `before`; absent when it is missing there.
 */
before?: unknown, after?: unknown, 
/**
 * Bytes: the sizes.
 */
before_size?: number | null, after_size?: number | null, };

export type RequestDiff = { 
/**
 * `method` and `target` when they differ (`path` names which).
 */
request_line: Array<BodyChange>, 
/**
 * Both header lists aligned, in order, duplicates kept (equal lines included).
 */
headers: Array<HeaderLineChange>, body_kind: BodyKind, 
/**
 * The body's differences (empty when the bodies are equal, or differ only in hidden fields).
 */
body: Array<BodyChange>, 
/**
 * How many header and body differences were left out as volatile.
 */
hidden: number, };

export type InferredSchema = { 
/**
 * How many bodies were JSON and went into the schema.
 */
samples: number, 
/**
 * How many bodies were not JSON and were left out.
 */
skipped: number, 
/**
 * The JSON Schema document.
 */
schema: unknown, };

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

export type ImportNoteKind = "skipped" | "not_exact" | "rebuilt" | "unchecked";

export type ImportNote = { 
/**
 * The entry's position in the file, counted from 1.
 */
entry: number, 
/**
 * The id of the request imported from the entry; `None` when the entry was skipped.
 */
request_id: string | null, 
/**
 * What kind of note this is.
 */
kind: ImportNoteKind, 
/**
 * What happened, in words a user can act on.
 */
message: string, };

export type ImportReport = { 
/**
 * The ids of the imported requests, in file order.
 */
ids: Array<string>, 
/**
 * One note per thing worth knowing about an entry, in file order.
 */
notes: Array<ImportNote>, };

export type DesktopSettings = { 
/**
 * Closing the window hides it and capture goes on (the tray icon brings it back).
 */
keep_in_tray: boolean, };

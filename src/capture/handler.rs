//! The one handler behind every method and path: read, record, store, answer.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http_body_util::BodyExt;
use tracing::Instrument;

use super::{CaptureState, ConnectionInfo};
use crate::log_gate::LogGate;
use crate::model::{
    Arrival, CaptureSource, CapturedRequest, Endpoint, EngineEvent, HeaderField, RecordedResponse, RequestSummary,
    SignatureVerdict,
};
use crate::respond::rules::RuleAnswer;
use crate::store::response_rules;
use crate::{respond, signature};

/// The capture router: a single fallback so every method and path is recorded.
pub fn router(state: Arc<CaptureState>) -> axum::Router {
    axum::Router::new().fallback(capture).with_state(state)
}

struct BodyRead {
    bytes: Vec<u8>,
    size: u64,
    truncated: bool,
    timed_out: bool,
    /// The rest of a body over the limit, not read yet: drained after the answer so that a
    /// sender still uploading reads the 413 instead of a connection reset.
    rest: Option<Body>,
}

/// At most this much of an oversize body's rest is read (and discarded) after the 413.
const DRAIN_BYTES: u64 = 64 * 1024 * 1024;
/// For at most this long.
const DRAIN_TIME: Duration = Duration::from_secs(10);

async fn capture(State(state): State<Arc<CaptureState>>, request: Request) -> Response {
    let id = state.next_id();
    let span = tracing::info_span!("capture", %id, method = %request.method(), path = request.uri().path());
    handle(state, id, request).instrument(span).await
}

/// Records, answers and stores one request, in named steps: build the record, choose the
/// answer, store and announce, reply.
async fn handle(state: Arc<CaptureState>, id: String, request: Request) -> Response {
    let (arrival, body_cut, rest) = arrival(&state, id, request).await;
    let endpoints = state.endpoints.snapshot();
    let (captured, endpoint) = CapturedRequest::arrived(arrival, &endpoints);
    let mut captured = check_signature(endpoint, captured).await;
    crate::event_meta::read_into(&mut captured);
    let mut answer = choose_answer(&state, endpoint, &mut captured, body_cut).await;
    let response = captured.response.clone();
    if let Err(refusal) = store_and_announce(&state, endpoint, captured, answer.passthrough.take()).await {
        return refusal;
    }
    let reply = reply(&response, &answer, body_cut).await;
    if let Some(rest) = rest {
        tokio::spawn(drain(rest));
    }
    reply
}

/// Reads and discards the rest of an oversize body, bounded in bytes and time; the connection
/// closes once it ends.
async fn drain(mut rest: Body) {
    let reading = async {
        let mut read = 0u64;
        while let Some(Ok(frame)) = rest.frame().await {
            read += frame.data_ref().map_or(0, |data| data.len() as u64);
            if read > DRAIN_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, reading).await;
}

/// How the body's reading ended when it did not end normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyCut {
    /// Over the size limit: only its first bytes were kept.
    TooLarge,
    /// It did not arrive in time.
    TimedOut,
}

/// Step 1: the request as it arrived, its head as sent on the wire when the tap saw it.
async fn arrival(state: &CaptureState, id: String, request: Request) -> (Arrival, Option<BodyCut>, Option<Body>) {
    let received_at_ns = now_ns();
    let (mut parts, body) = request.into_parts();
    let info = parts.extensions.remove::<ConnectionInfo>().unwrap_or(ConnectionInfo {
        remote: None,
        source: CaptureSource::Local,
        head: None,
    });
    let original_target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.to_string(), |pq| pq.as_str().to_owned());
    let (method, target, http_version, headers) = match info.head {
        Some(head) if head.method == parts.method.as_str() && head.target == original_target => {
            (head.method, head.target, head.version, head.headers)
        }
        _ => (
            parts.method.as_str().to_owned(),
            original_target,
            format!("{:?}", parts.version),
            parts
                .headers
                .iter()
                .map(|(name, value)| HeaderField::from_bytes(name.as_str(), value.as_bytes()))
                .collect(),
        ),
    };
    let declared_length = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A sender that waits for `100 Continue` before an oversize body gets the 413 instead, at
    // once: reading the body would make hyper send `100 Continue`.
    let expects_continue = parts
        .headers
        .get(http::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let mut body = read_body(body, &state.limits, declared_length, expects_continue).await;
    let rest = body.rest.take();
    let cut = match (body.timed_out, body.truncated) {
        (true, _) => Some(BodyCut::TimedOut),
        (false, true) => Some(BodyCut::TooLarge),
        (false, false) => None,
    };
    let arrival = Arrival {
        id,
        received_at_ns,
        source: info.source,
        remote_addr: info.remote.map(|a| a.to_string()),
        method,
        target,
        http_version,
        headers,
        body: body.bytes,
        body_size: body.size,
        truncated: cut.is_some(),
    };
    (arrival, cut, rest)
}

/// What step 2 decided besides the recorded answer.
struct Answer {
    /// The forward that produced the answer, when the endpoint passes requests through.
    passthrough: Option<crate::model::DeliveryAttempt>,
    /// How long to wait before replying (the endpoint's rule).
    delay: Duration,
    /// What happens on the connection once the request is stored.
    reply: Reply,
}

/// What the connection gets once the request is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    /// The recorded response.
    Respond,
    /// Nothing, until the sender gives up (a response rule's `hang`), at most [`HANG_LIMIT`].
    Hang,
    /// The connection closes without an answer (a response rule's `drop`).
    Drop,
}

/// The longest a `hang` rule holds a connection; senders give up long before.
const HANG_LIMIT: Duration = Duration::from_secs(600);

/// Step 2: the answer (a limit's, a handshake's, the endpoint's rule, or a passthrough
/// target's), recorded on the request.
async fn choose_answer(
    state: &CaptureState,
    endpoint: Option<&Endpoint>,
    captured: &mut CapturedRequest,
    body_cut: Option<BodyCut>,
) -> Answer {
    captured.response = match body_cut {
        Some(BodyCut::TimedOut) => limit_response(
            408,
            "the request body did not arrive in time; what arrived was recorded",
        ),
        Some(BodyCut::TooLarge) => limit_response(
            413,
            &format!(
                "the body is larger than the limit of {} bytes; its headers and first bytes were recorded",
                state.limits.body_limit
            ),
        ),
        None => match respond::handshake_answer(endpoint, captured) {
            Some(answer) => answer,
            None => match rule_answer(state, endpoint, captured).await {
                Some((label, answer)) => {
                    let response = answer.recorded(&label);
                    captured.rule = Some(label);
                    captured.response = response;
                    // A rule's answer is final: no passthrough, its own delay.
                    let (delay, reply) = match answer {
                        RuleAnswer::Respond { delay, .. } => (delay, Reply::Respond),
                        RuleAnswer::Hang => (Duration::ZERO, Reply::Hang),
                        RuleAnswer::Drop => (Duration::ZERO, Reply::Drop),
                    };
                    return Answer {
                        passthrough: None,
                        delay,
                        reply,
                    };
                }
                None => respond::default_answer(endpoint, captured),
            },
        },
    };
    let passthrough = match (state.forwarder.get(), captured.truncated) {
        (Some(forwarder), false) => forwarder.passthrough(endpoint, captured).await,
        _ => None,
    };
    let passthrough = passthrough.map(|(answer, attempt)| {
        captured.response = answer;
        attempt
    });
    let delay = endpoint
        .filter(|_| captured.response.note.is_none())
        .map(|e| Duration::from_millis(e.response.delay_ms))
        .unwrap_or_default();
    Answer {
        passthrough,
        delay,
        reply: Reply::Respond,
    }
}

/// The response rule of `endpoint` that answers `captured` (its label and answer), counted in
/// the store; `None` when the endpoint has no rules or none answers. A store failure falls back
/// to the endpoint's default response.
async fn rule_answer(
    state: &CaptureState,
    endpoint: Option<&Endpoint>,
    captured: &CapturedRequest,
) -> Option<(String, RuleAnswer)> {
    let endpoint = endpoint.filter(|e| state.endpoints.has_rules(e.id))?;
    match response_rules::decide_on_writer(&state.store, endpoint, Arc::new(captured.clone())).await {
        Ok(rule) => rule.map(|rule| {
            let label = rule.label();
            let answer = RuleAnswer::of(&rule.rule.action, captured, &label);
            (label, answer)
        }),
        Err(error) => {
            tracing::warn!(%error, "could not choose a response rule; the endpoint's default answers");
            None
        }
    }
}

/// Step 3: stores the request (resolving once its row is committed), announces it and hands it
/// to auto-forwarding. A store failure is answered 507 (disk full) or 503, never 2xx.
async fn store_and_announce(
    state: &CaptureState,
    endpoint: Option<&Endpoint>,
    captured: CapturedRequest,
    passthrough: Option<crate::model::DeliveryAttempt>,
) -> Result<(), Response> {
    // The summary is known before the row is stored, except its `seq`; the whole request is
    // copied only when auto-forwarding will send it on.
    let mut summary = RequestSummary::of(0, &captured);
    let status = captured.response.status;
    let forward = state
        .forwarder
        .get()
        .filter(|f| f.has_work_after_store(endpoint, passthrough.is_some()))
        .map(|forwarder| (forwarder, captured.clone()));
    match state.store.insert_request(captured).await {
        Ok(inserted) => {
            tracing::debug!(seq = inserted.seq, status, "captured");
            (summary.seq, summary.attempt) = (inserted.seq, inserted.attempt);
            let _ = state.events.send(EngineEvent::RequestCaptured(summary));
            if let Some((forwarder, request)) = forward {
                forwarder.after_store(endpoint.cloned(), request, passthrough);
            }
            Ok(())
        }
        Err(error) => {
            static STORE_FAILURES: LogGate = LogGate::new(Duration::from_secs(5));
            if let Some(left_out) = STORE_FAILURES.admit() {
                tracing::error!(%error, left_out, "could not store a captured request (answered 503/507)");
            }
            let status = if error.is_disk_full() { 507 } else { 503 };
            Err(to_http(&limit_response(
                status,
                &format!("Hookscope could not store this request: {error}"),
            )))
        }
    }
}

/// Step 4: the reply, after the rule's delay; a connection whose body was not read to its end
/// cannot be reused.
async fn reply(response: &RecordedResponse, answer: &Answer, body_cut: Option<BodyCut>) -> Response {
    match answer.reply {
        Reply::Respond => {}
        // When the sender gives up, hyper drops this future with the connection.
        Reply::Hang => {
            tokio::time::sleep(HANG_LIMIT).await;
            return dropped_connection();
        }
        Reply::Drop => return dropped_connection(),
    }
    if !answer.delay.is_zero() {
        tokio::time::sleep(answer.delay).await;
    }
    let mut http_response = to_http(response);
    if body_cut.is_some() {
        http_response
            .headers_mut()
            .insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
    }
    http_response
}

/// Bodies larger than this are checked on the blocking pool: a failing check tries
/// re-serializations of the body to diagnose it, which must not stall the listener.
const INLINE_SIGNATURE_CHECK_BYTES: usize = 64 * 1024;

/// Stores the signature verdict on the request, judged at its arrival. A panic in a provider's
/// parser costs the verdict, never the request.
async fn check_signature(endpoint: Option<&Endpoint>, mut captured: CapturedRequest) -> CapturedRequest {
    fn verdict(endpoint: Option<&Endpoint>, captured: &CapturedRequest) -> Option<SignatureVerdict> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            signature::verdict_as_received(endpoint, captured)
        }))
        .unwrap_or_else(|_| {
            tracing::error!("signature check panicked; the request is stored without a verdict");
            None
        })
    }
    if captured.body.len() <= INLINE_SIGNATURE_CHECK_BYTES {
        captured.signature = verdict(endpoint, &captured);
        return captured;
    }
    let endpoint = endpoint.cloned();
    let checked = tokio::task::spawn_blocking(move || {
        captured.signature = verdict(endpoint.as_ref(), &captured);
        captured
    });
    checked.await.expect("the signature check catches its own panics")
}

async fn read_body(
    body: Body,
    limits: &super::CaptureLimits,
    declared_length: Option<u64>,
    expects_continue: bool,
) -> BodyRead {
    let mut read = BodyRead {
        bytes: Vec::new(),
        size: 0,
        truncated: false,
        timed_out: false,
        rest: None,
    };
    if declared_length.is_some_and(|len| len > limits.body_limit) {
        read.truncated = true;
        if expects_continue {
            // Not a byte was sent: the record keeps the head and the declared size.
            read.size = declared_length.unwrap_or(0);
            return read;
        }
    }
    let keep_limit = if read.truncated {
        limits.truncated_keep as u64
    } else {
        limits.body_limit
    };
    let mut body = body;
    let reading = async {
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { break };
            let Ok(data) = frame.into_data() else { continue };
            read.size += data.len() as u64;
            let room = keep_limit.saturating_sub(read.bytes.len() as u64) as usize;
            read.bytes.extend_from_slice(&data[..data.len().min(room)]);
            if read.size > limits.body_limit {
                read.truncated = true;
            }
            if read.truncated && read.bytes.len() >= limits.truncated_keep {
                break;
            }
        }
    };
    if tokio::time::timeout(limits.body_read_timeout, reading).await.is_err() {
        read.timed_out = true;
    }
    if read.truncated {
        read.bytes.truncate(limits.truncated_keep);
        read.size = read.size.max(declared_length.unwrap_or(0));
        if !read.timed_out {
            read.rest = Some(body);
        }
    }
    read
}

/// Marks a response that must not be sent: the listener closes the connection instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

fn dropped_connection() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}

fn limit_response(status: u16, message: &str) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: vec![HeaderField::new("Content-Type", "text/plain; charset=utf-8")],
        body: format!("{message}\n").into_bytes(),
        note: Some(message.to_owned()),
    }
}

/// Builds the HTTP answer from a recorded response; invalid header lines are skipped.
pub(crate) fn to_http(recorded: &RecordedResponse) -> Response {
    let mut builder = Response::builder().status(recorded.status);
    for header in &recorded.headers {
        match (
            http::HeaderName::from_bytes(header.name.as_bytes()),
            http::HeaderValue::from_bytes(header.value_bytes()),
        ) {
            (Ok(name), Ok(value)) => builder = builder.header(name, value),
            _ => tracing::warn!(name = %header.name, "skipping an invalid response header"),
        }
    }
    builder.body(Body::from(recorded.body.clone())).unwrap_or_else(|error| {
        tracing::warn!(%error, "invalid response; answering 500");
        let mut fallback = Response::new(Body::from("invalid response rule"));
        *fallback.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

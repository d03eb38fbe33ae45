//! One delivery of a captured request: build what to send, send it, record the attempt, announce it.

use std::time::Instant;

use tokio::sync::broadcast;
use tracing::Instrument;

use super::client::{ClientOptions, DeliveryClient};
use super::outgoing::{from_captured, normalize, RequestEdit};
use super::resign::{default_signer, resign, Signer};
use super::target::forward_url;
use super::{now_ns, DeliveryError};
use crate::model::{CapturedRequest, DeliveryAttempt, DeliveryKind, Endpoint, EngineEvent, OutgoingRequest};
use crate::store::{self, Store};

/// What to do with one captured request (serializable, so the desktop shell can take it as is).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplayOptions {
    /// The target URL; the captured path suffix and query are appended (see [`super::target`])
    /// unless `edit.url` replaces the whole URL.
    pub target: String,
    #[serde(default = "replay_kind")]
    pub kind: DeliveryKind,
    #[serde(default)]
    pub edit: RequestEdit,
    /// Sign again with a fresh timestamp (needs an endpoint with a provider and a secret).
    #[serde(default)]
    pub resign: bool,
}

fn replay_kind() -> DeliveryKind {
    DeliveryKind::Replay
}

impl ReplayOptions {
    /// A plain replay to `target`.
    pub fn to(target: impl Into<String>) -> Self {
        Self {
            target: target.into(),
            kind: DeliveryKind::Replay,
            edit: RequestEdit::default(),
            resign: false,
        }
    }
}

/// Sends captured requests on and records every attempt; cheap to clone.
#[derive(Clone)]
pub struct Deliverer {
    pub client: DeliveryClient,
    store: Store,
    events: broadcast::Sender<EngineEvent>,
    signer: Option<Signer>,
}

impl Deliverer {
    /// A deliverer with the given client and this build's signer.
    pub fn new(store: Store, events: broadcast::Sender<EngineEvent>, client: DeliveryClient) -> Self {
        Self {
            client,
            store,
            events,
            signer: default_signer(),
        }
    }

    /// Uses `signer` for `resign` (tests, or a provider the built-in signer does not know).
    pub fn with_signer(mut self, signer: Option<Signer>) -> Self {
        self.signer = signer;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Loads a captured request and its endpoint, delivers it, records and announces the attempt.
    pub async fn replay(&self, request_id: &str, options: &ReplayOptions) -> Result<DeliveryAttempt, DeliveryError> {
        let id = request_id.to_owned();
        let (request, endpoint) = self
            .store
            .read(move |conn| {
                let Some(request) = store::requests::get(conn, &id)? else {
                    return Ok(None);
                };
                let endpoint = match request.endpoint_id {
                    Some(endpoint_id) => store::endpoints::get_by_id(conn, endpoint_id)?,
                    None => None,
                };
                Ok(Some((request, endpoint)))
            })
            .await?
            .ok_or_else(|| DeliveryError::NotFound(request_id.to_owned()))?;
        let attempt = self.deliver(&request, endpoint.as_ref(), options).await;
        self.record(&attempt).await?;
        Ok(attempt)
    }

    /// Delivers without recording: builds the request, re-signs it if asked, sends it.
    pub async fn deliver(
        &self,
        request: &CapturedRequest,
        endpoint: Option<&Endpoint>,
        options: &ReplayOptions,
    ) -> DeliveryAttempt {
        let delivery_id = ulid::Ulid::new().to_string();
        let span =
            tracing::info_span!("delivery", request_id = %request.id, %delivery_id, kind = options.kind.as_str());
        async {
            let started_at_ns = now_ns();
            let started = Instant::now();
            let mut sent = OutgoingRequest {
                method: request.method.clone(),
                url: options.target.clone(),
                headers: request.headers.clone(),
                body: request.body.clone(),
            };
            let mut resigned = false;
            let result = async {
                let prefix = endpoint.map(|e| e.path_prefix.as_str());
                let url = match &options.edit.url {
                    Some(url) => url.clone(),
                    None => forward_url(&options.target, prefix, &request.target).map_err(|message| {
                        crate::model::DeliveryFailure {
                            kind: crate::model::FailureKind::InvalidUrl,
                            message,
                        }
                    })?,
                };
                sent = from_captured(request, url, &options.edit)?;
                if options.resign {
                    resign(self.signer.as_ref(), endpoint, request, &mut sent)?;
                    normalize(&mut sent)?;
                    resigned = true;
                }
                self.client.send(&mut sent).await
            }
            .await;
            let duration_us = started.elapsed().as_micros() as u64;
            let (response, error) = match result {
                Ok(response) => {
                    tracing::info!(status = response.status, duration_us, "delivered");
                    (Some(response), None)
                }
                Err(failure) => {
                    // An expected outcome, recorded with the attempt; URLs stay out of logs (query tokens).
                    tracing::info!(kind = failure.kind.as_str(), duration_us, "delivery got no answer");
                    (None, Some(failure))
                }
            };
            DeliveryAttempt {
                id: delivery_id.clone(),
                request_id: request.id.clone(),
                kind: options.kind,
                target: options.target.clone(),
                started_at_ns,
                duration_us,
                sent,
                edited: !options.edit.is_empty(),
                resigned,
                response,
                error,
            }
        }
        .instrument(span)
        .await
    }

    /// Stores an attempt and announces it as `DeliveryFinished`.
    pub async fn record(&self, attempt: &DeliveryAttempt) -> Result<(), DeliveryError> {
        let stored = attempt.clone();
        self.store
            .write(move |conn| store::deliveries::insert(conn, &stored))
            .await?;
        let _ = self.events.send(EngineEvent::DeliveryFinished {
            request_id: attempt.request_id.clone(),
            delivery_id: attempt.id.clone(),
            status: attempt.status(),
            error: attempt.error.as_ref().map(|e| e.message.clone()),
        });
        Ok(())
    }
}

/// Replays one captured request with default client options and records the attempt.
pub async fn replay(
    store: &Store,
    events: &broadcast::Sender<EngineEvent>,
    request_id: &str,
    options: &ReplayOptions,
) -> Result<DeliveryAttempt, DeliveryError> {
    Deliverer::new(
        store.clone(),
        events.clone(),
        DeliveryClient::new(ClientOptions::default()),
    )
    .replay(request_id, options)
    .await
}

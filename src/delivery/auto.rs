//! Auto-forward: each newly captured request is sent on at once, in the background (async) or
//! while the sender waits for the target's answer (passthrough).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::client::{ClientOptions, DeliveryClient};
use super::replay::{Deliverer, ReplayOptions};
use super::target::TargetUrl;
use crate::model::{
    AutoForwardMode, CapturedRequest, DeliveryAttempt, DeliveryKind, Endpoint, HeaderField, RecordedResponse,
};

/// Response headers that describe the target's connection, not the answer; never passed back.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "trailer",
    "content-length",
];

/// A forward target for every captured request (`serve --forward-to URL [--passthrough]`);
/// it takes precedence over the endpoints' own auto-forward settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardRule {
    pub target: String,
    pub mode: AutoForwardMode,
}

/// Background forwards in flight at once; more captured requests wait their turn.
const BACKGROUND_LIMIT: usize = 32;

/// Runs auto-forwarding for the capture handler.
pub struct Forwarder {
    background: Deliverer,
    passthrough: Deliverer,
    global: Option<ForwardRule>,
    permits: Arc<Semaphore>,
    /// The capture listener's own address: auto-forwarding there would capture and forward forever.
    listener: OnceLock<SocketAddr>,
}

impl Forwarder {
    /// `passthrough_timeout` bounds how long a sender waits for the target in passthrough mode.
    pub fn new(deliverer: Deliverer, global: Option<ForwardRule>, passthrough_timeout: Duration) -> Self {
        let options = ClientOptions {
            timeout: passthrough_timeout,
            ..deliverer.client.options().clone()
        };
        let mut passthrough = deliverer.clone();
        passthrough.client = DeliveryClient::new(options);
        Self {
            background: deliverer,
            passthrough,
            global,
            permits: Arc::new(Semaphore::new(BACKGROUND_LIMIT)),
            listener: OnceLock::new(),
        }
    }

    /// The deliverer used for background forwards (the engine's delivery options).
    pub fn deliverer(&self) -> &Deliverer {
        &self.background
    }

    /// Tells the forwarder where the capture listener is, so it never auto-forwards to itself.
    pub fn set_listener(&self, addr: SocketAddr) {
        let _ = self.listener.set(addr);
    }

    fn plan(&self, endpoint: Option<&Endpoint>) -> Option<(AutoForwardMode, Vec<String>)> {
        let (mode, targets) = match &self.global {
            Some(rule) => (rule.mode, vec![rule.target.clone()]),
            None => {
                let endpoint = endpoint?;
                (endpoint.auto_forward?, endpoint.forward_targets.clone())
            }
        };
        let targets: Vec<String> = targets.into_iter().filter(|t| !self.is_own_listener(t)).collect();
        (!targets.is_empty()).then_some((mode, targets))
    }

    fn is_own_listener(&self, target: &str) -> bool {
        let (Some(listener), Ok(url)) = (self.listener.get(), TargetUrl::parse(target)) else {
            return false;
        };
        let host = url.host.trim_start_matches('[').trim_end_matches(']');
        let local = matches!(host, "localhost" | "0.0.0.0" | "::")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip == listener.ip());
        let own = !url.https && url.port == listener.port() && local;
        if own {
            tracing::warn!("not auto-forwarding to the capture listener itself (it would loop)");
        }
        own
    }

    /// In passthrough mode, sends the request to the first target and returns the answer to give
    /// the sender (the target's, or a 502 that says why it could not be reached) and the attempt.
    pub async fn passthrough(
        &self,
        endpoint: Option<&Endpoint>,
        request: &CapturedRequest,
    ) -> Option<(RecordedResponse, DeliveryAttempt)> {
        let (AutoForwardMode::Passthrough, targets) = self.plan(endpoint)? else {
            return None;
        };
        let options = ReplayOptions {
            kind: DeliveryKind::Passthrough,
            ..ReplayOptions::to(targets.first()?.clone())
        };
        let attempt = self.passthrough.deliver(request, endpoint, &options).await;
        let answer = match (&attempt.response, &attempt.error) {
            (Some(response), _) => RecordedResponse {
                status: response.status,
                headers: response
                    .headers
                    .iter()
                    .filter(|h| !HOP_BY_HOP.contains(&h.name.to_ascii_lowercase().as_str()))
                    .cloned()
                    .collect(),
                body: response.body.clone(),
                note: Some(format!("answered by the passthrough target {}", attempt.sent.url)),
            },
            (None, failure) => {
                let reason = failure.as_ref().map_or("no answer", |f| f.message.as_str());
                let message = format!(
                    "Hookscope recorded this request ({}) but the passthrough target could not answer: {reason}",
                    request.id
                );
                RecordedResponse {
                    status: 502,
                    headers: vec![HeaderField::new("Content-Type", "text/plain; charset=utf-8")],
                    body: format!("{message}\n").into_bytes(),
                    note: Some(message),
                }
            }
        };
        Some((answer, attempt))
    }

    /// Whether [`Self::after_store`] has anything to do for a request of this endpoint; the
    /// listener copies the request for it only then.
    pub fn has_work_after_store(&self, endpoint: Option<&Endpoint>, passthrough: bool) -> bool {
        passthrough || self.plan(endpoint).is_some()
    }

    /// After the request is stored: records the passthrough attempt and, in async mode, forwards
    /// to every target in the background (in passthrough mode, to the targets after the first).
    pub fn after_store(
        &self,
        endpoint: Option<Endpoint>,
        request: CapturedRequest,
        passthrough: Option<DeliveryAttempt>,
    ) {
        let plan = self.plan(endpoint.as_ref());
        if plan.is_none() && passthrough.is_none() {
            return;
        }
        let deliverer = self.background.clone();
        let permits = self.permits.clone();
        tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            if let Some(attempt) = passthrough {
                if let Err(error) = deliverer.record(&attempt).await {
                    tracing::warn!(%error, "could not record a passthrough delivery");
                }
            }
            let Some((mode, targets)) = plan else { return };
            let skip = usize::from(mode == AutoForwardMode::Passthrough);
            for target in targets.into_iter().skip(skip) {
                let options = ReplayOptions {
                    kind: DeliveryKind::AutoForward,
                    ..ReplayOptions::to(target)
                };
                let attempt = deliverer.deliver(&request, endpoint.as_ref(), &options).await;
                if let Err(error) = deliverer.record(&attempt).await {
                    tracing::warn!(%error, "could not record an auto-forward delivery");
                }
            }
        });
    }
}

//! Sample-event use cases: list the catalogue (built-in samples and the user's, from the samples
//! folder beside the database), send a sample signed with an endpoint's secret to an endpoint
//! of this Hookscope or to any URL, and save a captured request as a user sample.

use std::time::Instant;

use serde::Deserialize;

use super::{Workbench, WorkbenchError};
use crate::model::{
    Arrival, CaptureSource, CapturedRequest, DeliveryAttempt, DeliveryKind, HeaderField, RecordedResponse,
};
use crate::samples::{self, BuildOptions, Catalogue, FieldEdit, SampleError, SampleSummary};

/// Where a sample goes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SampleTarget {
    /// This Hookscope's listener at the endpoint's path, signed with its newest secret: it is
    /// captured (and verified) like a real delivery.
    Endpoint { name: String },
    /// Any URL (a handler under test), signed with the secret given.
    Url { url: String },
}

/// A sample to send: which one, where, and what to change.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub provider: String,
    pub event: String,
    pub target: SampleTarget,
    /// Signs with this secret instead of the endpoint's newest one.
    pub secret: Option<String>,
    /// `--set /pointer=VALUE`: exactly these fields change.
    pub edits: Vec<FieldEdit>,
    /// `-H 'Name: value'`: replaces a header of that name, or is added.
    pub headers: Vec<HeaderField>,
    /// The body to send instead of the sample's (the app's editor); placeholders are filled.
    pub body: Option<Vec<u8>>,
}

impl Workbench {
    /// The built-in samples and the user's (which replace built-in ones of the same provider
    /// and event); unreadable user files are logged and left out.
    pub fn sample_catalogue(&self) -> Catalogue {
        let catalogue = Catalogue::load(Some(&samples::user_folder_beside(self.db_path())));
        for problem in catalogue.problems() {
            tracing::warn!(%problem, "a user sample was left out");
        }
        catalogue
    }

    /// The samples (of one provider, or all), by provider and event.
    pub fn list_samples(&self, provider: Option<&str>) -> Result<Vec<SampleSummary>, WorkbenchError> {
        Ok(self.sample_catalogue().list(provider)?)
    }

    /// The sample's body as stored, its placeholders (`{{now}}`, ...) not filled yet.
    pub fn sample_body(&self, provider: &str, event: &str) -> Result<String, WorkbenchError> {
        let catalogue = self.sample_catalogue();
        let sample = catalogue.get(provider, event)?;
        Ok(String::from_utf8_lossy(&sample.body).into_owned())
    }

    /// Builds the sample (fresh ids and timestamps, the edits), signs it and sends it. Sent to
    /// a URL, what was sent is stored as a request of source `sample` with the delivery, like a
    /// replay; sent to an endpoint of this Hookscope, the capture is the record. Nothing is
    /// sent when the sample, an edit or the secret is wrong.
    pub async fn trigger(&self, trigger: Trigger) -> Result<DeliveryAttempt, WorkbenchError> {
        let catalogue = self.sample_catalogue();
        let sample = catalogue.get(&trigger.provider, &trigger.event)?;
        let mut options = BuildOptions {
            secret: trigger.secret.clone(),
            edits: trigger.edits,
            headers: trigger.headers,
            body: trigger.body,
            ..BuildOptions::default()
        };
        let record = match &trigger.target {
            SampleTarget::Url { url } => {
                options.url = url.clone();
                true
            }
            SampleTarget::Endpoint { name } => {
                let endpoint = self.endpoint_named(name).await?;
                let listener = self.listener_url().ok_or(WorkbenchError::NoListener)?;
                options.url = format!("{listener}{}", endpoint.path_prefix.trim_end_matches('/'));
                options.secret = options.secret.or_else(|| endpoint.secrets.first().cloned());
                options.verify_token = endpoint.verify_token.clone();
                options.signed_url = endpoint.public_url.clone();
                false
            }
        };
        let mut sent = samples::build(sample, &options)?;
        let started_at_ns = now_ns();
        let started = Instant::now();
        let result = self.deliverer.client.send(&mut sent).await;
        let duration_us = started.elapsed().as_micros() as u64;
        let (response, error) = match result {
            Ok(response) => (Some(response), None),
            Err(failure) => (None, Some(failure)),
        };
        let mut attempt = DeliveryAttempt {
            id: ulid::Ulid::new().to_string(),
            request_id: String::new(),
            kind: DeliveryKind::Replay,
            target: options.url.clone(),
            started_at_ns,
            duration_us,
            sent,
            edited: false,
            resigned: sample.signed,
            response,
            error,
        };
        if record {
            attempt.request_id = self.store_sent_sample(&attempt, started_at_ns).await?;
            self.deliverer.record(&attempt).await?;
        }
        Ok(attempt)
    }

    /// Saves the captured request `id` as a user sample `event` of its provider (signature
    /// headers and secrets removed), in the samples folder beside the database.
    pub async fn save_sample(&self, id: &str, event: &str) -> Result<SampleSummary, WorkbenchError> {
        let request = self.request(id).await?;
        let endpoint = match &request.endpoint_name {
            Some(name) => self.endpoint_named(name).await.ok(),
            None => None,
        };
        let provider = request
            .signature
            .as_ref()
            .and_then(|verdict| verdict.provider.clone())
            .or_else(|| endpoint.as_ref().and_then(|e| e.provider.clone()))
            .ok_or_else(|| WorkbenchError::NoProvider(id.to_owned()))?;
        let folder = samples::user_folder_beside(self.db_path());
        samples::save_captured(
            &folder,
            &provider,
            event,
            &request,
            endpoint.as_ref().map(|e| e.path_prefix.as_str()),
        )?;
        let catalogue = self.sample_catalogue();
        let saved = catalogue
            .list(Some(&provider))?
            .into_iter()
            .find(|s| s.event.eq_ignore_ascii_case(event.trim()))
            .ok_or_else(|| SampleError::UnknownEvent {
                provider: provider.clone(),
                event: event.to_owned(),
                closest: Vec::new(),
            })?;
        Ok(saved)
    }

    /// Stores what a sample sent as a request of source `sample`, so its delivery has a parent
    /// (and it can be replayed or compared later); returns its id.
    async fn store_sent_sample(&self, attempt: &DeliveryAttempt, sent_at_ns: i64) -> Result<String, WorkbenchError> {
        let target = url::Url::parse(&attempt.sent.url).map_or_else(
            |_| "/".to_owned(),
            |url| match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            },
        );
        let arrival = Arrival {
            id: ulid::Ulid::new().to_string(),
            received_at_ns: sent_at_ns,
            source: CaptureSource::Sample,
            remote_addr: None,
            method: attempt.sent.method.clone(),
            target,
            http_version: "HTTP/1.1".into(),
            headers: attempt.sent.headers.clone(),
            body_size: attempt.sent.body.len() as u64,
            body: attempt.sent.body.clone(),
            truncated: false,
        };
        let (mut request, _) = CapturedRequest::arrived(arrival, &[]);
        request.response = RecordedResponse {
            note: Some(format!("sent as a sample to {}", attempt.target)),
            ..RecordedResponse::pending()
        };
        let id = request.id.clone();
        self.store.insert_request(request).await?;
        Ok(id)
    }
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or_default()
}

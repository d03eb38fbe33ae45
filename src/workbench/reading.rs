//! Reading a stream of events: two requests compared (or a request and what a delivery of it
//! sent), and the JSON Schema inferred from every stored body of an event type.

use super::{Workbench, WorkbenchError};
use crate::diff::{self, DiffOptions, RequestDiff, RequestView};
use crate::event_meta::filter::EventFilter;
use crate::json_schema::{self, InferOptions, InferredSchema};
use crate::model::{CapturedRequest, DeliveryAttempt};
use crate::store::{deliveries, requests};

/// How many of the newest matching bodies a schema is inferred from, at most.
pub const SCHEMA_SAMPLES: usize = 5_000;

/// A captured request, or what a delivery sent: either side of a diff.
enum Compared {
    Request(Box<CapturedRequest>),
    Delivery(Box<DeliveryAttempt>),
}

impl Compared {
    fn view(&self) -> RequestView<'_> {
        match self {
            Compared::Request(request) => RequestView::from(request.as_ref()),
            Compared::Delivery(attempt) => RequestView::from(attempt.as_ref()),
        }
    }
}

impl Workbench {
    /// Compares `before` and `after`, each the id of a captured request or of a delivery (what
    /// it actually sent, after edits or re-signing).
    pub async fn diff(&self, before: &str, after: &str, options: DiffOptions) -> Result<RequestDiff, WorkbenchError> {
        let (before, after) = (self.compared(before).await?, self.compared(after).await?);
        Ok(diff::diff(before.view(), after.view(), options))
    }

    async fn compared(&self, id: &str) -> Result<Compared, WorkbenchError> {
        let wanted = id.to_owned();
        let (request, delivery) = self
            .store
            .read(move |conn| {
                let request = requests::get(conn, &wanted)?;
                let delivery = match request {
                    Some(_) => None,
                    None => deliveries::get(conn, &wanted)?,
                };
                Ok((request, delivery))
            })
            .await?;
        match (request, delivery) {
            (Some(request), _) => Ok(Compared::Request(Box::new(request))),
            (None, Some(delivery)) => Ok(Compared::Delivery(Box::new(delivery))),
            (None, None) => Err(WorkbenchError::RequestNotFound(id.to_owned())),
        }
    }

    /// The JSON Schema (draft 2020-12) of the newest [`SCHEMA_SAMPLES`] stored bodies that match
    /// `filter` (an event type, a provider) and `endpoint`.
    pub async fn infer_schema(
        &self,
        filter: EventFilter,
        endpoint: Option<String>,
    ) -> Result<InferredSchema, WorkbenchError> {
        let bodies = self
            .store
            .read(move |conn| requests::bodies_matching(conn, &filter, endpoint.as_deref(), SCHEMA_SAMPLES))
            .await?;
        tokio::task::spawn_blocking(move || {
            json_schema::infer(bodies.iter().map(Vec::as_slice), InferOptions::default())
        })
        .await
        .map_err(|_| WorkbenchError::Crashed("inferring the schema"))
    }
}

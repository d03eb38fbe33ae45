//! Use cases on captured requests: list, count, read, delete, render and save their bodies,
//! their deliveries and the tunnel outages shown between them.

use std::path::Path;

use serde::Deserialize;

use super::{Workbench, WorkbenchError};
use crate::body::{self, BodyView, RenderOptions};
use crate::detail::{RequestDetail, DEFAULT_PREVIEW_BYTES};
use crate::model::{CapturedRequest, DeliveryAttempt, RequestSummary, TunnelOutage};
use crate::store::{deliveries, requests, requests::ListQuery, tunnel_outages};

/// The most rows one page of the window's list holds.
pub const MAX_PAGE: usize = 1000;
/// The most tunnel outages the window is given (the newest).
const OUTAGES_SHOWN: usize = 500;

/// The list's filters as a viewer sends them, plus its keyset position; empty texts mean no
/// filter.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestFilter {
    pub limit: u32,
    /// Only requests older than this `seq` (the last row of the previous page).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub before_seq: Option<i64>,
    pub search: Option<String>,
    pub method: Option<String>,
    pub endpoint: Option<String>,
    pub status: Option<u16>,
    pub header: Option<String>,
}

impl RequestFilter {
    /// One page: at least 1 and at most [`MAX_PAGE`] rows, older than `before_seq`.
    pub fn page(self) -> ListQuery {
        let (limit, before_seq) = ((self.limit as usize).clamp(1, MAX_PAGE), self.before_seq);
        self.query(limit, before_seq)
    }

    /// Every request matching the filters, up to `limit` (the newest); the page position is ignored.
    pub fn all_matching(self, limit: usize) -> ListQuery {
        self.query(limit, None)
    }

    fn query(self, limit: usize, before_seq: Option<i64>) -> ListQuery {
        ListQuery {
            limit,
            before_seq,
            search: non_empty(self.search),
            method: non_empty(self.method),
            endpoint: non_empty(self.endpoint),
            status: self.status,
            header: non_empty(self.header),
            fields: Default::default(),
        }
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl Workbench {
    /// Requests matching `query`, newest first (a search waits for what is stored to be indexed).
    pub async fn list_requests(&self, query: ListQuery) -> Result<Vec<RequestSummary>, WorkbenchError> {
        Ok(self.store.list_requests(query).await?)
    }

    /// How many requests are stored.
    pub async fn count_requests(&self) -> Result<u64, WorkbenchError> {
        Ok(self.store.read(requests::count).await?)
    }

    /// The request with this id, or `RequestNotFound`.
    pub async fn request(&self, id: &str) -> Result<CapturedRequest, WorkbenchError> {
        let wanted = id.to_owned();
        self.store
            .read(move |conn| requests::get(conn, &wanted))
            .await?
            .ok_or_else(|| WorkbenchError::RequestNotFound(id.to_owned()))
    }

    /// The request for a viewer, its body cut to a preview with the read (on the store's reader),
    /// or `None` when it no longer exists.
    pub async fn request_detail(&self, id: String) -> Result<Option<RequestDetail>, WorkbenchError> {
        Ok(self
            .store
            .read(move |conn| Ok(requests::get(conn, &id)?.map(|r| RequestDetail::of(r, DEFAULT_PREVIEW_BYTES))))
            .await?)
    }

    /// Deletes these requests; returns how many there were.
    pub async fn delete_requests(&self, ids: Vec<String>) -> Result<u64, WorkbenchError> {
        Ok(self.store.write(move |conn| requests::delete(conn, &ids)).await?)
    }

    /// Deletes every request (and the finished tunnel outages between them).
    pub async fn clear_requests(&self) -> Result<u64, WorkbenchError> {
        Ok(self.store.write(|conn| requests::delete_all(conn)).await?)
    }

    /// Writes the stored body of a request to `path`, byte for byte as captured; returns its size.
    pub async fn save_body(&self, id: &str, path: &Path) -> Result<u64, WorkbenchError> {
        let request = self.request(id).await?;
        write_file(path, &request.body).await
    }

    /// The request's whole stored body rendered for display; `options` overrides the defaults.
    pub async fn render_body(&self, id: &str, options: RenderOptions) -> Result<BodyView, WorkbenchError> {
        let request = self.request(id).await?;
        // Decompressing and pretty-printing megabytes is CPU work: keep it off the async workers.
        tokio::task::spawn_blocking(move || body::render(&request.headers, &request.body, &options))
            .await
            .map_err(|_| WorkbenchError::Crashed("rendering the body"))
    }

    /// Writes one multipart part to `path` as the engine decoded it: `part` is the part's index
    /// at each nesting level (`[2]` is the third part, `[2, 0]` the first part inside it).
    pub async fn save_body_part(&self, id: &str, part: &[usize], path: &Path) -> Result<u64, WorkbenchError> {
        let request = self.request(id).await?;
        let bytes = body::part_bytes(&request.headers, &request.body, &RenderOptions::default(), part)?;
        write_file(path, &bytes).await
    }

    /// Writes the body to `path` with its Content-Encoding undone (gzip, deflate, br, stacked).
    pub async fn save_decoded_body(&self, id: &str, path: &Path) -> Result<u64, WorkbenchError> {
        let request = self.request(id).await?;
        let bytes = body::decode_content(&request.headers, &request.body, &RenderOptions::default())?;
        write_file(path, &bytes).await
    }

    /// Every forward and replay of a request, oldest first.
    pub async fn deliveries_of(&self, request_id: String) -> Result<Vec<DeliveryAttempt>, WorkbenchError> {
        Ok(self
            .store
            .read(move |conn| deliveries::list_for_request(conn, &request_id))
            .await?)
    }

    /// The newest times the tunnel was down while meant to be up, newest first.
    pub async fn tunnel_outages(&self) -> Result<Vec<TunnelOutage>, WorkbenchError> {
        Ok(self
            .store
            .read(|conn| tunnel_outages::list(conn, OUTAGES_SHOWN))
            .await?)
    }
}

/// Writes `bytes` to `path`; returns how many.
pub(super) async fn write_file(path: &Path, bytes: &[u8]) -> Result<u64, WorkbenchError> {
    tokio::fs::write(path, bytes)
        .await
        .map_err(WorkbenchError::file("write", path))?;
    Ok(bytes.len() as u64)
}

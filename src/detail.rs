//! A captured request shaped for a viewer: the body cut to a preview so that a 25 MiB body
//! never crosses into a window whole (the whole body is saved to a file instead).

use serde::Serialize;

use crate::body::{self, BodyView, RenderOptions};
use crate::model::CapturedRequest;

/// How many body bytes a viewer receives by default.
pub const DEFAULT_PREVIEW_BYTES: usize = 1024 * 1024;

/// A captured request with its body cut to at most a preview's length.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestDetail {
    /// The request; `request.body` holds only the first preview bytes of what was stored.
    pub request: CapturedRequest,
    /// Bytes of body stored (the whole body, or its first part when the capture was truncated).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub stored_len: u64,
    /// True when `request.body` is shorter than what is stored.
    pub preview_cut: bool,
    /// The whole stored body decoded for display (content-encoding undone, kind detected).
    pub view: BodyView,
}

impl RequestDetail {
    /// Keeps at most `preview_bytes` of the body.
    pub fn of(mut request: CapturedRequest, preview_bytes: usize) -> Self {
        let view = body::render(&request.headers, &request.body, &RenderOptions::default());
        let stored_len = request.body.len() as u64;
        let preview_cut = request.body.len() > preview_bytes;
        if preview_cut {
            request.body.truncate(preview_bytes);
            request.body.shrink_to_fit();
        }
        Self {
            request,
            stored_len,
            preview_cut,
            view,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequestDetail;
    use crate::model::{CaptureSource, CapturedRequest, RecordedResponse};

    fn request_with_body(body: Vec<u8>) -> CapturedRequest {
        CapturedRequest {
            id: "01TEST".into(),
            endpoint_id: None,
            endpoint_name: None,
            received_at_ns: 0,
            source: CaptureSource::Local,
            remote_addr: None,
            method: "POST".into(),
            target: "/".into(),
            http_version: "HTTP/1.1".into(),
            headers: Vec::new(),
            body_size: body.len() as u64,
            body,
            truncated: false,
            response: RecordedResponse {
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
                note: None,
            },
            signature: None,
        }
    }

    #[test]
    fn large_body_is_cut_to_the_preview_and_says_so() {
        let detail = RequestDetail::of(request_with_body(vec![b'a'; 5000]), 1024);
        assert_eq!(detail.request.body.len(), 1024);
        assert_eq!(detail.stored_len, 5000);
        assert!(detail.preview_cut);
    }

    #[test]
    fn small_body_is_kept_whole() {
        let detail = RequestDetail::of(request_with_body(b"{\"a\":1}".to_vec()), 1024);
        assert_eq!(detail.request.body, b"{\"a\":1}");
        assert!(!detail.preview_cut);
    }
}

//! A captured request shaped for a viewer: the body cut to a preview so that a 25 MiB body
//! never crosses into a window whole (the whole body is saved to a file instead).

use serde::Serialize;

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
}

impl RequestDetail {
    /// Keeps at most `preview_bytes` of the body.
    pub fn of(mut request: CapturedRequest, preview_bytes: usize) -> Self {
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RequestDetail;
    use crate::model::CapturedRequest;

    fn request_with_body(body: Vec<u8>) -> CapturedRequest {
        CapturedRequest::posted("01TEST", "/", body)
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

//! Why a body could not be decoded or a part could not be found.

/// Failures of content decoding and part extraction, worded for the user.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("decoded size exceeds {limit} bytes (the body may be a compression bomb); showing the captured bytes")]
    DecodedTooLarge { limit: usize },
    #[error("content-encoding `{0}` is not supported; showing the captured bytes")]
    UnsupportedEncoding(String),
    #[error("the {encoding} data is corrupt or cut short ({reason}); showing the captured bytes")]
    Corrupt { encoding: String, reason: String },
    #[error("the body is not multipart (no multipart content type with a boundary)")]
    NotMultipart,
    #[error("multipart body could not be parsed: {0}")]
    Multipart(String),
    #[error("there is no part {path} in this body")]
    NoSuchPart { path: String },
}

impl serde::Serialize for BodyError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

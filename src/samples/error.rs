//! Everything that can go wrong when finding, building or saving a sample, in words a user can act on.

use crate::signature::SignatureError;

/// Why a sample could not be listed, found, built or saved.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("no built-in provider \"{provider}\"{}", closest_text(closest))]
    UnknownProvider { provider: String, closest: Vec<String> },
    #[error("{provider} has no sample \"{event}\"{}", closest_text(closest))]
    UnknownEvent {
        provider: String,
        event: String,
        closest: Vec<String>,
    },
    #[error("no secret known for {provider}: its samples are signed; pass the endpoint's signing secret")]
    NoSecret { provider: String },
    #[error("no verify token known for {provider}: this handshake carries the endpoint's verify token; set one")]
    NoVerifyToken { provider: String },
    #[error("--set \"{edit}\": expected /json/pointer=VALUE")]
    BadEditSyntax { edit: String },
    #[error(
        "--set {pointer}: the value {value:?} is not JSON ({why}); write a string with its quotes, e.g. '\"text\"'"
    )]
    ValueNotJson {
        pointer: String,
        value: String,
        why: String,
    },
    #[error("--set {pointer}: {why}")]
    PointerNotFound { pointer: String, why: String },
    #[error("--set {pointer}: the body is not JSON ({why}), so a JSON pointer cannot name a field in it")]
    BodyNotJson { pointer: String, why: String },
    #[error("invalid target URL \"{url}\": {why}")]
    BadUrl { url: String, why: String },
    #[error("invalid sample {location}: {why}")]
    BadFile { location: String, why: String },
    #[error("invalid sample name \"{name}\": {why}")]
    BadName { name: String, why: String },
    #[error("request {id} was truncated when captured ({kept} of {size} bytes kept): it cannot become a sample")]
    Truncated { id: String, kept: usize, size: u64 },
    #[error("cannot sign the {provider} sample: {source}")]
    Signature {
        provider: String,
        #[source]
        source: SignatureError,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl serde::Serialize for SampleError {
    /// As its message, so that it reaches the UI in words.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

fn closest_text(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", closest.join(", "))
    }
}

//! HAR 1.2 import/export, curl command lines and raw HTTP request files.
//!
//! Bodies round-trip exactly: HAR text fields carry a body as-is when it is valid UTF-8, and as
//! standard base64 otherwise, marked `"encoding": "base64"` (response `content`, as HAR 1.2
//! defines) or `"_encoding": "base64"` (request `postData`, where HAR 1.2 has no such field;
//! import accepts either spelling in both places).

pub mod curl;
pub mod har;
pub mod har_import;
pub mod import_report;
pub mod raw;
pub mod redact;
pub mod snippets;
pub mod store_io;

pub use curl::{curl_command, CurlCommand};
pub use har::{to_har, Har, HarOptions};
pub use har_import::{from_har, HarImport};
pub use import_report::{ImportNote, ImportNoteKind, ImportReport};
pub use raw::parse_raw_requests;
pub use redact::{is_sensitive, redact_headers};
pub use snippets::{snippet, Language, UnknownLanguage};
pub use store_io::{export_har, import_bytes, ImportIntoStoreError};

/// Why a file could not be imported, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a HAR document: {0}")]
    Har(String),
    #[error("the file is not a raw HTTP request: {0}")]
    Raw(String),
}

//! Decoding captured bodies for display: content-encoding, JSON, XML, form, multipart, text, binary.
//!
//! [`render`] never panics and never trusts the sender: decoded output is capped, every preview is
//! bounded, and nothing here gives a body any meaning beyond text (an HTML or SVG body comes back
//! as text for a text view, never as something to load).

mod charset;
mod encoding;
mod error;
mod form;
mod hex;
mod json;
mod media_type;
mod multipart;
mod render;
mod sniff;

use serde::{Deserialize, Serialize};

/// The Content-Encoding tokens of a request, as the sender applied them (HAR import checks them too).
pub(crate) use encoding::content_encodings;
pub use error::BodyError;
pub use hex::hex_dump;
pub use render::{decode_content, part_bytes, render};

/// Limits for [`render`]; every field has a default, so the UI may send only what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct RenderOptions {
    /// Most bytes a content-encoding may decode to; beyond it the decode fails with a message.
    pub max_decoded_size: usize,
    /// Most bytes of text (JSON, XML, text, form input) returned in a preview.
    pub max_text_preview: usize,
    /// Most bytes shown in a binary hex dump.
    pub max_hex_preview: usize,
    /// Largest image returned as base64 for preview.
    pub max_image_size: usize,
    /// Most multipart parts listed.
    pub max_parts: usize,
    /// Most form fields listed.
    pub max_form_fields: usize,
    /// How deep multipart parts nested in multipart parts are rendered.
    pub max_depth: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            max_decoded_size: 10 * 1024 * 1024,
            max_text_preview: 1024 * 1024,
            max_hex_preview: 16 * 1024,
            max_image_size: 5 * 1024 * 1024,
            max_parts: 64,
            max_form_fields: 10_000,
            max_depth: 3,
        }
    }
}

/// A captured body ready for display: what was done to decode it and what it turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BodyView {
    /// Size of the body as captured (before any content-encoding was undone).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_size: u64,
    /// The Content-Type header as sent, if any.
    pub declared_type: Option<String>,
    /// Content-Encoding tokens in the order the sender applied them (`identity` omitted).
    pub content_encodings: Vec<String>,
    /// Size after undoing the content-encodings, when that succeeded.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub decoded_size: Option<u64>,
    /// Why the content-encoding could not be undone; `content` then shows the captured bytes.
    pub decode_error: Option<String>,
    /// True when `content` shows only the first part of the body (or of its parts or fields).
    pub preview_truncated: bool,
    pub content: BodyContent,
}

/// What a body is, found from its bytes first and its Content-Type second.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum BodyContent {
    /// No bytes.
    Empty,
    /// Valid JSON. `pretty` is re-indented from the original text: key order, duplicate keys and
    /// number spelling are kept exactly.
    Json {
        pretty: String,
        original: String,
        charset: String,
        had_invalid_bytes: bool,
    },
    /// XML by shape (a leading `<?xml` or an element that is not HTML). `svg` marks an SVG image,
    /// which is shown as text and never as a live image, since SVG can hold script.
    Xml {
        text: String,
        charset: String,
        had_invalid_bytes: bool,
        svg: bool,
    },
    /// Fields of an `application/x-www-form-urlencoded` body, in order, duplicates kept.
    Form { fields: Vec<FormField> },
    /// The parts of a `multipart/*` body. `error` says why parsing stopped early, if it did.
    Multipart {
        subtype: String,
        boundary: String,
        parts: Vec<BodyPart>,
        error: Option<String>,
    },
    /// Text in its charset; `had_invalid_bytes` means replacement characters stand in for bytes
    /// that were not valid in that charset.
    Text {
        text: String,
        syntax: TextSyntax,
        charset: String,
        had_invalid_bytes: bool,
    },
    /// A raster image recognised by its magic bytes; `base64` is `None` when it is over
    /// `max_image_size`.
    Image { mime: String, base64: Option<String> },
    /// Anything else: a hex dump (offset, hex, ASCII) of the first bytes.
    Binary { mime: Option<String>, hex_dump: String },
}

/// The flavour of a text body, for highlighting only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum TextSyntax {
    Plain,
    Html,
}

/// One `name=value` pair of a form body, percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FormField {
    pub name: String,
    pub value: String,
}

/// One part of a multipart body; its bytes are available through [`part_bytes`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BodyPart {
    /// Position among the parts, from 0; the path element for [`part_bytes`].
    pub index: usize,
    /// The part's headers (names lower-cased by the parser, values as sent).
    pub headers: Vec<crate::model::HeaderField>,
    /// `name` of the Content-Disposition header.
    pub name: Option<String>,
    /// `filename` of the Content-Disposition header.
    pub filename: Option<String>,
    pub content_type: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// The part rendered like a body of its own (nested multipart down to `max_depth`).
    pub view: BodyView,
}

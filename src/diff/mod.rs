//! Comparing two requests: two captures of the "same" webhook, or a capture and what a delivery
//! actually sent (an edited replay). Headers are compared in order with duplicates kept; JSON
//! bodies structurally, by pointer; other bodies as lines of text, or as bytes.

mod json;
pub mod volatile;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp, TextDiff};

use crate::body::{decode_content, RenderOptions};
use crate::model::{CapturedRequest, DeliveryAttempt, HeaderField, OutgoingRequest};

/// The parts of a request that a diff compares; both a [`CapturedRequest`] and an
/// [`OutgoingRequest`] (what a delivery sent) give one.
#[derive(Debug, Clone, Copy)]
pub struct RequestView<'a> {
    pub method: &'a str,
    /// The target as captured (`/path?query`) or the URL a delivery was sent to.
    pub target: &'a str,
    pub headers: &'a [HeaderField],
    pub body: &'a [u8],
}

impl<'a> From<&'a CapturedRequest> for RequestView<'a> {
    fn from(request: &'a CapturedRequest) -> Self {
        RequestView {
            method: &request.method,
            target: &request.target,
            headers: &request.headers,
            body: &request.body,
        }
    }
}

impl<'a> From<&'a OutgoingRequest> for RequestView<'a> {
    fn from(request: &'a OutgoingRequest) -> Self {
        RequestView {
            method: &request.method,
            target: &request.url,
            headers: &request.headers,
            body: &request.body,
        }
    }
}

impl<'a> From<&'a DeliveryAttempt> for RequestView<'a> {
    /// What the delivery sent (after edits or re-signing).
    fn from(attempt: &'a DeliveryAttempt) -> Self {
        RequestView::from(&attempt.sent)
    }
}

/// What to compare and how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffOptions {
    /// Leave out differences in ids, timestamps and signatures ([`volatile`] has the rule).
    pub hide_volatile: bool,
}

/// How two values relate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    #[default]
    Equal,
    Added,
    Removed,
    Changed,
}

/// One header line in the aligned lists: equal in both, only in one, or the same name at the
/// same place with another value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// In the UI's bindings beside delivery::HeaderChange (a replay's header edit).
#[cfg_attr(feature = "ts", ts(rename = "HeaderLineChange"))]
pub struct HeaderChange {
    pub op: ChangeOp,
    /// The name as written in `before` (or in `after` for an added line).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// How the bodies were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Both parse as JSON: changes have a `path`.
    Json,
    /// Both are text: changes have a `line` (1-based, in `before` for removed lines, in
    /// `after` for added ones).
    Text,
    /// Raw bytes: one change with the first differing `offset` and both sizes.
    Bytes,
}

/// One difference between the bodies. Which fields are set depends on the [`BodyKind`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BodyChange {
    pub op: ChangeOp,
    /// JSON: the pointer of the value that differs (`""` for the whole document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Text: the line number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Bytes: the first offset where they differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The value (JSON) or line (text) in `before`; absent when it is missing there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub after: Option<serde_json::Value>,
    /// Bytes: the sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_size: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_size: Option<usize>,
}

/// Everything that differs between two requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestDiff {
    /// `method` and `target` when they differ (`path` names which).
    pub request_line: Vec<BodyChange>,
    /// Both header lists aligned, in order, duplicates kept (equal lines included).
    pub headers: Vec<HeaderChange>,
    pub body_kind: BodyKind,
    /// The body's differences (empty when the bodies are equal, or differ only in hidden fields).
    pub body: Vec<BodyChange>,
    /// How many header and body differences were left out as volatile.
    pub hidden: usize,
}

impl RequestDiff {
    /// True when nothing (that is not hidden) differs.
    pub fn is_empty(&self) -> bool {
        self.request_line.is_empty() && self.body.is_empty() && self.headers.iter().all(|h| h.op == ChangeOp::Equal)
    }
}

/// Compares two requests. Bodies are compared after undoing their Content-Encoding (gzip, br,
/// deflate), when that works.
pub fn diff(before: RequestView<'_>, after: RequestView<'_>, options: DiffOptions) -> RequestDiff {
    let mut hidden = 0;
    let mut request_line = Vec::new();
    for (field, a, b) in [
        ("method", before.method, after.method),
        ("target", before.target, after.target),
    ] {
        if a != b {
            request_line.push(BodyChange {
                op: ChangeOp::Changed,
                path: Some(field.to_owned()),
                before: Some(a.into()),
                after: Some(b.into()),
                ..BodyChange::default()
            });
        }
    }
    let headers = diff_headers(before.headers, after.headers, options, &mut hidden);
    let a = decoded(before);
    let b = decoded(after);
    let (body_kind, body) = diff_bodies(&a, &b, options, &mut hidden);
    RequestDiff {
        request_line,
        headers,
        body_kind,
        body,
        hidden,
    }
}

fn decoded<'a>(request: RequestView<'a>) -> std::borrow::Cow<'a, [u8]> {
    match decode_content(request.headers, request.body, &RenderOptions::default()) {
        Ok(bytes) if bytes != request.body => bytes.into(),
        _ => request.body.into(),
    }
}

/// The header lists aligned by a shortest edit script over (lowercased name, value) lines; a
/// removed and an added line of the same name next to each other become one changed line.
fn diff_headers(
    before: &[HeaderField],
    after: &[HeaderField],
    options: DiffOptions,
    hidden: &mut usize,
) -> Vec<HeaderChange> {
    let key = |h: &HeaderField| (h.name.to_ascii_lowercase(), h.value.clone());
    let a: Vec<_> = before.iter().map(key).collect();
    let b: Vec<_> = after.iter().map(key).collect();
    let mut removed: Vec<&HeaderField> = Vec::new();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                out.extend(before[old_index..old_index + len].iter().map(|h| HeaderChange {
                    op: ChangeOp::Equal,
                    name: h.name.clone(),
                    before: Some(h.value.clone()),
                    after: Some(h.value.clone()),
                }));
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                removed.extend(&before[old_index..old_index + old_len]);
                flush_removed(&mut removed, &mut out);
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                pair_added(&mut removed, &after[new_index..new_index + new_len], &mut out);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                removed.extend(&before[old_index..old_index + old_len]);
                pair_added(&mut removed, &after[new_index..new_index + new_len], &mut out);
            }
        }
    }
    flush_removed(&mut removed, &mut out);
    if options.hide_volatile {
        out.retain(|change| {
            let keep = change.op == ChangeOp::Equal || !volatile::is_volatile_header(&change.name);
            *hidden += usize::from(!keep);
            keep
        });
    }
    out
}

/// Added lines take the place of removed lines of the same name (a changed value); the rest
/// are added after the removed ones.
fn pair_added(removed: &mut Vec<&HeaderField>, added: &[HeaderField], out: &mut Vec<HeaderChange>) {
    let mut unpaired = Vec::new();
    for header in added {
        match removed.iter().position(|r| r.name.eq_ignore_ascii_case(&header.name)) {
            Some(at) => {
                // Lines removed before the paired one stay in order before it.
                for earlier in removed.drain(..at) {
                    out.push(removed_line(earlier));
                }
                let old = removed.remove(0);
                out.push(HeaderChange {
                    op: ChangeOp::Changed,
                    name: old.name.clone(),
                    before: Some(old.value.clone()),
                    after: Some(header.value.clone()),
                });
            }
            None => unpaired.push(header),
        }
    }
    flush_removed(removed, out);
    out.extend(unpaired.into_iter().map(|h| HeaderChange {
        op: ChangeOp::Added,
        name: h.name.clone(),
        before: None,
        after: Some(h.value.clone()),
    }));
}

fn flush_removed(removed: &mut Vec<&HeaderField>, out: &mut Vec<HeaderChange>) {
    out.extend(removed.drain(..).map(removed_line));
}

fn removed_line(header: &HeaderField) -> HeaderChange {
    HeaderChange {
        op: ChangeOp::Removed,
        name: header.name.clone(),
        before: Some(header.value.clone()),
        after: None,
    }
}

fn diff_bodies(a: &[u8], b: &[u8], options: DiffOptions, hidden: &mut usize) -> (BodyKind, Vec<BodyChange>) {
    if let (Ok(before), Ok(after)) = (
        serde_json::from_slice::<serde_json::Value>(a),
        serde_json::from_slice::<serde_json::Value>(b),
    ) {
        let hide = |tokens: &[String]| options.hide_volatile && volatile::is_volatile_path(tokens);
        let (changes, count) = json::compare(&before, &after, &hide);
        *hidden += count;
        return (BodyKind::Json, changes);
    }
    match (text(a), text(b)) {
        (Some(before), Some(after)) => (BodyKind::Text, diff_text(before, after)),
        _ => (BodyKind::Bytes, diff_bytes(a, b)),
    }
}

/// UTF-8 without NUL bytes.
fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok().filter(|t| !t.contains('\0'))
}

fn diff_text(before: &str, after: &str) -> Vec<BodyChange> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(before, after);
    let mut out = Vec::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches(['\n', '\r']).to_owned();
        match change.tag() {
            similar::ChangeTag::Equal => {}
            similar::ChangeTag::Delete => out.push(BodyChange {
                op: ChangeOp::Removed,
                line: change.old_index().map(|i| i + 1),
                before: Some(line.into()),
                ..BodyChange::default()
            }),
            similar::ChangeTag::Insert => out.push(BodyChange {
                op: ChangeOp::Added,
                line: change.new_index().map(|i| i + 1),
                after: Some(line.into()),
                ..BodyChange::default()
            }),
        }
    }
    out
}

fn diff_bytes(a: &[u8], b: &[u8]) -> Vec<BodyChange> {
    if a == b {
        return Vec::new();
    }
    let offset = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    vec![BodyChange {
        op: ChangeOp::Changed,
        offset: Some(offset),
        before_size: Some(a.len()),
        after_size: Some(b.len()),
        ..BodyChange::default()
    }]
}

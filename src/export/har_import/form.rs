//! Bodies rebuilt from `postData.params`: Chrome, Firefox, Charles, Insomnia and Postman
//! converters list a form's fields and may leave its text out. A url-encoded body is written in
//! the spellings tools use (`+` or `%20` for spaces, a bare name for an empty value, raw) and the
//! one whose length matches the size the file gives is kept; a multipart body is written with
//! the boundary of its Content-Type. Either way a note says the body was rebuilt.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::document::NameValue;
use super::Note;
use crate::export::ImportNoteKind;

/// What JavaScript's `encodeURIComponent` leaves as it is.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A body rebuilt from form fields, and the Content-Type to add when the request has none that
/// names the multipart boundary used.
pub(super) struct Rebuilt {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
}

/// Rebuilds the body of `params`; `content_type` is the request's (or `postData.mimeType`),
/// `size` the byte count the file gives, if any.
pub(super) fn rebuild(
    params: &[NameValue],
    content_type: &str,
    size: Option<(usize, &'static str)>,
    notes: &mut Vec<Note>,
) -> Rebuilt {
    let media = content_type.to_ascii_lowercase();
    if media.starts_with("multipart/") {
        return multipart(params, content_type, notes);
    }
    let spellings = [
        urlencoded(params, Spelling::Form),
        urlencoded(params, Spelling::Component),
        urlencoded(params, Spelling::Raw),
        urlencoded(params, Spelling::RawBareNames),
    ];
    let fitting = size.and_then(|(count, _)| spellings.iter().find(|body| body.len() == count));
    let message = match (fitting, size) {
        (Some(_), Some((count, source))) => format!(
            "the file holds this form's fields, not its text: the body was rebuilt from postData.params, \
             and its length matches the {count} bytes the file gives ({source})"
        ),
        (None, Some((count, source))) => format!(
            "the file holds this form's fields, not its text: the body was rebuilt from postData.params, and \
             no spelling of them is the {count} bytes the file gives ({source}), so it differs from the body sent"
        ),
        (_, None) => "the file holds this form's fields, not its text: the body was rebuilt from postData.params \
                      (url-encoded), and the file gives no size to check it against"
            .into(),
    };
    notes.push((ImportNoteKind::Rebuilt, message));
    Rebuilt {
        body: fitting.unwrap_or(&spellings[0]).clone(),
        content_type: None,
    }
}

#[derive(Clone, Copy)]
enum Spelling {
    /// `application/x-www-form-urlencoded` as browsers submit forms (`+` for space).
    Form,
    /// `encodeURIComponent` (`%20` for space).
    Component,
    /// The fields as the file gives them, already encoded.
    Raw,
    /// Raw, with a bare name for an empty value (Charles lists a JSON body sent as a form so).
    RawBareNames,
}

fn urlencoded(params: &[NameValue], spelling: Spelling) -> Vec<u8> {
    let pairs = params.iter().map(|p| {
        let (name, value) = (p.name.as_str(), p.value());
        match spelling {
            Spelling::Form => {
                let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
                format!("{}={}", encode(name), encode(&value))
            }
            Spelling::Component => format!(
                "{}={}",
                utf8_percent_encode(name, URI_COMPONENT),
                utf8_percent_encode(&value, URI_COMPONENT)
            ),
            Spelling::Raw => format!("{name}={value}"),
            Spelling::RawBareNames if value.is_empty() => name.to_owned(),
            Spelling::RawBareNames => format!("{name}={value}"),
        }
    });
    pairs.collect::<Vec<_>>().join("&").into_bytes()
}

fn multipart(params: &[NameValue], content_type: &str, notes: &mut Vec<Note>) -> Rebuilt {
    let declared = boundary_of(content_type);
    let boundary = declared
        .clone()
        .unwrap_or_else(|| format!("hookscope-{}", ulid::Ulid::new().to_string().to_ascii_lowercase()));
    let mut body = Vec::new();
    let mut files_missing = Vec::new();
    for param in params {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = quoted(&param.name);
        match &param.file_name {
            Some(file) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\n",
                        quoted(file)
                    )
                    .as_bytes(),
                );
                let kind = param.content_type.as_deref().unwrap_or("application/octet-stream");
                body.extend_from_slice(format!("Content-Type: {kind}\r\n").as_bytes());
                if param.value().is_empty() {
                    files_missing.push(file.clone());
                }
            }
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes()),
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(param.value().as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut message = "the file holds this multipart form's fields, not its text: the body was rebuilt from \
                       postData.params, so its bytes may differ from those sent"
        .to_owned();
    if declared.is_none() {
        message.push_str(&format!(
            "; the file names no boundary, so Hookscope chose \"{boundary}\""
        ));
    }
    if !files_missing.is_empty() {
        message.push_str(&format!(
            "; the file does not hold the contents of {} (stored empty)",
            files_missing.join(", ")
        ));
    }
    notes.push((ImportNoteKind::Rebuilt, message));
    Rebuilt {
        body,
        content_type: declared
            .is_none()
            .then(|| format!("multipart/form-data; boundary={boundary}")),
    }
}

/// The `boundary` parameter of a multipart Content-Type, unquoted.
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (key.trim().eq_ignore_ascii_case("boundary") && !value.is_empty()).then(|| value.to_owned())
    })
}

fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::rebuild;
    use crate::export::har_import::document::NameValue;

    fn field(name: &str, value: &str) -> NameValue {
        NameValue {
            name: name.into(),
            value: value.into(),
            ..NameValue::default()
        }
    }

    #[test]
    fn the_spelling_whose_length_matches_the_declared_size_is_kept() {
        let mut notes = Vec::new();
        let params = [field("a", "1 2"), field("b", "é")];
        let form = rebuild(
            &params,
            "application/x-www-form-urlencoded",
            Some((12, "bodySize")),
            &mut notes,
        );
        assert_eq!(form.body, b"a=1+2&b=%C3%A9");
        let component = rebuild(
            &params,
            "application/x-www-form-urlencoded",
            Some((16, "bodySize")),
            &mut notes,
        );
        assert_eq!(component.body, b"a=1%202&b=%C3%A9");
        // Charles lists a JSON body sent as a form as one field named by the whole body.
        let json = r#"{"className":"ReqWeal","opType":2}"#;
        let charles = rebuild(
            &[field(json, "")],
            "application/x-www-form-urlencoded",
            Some((34, "bodySize")),
            &mut notes,
        );
        assert_eq!(charles.body, json.as_bytes());
        assert!(notes.iter().all(|n| n.1.contains("rebuilt")));
    }
}

//! From captured headers and bytes to a [`BodyView`]: undo the content-encoding, then decide what
//! the bytes are by looking at them, using the declared type as a hint.

use std::borrow::Cow;

use base64::Engine as _;

use super::charset::{charset_is_explicit, decode_text, looks_binary, truncate_text};
use super::encoding::{content_encodings, decode};
use super::media_type::MediaType;
use super::sniff::{binary_mime, image_mime, markup, Markup};
use super::{form, hex_dump, json, multipart};
use super::{BodyContent, BodyError, BodyPart, BodyView, RenderOptions, TextSyntax};
use crate::model::HeaderField;

/// Renders a captured body for display. Pure and panic-free: a body that cannot be decoded comes
/// back with `decode_error` set and its captured bytes classified instead.
pub fn render(headers: &[HeaderField], body: &[u8], options: &RenderOptions) -> BodyView {
    render_at_depth(headers, body, options, 0)
}

/// The body with its Content-Encoding undone (at most `max_decoded_size` bytes), for saving.
pub fn decode_content(headers: &[HeaderField], body: &[u8], options: &RenderOptions) -> Result<Vec<u8>, BodyError> {
    decode(body, &content_encodings(headers), options.max_decoded_size)
}

/// The bytes of a multipart part, for download: `path` holds one index per nesting level
/// (`[2]` is the third part, `[2, 0]` the first part inside it). Content-encodings of the body
/// and of each part are undone, as in [`render`].
pub fn part_bytes(
    headers: &[HeaderField],
    body: &[u8],
    options: &RenderOptions,
    path: &[usize],
) -> Result<Vec<u8>, BodyError> {
    let mut current_headers = headers.to_vec();
    let mut current = decode_content(headers, body, options)?;
    for (level, &index) in path.iter().enumerate() {
        let media = header_value(&current_headers, "content-type").map(MediaType::parse);
        let boundary = multipart::boundary(media.as_ref(), &current).ok_or(BodyError::NotMultipart)?;
        let mut parsed = multipart::parse(&current, &boundary, index.saturating_add(1));
        if index >= parsed.parts.len() {
            return Err(match parsed.error {
                Some(error) => BodyError::Multipart(error),
                None => BodyError::NoSuchPart {
                    path: format_path(&path[..=level]),
                },
            });
        }
        let part = parsed.parts.swap_remove(index);
        current = decode_content(&part.headers, &part.data, options)?;
        current_headers = part.headers;
    }
    Ok(current)
}

fn format_path(path: &[usize]) -> String {
    path.iter()
        .map(|index| (index + 1).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

fn render_at_depth(headers: &[HeaderField], body: &[u8], options: &RenderOptions, depth: usize) -> BodyView {
    let declared_type = header_value(headers, "content-type").map(str::to_owned);
    let media = declared_type.as_deref().map(MediaType::parse);
    let content_encodings = content_encodings(headers);
    let (bytes, decoded_size, decode_error) = if content_encodings.is_empty() {
        (Cow::Borrowed(body), None, None)
    } else {
        match decode(body, &content_encodings, options.max_decoded_size) {
            Ok(decoded) => {
                let size = decoded.len() as u64;
                (Cow::Owned(decoded), Some(size), None)
            }
            Err(err) => {
                tracing::debug!(error = %err, "showing a body whose content-encoding could not be undone");
                (Cow::Borrowed(body), None, Some(err.to_string()))
            }
        }
    };
    let (content, preview_truncated) = classify(&bytes, media.as_ref(), options, depth);
    BodyView {
        total_size: body.len() as u64,
        declared_type,
        content_encodings,
        decoded_size,
        decode_error,
        preview_truncated,
        content,
    }
}

fn header_value<'a>(headers: &'a [HeaderField], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|field| field.name.eq_ignore_ascii_case(name))
        .map(|field| field.value.as_str())
}

/// Decides what `bytes` are; returns the content and whether its preview was cut.
fn classify(bytes: &[u8], media: Option<&MediaType>, options: &RenderOptions, depth: usize) -> (BodyContent, bool) {
    if bytes.is_empty() {
        return (BodyContent::Empty, false);
    }
    if depth < options.max_depth {
        if let Some(boundary) = multipart::boundary(media, bytes) {
            return render_multipart(bytes, media, boundary, options, depth);
        }
    }
    if let Some(mime) = image_mime(bytes) {
        let fits = bytes.len() <= options.max_image_size;
        let base64 = fits.then(|| base64::engine::general_purpose::STANDARD.encode(bytes));
        return (
            BodyContent::Image {
                mime: mime.to_owned(),
                base64,
            },
            !fits,
        );
    }
    let charset = media.and_then(|media| media.param("charset"));
    if !charset_is_explicit(bytes, charset) && looks_binary(bytes) {
        let mime = binary_mime(bytes)
            .map(str::to_owned)
            .or_else(|| media.map(|media| media.essence.clone()).filter(|e| !e.is_empty()));
        let content = BodyContent::Binary {
            mime,
            hex_dump: hex_dump(bytes, options.max_hex_preview),
        };
        return (content, bytes.len() > options.max_hex_preview);
    }
    classify_text(bytes, media, charset, options)
}

fn classify_text(
    bytes: &[u8],
    media: Option<&MediaType>,
    charset: Option<&str>,
    options: &RenderOptions,
) -> (BodyContent, bool) {
    let decoded = decode_text(bytes, charset);
    let text = decoded.text.as_ref();
    let charset = decoded.charset.to_owned();
    let had_invalid_bytes = decoded.had_invalid_bytes;
    let trimmed = text.trim();
    let declared_json = media.is_some_and(MediaType::is_json);
    if (declared_json || trimmed.starts_with('{') || trimmed.starts_with('[')) && json::is_json(text) {
        let (pretty, pretty_cut) = json::pretty(trimmed, options.max_text_preview);
        let (original, original_cut) = truncate_text(text, options.max_text_preview);
        let content = BodyContent::Json {
            pretty,
            original: original.to_owned(),
            charset,
            had_invalid_bytes,
        };
        return (content, pretty_cut || original_cut);
    }
    let (preview, cut) = truncate_text(text, options.max_text_preview);
    let text_content = |syntax| BodyContent::Text {
        text: preview.to_owned(),
        syntax,
        charset: charset.clone(),
        had_invalid_bytes,
    };
    match markup(text) {
        Some(Markup::Html) => return (text_content(TextSyntax::Html), cut),
        Some(kind @ (Markup::Xml | Markup::Svg)) => {
            let content = BodyContent::Xml {
                text: preview.to_owned(),
                charset: charset.clone(),
                had_invalid_bytes,
                svg: kind == Markup::Svg,
            };
            return (content, cut);
        }
        None => {}
    }
    let declared_form = media.is_some_and(|media| media.essence == "application/x-www-form-urlencoded");
    if declared_form || (!declared_json && form::looks_like_form(trimmed)) {
        // Cut a long form at a field boundary so no field is shown half.
        let input = if cut {
            preview.rsplit_once('&').map_or(preview, |(head, _)| head)
        } else {
            trimmed
        };
        let (fields, more) = form::parse_form(input, options.max_form_fields);
        return (BodyContent::Form { fields }, cut || more);
    }
    let declared_html = media.is_some_and(|media| media.essence == "text/html");
    let syntax = if declared_html {
        TextSyntax::Html
    } else {
        TextSyntax::Plain
    };
    (text_content(syntax), cut)
}

fn render_multipart(
    bytes: &[u8],
    media: Option<&MediaType>,
    boundary: String,
    options: &RenderOptions,
    depth: usize,
) -> (BodyContent, bool) {
    let parsed = multipart::parse(bytes, &boundary, options.max_parts);
    let parts = parsed
        .parts
        .into_iter()
        .enumerate()
        .map(|(index, part)| BodyPart {
            index,
            view: render_at_depth(&part.headers, &part.data, options, depth + 1),
            size: part.data.len() as u64,
            headers: part.headers,
            name: part.name,
            filename: part.filename,
            content_type: part.content_type,
        })
        .collect();
    let subtype = media
        .filter(|media| media.top_level() == "multipart")
        .map_or("mixed", MediaType::subtype)
        .to_owned();
    let content = BodyContent::Multipart {
        subtype,
        boundary,
        parts,
        error: parsed.error,
    };
    (content, parsed.more)
}

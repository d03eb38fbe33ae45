//! Recognising formats by their bytes: image and archive magic numbers, HTML versus XML and SVG.

/// Raster images the viewer may preview, by magic bytes. SVG is deliberately absent.
pub(crate) fn image_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Other well-known binary formats, named for the hex view and for saving.
pub(crate) fn binary_mime(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
        (b"\x28\xb5\x2f\xfd", "application/zstd"),
        (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
        (b"\x7fELF", "application/x-executable"),
        (b"SQLite format 3\0", "application/vnd.sqlite3"),
        (b"BM", "image/bmp"),
        (b"\0\0\x01\0", "image/x-icon"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, mime)| *mime)
}

/// The kind of a text that starts with markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    Html,
    Xml,
    Svg,
}

/// Elements whose presence as the first element means HTML rather than XML.
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "body", "script", "style", "div", "span", "p", "a", "img", "iframe", "form", "input", "table",
    "h1", "h2", "h3", "ul", "ol", "li", "br", "meta", "link", "title", "object", "embed", "b", "i", "pre",
];

/// Classifies text that begins (after whitespace) with `<`; `None` when it does not.
pub(crate) fn markup(text: &str) -> Option<Markup> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('<') {
        return None;
    }
    let lower_head: String = text.chars().take(512).collect::<String>().to_ascii_lowercase();
    if lower_head.starts_with("<!doctype html") {
        return Some(Markup::Html);
    }
    let has_declaration = lower_head.starts_with("<?xml");
    match first_element_name(text) {
        Some(name) if name.eq_ignore_ascii_case("svg") || name.to_ascii_lowercase().ends_with(":svg") => {
            Some(Markup::Svg)
        }
        Some(name) if !has_declaration && HTML_ELEMENTS.contains(&name.to_ascii_lowercase().as_str()) => {
            Some(Markup::Html)
        }
        Some(_) => Some(Markup::Xml),
        None if has_declaration => Some(Markup::Xml),
        None => None,
    }
}

/// The name of the first element, skipping the XML declaration, processing instructions,
/// comments and doctypes. Looks only at the first 64 KiB.
fn first_element_name(text: &str) -> Option<&str> {
    let mut rest = text.get(..text.len().min(64 * 1024)).unwrap_or(text);
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->")?.1;
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = rest.split_once('>')?.1;
        } else {
            let after = rest.strip_prefix('<')?;
            let end = after
                .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
                .unwrap_or(after.len());
            let name = &after[..end];
            let valid = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
            return valid.then_some(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_kinds() {
        assert_eq!(markup("<script>alert(1)</script>"), Some(Markup::Html));
        assert_eq!(markup("<!DOCTYPE html><html></html>"), Some(Markup::Html));
        assert_eq!(markup("  <?xml version=\"1.0\"?><order id=\"1\"/>"), Some(Markup::Xml));
        assert_eq!(markup("<!-- c --><feed xmlns=\"x\"></feed>"), Some(Markup::Xml));
        assert_eq!(
            markup("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(Markup::Svg)
        );
        assert_eq!(markup("<3 not markup"), None);
        assert_eq!(markup("plain"), None);
    }

    #[test]
    fn image_magic_bytes() {
        assert_eq!(image_mime(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(image_mime(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_mime(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(image_mime(b"<svg/>"), None);
        assert_eq!(binary_mime(b"%PDF-1.7"), Some("application/pdf"));
    }
}

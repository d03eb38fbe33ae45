//! The decoded body as `hookscope show` prints it for people (the engine's `body::render`).

use std::io::{self, Write};

use super::output;
use hookscope::body::{self, BodyContent, BodyView, RenderOptions};
use hookscope::model::HeaderField;

/// Writes the body decoded for reading: content-encoding undone, JSON pretty-printed, form and
/// multipart fields listed, binary as a hex dump. `show --body` is the way to get exact bytes.
pub fn write_body(out: &mut impl Write, headers: &[HeaderField], bytes: &[u8]) -> io::Result<()> {
    let view = body::render(headers, bytes, &RenderOptions::default());
    write_view(out, &view, "")
}

fn write_view(out: &mut impl Write, view: &BodyView, indent: &str) -> io::Result<()> {
    if !view.content_encodings.is_empty() {
        let decoded = view.decoded_size.map(output::size).unwrap_or_else(|| "?".into());
        writeln!(
            out,
            "{indent}[{} decoded: {} -> {decoded}]",
            view.content_encodings.join(", "),
            output::size(view.total_size)
        )?;
    }
    if let Some(error) = &view.decode_error {
        writeln!(out, "{indent}[could not decode: {error}]")?;
    }
    match &view.content {
        BodyContent::Empty => writeln!(out, "{indent}[empty body]")?,
        BodyContent::Json { pretty, .. } => write_lines(out, indent, pretty)?,
        BodyContent::Xml { text, .. } | BodyContent::Text { text, .. } => write_lines(out, indent, text)?,
        BodyContent::Form { fields } => {
            for field in fields {
                writeln!(out, "{indent}{} = {}", field.name, field.value)?;
            }
        }
        BodyContent::Multipart { parts, error, .. } => {
            for part in parts {
                let name = part.name.as_deref().unwrap_or("");
                let file = part
                    .filename
                    .as_deref()
                    .map(|f| format!(" file {f:?}"))
                    .unwrap_or_default();
                let kind = part.content_type.as_deref().unwrap_or("text/plain");
                writeln!(
                    out,
                    "{indent}--- part {} {name:?}{file} ({kind}, {})",
                    part.index,
                    output::size(part.size)
                )?;
                write_view(out, &part.view, &format!("{indent}  "))?;
            }
            if let Some(error) = error {
                writeln!(out, "{indent}[multipart ends early: {error}]")?;
            }
        }
        BodyContent::Image { mime, .. } => writeln!(out, "{indent}[{mime} image, {}]", output::size(view.total_size))?,
        BodyContent::Binary { hex_dump, .. } => write_lines(out, indent, hex_dump)?,
    }
    if view.preview_truncated {
        writeln!(out, "{indent}[preview cut; use --body for every byte]")?;
    }
    Ok(())
}

fn write_lines(out: &mut impl Write, indent: &str, text: &str) -> io::Result<()> {
    for line in text.lines() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

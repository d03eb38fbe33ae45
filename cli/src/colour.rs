//! Colour in the human output, only where it helps reading and only where it is wanted: on a
//! terminal, never with `NO_COLOR` set (https://no-color.org), and as `--color` says. Decided
//! once per stream at start; when off, no escape code is written at all (pipes and files get
//! plain text, and JSON output is never coloured).

use std::fmt::Display;
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};

/// When to colour: `--color auto|always|never`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (or TERM=dumb, CLICOLOR=0).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

static STDOUT: OnceLock<Palette> = OnceLock::new();
static STDERR: OnceLock<Palette> = OnceLock::new();

/// Decides for stdout and stderr, once, before anything is printed.
pub fn init(when: ColorWhen) {
    let _ = STDOUT.set(Palette::decide(when, &std::io::stdout()));
    let _ = STDERR.set(Palette::decide(when, &std::io::stderr()));
}

/// The palette for stdout (plain until [`init`] ran).
pub fn stdout() -> Palette {
    STDOUT.get().copied().unwrap_or_default()
}

/// The palette for stderr (plain until [`init`] ran).
pub fn stderr() -> Palette {
    STDERR.get().copied().unwrap_or_default()
}

/// Prints `hookscope: MESSAGE` on stderr, in red when stderr takes colour.
pub fn error_line(message: impl Display) {
    let palette = stderr();
    eprintln!("{}", palette.paint(ERROR, format_args!("hookscope: {message}")));
}

/// Whether one stream gets colour.
#[derive(Clone, Copy, Debug, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    fn decide<S: anstream::stream::RawStream>(when: ColorWhen, stream: &S) -> Self {
        let enabled = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            // NO_COLOR (non-empty), CLICOLOR(_FORCE), TERM and whether the stream is a terminal.
            ColorWhen::Auto => anstream::AutoStream::<S>::choice(stream) != anstream::ColorChoice::Never,
        };
        if enabled {
            // Windows 10+ consoles render escape codes once virtual terminal processing is on.
            #[cfg(windows)]
            let _ = anstyle_query::windows::enable_ansi_colors();
        }
        Self { enabled }
    }

    /// `text` in `style` when colour is on, else `text` as it is.
    pub fn paint<T: Display>(self, style: Style, text: T) -> Painted<T> {
        Painted {
            style: if self.enabled { style } else { Style::new() },
            text,
        }
    }
}

/// Text with the escape codes of its style around it (none for the plain style).
pub struct Painted<T> {
    style: Style,
    text: T,
}

impl<T: Display> Display for Painted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `{:#}` of a style is its reset; both render as nothing for the plain style.
        write!(f, "{}{}{:#}", self.style, self.text, self.style)
    }
}

/// Errors.
pub const ERROR: Style = AnsiColor::Red.on_default();
/// Good outcomes: 2xx, a verified signature, `valid`.
pub const GOOD: Style = AnsiColor::Green.on_default();
/// Outcomes to look at: 4xx, a missing secret, unsigned.
pub const WARN: Style = AnsiColor::Yellow.on_default();
/// Bad outcomes: 5xx, a failed signature, `invalid`.
pub const BAD: Style = AnsiColor::Red.on_default().bold();
/// Redirects and other neutral statuses.
pub const NEUTRAL: Style = AnsiColor::Cyan.on_default();
/// The HTTP method.
pub const METHOD: Style = Style::new().bold();
/// Less important detail: the request id.
pub const DIM: Style = Style::new().dimmed();

/// The style of an HTTP status by its class.
pub fn status_style(status: u16) -> Style {
    match status {
        200..=299 => GOOD,
        300..=399 => NEUTRAL,
        400..=499 => WARN,
        500..=599 => BAD,
        _ => Style::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Palette, GOOD};

    #[test]
    fn plain_palette_writes_no_escape_codes() {
        let plain = Palette { enabled: false };
        assert_eq!(plain.paint(GOOD, "200").to_string(), "200");
        let coloured = Palette { enabled: true };
        assert_eq!(coloured.paint(GOOD, "200").to_string(), "\u{1b}[32m200\u{1b}[0m");
    }
}

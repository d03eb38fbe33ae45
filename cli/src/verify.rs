//! `hookscope verify`: check the webhook signature of a raw HTTP/1.1 request file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use super::EXIT_USAGE;
use hookscope::model::{HeaderField, SignatureVerdict, VerdictStatus};
use hookscope::signature::{self, SignableRequest};

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Raw HTTP/1.1 request file: request line, headers, blank line, body bytes (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    request: PathBuf,
    /// Signing secret (repeat for rotation, newest first); a public key for Discord and SendGrid.
    #[arg(long = "secret", value_name = "S")]
    secrets: Vec<String>,
    /// Provider id (e.g. github, stripe, slack, standard_webhooks), a generic;header=... scheme, or auto.
    #[arg(long, value_name = "NAME", default_value = "auto")]
    provider: String,
    /// The public URL the provider signed (Twilio, Square, HubSpot, Mandrill, Plivo).
    #[arg(long, value_name = "PUBLIC_URL")]
    url: Option<String>,
    /// The clock for timestamp checks, in Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
    /// Timestamp tolerance in seconds [default: the provider's documented window].
    #[arg(long, value_name = "SECONDS")]
    tolerance: Option<i64>,
    /// Print {"provider","valid","reason","matched_secret",...} as JSON.
    #[arg(long)]
    json: bool,
}

/// The stable `--json` document.
#[derive(Serialize)]
struct VerifyDocument<'a> {
    provider: Option<&'a str>,
    valid: bool,
    /// The failed step or the diagnosis in words; null when valid with nothing to add.
    reason: Option<&'a str>,
    /// 0-based index of the secret that matched, in the order given.
    matched_secret: Option<usize>,
    status: VerdictStatus,
    diagnosis: Option<&'a str>,
    detected: bool,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let raw = match RawRequest::read(&args.request) {
        Ok(raw) => raw,
        Err(error) => return Ok(usage_error(&error)),
    };
    if args.provider != "auto" {
        if let Err(error) = signature::Resolved::from_id(&args.provider) {
            return Ok(usage_error(&anyhow::Error::new(error)));
        }
    }
    let view = raw.signable(args.url.as_deref());
    let now = args.now.unwrap_or_else(now_unix);
    let verdict = signature::verify(Some(&args.provider), &args.secrets, &view, now, args.tolerance);
    print_verdict(&verdict, args.json)?;
    Ok(if verdict.status == VerdictStatus::Verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_verdict(verdict: &SignatureVerdict, json: bool) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        let document = VerifyDocument {
            provider: verdict.provider.as_deref(),
            valid: verdict.status == VerdictStatus::Verified,
            reason: verdict.reason.as_deref(),
            matched_secret: verdict.matched_secret,
            status: verdict.status,
            diagnosis: verdict.diagnosis.as_deref(),
            detected: verdict.detected,
        };
        serde_json::to_writer(&mut stdout, &document)?;
        writeln!(stdout)?;
        return Ok(());
    }
    let provider = verdict.provider.as_deref().unwrap_or("unknown provider");
    let detected = if verdict.detected { " (detected)" } else { "" };
    let head = match verdict.status {
        VerdictStatus::Verified => "valid",
        VerdictStatus::Failed => "invalid",
        VerdictStatus::Unsigned => "unsigned",
        VerdictStatus::NoSecret => "no secret",
        VerdictStatus::UnknownProvider => "unknown provider",
    };
    let matched = verdict
        .matched_secret
        .map(|i| format!(" with secret #{}", i + 1))
        .unwrap_or_default();
    let head = crate::colour::stdout().paint(super::output::verdict_style(verdict.status), head);
    write!(stdout, "{head}: {provider}{detected}{matched}")?;
    if let Some(reason) = &verdict.reason {
        write!(stdout, ": {reason}")?;
    }
    writeln!(stdout)?;
    Ok(())
}

fn usage_error(error: &anyhow::Error) -> ExitCode {
    crate::colour::error_line(format_args!("{error:#}"));
    ExitCode::from(EXIT_USAGE)
}

pub(super) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A request read from a raw HTTP/1.1 file.
#[derive(Debug)]
pub(super) struct RawRequest {
    pub method: String,
    pub target: String,
    pub version: String,
    pub headers: Vec<HeaderField>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// Reads and parses the file; the body is every byte after the blank line (cut to
    /// `Content-Length` when that is shorter, e.g. an editor's trailing newline).
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let bytes = if path == Path::new("-") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).context("could not read stdin")?;
            bytes
        } else {
            std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?
        };
        Self::parse(&bytes).with_context(|| format!("{} is not a raw HTTP/1.1 request", path.display()))
    }

    pub fn parse(bytes: &[u8]) -> anyhow::Result<Self> {
        let mut slots = [httparse::EMPTY_HEADER; 256];
        let mut parsed = httparse::Request::new(&mut slots);
        let head_len = match parsed.parse(bytes)? {
            httparse::Status::Complete(len) => len,
            httparse::Status::Partial => {
                anyhow::bail!("the head is incomplete: it needs a blank line after the headers")
            }
        };
        let headers: Vec<HeaderField> = parsed
            .headers
            .iter()
            .map(|h| HeaderField::from_bytes(h.name, h.value))
            .collect();
        let mut body = bytes[head_len..].to_vec();
        let declared = headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .and_then(|h| h.value.trim().parse::<usize>().ok());
        if let Some(length) = declared.filter(|l| *l < body.len()) {
            body.truncate(length);
        }
        Ok(RawRequest {
            method: parsed.method.unwrap_or("GET").to_owned(),
            target: parsed.path.unwrap_or("/").to_owned(),
            version: format!("HTTP/1.{}", parsed.version.unwrap_or(1)),
            headers,
            body,
        })
    }

    pub fn signable(&self, public_url: Option<&str>) -> SignableRequest<'_> {
        SignableRequest::new(&self.method, &self.target, &self.headers, &self.body, public_url)
    }

    /// The request as HTTP/1.1 text again.
    pub fn to_bytes(&self) -> Vec<u8> {
        hookscope::model::raw_http(&self.method, &self.target, &self.version, &self.headers, &self.body)
    }
}

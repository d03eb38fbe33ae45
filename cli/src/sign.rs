//! `hookscope sign`: sign a raw HTTP/1.1 request file as a provider would, with a fresh timestamp.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use super::verify::{now_unix, RawRequest};
use super::EXIT_USAGE;
use hookscope::signature::{self, SignatureError};

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// Provider id (e.g. github, stripe, slack, standard_webhooks) or a generic;header=... scheme.
    #[arg(long, value_name = "ID")]
    provider: String,
    /// Signing secret; the private key for Discord (hex seed) and SendGrid (base64 PKCS#8).
    #[arg(long, value_name = "S")]
    secret: String,
    /// Raw HTTP/1.1 request file to sign (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    request: PathBuf,
    /// The public URL the provider signs (Twilio, Square, HubSpot, Mandrill, Plivo).
    #[arg(long, value_name = "PUBLIC_URL")]
    url: Option<String>,
    /// The signing time in Unix seconds [default: now].
    #[arg(long, value_name = "UNIX")]
    now: Option<i64>,
}

pub fn run(args: SignArgs) -> anyhow::Result<ExitCode> {
    let mut raw = match RawRequest::read(&args.request) {
        Ok(raw) => raw,
        Err(error) => {
            crate::colour::error_line(format_args!("{error:#}"));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let now = args.now.unwrap_or_else(now_unix);
    let signed = signature::sign(&args.provider, &args.secret, &raw.signable(args.url.as_deref()), now);
    let headers = match signed {
        Ok(headers) => headers,
        Err(
            error @ (SignatureError::UnknownProvider(_)
            | SignatureError::BadGenericConfig(_)
            | SignatureError::BadProviderOption(_)),
        ) => {
            crate::colour::error_line(&error);
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        Err(error) => anyhow::bail!(error),
    };
    signature::apply_headers(&mut raw.headers, &headers);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&raw.to_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

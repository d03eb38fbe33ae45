//! `hookscope show ID`: one captured request as text, JSON, raw HTTP, body bytes, curl, or a
//! snippet in another language that sends it again (`--as`).

use std::io::Write;
use std::process::ExitCode;

use hookscope::export::{snippet, Language};

use super::{output, DbArg};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("format").args(["json", "raw", "body", "curl", "language"])))]
pub struct ShowArgs {
    /// The request id (as `list` prints it).
    id: String,
    #[command(flatten)]
    db: DbArg,
    /// Print a JSON document (documented in the README).
    #[arg(long)]
    json: bool,
    /// Print the request as HTTP/1.1 text, body bytes unchanged.
    #[arg(long)]
    raw: bool,
    /// Print only the body bytes, unchanged.
    #[arg(long)]
    body: bool,
    /// Print a curl command line that sends the same request (a non-text body goes to ./hookscope-ID.body).
    #[arg(long)]
    curl: bool,
    /// Print a snippet that sends the same request: curl, httpie, fetch, python or go.
    #[arg(long = "as", value_name = "LANGUAGE", value_parser = parse_language)]
    language: Option<Language>,
    /// The URL the `--as` snippet sends to (the captured target is appended).
    #[arg(long, value_name = "URL", requires = "language", default_value = DEFAULT_TO)]
    to: String,
}

/// Where a snippet sends by default: the listener's default address.
const DEFAULT_TO: &str = "http://127.0.0.1:8787";

fn parse_language(text: &str) -> Result<Language, String> {
    text.parse()
        .map_err(|error: hookscope::export::UnknownLanguage| error.to_string())
}

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let request = super::block_on(async { Ok(args.db.open().await?.request(&args.id).await?) })?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &output::ShowDocument::of(&request))?;
        writeln!(stdout)?;
    } else if args.raw {
        stdout.write_all(&request.to_raw_http())?;
    } else if args.body {
        stdout.write_all(&request.body)?;
    } else if let Some(language) = args.language {
        stdout.write_all(snippet(&request, language, &args.to).as_bytes())?;
    } else if args.curl {
        super::export::write_curl(&request, false, std::path::Path::new("."), &mut stdout)?;
    } else {
        writeln!(stdout, "{} {} {}", request.method, request.target, request.http_version)?;
        for header in &request.headers {
            writeln!(stdout, "{}: {}", header.name, header.value)?;
        }
        writeln!(stdout)?;
        super::body_view::write_body(&mut stdout, &request.headers, &request.body)?;
        writeln!(stdout, "--")?;
        writeln!(
            stdout,
            "id {}  received {}  from {}  answered {}{}",
            request.id,
            output::rfc3339(request.received_at_ns),
            request.remote_addr.as_deref().unwrap_or("?"),
            request.response.status,
            if request.truncated { "  (body truncated)" } else { "" }
        )?;
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

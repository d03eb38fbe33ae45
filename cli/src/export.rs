//! `hookscope export`: captured requests (with their deliveries) as HAR 1.2, curl commands or
//! raw HTTP.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::DbArg;
use hookscope::delivery::BulkSelection;
use hookscope::export::{curl_command, redact_headers, HarOptions};
use hookscope::model::CapturedRequest;
use hookscope::store::requests::ListQuery;
use hookscope::workbench::MAX_BULK;

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("format").args(["har", "curl", "raw"])))]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only requests matching this search (as `list --search`).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only these requests (repeatable).
    #[arg(long = "id", value_name = "ID")]
    ids: Vec<String>,
    /// At most this many requests (the newest), written oldest first.
    #[arg(long, value_name = "N", default_value_t = MAX_BULK)]
    limit: usize,
    /// Write a HAR 1.2 document (the default).
    #[arg(long)]
    har: bool,
    /// Write one curl command per request; non-text bodies go to files in --body-dir.
    #[arg(long)]
    curl: bool,
    /// Write the requests as raw HTTP/1.1 (body bytes unchanged), separated by `###` lines;
    /// `hookscope import` reads the file back (several requests only when the file is UTF-8).
    #[arg(long)]
    raw: bool,
    /// With --curl: where body files are written.
    #[arg(long, value_name = "DIR", default_value = ".")]
    body_dir: PathBuf,
    /// Replace Authorization, Cookie, API key and signature header values with [redacted].
    #[arg(long)]
    redact: bool,
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    super::block_on(export(args))
}

async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let workbench = args.db.open().await?;
    let selection = if args.ids.is_empty() {
        BulkSelection::Matching(ListQuery {
            limit: args.limit,
            search: args.search.clone(),
            ..ListQuery::default()
        })
    } else {
        BulkSelection::Ids(args.ids.clone())
    };
    if !args.raw && !args.curl {
        let har = workbench
            .export_har(selection, HarOptions { redact: args.redact })
            .await?;
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &har)?;
        writeln!(stdout)?;
        stdout.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let ids = workbench.selection_in_order(selection).await?;
    let mut stdout = std::io::stdout().lock();
    for (index, id) in ids.iter().enumerate() {
        let mut request = workbench.request(id).await?;
        if args.raw {
            if args.redact {
                request.headers = redact_headers(&request.headers);
            }
            if index > 0 {
                stdout.write_all(b"\n###\n")?;
            }
            stdout.write_all(&request.to_raw_http())?;
        } else {
            write_curl(&request, args.redact, &args.body_dir, &mut stdout)?;
            writeln!(stdout)?;
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the curl command for `request`; a non-text body is written to `DIR/hookscope-ID.body`.
pub(super) fn write_curl(
    request: &CapturedRequest,
    redact: bool,
    dir: &Path,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let body_path = dir.join(format!("hookscope-{}.body", request.id));
    let command = curl_command(request, redact, &body_path);
    if let Some((path, bytes)) = &command.body_file {
        std::fs::write(path, bytes)
            .map_err(|e| anyhow::anyhow!("could not write the body file {}: {e}", path.display()))?;
        eprintln!("hookscope: the body of {} is in {}", request.id, path.display());
    }
    writeln!(out, "{}", command.command)?;
    Ok(())
}

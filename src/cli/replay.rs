//! `hookscope replay`: send captured requests to a URL again and record the answers.
//!
//! One id: a replay, optionally edited (`--method`, `--header`, `--body-file`) and re-signed.
//! Several ids or `--search`: a bulk replay in capture order with `--concurrency` and `--rate`.
//! Exit code 0 when every answer was 2xx, 1 otherwise.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use super::DbArg;
use crate::delivery::{bulk_replay, BulkOptions, ClientOptions, Deliverer, DeliveryClient, ReplayOptions, RequestEdit};
use crate::model::{DeliveryAttempt, HeaderField};
use crate::store::{self, requests::ListQuery, Store};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("selection").required(true).multiple(false).args(["ids", "search"])))]
pub struct ReplayArgs {
    /// Request id(s) as `list` prints them; several make a bulk replay.
    ids: Vec<String>,
    /// Replay every request matching this search (as `list --search`), oldest first.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Target URL; the captured path (after the endpoint's prefix) and query are appended.
    #[arg(long, value_name = "URL")]
    to: String,
    /// Sign again with a fresh timestamp (needs the endpoint's provider and secret).
    #[arg(long)]
    resign: bool,
    #[command(flatten)]
    db: DbArg,
    /// Print the delivery (or the bulk summary) as JSON.
    #[arg(long)]
    json: bool,
    /// Bulk: at most this many requests in flight.
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// Bulk: at most this many requests started per second.
    #[arg(long, value_name = "PER_SECOND")]
    rate: Option<f64>,
    /// Bulk with --search: at most this many requests.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    limit: usize,
    /// Give up on an answer after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Follow at most this many redirects (by default a 3xx is recorded as the answer).
    #[arg(long, value_name = "N", default_value_t = 0)]
    max_redirects: u32,
    /// Accept any TLS certificate (self-signed development servers), like curl --insecure.
    #[arg(long)]
    insecure: bool,
    /// Edit: send with this method.
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    /// Edit: set a header (`Name: value`, replacing any of that name) or remove it (`Name:`).
    #[arg(long = "header", short = 'H', value_name = "LINE")]
    headers: Vec<String>,
    /// Edit: send this file's bytes as the body.
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
}

pub fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    if !args.timeout.is_finite() || args.timeout <= 0.0 {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    super::runtime()?.block_on(replay(args))
}

async fn replay(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let path = args.db.path();
    let store = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || Store::open(&path)).await??
    };
    let (events, _) = tokio::sync::broadcast::channel(16);
    let client = DeliveryClient::new(ClientOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        max_redirects: args.max_redirects,
        insecure_tls: args.insecure,
        ..ClientOptions::default()
    });
    let deliverer = Deliverer::new(store.clone(), events, client);
    let ids = match &args.search {
        Some(search) => {
            let query = ListQuery {
                limit: args.limit,
                search: Some(search.clone()),
                ..ListQuery::default()
            };
            let found = store.read(move |conn| store::requests::list(conn, &query)).await?;
            found.into_iter().map(|summary| summary.id).collect()
        }
        None => args.ids.clone(),
    };
    let edit = edit_of(&args, &store, &ids).await?;
    let options = ReplayOptions {
        edit,
        resign: args.resign,
        ..ReplayOptions::to(args.to.clone())
    };
    if args.search.is_none() && ids.len() == 1 {
        let attempt = deliverer.replay(&ids[0], &options).await?;
        print_attempt(&attempt, args.json)?;
        return Ok(exit_for(attempt.status().is_some_and(|s| (200..300).contains(&s))));
    }
    if ids.is_empty() {
        eprintln!("hookscope: nothing matched; no request was replayed");
        return Ok(ExitCode::SUCCESS);
    }
    let bulk = BulkOptions {
        concurrency: args.concurrency,
        rate_per_second: args.rate,
        replay: options,
    };
    let summary = bulk_replay(&deliverer, &ids, &bulk, |progress| {
        let outcome = match (progress.status, &progress.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => format!("failed: {error}"),
            (None, None) => "?".into(),
        };
        eprintln!(
            "[{}/{}] {} {outcome}",
            progress.done, progress.total, progress.request_id
        );
    })
    .await?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &summary)?;
        writeln!(stdout)?;
    } else {
        writeln!(
            stdout,
            "sent {}: {} 2xx, {} non-2xx, {} errors",
            summary.sent, summary.success, summary.non_success, summary.errors
        )?;
        for failure in &summary.failures {
            let outcome = match (failure.status, &failure.error) {
                (Some(status), _) => status.to_string(),
                (None, error) => format!("failed: {}", error.as_deref().unwrap_or("unknown")),
            };
            writeln!(stdout, "  {} {outcome}", failure.request_id)?;
        }
    }
    Ok(exit_for(summary.failures.is_empty()))
}

/// The edits given on the command line, applied to the one request being replayed.
async fn edit_of(args: &ReplayArgs, store: &Store, ids: &[String]) -> anyhow::Result<RequestEdit> {
    let mut edit = RequestEdit {
        method: args.method.clone(),
        ..RequestEdit::default()
    };
    if let Some(file) = &args.body_file {
        edit.body = Some(std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?);
    }
    if args.headers.is_empty() {
        return Ok(edit);
    }
    let [id] = ids else {
        anyhow::bail!("--header edits one request at a time; give a single id");
    };
    let id = id.clone();
    let request = store
        .read(move |conn| store::requests::get(conn, &id))
        .await?
        .with_context(|| format!("no captured request with id {}", ids[0]))?;
    let mut headers = request.headers;
    for line in &args.headers {
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("--header '{line}' is not 'Name: value' or 'Name:'"))?;
        let (name, value) = (name.trim(), value.trim());
        let first = headers.iter().position(|h| h.name.eq_ignore_ascii_case(name));
        headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
        if !value.is_empty() {
            let at = first.unwrap_or(headers.len()).min(headers.len());
            headers.insert(at, HeaderField::new(name, value));
        }
    }
    edit.headers = Some(headers);
    Ok(edit)
}

fn print_attempt(attempt: &DeliveryAttempt, json: bool) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut stdout, attempt)?;
        writeln!(stdout)?;
        return Ok(());
    }
    let took = format!("{:.1} ms", attempt.duration_us as f64 / 1000.0);
    match (&attempt.response, &attempt.error) {
        (Some(response), _) => writeln!(
            stdout,
            "{} {} -> {} in {took}  ({} bytes; delivery {})",
            attempt.sent.method, attempt.sent.url, response.status, response.body_size, attempt.id
        )?,
        (None, error) => writeln!(
            stdout,
            "{} {} -> failed after {took}: {}  (delivery {})",
            attempt.sent.method,
            attempt.sent.url,
            error.as_ref().map_or("unknown error", |e| e.message.as_str()),
            attempt.id
        )?,
    }
    Ok(())
}

fn exit_for(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

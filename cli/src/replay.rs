//! `hookscope replay`: send captured requests to a URL again and record the answers.
//!
//! One id: a replay, optionally edited (`--method`, `--header`, `--body-file`) and re-signed.
//! Several ids or `--search`: a bulk replay in capture order with `--concurrency` and `--rate`;
//! the same edits apply to every request. Exit code 0 when every answer was 2xx, 1 otherwise.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use super::DbArg;
use hookscope::delivery::chaos::ChaosOptions;
use hookscope::delivery::{BulkSelection, ClientOptions, HeaderChange, ReplayOptions, RequestEdit};
use hookscope::model::DeliveryAttempt;
use hookscope::store::requests::ListQuery;
use hookscope::workbench::{BulkReplayOptions, MAX_BULK};
use hookscope::Workbench;

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
    #[arg(long, value_name = "N", default_value_t = MAX_BULK)]
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
    /// Edit (every request): send with this method.
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    /// Edit (every request): set a header (`Name: value`, replacing any of that name) or remove it (`Name:`).
    #[arg(long = "header", short = 'H', value_name = "LINE")]
    headers: Vec<String>,
    /// Chaos replay: send one at a time in a random order (reproducible with --seed).
    #[arg(long)]
    shuffle: bool,
    /// Chaos replay: the seed of every random choice (printed when not given).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Chaos replay: send this fraction of the requests (0 to 1) a second time, later.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    duplicate: f64,
    /// Chaos replay: wait a random 0 to MS milliseconds before each send.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    jitter: u64,
    /// Edit (every request): send this file's bytes as the body.
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
}

pub fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    if !args.timeout.is_finite() || args.timeout <= 0.0 {
        anyhow::bail!("--timeout must be a positive number of seconds");
    }
    super::block_on(replay(args))
}

async fn replay(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let client = ClientOptions {
        timeout: Duration::from_secs_f64(args.timeout),
        max_redirects: args.max_redirects,
        insecure_tls: args.insecure,
        proxy: hookscope::delivery::ProxyConfig::from_env(),
        ..ClientOptions::default()
    };
    let workbench = Workbench::open(&args.db.path(), client).await?;
    let selection = match &args.search {
        Some(search) => BulkSelection::Matching(ListQuery {
            limit: args.limit,
            search: Some(search.clone()),
            ..ListQuery::default()
        }),
        None => BulkSelection::Ids(args.ids.clone()),
    };
    let chaos =
        (args.shuffle || args.seed.is_some() || args.duplicate != 0.0 || args.jitter > 0).then_some(ChaosOptions {
            shuffle: args.shuffle,
            seed: args.seed,
            duplicate: args.duplicate,
            jitter_ms: args.jitter,
        });
    let ids = workbench.selection_in_order(selection).await?;
    let edit = edit_of(&args)?;
    let options = ReplayOptions {
        edit,
        resign: args.resign,
        ..ReplayOptions::to(args.to.clone())
    };
    if args.search.is_none() && ids.len() == 1 && chaos.is_none() {
        let attempt = workbench.replay(&ids[0], &options).await?;
        print_attempt(&attempt, args.json)?;
        return Ok(exit_for(attempt.status().is_some_and(|s| (200..300).contains(&s))));
    }
    if ids.is_empty() {
        eprintln!("hookscope: nothing matched; no request was replayed");
        return Ok(ExitCode::SUCCESS);
    }
    let many = BulkReplayOptions {
        concurrency: args.concurrency as u32,
        rate_per_second: args.rate,
        replay: options,
        chaos,
    };
    let summary = workbench
        .replay_many("cli", &ids, &many, |progress| {
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
        if let Some(plan) = &summary.plan {
            writeln!(
                stdout,
                "chaos: seed {}{}; order {}",
                plan.seed,
                if plan.seed_was_chosen {
                    " (chosen; repeat with --seed)"
                } else {
                    ""
                },
                plan.order().join(" ")
            )?;
            if !plan.duplicated.is_empty() {
                writeln!(stdout, "chaos: sent twice {}", plan.duplicated.join(" "))?;
            }
        }
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

/// The edits given on the command line; they apply to every request replayed.
fn edit_of(args: &ReplayArgs) -> anyhow::Result<RequestEdit> {
    let body = match &args.body_file {
        Some(file) => Some(std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?),
        None => None,
    };
    let header_changes = args
        .headers
        .iter()
        .map(|line| HeaderChange::parse(line).map_err(|e| anyhow::anyhow!("--header {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(RequestEdit {
        method: args.method.clone(),
        body,
        header_changes,
        ..RequestEdit::default()
    })
}

pub(super) fn print_attempt(attempt: &DeliveryAttempt, json: bool) -> anyhow::Result<()> {
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

pub(super) fn exit_for(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

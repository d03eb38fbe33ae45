//! `hookscope wait`: blocks until N matching requests are stored (by any `serve` or the app
//! writing the same database), prints them and exits 0; exits 1 on timeout, saying how many
//! matched. For tests and CI: `hookscope wait --endpoint stripe --verified --timeout 30`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use hookscope::event_meta::filter::EventFilter;
use hookscope::store::wait::WaitFilter;
use hookscope::workbench::WaitStart;

use super::{output, DbArg};

#[derive(clap::Args, Debug)]
pub struct WaitArgs {
    /// Only requests of this endpoint (by name).
    #[arg(long)]
    endpoint: Option<String>,
    /// Only requests matching this full-text search (as `list --search`).
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Only this event type (`invoice.paid`, or a prefix: `invoice.*`).
    #[arg(long, value_name = "TYPE")]
    event: Option<String>,
    /// Only JSON bodies where '/pointer=value', '/pointer!=value' or '/pointer' (exists) holds; repeatable.
    #[arg(long = "where", value_name = "CONDITION")]
    conditions: Vec<String>,
    /// Only requests whose signature verified.
    #[arg(long)]
    verified: bool,
    /// Count requests stored after this one (an id), or after the command started ('now').
    #[arg(long, value_name = "ID|now", default_value = "now")]
    after: String,
    /// How many matching requests to wait for.
    #[arg(long, value_name = "N", default_value_t = 1)]
    count: usize,
    /// Give up after this many seconds (exit 1).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Print each match as a `show --json` object, one per line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: WaitArgs) -> anyhow::Result<ExitCode> {
    if !args.timeout.is_finite() || args.timeout < 0.0 {
        anyhow::bail!("--timeout must be a number of seconds, 0 or more");
    }
    if args.count == 0 {
        anyhow::bail!("--count must be at least 1");
    }
    let fields =
        EventFilter::from_args(args.event.as_deref(), &args.conditions).map_err(|e| anyhow::anyhow!("--where: {e}"))?;
    let filter = WaitFilter {
        endpoint: args.endpoint.clone(),
        search: args.search.clone(),
        verified_only: args.verified,
        fields,
    };
    let start = match args.after.as_str() {
        "now" => WaitStart::Now,
        id => WaitStart::After(id.to_owned()),
    };
    super::block_on(async move {
        let workbench = args.db.open().await?;
        let mut found = Vec::new();
        let timeout = Duration::from_secs_f64(args.timeout);
        let matched = workbench
            .wait_for(filter, start, args.count, timeout, |summary| {
                found.push(summary.clone())
            })
            .await?;
        let mut stdout = std::io::stdout().lock();
        for summary in &found {
            if args.json {
                let request = workbench.request(&summary.id).await?;
                serde_json::to_writer(&mut stdout, &output::ShowDocument::of(&request))?;
                writeln!(stdout)?;
            } else {
                writeln!(stdout, "{}", output::summary_line(summary))?;
            }
        }
        stdout.flush()?;
        if matched < args.count {
            crate::colour::error_line(format_args!(
                "timed out after {}s: {matched} of {} matching request(s) arrived",
                args.timeout, args.count
            ));
            return Ok(ExitCode::FAILURE);
        }
        Ok(ExitCode::SUCCESS)
    })
}

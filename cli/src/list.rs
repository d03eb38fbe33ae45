//! `hookscope list`: captured requests, newest first.

use std::io::Write;
use std::process::ExitCode;

use super::{output, DbArg};
use hookscope::event_meta::filter::EventFilter;
use hookscope::store::requests::ListQuery;

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    db: DbArg,
    /// At most this many requests.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Full-text search in paths, headers and text bodies (all words must match).
    #[arg(long)]
    search: Option<String>,
    /// Only this method.
    #[arg(long)]
    method: Option<String>,
    /// Only this endpoint (by name).
    #[arg(long)]
    endpoint: Option<String>,
    /// Only this event type (`invoice.paid`, or a prefix: `invoice.*`).
    #[arg(long, value_name = "TYPE")]
    event: Option<String>,
    /// Only JSON bodies where '/pointer=value', '/pointer!=value' or '/pointer' (exists) holds; repeatable.
    #[arg(long = "where", value_name = "CONDITION")]
    conditions: Vec<String>,
    /// Print a JSON array (documented in the README).
    #[arg(long)]
    json: bool,
}

pub fn run(args: ListArgs) -> anyhow::Result<ExitCode> {
    let fields = EventFilter::from_args(args.event.as_deref(), &args.conditions)?;
    let query = ListQuery {
        limit: args.limit,
        search: args.search,
        method: args.method,
        endpoint: args.endpoint,
        fields,
        ..ListQuery::default()
    };
    let rows = super::block_on(async { Ok(args.db.open().await?.list_requests(query).await?) })?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let json: Vec<output::ListRow> = rows.iter().map(output::ListRow::of).collect();
        serde_json::to_writer_pretty(&mut stdout, &json)?;
        writeln!(stdout)?;
    } else {
        for row in &rows {
            writeln!(stdout, "{}", output::summary_line(row))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

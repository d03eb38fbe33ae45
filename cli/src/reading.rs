//! `hookscope diff A B` and `hookscope schema`: what changed between two requests (or a
//! request and what a delivery sent), and the JSON Schema of an event type's bodies.

use std::io::Write;
use std::process::ExitCode;

use hookscope::diff::{ChangeOp, DiffOptions, RequestDiff};
use hookscope::event_meta::filter::EventFilter;

use super::DbArg;

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// A request id, or a delivery id (what that delivery sent).
    before: String,
    /// A request id, or a delivery id.
    after: String,
    /// Leave out differences in ids, timestamps and signatures.
    #[arg(long)]
    hide_volatile: bool,
    /// Print {"headers": [...], "body": [{"path", "before", "after"}, ...]}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Only requests of this endpoint (by name).
    #[arg(long)]
    endpoint: Option<String>,
    /// Only this event type (or a prefix: `invoice.*`).
    #[arg(long, value_name = "TYPE")]
    event: Option<String>,
    /// Print {"samples", "skipped", "schema"} instead of the schema alone.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn diff(args: DiffArgs) -> anyhow::Result<ExitCode> {
    super::block_on(async move {
        let options = DiffOptions {
            hide_volatile: args.hide_volatile,
        };
        let diff = args.db.open().await?.diff(&args.before, &args.after, options).await?;
        let mut stdout = std::io::stdout().lock();
        if args.json {
            serde_json::to_writer_pretty(&mut stdout, &diff)?;
            writeln!(stdout)?;
        } else {
            write_diff(&mut stdout, &diff)?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn schema(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let filter = EventFilter::from_args::<&str>(args.event.as_deref(), &[])?;
    super::block_on(async move {
        let inferred = args
            .db
            .open()
            .await?
            .infer_schema(filter, args.endpoint.clone())
            .await?;
        let mut stdout = std::io::stdout().lock();
        if args.json {
            serde_json::to_writer_pretty(&mut stdout, &inferred)?;
        } else {
            eprintln!(
                "hookscope: inferred from {} JSON bodies ({} not JSON, left out)",
                inferred.samples, inferred.skipped
            );
            serde_json::to_writer_pretty(&mut stdout, &inferred.schema)?;
        }
        writeln!(stdout)?;
        Ok(ExitCode::SUCCESS)
    })
}

/// `- name: value` / `+ name: value` lines for headers, then the body's changes by path.
fn write_diff(out: &mut impl Write, diff: &RequestDiff) -> anyhow::Result<()> {
    let sign = |op: ChangeOp| match op {
        ChangeOp::Added => "+",
        ChangeOp::Removed => "-",
        ChangeOp::Changed => "~",
        _ => " ",
    };
    let show =
        |value: &Option<serde_json::Value>| value.as_ref().map_or_else(|| "(none)".to_owned(), |v| v.to_string());
    for change in &diff.request_line {
        writeln!(
            out,
            "~ {}: {} -> {}",
            change.path.as_deref().unwrap_or(""),
            show(&change.before),
            show(&change.after)
        )?;
    }
    for header in diff.headers.iter().filter(|h| h.op != ChangeOp::Equal) {
        let value = header
            .after
            .as_ref()
            .or(header.before.as_ref())
            .map_or("", String::as_str);
        writeln!(out, "{} {}: {value}", sign(header.op), header.name)?;
    }
    for change in &diff.body {
        let place = change
            .path
            .clone()
            .or_else(|| change.line.map(|line| format!("line {line}")))
            .or_else(|| change.offset.map(|offset| format!("byte {offset}")))
            .unwrap_or_default();
        writeln!(
            out,
            "{} body {place}: {} -> {}",
            sign(change.op),
            show(&change.before),
            show(&change.after)
        )?;
    }
    if diff.hidden > 0 {
        writeln!(out, "({} volatile differences hidden)", diff.hidden)?;
    }
    Ok(())
}

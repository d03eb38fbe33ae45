//! `hookscope endpoint rule add|list|remove|move|reset`: an endpoint's ordered response rules,
//! which answer matching requests on purpose (503 to the first two, hang, drop, ...).

use std::io::Write;
use std::process::ExitCode;

use hookscope::respond::rules::RuleSpec;
use hookscope::store::response_rules::StoredRule;

use super::DbArg;

#[derive(clap::Subcommand, Debug)]
pub enum RuleCommand {
    /// Append a rule after the endpoint's last one.
    Add(Box<AddRuleArgs>),
    /// The endpoint's rules in the order they are tried, with their counters.
    List {
        endpoint: String,
        #[command(flatten)]
        db: DbArg,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Remove the rule at POSITION (1-based, as `list` shows); the later ones move up.
    Remove {
        endpoint: String,
        position: u32,
        #[command(flatten)]
        db: DbArg,
    },
    /// Move the rule at FROM to TO (1-based).
    Move {
        endpoint: String,
        from: u32,
        to: u32,
        #[command(flatten)]
        db: DbArg,
    },
    /// Set every counter of the endpoint's rules back to zero.
    Reset {
        endpoint: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("answer").required(true).args(["status", "hang", "drop"])))]
#[command(group(clap::ArgGroup::new("schedule").args(["first", "every", "percent"])))]
pub struct AddRuleArgs {
    endpoint: String,
    /// Only this method.
    #[arg(long)]
    method: Option<String>,
    /// Only paths matching this glob, under the endpoint's prefix (e.g. '/orders/*').
    #[arg(long, value_name = "GLOB")]
    path: Option<String>,
    /// Only requests with this header matching this glob ('Name=glob'); repeatable.
    #[arg(long = "header", value_name = "NAME=GLOB")]
    headers: Vec<String>,
    /// Only JSON bodies where this pointer equals a value ('/pointer=value'), does not ('/pointer!=value') or exists ('/pointer'), as list --where; repeatable.
    #[arg(long = "json", value_name = "POINTER[=VALUE]")]
    json: Vec<String>,
    /// Only bodies containing this text.
    #[arg(long, value_name = "TEXT")]
    body_contains: Option<String>,
    /// Answer only the first N matching requests.
    #[arg(long, value_name = "N")]
    first: Option<u64>,
    /// Answer every Nth matching request.
    #[arg(long, value_name = "N")]
    every: Option<u64>,
    /// Answer this percentage of matching requests (reproducible with --seed).
    #[arg(long, value_name = "P")]
    percent: Option<f64>,
    /// With --percent: the seed of the draw, so a run can be repeated.
    #[arg(long, value_name = "S", requires = "percent")]
    seed: Option<u64>,
    /// Answer with this status.
    #[arg(long, value_name = "CODE")]
    status: Option<u16>,
    /// With --status: a response header ('Name: value', a template); repeatable.
    #[arg(long = "header-out", value_name = "NAME: VALUE", requires = "status")]
    headers_out: Vec<String>,
    /// With --status: the body template ({{request.id}}, {{header.X}}, {{json.path}}, ...).
    #[arg(long, value_name = "TEMPLATE", requires = "status")]
    body: Option<String>,
    /// With --status: wait this long before answering, in milliseconds.
    #[arg(long, value_name = "MS", requires = "status")]
    delay: Option<u64>,
    /// Hold the connection without answering until the sender gives up.
    #[arg(long)]
    hang: bool,
    /// Close the connection without answering.
    #[arg(long)]
    drop: bool,
    #[command(flatten)]
    db: DbArg,
}

pub async fn run(command: RuleCommand) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match command {
        RuleCommand::Add(args) => {
            let spec = RuleSpec {
                method: args.method,
                path: args.path,
                headers: args.headers,
                json: args.json,
                body_contains: args.body_contains,
                first: args.first,
                every: args.every,
                percent: args.percent,
                seed: args.seed,
                status: args.status,
                headers_out: args.headers_out,
                body: args.body,
                delay_ms: args.delay,
                hang: args.hang,
                drop: args.drop,
            };
            let added = args.db.open().await?.add_rule(&args.endpoint, &spec).await?;
            writeln!(stdout, "added rule {} to {}", added.label(), args.endpoint)?;
        }
        RuleCommand::List { endpoint, db, json } => {
            let rules = db.open().await?.rules(&endpoint).await?;
            if json {
                serde_json::to_writer_pretty(&mut stdout, &rules)?;
                writeln!(stdout)?;
            } else {
                for rule in &rules {
                    writeln!(stdout, "{}", line(rule))?;
                }
            }
        }
        RuleCommand::Remove { endpoint, position, db } => {
            let removed = db.open().await?.remove_rule(&endpoint, position).await?;
            writeln!(stdout, "removed rule {} from {endpoint}", removed.label())?;
        }
        RuleCommand::Move { endpoint, from, to, db } => {
            for rule in db.open().await?.move_rule(&endpoint, from, to).await? {
                writeln!(stdout, "{}", line(&rule))?;
            }
        }
        RuleCommand::Reset { endpoint, db } => {
            let count = db.open().await?.reset_rules(&endpoint).await?;
            writeln!(stdout, "reset the counters of {count} rule(s) of {endpoint}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `#1 first 2 → 503   matched 3, answered 2`
fn line(rule: &StoredRule) -> String {
    format!(
        "{:<40} matched {}, answered {}",
        rule.label(),
        rule.counters.matched,
        rule.counters.answered
    )
}

//! `hookscope samples [PROVIDER]`, `hookscope samples save ID NAME` and `hookscope trigger`:
//! the sample-event catalogue, and sending a sample signed with your own secret.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use hookscope::engine::DEFAULT_LISTEN;
use hookscope::samples::FieldEdit;
use hookscope::workbench::{SampleTarget, Trigger};

use super::DbArg;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SamplesArgs {
    #[command(subcommand)]
    command: Option<SamplesCommand>,
    /// Only this provider's samples.
    provider: Option<String>,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Subcommand, Debug)]
enum SamplesCommand {
    /// Save a captured request as a sample NAME of its provider (signature headers and secrets
    /// removed), in the samples folder beside the database.
    Save {
        id: String,
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["to", "endpoint"])))]
pub struct TriggerArgs {
    /// Provider id (as `samples` lists them).
    provider: String,
    /// Event name (as `samples PROVIDER` lists them).
    event: String,
    /// Send to this URL (the sample's path is appended).
    #[arg(long, value_name = "URL")]
    to: Option<String>,
    /// Send to this Hookscope's listener at the endpoint's path, signed with its newest secret.
    #[arg(long, value_name = "NAME")]
    endpoint: Option<String>,
    /// Sign with this secret (with --to it is needed for a signed provider).
    #[arg(long, value_name = "S")]
    secret: Option<String>,
    /// Change one JSON field: '/data/object/amount=4200', '/data/object/customer="cus_42"'; repeatable.
    #[arg(long = "set", value_name = "POINTER=JSON")]
    set: Vec<String>,
    /// Set a header ('Name: value'); repeatable.
    #[arg(long = "header", short = 'H', value_name = "LINE")]
    headers: Vec<String>,
    /// With --endpoint: the listener's address [default: $HOOKSCOPE_LISTEN, else 127.0.0.1:8787].
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Print the delivery as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: SamplesArgs) -> anyhow::Result<ExitCode> {
    super::block_on(async move {
        let mut stdout = std::io::stdout().lock();
        if let Some(SamplesCommand::Save { id, name, db }) = args.command {
            let saved = db.open().await?.save_sample(&id, &name).await?;
            writeln!(stdout, "saved {} {} from request {id}", saved.provider, saved.event)?;
            return Ok(ExitCode::SUCCESS);
        }
        let samples = args.db.open().await?.list_samples(args.provider.as_deref())?;
        if args.json {
            serde_json::to_writer_pretty(&mut stdout, &samples)?;
            writeln!(stdout)?;
        } else {
            for sample in &samples {
                writeln!(
                    stdout,
                    "{:<16} {:<40} {}",
                    sample.provider, sample.event, sample.description
                )?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

pub fn trigger(args: TriggerArgs) -> anyhow::Result<ExitCode> {
    let edits = args
        .set
        .iter()
        .map(|text| {
            text.parse::<FieldEdit>()
                .map_err(|e| anyhow::anyhow!("--set {text}: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let headers = super::header_lines(&args.headers, "--header")?;
    let target = match (&args.to, &args.endpoint) {
        (Some(url), _) => SampleTarget::Url { url: url.clone() },
        (None, Some(name)) => SampleTarget::Endpoint { name: name.clone() },
        (None, None) => unreachable!("clap requires --to or --endpoint"),
    };
    let listen = match args.listen {
        Some(addr) => addr.to_string(),
        None => std::env::var("HOOKSCOPE_LISTEN")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
    };
    super::block_on(async move {
        let workbench = args.db.open().await?;
        workbench.set_listener_url(format!("http://{listen}"));
        let attempt = workbench
            .trigger(Trigger {
                provider: args.provider.clone(),
                event: args.event.clone(),
                target,
                secret: args.secret,
                edits,
                headers,
                body: None,
            })
            .await?;
        super::replay::print_attempt(&attempt, args.json)?;
        Ok(super::replay::exit_for(
            attempt.status().is_some_and(|s| (200..300).contains(&s)),
        ))
    })
}

//! `hookscope endpoint add|set|list|remove`.

use std::io::Write;
use std::process::ExitCode;

use super::DbArg;
use hookscope::model::{AutoForwardSetting, EndpointChanges, SecretsChange, TextChange};

#[derive(clap::Subcommand, Debug)]
pub enum EndpointCommand {
    /// Add an endpoint.
    Add(AddArgs),
    /// Change an endpoint; options not given keep their value.
    Set(SetArgs),
    /// List endpoints (secrets are never shown).
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        json: bool,
    },
    /// Manage an endpoint's response rules (answers that fail on purpose).
    #[command(subcommand)]
    Rule(super::rule::RuleCommand),
    /// Remove an endpoint; its captured requests stay.
    Remove {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}

/// Options shared by `add` and `set`.
#[derive(clap::Args, Debug)]
pub struct EndpointOptions {
    /// Provider id (stripe, github, slack, ...); omitted means auto-detect.
    #[arg(long)]
    provider: Option<String>,
    /// Signing secret; repeat for rotation (the first is the newest). Replaces all secrets on `set`.
    #[arg(long = "secret", value_name = "S")]
    secrets: Vec<String>,
    /// Meta's hub.verify_token for the subscription handshake.
    #[arg(long, value_name = "T")]
    verify_token: Option<String>,
    /// The public URL the provider signs (Twilio, Square).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Response status.
    #[arg(long)]
    status: Option<u16>,
    /// Response header `Name: value`; repeatable. Replaces all response headers on `set`.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Response body template ({{request.id}}, {{header.X}}, {{query.x}}, {{json.path}}).
    #[arg(long)]
    body: Option<String>,
    /// Delay before answering, in milliseconds.
    #[arg(long, value_name = "MS")]
    delay: Option<u64>,
    /// Do not answer provider handshakes automatically.
    #[arg(long, conflicts_with = "handshake")]
    no_handshake: bool,
    /// Answer provider handshakes automatically again (the default for new endpoints).
    #[arg(long)]
    handshake: bool,
    /// Forward target URL; repeatable. Replaces all targets on `set`.
    #[arg(long = "forward-to", value_name = "URL")]
    forward_to: Vec<String>,
    /// Forward each new request automatically: async or passthrough.
    #[arg(long, value_parser = ["async", "passthrough", "off"])]
    auto_forward: Option<String>,
    /// Desktop notifications for this endpoint's requests while the window is not in front
    /// (off for a new endpoint).
    #[arg(long, value_name = "true|false", action = clap::ArgAction::Set)]
    notify: Option<bool>,
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    name: String,
    /// Path prefix, e.g. /stripe (matched on segment boundaries; longest wins).
    #[arg(long)]
    path: String,
    #[command(flatten)]
    options: EndpointOptions,
    #[command(flatten)]
    db: DbArg,
}

#[derive(clap::Args, Debug)]
pub struct SetArgs {
    name: String,
    /// New path prefix.
    #[arg(long)]
    path: Option<String>,
    #[command(flatten)]
    options: EndpointOptions,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(command: EndpointCommand) -> anyhow::Result<ExitCode> {
    super::block_on(endpoint(command))
}

async fn endpoint(command: EndpointCommand) -> anyhow::Result<ExitCode> {
    match command {
        EndpointCommand::Add(args) => {
            let mut changes = changes_from(args.options)?;
            changes.name = Some(args.name);
            changes.path_prefix = Some(args.path);
            let created = args.db.open().await?.add_endpoint(changes).await?;
            println!("added endpoint {} at {}", created.name, created.path_prefix);
        }
        EndpointCommand::Set(args) => {
            let mut changes = changes_from(args.options)?;
            changes.path_prefix = args.path;
            // Stored verdicts follow the endpoint's new provider, secrets or public URL.
            let saved = args.db.open().await?.change_endpoint_named(&args.name, changes).await?;
            println!(
                "updated endpoint {} (re-verified {} stored requests)",
                saved.endpoint.name, saved.rechecked
            );
        }
        EndpointCommand::List { db, json } => {
            let endpoints = db.open().await?.list_endpoints().await?;
            let mut stdout = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut stdout, &endpoints)?;
                writeln!(stdout)?;
            } else {
                for e in &endpoints {
                    writeln!(
                        stdout,
                        "{:<16} {:<24} provider={} secrets={} status={}",
                        e.name,
                        e.path_prefix,
                        e.provider.as_deref().unwrap_or("auto"),
                        e.secret_count,
                        e.response.status
                    )?;
                }
            }
        }
        EndpointCommand::Rule(command) => return super::rule::run(command).await,
        EndpointCommand::Remove { name, db } => {
            db.open().await?.remove_endpoint_named(&name).await?;
            println!("removed endpoint {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The options given, as an engine change: options not given keep their value.
fn changes_from(options: EndpointOptions) -> anyhow::Result<EndpointChanges> {
    let set = |value: Option<String>| value.map_or(TextChange::Keep, |value| TextChange::Set { value });
    let headers = if options.headers.is_empty() {
        None
    } else {
        Some(super::header_lines(&options.headers, "--header")?)
    };
    Ok(EndpointChanges {
        name: None,
        path_prefix: None,
        provider: set(options.provider),
        secrets: if options.secrets.is_empty() {
            SecretsChange::Keep
        } else {
            SecretsChange::Replace {
                secrets: options.secrets,
            }
        },
        verify_token: set(options.verify_token),
        public_url: set(options.public_url),
        status: options.status,
        headers,
        body: set(options.body),
        delay_ms: options.delay,
        handshake_enabled: match (options.handshake, options.no_handshake) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        forward_targets: (!options.forward_to.is_empty()).then_some(options.forward_to),
        auto_forward: options.auto_forward.as_deref().map(|mode| match mode {
            "async" => AutoForwardSetting::Async,
            "passthrough" => AutoForwardSetting::Passthrough,
            _ => AutoForwardSetting::Off,
        }),
        notify: options.notify,
    })
}

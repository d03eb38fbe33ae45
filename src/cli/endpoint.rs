//! `hookscope endpoint add|set|list|remove`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::DbArg;
use crate::model::{AutoForwardMode, Endpoint, HeaderField, NewEndpoint};
use crate::store;

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
    match command {
        EndpointCommand::Add(args) => {
            let mut conn = store::open_database(&args.db.path())?;
            let mut endpoint = NewEndpoint {
                name: args.name,
                path_prefix: args.path,
                handshake_enabled: true,
                ..NewEndpoint::default()
            };
            apply_to_new(&mut endpoint, args.options)?;
            let created = store::endpoints::insert(&mut conn, &endpoint)?;
            println!("added endpoint {} at {}", created.name, created.path_prefix);
        }
        EndpointCommand::Set(args) => {
            let mut conn = store::open_database(&args.db.path())?;
            let mut endpoint = store::endpoints::get_by_name(&conn, &args.name)?
                .with_context(|| format!("no endpoint named '{}'", args.name))?;
            if let Some(path) = args.path {
                endpoint.path_prefix = path;
            }
            apply_to_existing(&mut endpoint, args.options)?;
            let updated = store::endpoints::update(&mut conn, &endpoint)?;
            // Stored verdicts follow the endpoint's new provider, secrets or public URL.
            let rechecked = crate::signature::reverify_endpoint_on(&mut conn, &updated)?;
            println!(
                "updated endpoint {} (re-verified {rechecked} stored requests)",
                updated.name
            );
        }
        EndpointCommand::List { db, json } => {
            let conn = store::open_database(&db.path())?;
            let endpoints = store::endpoints::list(&conn)?;
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
        EndpointCommand::Remove { name, db } => {
            let conn = store::open_database(&db.path())?;
            if !store::endpoints::remove(&conn, &name)? {
                anyhow::bail!("no endpoint named '{name}'");
            }
            println!("removed endpoint {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn apply_to_new(endpoint: &mut NewEndpoint, options: EndpointOptions) -> anyhow::Result<()> {
    let mut existing = Endpoint {
        id: 0,
        name: endpoint.name.clone(),
        path_prefix: endpoint.path_prefix.clone(),
        provider: None,
        secrets: Vec::new(),
        verify_token: None,
        public_url: None,
        response: endpoint.response.clone(),
        handshake_enabled: true,
        forward_targets: Vec::new(),
        auto_forward: None,
        secret_count: 0,
    };
    apply_to_existing(&mut existing, options)?;
    endpoint.provider = existing.provider;
    endpoint.secrets = existing.secrets;
    endpoint.verify_token = existing.verify_token;
    endpoint.public_url = existing.public_url;
    endpoint.response = existing.response;
    endpoint.handshake_enabled = existing.handshake_enabled;
    endpoint.forward_targets = existing.forward_targets;
    endpoint.auto_forward = existing.auto_forward;
    Ok(())
}

fn apply_to_existing(endpoint: &mut Endpoint, options: EndpointOptions) -> anyhow::Result<()> {
    if let Some(provider) = options.provider {
        endpoint.provider = (provider != "auto").then_some(provider);
    }
    if !options.secrets.is_empty() {
        endpoint.secrets = options.secrets;
    }
    if options.verify_token.is_some() {
        endpoint.verify_token = options.verify_token;
    }
    if options.public_url.is_some() {
        endpoint.public_url = options.public_url;
    }
    if let Some(status) = options.status {
        endpoint.response.status = status;
    }
    if !options.headers.is_empty() {
        endpoint.response.headers = options
            .headers
            .iter()
            .map(|line| {
                let (name, value) = line
                    .split_once(':')
                    .with_context(|| format!("--header '{line}' is not 'Name: value'"))?;
                Ok(HeaderField::new(name.trim(), value.trim()))
            })
            .collect::<anyhow::Result<_>>()?;
    }
    if options.body.is_some() {
        endpoint.response.body = options.body;
    }
    if let Some(delay) = options.delay {
        endpoint.response.delay_ms = delay;
    }
    if options.no_handshake {
        endpoint.handshake_enabled = false;
    }
    if options.handshake {
        endpoint.handshake_enabled = true;
    }
    if !options.forward_to.is_empty() {
        endpoint.forward_targets = options.forward_to;
    }
    if let Some(mode) = options.auto_forward {
        endpoint.auto_forward = match mode.as_str() {
            "async" => Some(AutoForwardMode::Async),
            "passthrough" => Some(AutoForwardMode::Passthrough),
            _ => None,
        };
    }
    Ok(())
}

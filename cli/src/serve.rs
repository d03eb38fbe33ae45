//! `hookscope serve`: run the listener, print one line per captured request.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;

use super::{output, DbArg};
use hookscope::engine::DEFAULT_LISTEN;
use hookscope::event_batches::EventBatches;
use hookscope::instance::Program;
use hookscope::model::EngineEvent;
use hookscope::tunnel::{BasicAuth, TunnelController, TunnelOptions};
use hookscope::{CaptureSite, Engine, EngineConfig};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port [default: $HOOKSCOPE_LISTEN, else 127.0.0.1:8787]
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    db: DbArg,
    /// Expose the listener through an ngrok tunnel (needs NGROK_AUTHTOKEN or a stored token).
    #[arg(long)]
    tunnel: bool,
    /// With --tunnel: a domain reserved in the ngrok dashboard.
    #[arg(long, value_name = "DOMAIN", requires = "tunnel")]
    tunnel_domain: Option<String>,
    /// With --tunnel: require basic auth from senders, as USER:PASSWORD (password 8+ characters).
    #[arg(long, value_name = "USER:PASSWORD", requires = "tunnel")]
    tunnel_basic_auth: Option<String>,
    /// With --tunnel: only let these networks in (CIDR); repeatable.
    #[arg(long = "tunnel-allow-cidr", value_name = "CIDR", requires = "tunnel")]
    tunnel_allow_cidrs: Vec<String>,
    /// Forward every captured request to this URL.
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,
    /// With --forward-to: wait for the target and answer the sender with its response.
    #[arg(long, requires = "forward_to")]
    passthrough: bool,
    /// With --forward-to: accept any TLS certificate from the target (self-signed development servers).
    #[arg(long, requires = "forward_to")]
    insecure: bool,
    /// With --passthrough: seconds to wait for the target before answering 502.
    #[arg(long, value_name = "SECONDS", requires = "passthrough", default_value_t = 10.0)]
    passthrough_timeout: f64,
    /// Largest body stored whole, in bytes; larger ones get 413 and are stored truncated.
    #[arg(long, value_name = "BYTES")]
    body_limit: Option<u64>,
    /// Keep at most this many requests (oldest are pruned in the background).
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// Keep at most this many bytes of bodies (oldest requests are pruned).
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<u64>,
    /// Print one JSON object per captured request (the `list --json` fields), a line each;
    /// everything else goes to stderr.
    #[arg(long)]
    json: bool,
    /// Prune requests older than this many seconds, from the first stored on (requests imported
    /// with older times go once the ones stored before them have).
    #[arg(long, value_name = "SECONDS")]
    max_age: Option<u64>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listen = match args.listen {
        Some(addr) => addr,
        None => std::env::var("HOOKSCOPE_LISTEN")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned())
            .parse()
            .context("HOOKSCOPE_LISTEN is not an address like 127.0.0.1:8787")?,
    };
    let mut config = EngineConfig::new(listen, args.db.path());
    config.program = Program::Serve;
    config.delivery.proxy = hookscope::delivery::ProxyConfig::from_env();
    if let Some(limit) = args.body_limit {
        config.limits.body_limit = limit;
    }
    config.retention.max_rows = args.max_requests;
    config.retention.max_bytes = args.max_bytes;
    config.retention.max_age = args.max_age.map(std::time::Duration::from_secs);
    let tunnel = args.tunnel.then(|| tunnel_options(&args)).transpose()?;
    if let Some(target) = args.forward_to {
        hookscope::delivery::target::TargetUrl::parse(&target).map_err(|e| anyhow::anyhow!("--forward-to: {e}"))?;
        let mode = match args.passthrough {
            true => hookscope::model::AutoForwardMode::Passthrough,
            false => hookscope::model::AutoForwardMode::Async,
        };
        config.forward = Some(hookscope::delivery::ForwardRule { target, mode });
        config.delivery.insecure_tls = args.insecure;
        if !args.passthrough_timeout.is_finite() || args.passthrough_timeout <= 0.0 {
            anyhow::bail!("--passthrough-timeout must be a positive number of seconds");
        }
        config.passthrough_timeout = std::time::Duration::from_secs_f64(args.passthrough_timeout);
    }
    super::block_on(serve(config, tunnel, args.json))
}

fn tunnel_options(args: &ServeArgs) -> anyhow::Result<TunnelOptions> {
    let basic_auth = match &args.tunnel_basic_auth {
        Some(pair) => {
            let (username, password) = pair
                .split_once(':')
                .context("--tunnel-basic-auth takes USER:PASSWORD")?;
            Some(BasicAuth {
                username: username.to_owned(),
                password: password.to_owned(),
            })
        }
        None => None,
    };
    Ok(TunnelOptions {
        domain: args.tunnel_domain.clone(),
        basic_auth,
        allow_cidrs: args.tunnel_allow_cidrs.clone(),
        ..TunnelOptions::default()
    })
}

async fn serve(config: EngineConfig, tunnel: Option<TunnelOptions>, json: bool) -> anyhow::Result<ExitCode> {
    let db_path = config.db_path.clone();
    let forwarding = config.forward.is_some();
    let engine = Engine::start(config).await?;
    let events = engine.subscribe();
    let listening = match engine.capture_site() {
        CaptureSite::Here(_) => format!(
            "hookscope listening on {} (database {})",
            engine.local_url(),
            db_path.display()
        ),
        CaptureSite::Elsewhere(owner) => {
            if forwarding {
                engine.shutdown().await;
                anyhow::bail!(
                    "{} already captures into this database on {}; --forward-to needs a listener of its own: \
                     use --listen with another port (127.0.0.1:0 for any free one)",
                    owner.describe(),
                    owner.listen
                );
            }
            format!(
                "hookscope: capture runs in {} (pid {}) on http://{} (database {}); printing the requests it captures",
                owner.program.describe(),
                owner.pid,
                owner.listen,
                db_path.display()
            )
        }
    };
    if json {
        eprintln!("{listening}");
    } else {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{listening}")?;
        stdout.flush()?;
    }
    let tunnel = match tunnel {
        Some(options) => {
            let controller = TunnelController::new(engine.capture_state(), engine.events());
            if let Err(error) = controller.start(options).await {
                engine.shutdown().await;
                return Err(anyhow::anyhow!("tunnel: {error}"));
            }
            Some(controller)
        }
        None => None,
    };
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut batches = EventBatches::new(events, PRINT_BATCH);
    // Attached, the engine takes the address over when the other Hookscope stops: say so.
    let mut attached_to = engine.attached_to();
    let mut follow = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = follow.tick(), if attached_to.is_some() => {
                if let CaptureSite::Here(_) = engine.capture_site() {
                    let owner = attached_to.take().map(|o| o.describe()).unwrap_or_default();
                    let line = format!(
                        "hookscope listening on {} (database {}): {owner} stopped",
                        engine.local_url(),
                        db_path.display()
                    );
                    if json {
                        eprintln!("{line}");
                    } else {
                        let mut stdout = std::io::stdout().lock();
                        writeln!(stdout, "{line}")?;
                        stdout.flush()?;
                    }
                }
            }
            batch = batches.next() => {
                let Some(batch) = batch else { break };
                if batch.missed > 0 {
                    eprintln!("hookscope: {} events were not printed (output too slow); they are stored", batch.missed);
                }
                // One write for a burst of requests: stdout's own buffer writes at every newline.
                let mut stdout = std::io::BufWriter::with_capacity(PRINT_BUFFER, std::io::stdout().lock());
                for event in &batch.events {
                    match (json, event) {
                        (true, EngineEvent::RequestCaptured(summary)) => {
                            serde_json::to_writer(&mut stdout, &output::ListRow::of(summary))?;
                            writeln!(stdout)?;
                        }
                        (true, _) => print_event(&mut std::io::stderr().lock(), crate::colour::stderr(), event)?,
                        (false, _) => print_event(&mut stdout, crate::colour::stdout(), event)?,
                    }
                }
                stdout.flush()?;
                drop(stdout);
                // Let the next events gather instead of being woken for each one: under load a
                // wake per request cost the listener more than printing did (docs/benchmarks.md).
                tokio::select! {
                    _ = tokio::time::sleep(PRINT_PAUSE) => {}
                    _ = &mut ctrl_c => break,
                }
            }
            _ = &mut ctrl_c => break,
        }
    }
    if let Some(tunnel) = tunnel {
        tunnel.stop().await;
    }
    engine.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// How long the event printer rests after printing, so that a burst is printed in one go; the
/// event channel holds 4,096 events, far more than arrive in this time.
const PRINT_PAUSE: std::time::Duration = std::time::Duration::from_millis(10);
/// Most events printed per batch.
const PRINT_BATCH: usize = 4096;
/// Bytes gathered before a write: a batch of short lines goes out in a few writes.
const PRINT_BUFFER: usize = 64 * 1024;

fn print_event(stdout: &mut impl Write, palette: crate::colour::Palette, event: &EngineEvent) -> anyhow::Result<()> {
    match event {
        EngineEvent::RequestCaptured(summary) => writeln!(stdout, "{}", output::summary_line(summary))?,
        EngineEvent::DeliveryFinished {
            request_id,
            status,
            error,
            ..
        } => match (status, error) {
            (Some(status), _) => writeln!(
                stdout,
                "  -> forwarded {request_id}: {}",
                palette.paint(crate::colour::status_style(*status), status)
            )?,
            (None, Some(error)) => writeln!(
                stdout,
                "  -> {}",
                palette.paint(
                    crate::colour::ERROR,
                    format_args!("forward of {request_id} failed: {error}")
                )
            )?,
            (None, None) => {}
        },
        EngineEvent::TunnelStatusChanged(state) => writeln!(stdout, "tunnel: {}", hookscope::tunnel::describe(state))?,
        EngineEvent::RetentionPruned { removed } => writeln!(stdout, "retention: pruned {removed} old requests")?,
    }
    Ok(())
}

//! The `hookscope` command line: argument parsing and dispatch over the engine's use cases; each
//! command in its own file. Errors become a one-line message and an exit code here, at the edge.

mod body_view;
mod colour;
mod conventions;
mod endpoint;
mod export;
mod import;
mod list;
mod output;
mod reading;
mod replay;
mod rule;
mod samples;
mod serve;
mod show;
mod sign;
mod verify;
mod wait;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hookscope::delivery::ClientOptions;
use hookscope::Workbench;

/// mimalloc instead of glibc's malloc: a capture allocates many small short-lived buffers across
/// the runtime's threads, where glibc's arenas spent about a tenth of the listener's CPU
/// (docs/benchmarks.md, "Ninth round").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version and the commit the binary was built from, e.g. `0.1.0 (abc1234)`.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("HOOKSCOPE_COMMIT"), ")");

/// Exit code for usage errors (bad arguments), as documented in the README.
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(name = "hookscope", version = VERSION, about = "Capture, inspect, verify and replay webhooks")]
struct Cli {
    /// When to colour the output: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = colour::ColorWhen::Auto)]
    color: colour::ColorWhen,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the capture listener and print one line per request.
    Serve(serve::ServeArgs),
    /// List captured requests, newest first.
    List(list::ListArgs),
    /// Show one captured request.
    Show(show::ShowArgs),
    /// Forward a captured request (or every search result) to a URL and record the answer.
    Replay(replay::ReplayArgs),
    /// Export captured requests as HAR 1.2.
    Export(export::ExportArgs),
    /// Import a HAR file or a raw HTTP request file as captured requests.
    Import(import::ImportArgs),
    /// Verify a webhook signature of a raw HTTP request file.
    Verify(verify::VerifyArgs),
    /// Sign a raw HTTP request file as a provider would.
    Sign(sign::SignArgs),
    /// List the sample events (or save a captured request as one).
    Samples(samples::SamplesArgs),
    /// Send a provider's sample event, signed with your secret, to an endpoint or a URL.
    Trigger(samples::TriggerArgs),
    /// Compare two requests (or a request and what a delivery of it sent).
    Diff(reading::DiffArgs),
    /// Infer the JSON Schema of an event type's stored bodies.
    Schema(reading::SchemaArgs),
    /// Wait until matching requests are stored (exit 0), or time out (exit 1).
    Wait(wait::WaitArgs),
    /// Manage endpoints (path prefixes with a provider, secrets and a response rule).
    #[command(subcommand)]
    Endpoint(endpoint::EndpointCommand),
    /// Print a shell completion script (bash, zsh, fish or powershell) to stdout.
    Completions(conventions::CompletionsArgs),
    /// Print the man page (roff) to stdout.
    #[command(hide = true)]
    Man,
}

/// The database path option shared by the commands that use the store.
#[derive(clap::Args, Debug, Clone)]
pub struct DbArg {
    /// Database file [default: $HOOKSCOPE_DB, else hookscope.db in the OS data directory]
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

impl DbArg {
    pub fn path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(hookscope::store::default_db_path)
    }

    /// The engine's use cases on this database, for a command that runs no listener.
    pub async fn open(&self) -> anyhow::Result<Workbench> {
        Ok(Workbench::open(&self.path(), ClientOptions::default()).await?)
    }
}

/// `Name: value` lines of a repeatable option, as header fields (the option names any bad one).
fn header_lines(lines: &[String], option: &str) -> anyhow::Result<Vec<hookscope::model::HeaderField>> {
    lines
        .iter()
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| anyhow::anyhow!("{option} '{line}' is not 'Name: value'"))?;
            Ok(hookscope::model::HeaderField::new(name.trim(), value.trim()))
        })
        .collect()
}

/// Runs `command` (an async use of the engine) to its end on a new runtime.
fn block_on<T>(command: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    runtime()?.block_on(command)
}

/// Parses arguments, runs the command and maps errors to an exit code and a one-line message.
fn main() -> ExitCode {
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    colour::init(cli.color);
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::List(args) => list::run(args),
        Command::Show(args) => show::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Wait(args) => wait::run(args),
        Command::Diff(args) => reading::diff(args),
        Command::Schema(args) => reading::schema(args),
        Command::Samples(args) => samples::run(args),
        Command::Trigger(args) => samples::trigger(args),
        Command::Endpoint(command) => endpoint::run(command),
        Command::Completions(args) => conventions::completions(args),
        Command::Man => conventions::man(),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            colour::error_line(format_args!("{error:#}"));
            ExitCode::FAILURE
        }
    }
}

/// A multi-threaded runtime for the commands that need async.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOOKSCOPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

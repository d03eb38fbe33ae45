//! The `hookscope` command-line tool: a thin edge over the engine's `cli` module.

fn main() -> std::process::ExitCode {
    hookscope::cli::main()
}

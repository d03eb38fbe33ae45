//! The `hookscope` command-line tool: a thin edge over the engine's `cli` module.

/// mimalloc instead of the system allocator: the capture path allocates per header and per
/// body on several threads, where glibc's allocator spent a sixth of the listener's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hookscope::cli::main()
}

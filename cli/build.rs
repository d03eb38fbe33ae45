//! Stamps the binary with the commit it was built from, for `hookscope --version`.
//!
//! Reads `git rev-parse --short HEAD`; without git or outside a repository (a source tarball)
//! the commit is "unknown".

use std::process::Command;

/// The trimmed output of a successful git command, or `None`.
fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

fn main() {
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=HOOKSCOPE_COMMIT={commit}");
    // Rebuild when HEAD moves: HEAD itself (per worktree), and the branch it points to, which
    // lives in the common directory (loose or packed).
    if let (Some(git_dir), Some(common_dir)) = (
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
        println!("cargo:rerun-if-changed={common_dir}/packed-refs");
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={common_dir}/{branch}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

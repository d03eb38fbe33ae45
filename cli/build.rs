//! Stamps the binary with the commit it was built from, for `hookscope --version`.
//!
//! Reads `git rev-parse --short HEAD`; without git or outside a repository (a source tarball)
//! the commit is "unknown".

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=HOOKSCOPE_COMMIT={commit}");
    // Rebuild when HEAD moves (the files may be absent: cargo then always reruns, which is cheap).
    if let Ok(output) = Command::new("git").args(["rev-parse", "--git-dir"]).output() {
        if output.status.success() {
            let git_dir = String::from_utf8_lossy(&output.stdout).trim().to_string();
            println!("cargo:rerun-if-changed={git_dir}/HEAD");
            println!("cargo:rerun-if-changed={git_dir}/refs");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

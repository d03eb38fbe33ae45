//! The command-line conventions of the real binary: shell completion scripts and a man page
//! generated from the parser's own definitions, and a `--version` naming the build's commit.

mod common;

use common::{run_cli, TestDb};

#[test]
fn the_bash_completion_script_knows_the_subcommands_and_their_options() {
    let db = TestDb::new();
    let (code, stdout, stderr) = run_cli(&db.path(), &["completions", "bash"]);
    assert_eq!(code, 0, "{stderr}");
    let script = String::from_utf8(stdout).unwrap();
    assert!(script.contains("trigger"), "{script}");
    assert!(script.contains("--endpoint"), "{script}");
    assert!(script.contains("complete -F"), "{script}");
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_shell_is_a_usage_error() {
    let db = TestDb::new();
    for shell in ["zsh", "fish", "powershell"] {
        let (code, stdout, stderr) = run_cli(&db.path(), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(String::from_utf8_lossy(&stdout).contains("trigger"), "{shell}");
    }
    let (code, stdout, _) = run_cli(&db.path(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
}

#[test]
fn the_man_page_is_roff_and_names_the_subcommands() {
    let db = TestDb::new();
    let (code, stdout, stderr) = run_cli(&db.path(), &["man"]);
    assert_eq!(code, 0, "{stderr}");
    let page = String::from_utf8(stdout).unwrap();
    assert!(page.starts_with(".TH"), "{}", &page[..page.len().min(200)]);
    for sub in ["serve", "show", "replay", "trigger", "endpoint", "completions"] {
        assert!(page.contains(sub), "the man page does not name {sub}");
    }
    assert!(page.contains("\\-\\-endpoint") || page.contains("--endpoint"));
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let db = TestDb::new();
    let (code, stdout, stderr) = run_cli(&db.path(), &["--version"]);
    assert_eq!(code, 0, "{stderr}");
    let line = String::from_utf8(stdout).unwrap();
    let line = line.trim_end();
    // hookscope \d+\.\d+\.\d+ \(([0-9a-f]{7,}|unknown)\)
    let rest = line.strip_prefix("hookscope ").unwrap_or_else(|| panic!("{line}"));
    let (version, commit) = rest.split_once(' ').unwrap_or_else(|| panic!("{line}"));
    let parts: Vec<&str> = version.split('.').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert!(
        parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        "{line}"
    );
    let commit = commit
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    let is_hash = commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    assert!(is_hash || commit == "unknown", "{line}");
}

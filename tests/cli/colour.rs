//! Colour in the real binary's output: escape codes on a terminal only, never with NO_COLOR set,
//! and `--color always|never` overriding both. The terminal is a real pseudo-terminal, given by
//! util-linux's `script`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{hookscope, post, run_cli, spawn_serve, TestDb};

const ESC: &str = "\u{1b}[";
const GREEN: &str = "\u{1b}[32m";
const YELLOW: &str = "\u{1b}[33m";
const RED: &str = "\u{1b}[31m";
const BOLD_RED: &str = "\u{1b}[1m\u{1b}[31m";

/// Stores two requests through a real listener: one answered 200, one 413 (over the body limit).
/// Returns the line `serve` printed for the first, as a pipe got it.
fn capture_two(db: &Path) -> String {
    use std::io::BufRead;
    let (mut child, addr, mut stdout) = spawn_serve(db, &["--body-limit", "8"]);
    assert_eq!(post(addr, "/ok", "", b"{}").status, 200);
    assert_eq!(post(addr, "/big", "", b"0123456789abcdef").status, 413);
    let mut line = String::new();
    stdout.read_line(&mut line).expect("serve prints the request");
    child.kill().unwrap();
    child.wait().unwrap();
    line
}

/// The CLI's environment without anything that decides colour, so that each test sets its own.
fn clean(command: &mut Command) -> &mut Command {
    command
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm-256color")
}

/// Runs `hookscope ARGS` with stdout and stderr on a pseudo-terminal (`script -qec`), with
/// `NO_COLOR` set to `no_color` (or unset); returns what the terminal showed. `script -e`
/// exits with the command's code: 0 is expected unless the command is `show`, an error here.
fn on_terminal(db: &Path, no_color: Option<&str>, args: &[&str]) -> String {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_hookscope"))
        .chain(args.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect();
    let mut command = Command::new("script");
    clean(&mut command)
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env("HOOKSCOPE_DB", db)
        .stdin(Stdio::null());
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    let output = command.output().expect("run script (util-linux)");
    assert_eq!(output.status.success(), args[0] != "show", "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn run_clean(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = hookscope(db);
    let output = clean(&mut command).args(args).output().expect("run hookscope");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn piped_output_has_no_escape_codes() {
    let db = TestDb::new();
    let served = capture_two(&db.path());
    assert!(served.contains("POST") && served.contains(" 200 "), "{served}");
    assert!(!served.contains(ESC), "serve into a pipe: {served:?}");

    let (code, listed, stderr) = run_clean(&db.path(), &["list"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(listed.contains(" 413 ") && listed.contains(" 200 "), "{listed}");
    assert!(!listed.contains(ESC), "list into a pipe: {listed:?}");

    let (code, _, stderr) = run_clean(&db.path(), &["show", "no-such-id"]);
    assert_ne!(code, 0);
    assert!(stderr.starts_with("hookscope: "), "{stderr}");
    assert!(!stderr.contains(ESC), "an error into a pipe: {stderr:?}");
}

#[test]
fn color_always_colours_a_pipe_by_status_class_and_errors_in_red() {
    let db = TestDb::new();
    capture_two(&db.path());
    let (code, listed, stderr) = run_clean(&db.path(), &["list", "--color", "always"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(listed.contains(&format!("{GREEN}200")), "2xx in green: {listed:?}");
    assert!(listed.contains(&format!("{YELLOW}413")), "4xx in yellow: {listed:?}");
    // The same rows as without colour once the codes are taken out.
    let (_, plain, _) = run_clean(&db.path(), &["list", "--color", "never"]);
    assert_eq!(strip(&listed), plain);

    let (code, _, stderr) = run_clean(&db.path(), &["--color", "always", "show", "no-such-id"]);
    assert_ne!(code, 0);
    assert!(stderr.starts_with(&format!("{RED}hookscope: ")), "{stderr:?}");

    // JSON stays JSON.
    let (_, json, _) = run_clean(&db.path(), &["list", "--json", "--color", "always"]);
    assert!(!json.contains(ESC));
    serde_json::from_str::<serde_json::Value>(&json).expect("list --json parses");
}

#[test]
fn verify_results_are_green_when_valid_and_red_when_invalid() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let unsigned = dir.path().join("unsigned.http");
    std::fs::write(
        &unsigned,
        "POST /hook HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    )
    .unwrap();
    let (code, signed, stderr) = run_cli(
        &db.path(),
        &[
            "sign",
            "--provider",
            "github",
            "--secret",
            "s3cret",
            "--request",
            unsigned.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let signed_path = dir.path().join("signed.http");
    std::fs::write(&signed_path, signed).unwrap();
    let request = signed_path.to_str().unwrap();

    let verify = |secret: &str, colour: &str| {
        run_clean(
            &db.path(),
            &[
                "verify",
                "--provider",
                "github",
                "--secret",
                secret,
                "--request",
                request,
                "--color",
                colour,
            ],
        )
    };
    let (code, valid, _) = verify("s3cret", "always");
    assert_eq!(code, 0, "{valid}");
    assert!(valid.starts_with(&format!("{GREEN}valid")), "{valid:?}");
    let (code, invalid, _) = verify("wrong", "always");
    assert_eq!(code, 1, "{invalid}");
    assert!(invalid.starts_with(&format!("{BOLD_RED}invalid")), "{invalid:?}");
    let (_, plain, _) = verify("wrong", "never");
    assert!(plain.starts_with("invalid: github"), "{plain:?}");
    assert_eq!(strip(&invalid), plain);
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let db = TestDb::new();
    capture_two(&db.path());

    let coloured = on_terminal(&db.path(), None, &["list", "--color", "auto"]);
    assert!(
        coloured.contains(&format!("{GREEN}200")),
        "auto on a terminal: {coloured:?}"
    );
    let default = on_terminal(&db.path(), None, &["list"]);
    assert!(
        default.contains(&format!("{YELLOW}413")),
        "auto is the default: {default:?}"
    );
    let error = on_terminal(&db.path(), None, &["show", "no-such-id"]);
    assert!(
        error.contains(&format!("{RED}hookscope: ")),
        "errors on a terminal: {error:?}"
    );

    let no_color = on_terminal(&db.path(), Some("1"), &["list", "--color", "auto"]);
    assert!(no_color.contains(" 200 "), "{no_color:?}");
    assert!(!no_color.contains(ESC), "NO_COLOR=1 on a terminal: {no_color:?}");
    let error = on_terminal(&db.path(), Some("1"), &["show", "no-such-id"]);
    assert!(error.contains("hookscope: ") && !error.contains(ESC), "{error:?}");

    // no-color.org: only a non-empty NO_COLOR turns colour off.
    let empty = on_terminal(&db.path(), Some(""), &["list"]);
    assert!(empty.contains(&format!("{GREEN}200")), "NO_COLOR empty: {empty:?}");

    let never = on_terminal(&db.path(), None, &["list", "--color", "never"]);
    assert!(never.contains(" 200 ") && !never.contains(ESC), "{never:?}");
    let forced = on_terminal(&db.path(), Some("1"), &["list", "--color", "always"]);
    assert!(
        forced.contains(&format!("{GREEN}200")),
        "--color always beats NO_COLOR: {forced:?}"
    );
}

/// The text without its SGR escape codes (`ESC [ ... m`).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(ESC) {
        out.push_str(&rest[..start]);
        let after = &rest[start + ESC.len()..];
        let end = after.find('m').expect("an SGR code ends in m");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

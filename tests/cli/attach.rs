//! Two `hookscope serve` on one database and address, as real child processes: the second
//! attaches (says where capture runs, then prints what the first captures); after the first is
//! killed with SIGKILL, its stale instance file does not stop a new serve from binding.

#![cfg(unix)]

mod common;

use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::sync::mpsc;

use common::{answered_id, hookscope, lines_of, next_line, post, spawn_serve, TestDb};

/// `serve --listen ADDR` with its stdout lines delivered on a channel.
fn serve_on(db: &std::path::Path, addr: SocketAddr) -> (Child, mpsc::Receiver<String>) {
    let mut child = hookscope(db)
        .args(["serve", "--listen", &addr.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().unwrap();
    (child, lines_of(std::io::BufReader::new(stdout)))
}

/// Ctrl-C, as a terminal sends it; serve must exit 0.
fn interrupt(child: &mut Child) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let exited = child.wait().expect("serve exits");
    assert!(exited.success(), "serve exits cleanly on Ctrl-C: {exited:?}");
}

fn instance_file(db: &std::path::Path, port: u16) -> std::path::PathBuf {
    hookscope::instance::instance_path(&hookscope::instance::database_identity(db), port)
}

#[test]
fn a_second_serve_on_the_same_address_attaches_and_prints_what_the_first_captures() {
    let db = TestDb::new();
    let (mut first, addr, first_out) = spawn_serve(&db.path(), &[]);
    let first_lines = lines_of(first_out);
    let (mut second, lines) = serve_on(&db.path(), addr);

    let attached = next_line(&lines, "the attach");
    let expected = format!("capture runs in hookscope serve (pid {}) on http://{addr}", first.id());
    assert!(attached.contains(&expected), "{attached}");

    let response = post(addr, "/seen-by-both", "", b"{}");
    assert_eq!(response.status, 200);
    let id = answered_id(&response);
    let printed = next_line(&lines, "the request the first serve captured");
    assert!(printed.contains(&id) && printed.contains("/seen-by-both"), "{printed}");
    let by_first = next_line(&first_lines, "the request it captured");
    assert!(by_first.contains(&id), "{by_first}");

    interrupt(&mut second);
    assert!(
        instance_file(&db.path(), addr.port()).exists(),
        "the attached serve leaves the first's file"
    );
    interrupt(&mut first);
    assert!(
        !instance_file(&db.path(), addr.port()).exists(),
        "removed when its serve stops"
    );
}

#[test]
fn after_kill_9_of_the_first_serve_a_new_one_binds_its_address() {
    let db = TestDb::new();
    let (mut first, addr, _out) = spawn_serve(&db.path(), &[]);
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    assert!(
        instance_file(&db.path(), addr.port()).exists(),
        "a killed serve cannot remove its file"
    );

    let (mut next, lines) = serve_on(&db.path(), addr);
    let line = next_line(&lines, "the listening line");
    assert!(
        line.starts_with(&format!("hookscope listening on http://{addr}")),
        "{line}"
    );
    let id = answered_id(&post(addr, "/after-the-kill", "", b"{}"));
    let printed = next_line(&lines, "the request it captured");
    assert!(printed.contains(&id), "{printed}");
    interrupt(&mut next);
}

#[test]
fn an_attached_serve_will_not_forward_what_it_does_not_capture() {
    let db = TestDb::new();
    let (mut first, addr, _out) = spawn_serve(&db.path(), &[]);
    let output = hookscope(&db.path())
        .args([
            "serve",
            "--listen",
            &addr.to_string(),
            "--forward-to",
            "http://127.0.0.1:9/",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("already captures into this database") && err.contains("--listen"),
        "{err}"
    );
    interrupt(&mut first);
}

#[test]
fn an_attached_serve_takes_the_address_over_when_the_first_is_killed() {
    let db = TestDb::new();
    let (mut first, addr, _out) = spawn_serve(&db.path(), &[]);
    let (mut second, lines) = serve_on(&db.path(), addr);
    let attached = next_line(&lines, "the attach");
    assert!(attached.contains("capture runs in hookscope serve"), "{attached}");

    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let line = next_line(&lines, "the take-over");
    assert!(
        line.starts_with(&format!("hookscope listening on http://{addr} ")) && line.contains("stopped"),
        "{line}"
    );
    let id = answered_id(&post(addr, "/after-the-take-over", "", b"{}"));
    let printed = next_line(&lines, "the request it captured itself");
    assert!(printed.contains(&id), "{printed}");
    interrupt(&mut second);
}

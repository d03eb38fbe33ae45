//! The Body tab's commands against a real engine: bodies captured over real HTTP come back
//! rendered by the engine's body renderer, and parts are saved exactly as it decodes them.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::invoke;
use serde_json::json;
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

fn app_with_engine(dir: &tempfile::TempDir) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, String) {
    let (app, window) = common::app_with(common::engine_state(dir), |_| {});
    let info = invoke(&window, "listener_info", json!({})).unwrap();
    let url = info["url"].as_str().expect("listener runs").to_owned();
    (app, window, url)
}

/// Sends a POST with these headers and body bytes; returns the captured request's id.
fn capture(window: &WebviewWindow<MockRuntime>, url: &str, headers: &[(&str, &str)], body: &[u8]) -> String {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("POST /hook HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "capture answered {answer}");
    let newest = invoke(window, "list_requests", json!({"filter": {"limit": 1}})).unwrap();
    newest[0]["id"].as_str().unwrap().to_owned()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(data).unwrap();
    }
    out
}

#[test]
fn a_brotli_body_comes_back_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, url) = app_with_engine(&dir);
    let text = "brotli squeezed this line of text. ".repeat(40);
    let compressed = brotli(text.as_bytes());
    let id = capture(
        &window,
        &url,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Encoding", "br"),
        ],
        &compressed,
    );

    let view = invoke(&window, "render_body", json!({"id": id})).unwrap();
    assert_eq!(view["contentEncodings"], json!(["br"]));
    assert_eq!(view["totalSize"], compressed.len() as u64);
    assert_eq!(view["decodedSize"], text.len() as u64);
    assert!(view["decodeError"].is_null());
    assert_eq!(view["content"]["kind"], "text");
    assert_eq!(view["content"]["text"], text.as_str());

    let saved = dir.path().join("decoded.txt");
    invoke(
        &window,
        "save_decoded_body",
        json!({"id": id, "file": saved.to_str().unwrap()}),
    )
    .unwrap();
    assert_eq!(std::fs::read(&saved).unwrap(), text.as_bytes());
}

#[test]
fn a_gzip_json_body_comes_back_decoded_and_pretty() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, url) = app_with_engine(&dir);
    let original = br#"{"zipped":true,"amount":12345678901234567890}"#;
    let id = capture(
        &window,
        &url,
        &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
        &gzip(original),
    );

    let view = invoke(&window, "render_body", json!({"id": id})).unwrap();
    assert_eq!(view["contentEncodings"], json!(["gzip"]));
    assert_eq!(view["content"]["kind"], "json");
    assert_eq!(
        view["content"]["pretty"], "{\n  \"zipped\": true,\n  \"amount\": 12345678901234567890\n}",
        "re-indented with the large integer spelled as sent"
    );

    let small = invoke(
        &window,
        "render_body",
        json!({"id": id, "options": {"maxDecodedSize": 10}}),
    )
    .unwrap();
    assert!(
        small["decodeError"].as_str().unwrap().contains("exceeds 10 bytes"),
        "the options reach the renderer: {}",
        small["decodeError"]
    );
}

#[test]
fn a_multipart_part_is_saved_byte_exact_as_the_engine_decodes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window, url) = app_with_engine(&dir);
    let file: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let mut body = Vec::new();
    body.extend_from_slice(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello from a part\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"blob.bin\"\r\n\
          Content-Type: application/octet-stream\r\n\r\n",
    );
    body.extend_from_slice(&file);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    let id = capture(
        &window,
        &url,
        &[("Content-Type", "multipart/form-data; boundary=XyZ")],
        &body,
    );

    let view = invoke(&window, "render_body", json!({"id": id})).unwrap();
    assert_eq!(view["content"]["kind"], "multipart");
    let parts = view["content"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["name"], "note");
    assert_eq!(parts[0]["view"]["content"]["text"], "hello from a part");
    assert_eq!(parts[1]["filename"], "blob.bin");
    assert_eq!(parts[1]["size"], 3000);

    let saved = dir.path().join("blob.bin");
    let written = invoke(
        &window,
        "save_body_part",
        json!({"id": id, "path": [1], "file": saved.to_str().unwrap()}),
    )
    .unwrap();
    assert_eq!(written, 3000);
    assert_eq!(
        std::fs::read(&saved).unwrap(),
        file,
        "the part's bytes, no CRLF or boundary"
    );

    let missing = invoke(
        &window,
        "save_body_part",
        json!({"id": id, "path": [5], "file": saved.to_str().unwrap()}),
    );
    assert!(missing.unwrap_err().as_str().unwrap().contains("no part 6"));
}

//! What the command tests share: an app on Tauri's mock runtime with a real engine (temp
//! database, listener on port 0) and a way to call its commands through IPC.

#![allow(dead_code)]

use hookscope_desktop::{with_commands, DesktopState};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// Calls a command as the window would; `Err` carries the command's error value.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// The shell's state with a running engine on a temp database and a free port.
pub fn engine_state(dir: &tempfile::TempDir) -> DesktopState {
    tauri::async_runtime::block_on(DesktopState::start(
        Ok("127.0.0.1:0".parse().unwrap()),
        dir.path().join("hookscope.db"),
    ))
}

/// An app managing `state` (and whatever `manage_more` adds) with its main window.
pub fn app_with(
    state: DesktopState,
    manage_more: impl FnOnce(&tauri::App<MockRuntime>),
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = with_commands(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(state);
    manage_more(&app);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// The app's capture listener URL, from the `listener_info` command.
pub fn listener_url(window: &WebviewWindow<MockRuntime>) -> String {
    let info = invoke(window, "listener_info", serde_json::json!({})).unwrap();
    info["url"].as_str().expect("listener runs").to_owned()
}

/// What a [`receiver`] got: the request line, the header lines as sent, the body bytes.
#[derive(Debug, Clone)]
pub struct Received {
    pub request_line: String,
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

/// An HTTP/1.1 receiver on 127.0.0.1 port 0 that answers every request 201 with the body
/// `received` and an `X-Receiver: yes` header.
pub fn receiver() -> (String, std::sync::mpsc::Receiver<Received>) {
    receiver_with(|_| 201, None)
}

/// Like [`receiver`], with the status chosen from the request line. Each request is reported
/// before it is answered; when `hold` is given, each answer waits for a message on it.
pub fn receiver_with(
    status: impl Fn(&str) -> u16 + Send + 'static,
    hold: Option<std::sync::mpsc::Receiver<()>>,
) -> (String, std::sync::mpsc::Receiver<Received>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (arrived, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                continue;
            }
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end().to_owned();
                if line.is_empty() {
                    break;
                }
                headers.push(line);
            }
            let length = headers
                .iter()
                .find_map(|h| {
                    let (name, value) = h.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let request_line = request_line.trim_end().to_owned();
            let code = status(&request_line);
            let _ = arrived.send(Received {
                request_line,
                headers,
                body,
            });
            if let Some(hold) = &hold {
                let _ = hold.recv();
            }
            let answer = format!(
                "HTTP/1.1 {code} Answer\r\nContent-Type: text/plain\r\nX-Receiver: yes\r\nContent-Length: 8\r\n\
                 Connection: close\r\n\r\nreceived"
            );
            let _ = reader.get_mut().write_all(answer.as_bytes());
        }
    });
    (url, rx)
}

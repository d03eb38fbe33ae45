//! The capture benchmark's baseline: a bare axum server that reads each request's body and answers
//! 200 with a small JSON body, storing nothing. `scripts/bench-capture.sh` compares Hookscope to it.
//!
//! Usage: `bare_listener [ADDR]` (default `127.0.0.1:0`); prints `bare listening on http://ADDR`.

use std::io::Write;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Router;

async fn answer(body: Bytes) -> impl IntoResponse {
    // Touch the body so that it is read in full, as Hookscope reads it.
    let _ = std::hint::black_box(body.len());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"ok\":true}",
    )
}

fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "bare listening on http://{}", listener.local_addr()?)?;
        stdout.flush()?;
        drop(stdout);
        axum::serve(listener, Router::new().fallback(answer)).await
    })
}

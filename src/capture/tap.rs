//! Records each request head exactly as it arrived on a connection.
//!
//! hyper parses headers into a `HeaderMap`, which lowercases names and groups duplicates, and
//! keeps the original casing only in a private extension. To keep arrival order and casing,
//! the connection is wrapped so that every byte hyper reads is also fed to a small parser that
//! cuts the stream into request heads (with `httparse`) and skips bodies by their framing
//! (Content-Length or chunked). The handler takes the heads in order: hyper serves the
//! requests of one connection one after another, so the n-th head is the n-th request's.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::model::HeaderField;

/// Heads longer than this are not parsed by the tap (hyper rejects them anyway).
const MAX_HEAD: usize = 128 * 1024;
const MAX_HEADERS: usize = 512;

/// A request head as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHead {
    pub method: String,
    pub target: String,
    /// "HTTP/1.0" or "HTTP/1.1".
    pub version: String,
    pub headers: Vec<HeaderField>,
}

enum Phase {
    Head,
    Body(u64),
    Chunked(Chunk),
    /// Lost track (a head the tap could not parse, or a protocol upgrade): stop recording.
    Broken,
}

enum Chunk {
    Size(Vec<u8>),
    Data(u64),
    DataEnd,
    Trailer { line_is_empty: bool },
}

struct TapState {
    buffer: Vec<u8>,
    phase: Phase,
    heads: VecDeque<RawHead>,
}

/// The shared recorder of one connection's request heads.
#[derive(Clone)]
pub struct HeadTap {
    state: Arc<Mutex<TapState>>,
}

impl Default for HeadTap {
    fn default() -> Self {
        Self::new()
    }
}

impl HeadTap {
    pub fn new() -> Self {
        Self {
            state: Arc::new(Mutex::new(TapState {
                buffer: Vec::new(),
                phase: Phase::Head,
                heads: VecDeque::new(),
            })),
        }
    }

    /// Feeds bytes as they were read from the connection.
    pub fn feed(&self, mut bytes: &[u8]) {
        let mut state = self.state.lock().expect("tap poisoned");
        while !bytes.is_empty() {
            bytes = state.advance(bytes);
        }
    }

    /// The next request head, in arrival order.
    pub fn next_head(&self) -> Option<RawHead> {
        self.state.lock().expect("tap poisoned").heads.pop_front()
    }
}

impl TapState {
    /// Consumes some of `bytes` according to the phase and returns the rest.
    fn advance<'a>(&mut self, bytes: &'a [u8]) -> &'a [u8] {
        match &mut self.phase {
            Phase::Broken => &[],
            Phase::Body(remaining) => {
                let take = (*remaining).min(bytes.len() as u64) as usize;
                *remaining -= take as u64;
                if *remaining == 0 {
                    self.phase = Phase::Head;
                }
                &bytes[take..]
            }
            Phase::Chunked(_) => self.advance_chunked(bytes),
            Phase::Head if self.buffer.is_empty() => {
                // The usual case: the whole head is in this read, so it is parsed in place.
                let leading = leading_empty_lines(bytes);
                let rest = &bytes[leading..];
                match parse_head(rest) {
                    HeadParse::Complete { head, framing, length } => {
                        self.heads.push_back(head);
                        self.phase = framing;
                        &rest[length..]
                    }
                    HeadParse::Partial if rest.len() <= MAX_HEAD => {
                        self.buffer.extend_from_slice(rest);
                        &[]
                    }
                    HeadParse::Partial | HeadParse::Invalid => self.stop_recording(),
                }
            }
            Phase::Head => {
                let already_buffered = self.buffer.len();
                self.buffer.extend_from_slice(bytes);
                let leading = leading_empty_lines(&self.buffer);
                self.buffer.drain(..leading);
                match parse_head(&self.buffer) {
                    HeadParse::Complete { head, framing, length } => {
                        self.heads.push_back(head);
                        self.phase = framing;
                        self.buffer.clear();
                        // Bytes after the head belong to the body or the next request.
                        &bytes[(leading + length).saturating_sub(already_buffered).min(bytes.len())..]
                    }
                    HeadParse::Partial if self.buffer.len() <= MAX_HEAD => &[],
                    HeadParse::Partial | HeadParse::Invalid => self.stop_recording(),
                }
            }
        }
    }

    fn stop_recording(&mut self) -> &'static [u8] {
        self.buffer = Vec::new();
        self.phase = Phase::Broken;
        &[]
    }

    fn advance_chunked<'a>(&mut self, bytes: &'a [u8]) -> &'a [u8] {
        let Phase::Chunked(chunk) = &mut self.phase else {
            return bytes;
        };
        match chunk {
            Chunk::Size(line) => {
                let Some(newline) = bytes.iter().position(|b| *b == b'\n') else {
                    line.extend_from_slice(bytes);
                    if line.len() > 1024 {
                        self.phase = Phase::Broken;
                    }
                    return &[];
                };
                line.extend_from_slice(&bytes[..newline]);
                let text = String::from_utf8_lossy(line);
                let digits = text.split(';').next().unwrap_or("").trim();
                match u64::from_str_radix(digits, 16) {
                    Ok(0) => *chunk = Chunk::Trailer { line_is_empty: true },
                    Ok(size) => *chunk = Chunk::Data(size),
                    Err(_) => self.phase = Phase::Broken,
                }
                &bytes[newline + 1..]
            }
            Chunk::Data(remaining) => {
                let take = (*remaining).min(bytes.len() as u64) as usize;
                *remaining -= take as u64;
                if *remaining == 0 {
                    *chunk = Chunk::DataEnd;
                }
                &bytes[take..]
            }
            Chunk::DataEnd => match bytes.iter().position(|b| *b == b'\n') {
                Some(newline) => {
                    *chunk = Chunk::Size(Vec::new());
                    &bytes[newline + 1..]
                }
                None => &[],
            },
            Chunk::Trailer { line_is_empty } => {
                let byte = bytes[0];
                match byte {
                    b'\n' if *line_is_empty => self.phase = Phase::Head,
                    b'\n' => *line_is_empty = true,
                    b'\r' => {}
                    _ => *line_is_empty = false,
                }
                &bytes[1..]
            }
        }
    }
}

/// Empty lines before a request line are allowed (RFC 9112 section 2.2).
fn leading_empty_lines(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| **b == b'\r' || **b == b'\n').count()
}

enum HeadParse {
    /// A whole head of `length` bytes (the input starts with the request line).
    Complete {
        head: RawHead,
        framing: Phase,
        length: usize,
    },
    Partial,
    Invalid,
}

/// Heads with up to this many headers are parsed without a heap allocation for the slots.
const USUAL_HEADERS: usize = 64;

fn parse_head(input: &[u8]) -> HeadParse {
    let mut usual = [httparse::EMPTY_HEADER; USUAL_HEADERS];
    match parse_head_with(input, &mut usual) {
        Err(httparse::Error::TooManyHeaders) => {
            let mut many = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
            parse_head_with(input, &mut many).unwrap_or(HeadParse::Invalid)
        }
        parsed => parsed.unwrap_or(HeadParse::Invalid),
    }
}

fn parse_head_with<'a>(input: &'a [u8], slots: &mut [httparse::Header<'a>]) -> Result<HeadParse, httparse::Error> {
    let mut request = httparse::Request::new(slots);
    Ok(match request.parse(input)? {
        httparse::Status::Complete(length) => {
            let (head, framing) = raw_head(&request);
            HeadParse::Complete { head, framing, length }
        }
        httparse::Status::Partial => HeadParse::Partial,
    })
}

fn raw_head(request: &httparse::Request<'_, '_>) -> (RawHead, Phase) {
    let headers: Vec<HeaderField> = request
        .headers
        .iter()
        .map(|h| HeaderField::from_bytes(h.name, h.value))
        .collect();
    fn find<'h>(headers: &'h [HeaderField], name: &'static str) -> impl Iterator<Item = &'h HeaderField> {
        headers.iter().filter(move |h| h.name.eq_ignore_ascii_case(name))
    }
    let chunked = find(&headers, "transfer-encoding").last().is_some_and(|h| {
        h.value
            .rsplit(',')
            .next()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("chunked"))
    });
    let upgrade = find(&headers, "upgrade").next().is_some() || request.method == Some("CONNECT");
    let framing = if upgrade {
        Phase::Broken
    } else if chunked {
        Phase::Chunked(Chunk::Size(Vec::new()))
    } else {
        match find(&headers, "content-length")
            .next()
            .and_then(|h| h.value.trim().parse::<u64>().ok())
        {
            Some(0) | None => Phase::Head,
            Some(length) => Phase::Body(length),
        }
    };
    let head = RawHead {
        method: request.method.unwrap_or_default().to_owned(),
        target: request.path.unwrap_or_default().to_owned(),
        version: format!("HTTP/1.{}", request.version.unwrap_or(1)),
        headers,
    };
    (head, framing)
}

/// A connection whose reads are also fed to a [`HeadTap`].
pub struct TappedIo<T> {
    inner: T,
    tap: HeadTap,
}

impl<T> TappedIo<T> {
    pub fn new(inner: T, tap: HeadTap) -> Self {
        Self { inner, tap }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for TappedIo<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &result {
            let fresh = &buf.filled()[before..];
            if !fresh.is_empty() {
                self.tap.feed(fresh);
            }
        }
        result
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for TappedIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::HeadTap;

    fn names(tap: &HeadTap) -> Vec<String> {
        tap.next_head()
            .unwrap()
            .headers
            .iter()
            .map(|h| format!("{}={}", h.name, h.value))
            .collect()
    }

    #[test]
    fn keeps_order_case_and_duplicates_across_split_reads() {
        let tap = HeadTap::new();
        let wire = b"POST /a?x=%41 HTTP/1.1\r\nX-B: 1\r\nhost: h\r\nX-b: 2\r\nContent-Length: 3\r\n\r\nabc";
        for byte in wire.chunks(5) {
            tap.feed(byte);
        }
        assert_eq!(names(&tap), ["X-B=1", "host=h", "X-b=2", "Content-Length=3"]);
        assert!(tap.next_head().is_none());
    }

    #[test]
    fn follows_keep_alive_through_chunked_and_sized_bodies() {
        let tap = HeadTap::new();
        tap.feed(b"POST /1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nGET \r\n0\r\nTrail: x\r\n\r\n");
        tap.feed(b"\r\nPUT /2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nGET /");
        tap.feed(b"GET /3 HTTP/1.0\r\nA: b\r\n\r\n");
        let targets: Vec<String> = std::iter::from_fn(|| tap.next_head())
            .map(|h| format!("{} {} {}", h.method, h.target, h.version))
            .collect();
        assert_eq!(targets, ["POST /1 HTTP/1.1", "PUT /2 HTTP/1.1", "GET /3 HTTP/1.0"]);
    }

    #[test]
    fn keeps_heads_with_more_headers_than_the_usual_slots() {
        let tap = HeadTap::new();
        let mut wire = b"GET /many HTTP/1.1\r\n".to_vec();
        for n in 0..200 {
            wire.extend_from_slice(format!("X-H{n}: {n}\r\n").as_bytes());
        }
        wire.extend_from_slice(b"\r\nGET /next HTTP/1.1\r\n\r\n");
        tap.feed(&wire);
        let expected: Vec<String> = (0..200).map(|n| format!("X-H{n}={n}")).collect();
        assert_eq!(names(&tap), expected);
        assert_eq!(tap.next_head().unwrap().target, "/next");
    }

    #[test]
    fn garbage_stops_recording_without_panicking() {
        let tap = HeadTap::new();
        tap.feed(b"\x00\x01 not http\r\n\r\n");
        tap.feed(b"GET / HTTP/1.1\r\n\r\n");
        assert!(tap.next_head().is_none());
    }
}

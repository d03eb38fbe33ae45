//! A connection wrapper that puts Hookscope's exact request head on the wire.
//!
//! hyper writes header names in lower case and groups duplicates by name. A delivery must keep
//! the captured order and casing, so hyper is given an equivalent request (same method and
//! framing) and this wrapper swaps the head hyper writes for the exact head, byte for byte,
//! before it reaches the socket. hyper still frames the body and parses the answer. One
//! connection carries one request, so only the first head is replaced.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The first bytes read back (the response head), so its header casing and order can be kept.
pub type ReadRecord = Arc<Mutex<Vec<u8>>>;

/// How much of the answer is recorded for its head.
const READ_RECORD_LIMIT: usize = 64 * 1024;

/// Wraps a stream; the first request head written through it is replaced by `head`.
pub struct HeadRewrite<S> {
    inner: S,
    read_record: ReadRecord,
    /// The head to write instead of hyper's, until hyper's head has been seen.
    replacement: Option<Vec<u8>>,
    /// hyper's bytes seen so far while looking for the end of its head.
    scanned: Vec<u8>,
    /// Bytes accepted from hyper and not yet written to `inner`.
    pending: Vec<u8>,
    written: usize,
}

impl<S> HeadRewrite<S> {
    pub fn new(inner: S, head: Vec<u8>, read_record: ReadRecord) -> Self {
        Self {
            inner,
            read_record,
            replacement: Some(head),
            scanned: Vec::new(),
            pending: Vec::new(),
            written: 0,
        }
    }
}

impl<S: AsyncWrite + Unpin> HeadRewrite<S> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for HeadRewrite<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        let mut record = self.read_record.lock().expect("read record poisoned");
        let room = READ_RECORD_LIMIT.saturating_sub(record.len());
        let fresh = &buf.filled()[before..];
        record.extend_from_slice(&fresh[..fresh.len().min(room)]);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for HeadRewrite<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        let Some(replacement) = this.replacement.as_ref() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        let searched_from = this.scanned.len().saturating_sub(3);
        this.scanned.extend_from_slice(buf);
        if let Some(end) = find_head_end(&this.scanned[searched_from..]) {
            let body_start = searched_from + end;
            let mut pending = replacement.clone();
            pending.extend_from_slice(&this.scanned[body_start..]);
            this.pending = pending;
            this.written = 0;
            this.replacement = None;
            this.scanned = Vec::new();
            // The bytes are ours now; a write that cannot finish yet continues in poll_flush.
            let _ = this.drain(cx)?;
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The index just past the first `\r\n\r\n`.
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt;

    use super::HeadRewrite;

    #[tokio::test]
    async fn the_first_head_is_replaced_and_the_body_follows_unchanged() {
        let mut wrapped = HeadRewrite::new(
            Vec::new(),
            b"POST /x HTTP/1.1\r\nX-A: 1\r\n\r\n".to_vec(),
            Default::default(),
        );
        wrapped.write_all(b"post /x HTTP/1.1\r\nx-a: 1").await.unwrap();
        wrapped.write_all(b"\r\n\r\nbody\r\n\r\nmore").await.unwrap();
        wrapped.flush().await.unwrap();
        assert_eq!(wrapped.inner, b"POST /x HTTP/1.1\r\nX-A: 1\r\n\r\nbody\r\n\r\nmore");
    }
}

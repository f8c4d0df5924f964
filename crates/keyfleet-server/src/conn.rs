//! Connection hygiene, below TLS and HTTP: every accepted socket takes one of a fixed number of
//! connection slots (none free: it is closed at once), gets TCP_NODELAY (a streamed response's
//! last piece must not wait for the client's delayed ACK, ~40 ms on Linux), and is closed when
//! no byte has moved either way for the idle timeout — an idle keep-alive connection, a client
//! trickling a request, or one that stopped reading a streamed response alike. The header-read
//! and request timeouts sit above (hyper and a middleware).

use axum_server::accept::Accept;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Accepts a socket only with a free connection slot; wraps it in [`Guarded`].
#[derive(Debug, Clone)]
pub struct GuardAcceptor {
    slots: Arc<Semaphore>,
    idle_timeout: Duration,
}

impl GuardAcceptor {
    /// At most `max_connections` open at once, each closed after `idle_timeout` without traffic.
    pub fn new(max_connections: usize, idle_timeout: Duration) -> Self {
        GuardAcceptor {
            slots: Arc::new(Semaphore::new(max_connections)),
            idle_timeout,
        }
    }
}

impl<S: Send + 'static> Accept<TcpStream, S> for GuardAcceptor {
    type Stream = Guarded<TcpStream>;
    type Service = S;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let slot = self.slots.clone().try_acquire_owned();
        let idle = self.idle_timeout;
        Box::pin(async move {
            let Ok(slot) = slot else {
                // Dropping the socket closes it: better a refused client than a server that
                // stops answering everyone.
                tracing::warn!("connection refused: at the connection limit");
                return Err(io::Error::other("connection limit reached"));
            };
            stream.set_nodelay(true)?;
            Ok((Guarded::new(stream, slot, idle), service))
        })
    }
}

/// A socket that holds its connection slot and fails with `TimedOut` once idle for too long.
#[derive(Debug)]
pub struct Guarded<T> {
    inner: T,
    _slot: OwnedSemaphorePermit,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Guarded<T> {
    fn new(inner: T, slot: OwnedSemaphorePermit, idle: Duration) -> Self {
        Guarded {
            inner,
            _slot: slot,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// Bytes moved: the idle clock starts again.
    fn progressed(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }

    /// Nothing moved: an error once the idle time is up (and a wake-up set for that moment).
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(io::Error::new(
                io::ErrorKind::TimedOut,
                "connection idle for too long",
            )),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.progressed();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.stalled(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, data) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    this.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.stalled(cx).map(Err),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Pending => this.stalled(cx).map(Err),
            done => done,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    this.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.stalled(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test(start_paused = true)]
    async fn a_quiet_connection_fails_after_the_idle_time_and_traffic_keeps_it_open() {
        let (a, mut b) = tokio::io::duplex(64);
        let slots = Arc::new(Semaphore::new(1));
        let permit = slots.clone().try_acquire_owned().unwrap();
        let mut guarded = Guarded::new(a, permit, Duration::from_secs(10));
        // Traffic within the idle time keeps it alive.
        for _ in 0..3 {
            tokio::time::advance(Duration::from_secs(6)).await;
            b.write_all(b"x").await.unwrap();
            let mut one = [0u8; 1];
            guarded.read_exact(&mut one).await.unwrap();
        }
        assert_eq!(slots.available_permits(), 0, "the slot is held");
        // Then silence: the next read fails once the idle time is up.
        let mut one = [0u8; 1];
        let err = guarded.read_exact(&mut one).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(guarded);
        assert_eq!(slots.available_permits(), 1, "closing frees the slot");
    }
}

//! The listener a plugin serves on, and the connection type that flows from it
//! into tonic (plain or TLS, unix or TCP).

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio_rustls::server::TlsStream;

use super::handshake::ListenAddress;

/// A bound listener: a unix socket (the default, like Go plugins on Unix) or
/// TCP on `127.0.0.1` (the fallback).
#[derive(Debug)]
pub enum PluginListener {
    /// A unix socket; the file is removed when this value is dropped.
    Unix {
        /// The listener.
        listener: UnixListener,
        /// Removes the socket file on drop.
        socket: SocketFile,
    },
    /// TCP on loopback.
    Tcp(TcpListener),
}

/// Which kind of listener to prefer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// A unix socket in the temp dir, falling back to TCP if that fails.
    Unix,
    /// TCP on 127.0.0.1 within the port range.
    Tcp,
}

impl PluginListener {
    /// Binds a listener: a unix socket in `$TMPDIR` (or TCP when `network` is
    /// [`Network::Tcp`] or the socket cannot be created), TCP on the first free
    /// port of `min_port..=max_port`.
    pub async fn bind(network: Network, min_port: u16, max_port: u16) -> io::Result<Self> {
        if network == Network::Unix {
            match bind_unix() {
                Ok(listener) => return Ok(listener),
                Err(error) => log::warn!("unix socket unavailable, falling back to TCP: {error}"),
            }
        }
        bind_tcp(min_port, max_port).await
    }

    /// The address for the handshake line.
    pub fn address(&self) -> io::Result<ListenAddress> {
        match self {
            PluginListener::Unix { socket, .. } => Ok(ListenAddress::Unix(
                socket.path.to_string_lossy().into_owned(),
            )),
            PluginListener::Tcp(listener) => {
                Ok(ListenAddress::Tcp(listener.local_addr()?.to_string()))
            }
        }
    }

    /// Accepts the next connection.
    pub async fn accept(&self) -> io::Result<Connection> {
        match self {
            PluginListener::Unix { listener, .. } => {
                Ok(Connection::Unix(listener.accept().await?.0))
            }
            PluginListener::Tcp(listener) => {
                let (stream, _) = listener.accept().await?;
                stream.set_nodelay(true)?;
                Ok(Connection::Tcp(stream))
            }
        }
    }
}

fn bind_unix() -> io::Result<PluginListener> {
    let dir = std::env::temp_dir();
    // Like go-plugin's os.CreateTemp(dir, "plugin*"): a random name, retried on collision.
    for _ in 0..16 {
        let suffix: u64 = rand::random();
        let path = dir.join(format!("plugin{suffix}"));
        match UnixListener::bind(&path) {
            Ok(listener) => {
                return Ok(PluginListener::Unix {
                    listener,
                    socket: SocketFile { path },
                });
            }
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => continue,
            Err(error) => return Err(error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        "no free unix socket name",
    ))
}

async fn bind_tcp(min_port: u16, max_port: u16) -> io::Result<PluginListener> {
    let mut last_error = None;
    for port in min_port..=max_port {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => return Ok(PluginListener::Tcp(listener)),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(io::ErrorKind::AddrNotAvailable, "empty plugin port range")
    }))
}

/// A unix socket file, removed when dropped (on shutdown, SIGTERM and SIGINT;
/// a SIGKILL leaves it behind, as with Go plugins).
#[derive(Debug)]
pub struct SocketFile {
    path: PathBuf,
}

impl SocketFile {
    /// The socket's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One accepted connection, plain or TLS.
#[derive(Debug)]
pub enum Connection {
    /// Plain unix socket.
    Unix(UnixStream),
    /// Plain TCP.
    Tcp(TcpStream),
    /// TLS over a unix socket.
    UnixTls(Box<TlsStream<UnixStream>>),
    /// TLS over TCP.
    TcpTls(Box<TlsStream<TcpStream>>),
}

impl Connection {
    /// Runs the server side of a TLS handshake over this connection.
    pub async fn into_tls(self, acceptor: &tokio_rustls::TlsAcceptor) -> io::Result<Connection> {
        match self {
            Connection::Unix(stream) => Ok(Connection::UnixTls(Box::new(
                acceptor.accept(stream).await?,
            ))),
            Connection::Tcp(stream) => {
                Ok(Connection::TcpTls(Box::new(acceptor.accept(stream).await?)))
            }
            already_tls => Ok(already_tls),
        }
    }
}

impl tonic::transport::server::Connected for Connection {
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

macro_rules! delegate {
    ($self:ident, $stream:ident => $call:expr) => {
        match $self.get_mut() {
            Connection::Unix($stream) => {
                let $stream = Pin::new($stream);
                $call
            }
            Connection::Tcp($stream) => {
                let $stream = Pin::new($stream);
                $call
            }
            Connection::UnixTls($stream) => {
                let $stream = Pin::new($stream.as_mut());
                $call
            }
            Connection::TcpTls($stream) => {
                let $stream = Pin::new($stream.as_mut());
                $call
            }
        }
    };
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        delegate!(self, stream => stream.poll_read(cx, buf))
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        delegate!(self, stream => stream.poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        delegate!(self, stream => stream.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        delegate!(self, stream => stream.poll_shutdown(cx))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        delegate!(self, stream => stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Connection::Unix(stream) => stream.is_write_vectored(),
            Connection::Tcp(stream) => stream.is_write_vectored(),
            Connection::UnixTls(stream) => stream.is_write_vectored(),
            Connection::TcpTls(stream) => stream.is_write_vectored(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unix_socket_is_removed_on_drop() {
        let listener = PluginListener::bind(Network::Unix, 10000, 25000)
            .await
            .unwrap();
        let ListenAddress::Unix(path) = listener.address().unwrap() else {
            panic!("expected unix")
        };
        assert!(Path::new(&path).exists());
        drop(listener);
        assert!(!Path::new(&path).exists());
    }

    #[tokio::test]
    async fn tcp_binds_loopback_within_range() {
        let listener = PluginListener::bind(Network::Tcp, 20000, 25000)
            .await
            .unwrap();
        let ListenAddress::Tcp(address) = listener.address().unwrap() else {
            panic!("expected tcp")
        };
        let socket: std::net::SocketAddr = address.parse().unwrap();
        assert!(socket.ip().is_loopback());
        assert!((20000..=25000).contains(&socket.port()));
    }
}

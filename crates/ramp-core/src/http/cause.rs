//! Why a connection failed, in plain words, read from the transport error's sources.

use std::fmt;

/// What made a connection fail, in plain words: read from the transport error's chain of
/// sources when the error is made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// Nothing accepted the connection on that host and port.
    Refused,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake failed: an untrusted or mismatched certificate, or a server that
    /// does not speak TLS on that port.
    Tls,
    /// The connection was reset.
    Reset,
    /// The server closed the connection before the response was complete.
    Closed,
    /// Something else; the innermost error's message.
    Other(String),
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused => f.write_str("connection refused (nothing listens on that host and port)"),
            Self::Dns => f.write_str("the host name could not be resolved (DNS)"),
            Self::Tls => f.write_str(
                "the TLS handshake failed (an untrusted or mismatched certificate, or no TLS on that port)",
            ),
            Self::Reset => f.write_str("the connection was reset"),
            Self::Closed => {
                f.write_str("the server closed the connection before the response was complete")
            }
            Self::Other(message) => f.write_str(message),
        }
    }
}

impl Cause {
    /// Reads the cause from a transport error's chain of sources, by the errors' types
    /// (reqwest's DNS error, hyper's incomplete message, the I/O error kinds), never by their
    /// text.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_dns() {
            return Self::Dns;
        }
        let mut innermost = error.to_string();
        let mut tls_suspect = false;
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(err) = current {
            if err
                .downcast_ref::<hyper::Error>()
                .is_some_and(hyper::Error::is_incomplete_message)
            {
                return Self::Closed;
            }
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                match io_cause(io) {
                    Some(Self::Other(_)) | None => {}
                    Some(cause) => return cause,
                }
                tls_suspect |= has_invalid_data(io);
            }
            innermost = err.to_string();
            current = err.source();
        }
        if tls_suspect && error.is_connect() {
            return Self::Tls;
        }
        Self::Other(innermost)
    }
}

fn io_cause(io: &std::io::Error) -> Option<Cause> {
    use std::io::ErrorKind;
    match io.kind() {
        ErrorKind::ConnectionRefused => Some(Cause::Refused),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
            Some(Cause::Reset)
        }
        ErrorKind::UnexpectedEof => Some(Cause::Closed),
        _ => None,
    }
}

/// Whether an I/O error is, or wraps, `InvalidData`: how TLS libraries report a failed
/// handshake through the I/O layer.
fn has_invalid_data(io: &std::io::Error) -> bool {
    if io.kind() == std::io::ErrorKind::InvalidData {
        return true;
    }
    io.get_ref()
        .and_then(|inner| inner.downcast_ref::<std::io::Error>())
        .is_some_and(has_invalid_data)
}

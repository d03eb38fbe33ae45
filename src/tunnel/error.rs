//! Why a tunnel could not start or stopped, in words a user can act on.

use ngrok::session::ConnectError;
use ngrok::Error as _;

use super::options::{AUTHTOKEN_URL, DOMAINS_URL};

/// Errors of the tunnel; the display text is what the status bar shows.
#[derive(Debug, thiserror::Error)]
pub enum TunnelError {
    #[error(
        "no ngrok authtoken: copy yours from {AUTHTOKEN_URL} and enter it in Settings, \
         or set the NGROK_AUTHTOKEN environment variable"
    )]
    NoAuthtoken,
    #[error("ngrok rejected the authtoken{}: {message}. Check or create one at {AUTHTOKEN_URL}", code_suffix(.code))]
    AuthtokenRejected { code: Option<String>, message: String },
    #[error(
        "cannot reach ngrok's server {server}: {detail}. Check the network connection \
         (or a firewall or proxy blocking outbound connections)"
    )]
    Unreachable { server: String, detail: String },
    #[error("ngrok's server {server} did not answer within {seconds} s. Check the network connection")]
    TimedOut { server: String, seconds: u64 },
    #[error(
        "ngrok refused the domain {domain}{}: {message}. Reserve it at {DOMAINS_URL} \
         (or leave the domain empty)", code_suffix(.code)
    )]
    DomainNotReserved {
        domain: String,
        code: Option<String>,
        message: String,
    },
    #[error("ngrok refused the tunnel{}: {message}", code_suffix(.code))]
    Refused { code: Option<String>, message: String },
    #[error("the tunnel closed: {0}")]
    Closed(String),
    #[error("invalid tunnel option: {0}")]
    InvalidOption(String),
    #[error("the tunnel was stopped before it came online")]
    Cancelled,
    #[error("there is no place to store the ngrok authtoken (no config directory); set NGROK_AUTHTOKEN instead")]
    NoConfigDir,
    #[error("could not {action} the ngrok authtoken at {path}: {source}")]
    TokenStorage {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
}

impl serde::Serialize for TunnelError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
}

/// Error codes ngrok uses for a missing, malformed, unknown or revoked authtoken.
const AUTHTOKEN_CODES: &[&str] = &["ERR_NGROK_105", "ERR_NGROK_106", "ERR_NGROK_107", "ERR_NGROK_4018"];

impl TunnelError {
    /// Classifies a failure to open the ngrok session.
    pub(crate) fn from_connect(error: &ConnectError, server: &str) -> Self {
        match error {
            ConnectError::Tcp(io) => TunnelError::Unreachable {
                server: server.to_owned(),
                detail: io.to_string(),
            },
            ConnectError::Tls(io) => TunnelError::Unreachable {
                server: server.to_owned(),
                detail: format!("the TLS handshake failed ({io}); is something intercepting HTTPS?"),
            },
            ConnectError::ProxyConnect(inner) => TunnelError::Unreachable {
                server: server.to_owned(),
                detail: format!("the proxy connection failed ({inner})"),
            },
            ConnectError::Start(inner) => TunnelError::Unreachable {
                server: server.to_owned(),
                detail: format!("the session did not start ({inner})"),
            },
            ConnectError::Auth(_) => {
                let code = error.error_code().map(str::to_owned);
                let message = error.msg().trim().to_owned();
                let about_token = code.as_deref().is_some_and(|c| AUTHTOKEN_CODES.contains(&c))
                    || message.to_ascii_lowercase().contains("authtoken");
                if about_token {
                    TunnelError::AuthtokenRejected { code, message }
                } else {
                    TunnelError::Refused { code, message }
                }
            }
            other => TunnelError::Refused {
                code: other.error_code().map(str::to_owned),
                message: other.msg(),
            },
        }
    }

    /// Classifies a failure to open the HTTP endpoint on a connected session.
    pub(crate) fn from_listen(error: &ngrok::session::RpcError, domain: Option<&str>) -> Self {
        let code = error.error_code().map(str::to_owned);
        let message = error.msg().trim().to_owned();
        let lower = message.to_ascii_lowercase();
        match domain {
            Some(domain) if ["domain", "hostname", "reserve"].iter().any(|w| lower.contains(w)) => {
                TunnelError::DomainNotReserved {
                    domain: domain.to_owned(),
                    code,
                    message,
                }
            }
            _ => TunnelError::Refused { code, message },
        }
    }
}

//! What a tunnel is started with, checked before anything is sent to ngrok.

use std::net::IpAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::TunnelError;

/// Where to get an ngrok authtoken.
pub const AUTHTOKEN_URL: &str = "https://dashboard.ngrok.com/get-started/your-authtoken";
/// Where to reserve a domain.
pub const DOMAINS_URL: &str = "https://dashboard.ngrok.com/domains";

/// Options of a public tunnel. Secrets are never serialized nor printed by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TunnelOptions {
    /// The ngrok authtoken; when empty, `NGROK_AUTHTOKEN` and then the stored token are used.
    #[serde(skip_serializing, default)]
    pub authtoken: Option<String>,
    /// A domain reserved in the ngrok dashboard (e.g. `hooks.example.com`); `None` takes the
    /// account's assigned domain.
    pub domain: Option<String>,
    /// Require HTTP basic auth from senders (most providers can put credentials in the URL).
    pub basic_auth: Option<BasicAuth>,
    /// Only these client networks (CIDR, e.g. `3.18.12.63/32`) may reach the tunnel.
    #[serde(default)]
    pub allow_cidrs: Vec<String>,
    /// These client networks may not reach the tunnel.
    #[serde(default)]
    pub deny_cidrs: Vec<String>,
    /// ngrok's agent server as `host:port`; `None` is ngrok's own.
    pub server_addr: Option<String>,
    /// How long the first connection to ngrok may take; `None` is 20 s.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub connect_timeout_ms: Option<u64>,
}

/// Basic-auth credentials the tunnel demands from every sender.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasicAuth {
    pub username: String,
    #[serde(skip_serializing, default)]
    pub password: String,
}

impl std::fmt::Debug for TunnelOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TunnelOptions")
            .field("authtoken", &self.authtoken.as_ref().map(|_| "[redacted]"))
            .field("domain", &self.domain)
            .field("basic_auth", &self.basic_auth)
            .field("allow_cidrs", &self.allow_cidrs)
            .field("deny_cidrs", &self.deny_cidrs)
            .field("server_addr", &self.server_addr)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .finish()
    }
}

impl std::fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

impl TunnelOptions {
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.unwrap_or(20_000))
    }

    /// The authtoken, when one was given and is not blank.
    pub fn given_authtoken(&self) -> Option<&str> {
        self.authtoken.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }

    /// The domain without a scheme or trailing slash, as ngrok wants it.
    pub fn bare_domain(&self) -> Option<String> {
        let domain = self.domain.as_deref()?.trim();
        let domain = domain
            .strip_prefix("https://")
            .or_else(|| domain.strip_prefix("http://"))
            .unwrap_or(domain)
            .trim_end_matches('/');
        (!domain.is_empty()).then(|| domain.to_owned())
    }

    /// Rejects options ngrok would refuse, before any connection is made.
    pub fn validate(&self) -> Result<(), TunnelError> {
        if let Some(domain) = self.bare_domain() {
            if domain.contains(['/', ' ', ':']) {
                return Err(TunnelError::InvalidOption(format!(
                    "the domain '{domain}' is not a host name like hooks.example.com"
                )));
            }
        }
        if let Some(auth) = &self.basic_auth {
            if auth.username.is_empty() || auth.username.contains(':') {
                return Err(TunnelError::InvalidOption(
                    "the basic-auth username must be non-empty and contain no ':'".into(),
                ));
            }
            let length = auth.password.chars().count();
            if !(8..=128).contains(&length) {
                return Err(TunnelError::InvalidOption(format!(
                    "the basic-auth password must be 8 to 128 characters long (ngrok's rule); it has {length}"
                )));
            }
        }
        for cidr in self.allow_cidrs.iter().chain(&self.deny_cidrs) {
            check_cidr(cidr)?;
        }
        Ok(())
    }
}

fn check_cidr(cidr: &str) -> Result<(), TunnelError> {
    let invalid = || {
        TunnelError::InvalidOption(format!(
            "'{cidr}' is not a network in CIDR form like 192.0.2.0/24 or 2001:db8::/32"
        ))
    };
    let (address, prefix) = cidr.trim().split_once('/').ok_or_else(invalid)?;
    let address: IpAddr = address.parse().map_err(|_| invalid())?;
    let prefix: u8 = prefix.parse().map_err(|_| invalid())?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    if prefix > max {
        return Err(invalid());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{BasicAuth, TunnelOptions};

    #[test]
    fn invalid_options_are_explained() {
        let short = TunnelOptions {
            basic_auth: Some(BasicAuth {
                username: "hook".into(),
                password: "short".into(),
            }),
            ..TunnelOptions::default()
        };
        assert!(short.validate().unwrap_err().to_string().contains("8 to 128"));
        for bad in ["10.0.0.0", "10.0.0.0/33", "nope/8", "::1/129"] {
            let options = TunnelOptions {
                allow_cidrs: vec![bad.into()],
                ..TunnelOptions::default()
            };
            assert!(options.validate().unwrap_err().to_string().contains("CIDR"), "{bad}");
        }
        let good = TunnelOptions {
            allow_cidrs: vec!["192.0.2.0/24".into(), "2001:db8::/32".into()],
            domain: Some("https://hooks.example.com/".into()),
            ..TunnelOptions::default()
        };
        good.validate().unwrap();
        assert_eq!(good.bare_domain().as_deref(), Some("hooks.example.com"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let options = TunnelOptions {
            authtoken: Some("2abcSECRETtoken".into()),
            basic_auth: Some(BasicAuth {
                username: "hook".into(),
                password: "very-secret-pw".into(),
            }),
            ..TunnelOptions::default()
        };
        let shown = format!("{options:?}");
        assert!(!shown.contains("SECRET") && !shown.contains("very-secret"), "{shown}");
        let json = serde_json::to_string(&options).unwrap();
        assert!(!json.contains("SECRET") && !json.contains("very-secret"), "{json}");
    }
}

//! A change to an endpoint's settings, as `hookscope endpoint add|set` and the app's endpoint
//! editor express it: every field left out keeps its value. Secrets and the verify token only
//! go in; nothing here is ever read back out.

use serde::{Deserialize, Serialize};

use super::{AutoForwardMode, Endpoint, HeaderField};

/// A change to an optional text setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TextChange {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Set it to this value.
    Set { value: String },
    /// Remove it (the provider becomes auto-detect, the body the default answer).
    Clear,
}

impl TextChange {
    fn apply(self, slot: &mut Option<String>) {
        match self {
            TextChange::Keep => {}
            TextChange::Set { value } => *slot = Some(value),
            TextChange::Clear => *slot = None,
        }
    }
}

/// A change to the signing secrets (newest first).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecretsChange {
    #[default]
    Keep,
    /// Replace every secret with these.
    Replace { secrets: Vec<String> },
    /// Put a new secret first and keep the others (rotation: both verify until the old is cleared).
    AddNewest { secret: String },
    /// Remove every secret.
    Clear,
}

impl std::fmt::Debug for SecretsChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretsChange::Keep => f.write_str("Keep"),
            SecretsChange::Replace { secrets } => write!(f, "Replace([{} redacted])", secrets.len()),
            SecretsChange::AddNewest { .. } => f.write_str("AddNewest([redacted])"),
            SecretsChange::Clear => f.write_str("Clear"),
        }
    }
}

/// Whether new requests are forwarded automatically, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum AutoForwardSetting {
    Off,
    Async,
    Passthrough,
}

impl AutoForwardSetting {
    /// The mode an endpoint stores (`None` is off).
    pub fn mode(self) -> Option<AutoForwardMode> {
        match self {
            AutoForwardSetting::Off => None,
            AutoForwardSetting::Async => Some(AutoForwardMode::Async),
            AutoForwardSetting::Passthrough => Some(AutoForwardMode::Passthrough),
        }
    }
}

/// What to change on an endpoint; `None` / `Keep` leaves a field as it is.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct EndpointChanges {
    pub name: Option<String>,
    pub path_prefix: Option<String>,
    /// A provider id (`stripe`, `github;tolerance=600`, `generic;...`); `Clear` auto-detects.
    pub provider: TextChange,
    pub secrets: SecretsChange,
    /// Meta's `hub.verify_token`.
    pub verify_token: TextChange,
    /// The public URL the provider signs (Twilio, Square).
    pub public_url: TextChange,
    pub status: Option<u16>,
    /// Replaces every response header.
    pub headers: Option<Vec<HeaderField>>,
    /// The response body template; `Clear` answers the default `{"ok":true,"id":...}`.
    pub body: TextChange,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub delay_ms: Option<u64>,
    pub handshake_enabled: Option<bool>,
    /// Replaces every forward target.
    pub forward_targets: Option<Vec<String>>,
    pub auto_forward: Option<AutoForwardSetting>,
    /// Desktop notifications for this endpoint's requests (off for a new endpoint).
    pub notify: Option<bool>,
}

impl std::fmt::Debug for EndpointChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = match &self.verify_token {
            TextChange::Set { .. } => "Set([redacted])",
            TextChange::Keep => "Keep",
            TextChange::Clear => "Clear",
        };
        f.debug_struct("EndpointChanges")
            .field("name", &self.name)
            .field("path_prefix", &self.path_prefix)
            .field("provider", &self.provider)
            .field("secrets", &self.secrets)
            .field("verify_token", &format_args!("{token}"))
            .field("public_url", &self.public_url)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("delay_ms", &self.delay_ms)
            .field("handshake_enabled", &self.handshake_enabled)
            .field("forward_targets", &self.forward_targets)
            .field("auto_forward", &self.auto_forward)
            .field("notify", &self.notify)
            .finish()
    }
}

impl EndpointChanges {
    /// Applies the changes to `endpoint` in place. A provider of `auto` (any case) or blank
    /// means auto-detect, as on the command line.
    pub fn apply_to(self, endpoint: &mut Endpoint) {
        if let Some(name) = self.name {
            endpoint.name = name.trim().to_owned();
        }
        if let Some(prefix) = self.path_prefix {
            endpoint.path_prefix = prefix.trim().to_owned();
        }
        let provider = match self.provider {
            TextChange::Set { value } if value.trim().is_empty() || value.trim().eq_ignore_ascii_case("auto") => {
                TextChange::Clear
            }
            TextChange::Set { value } => TextChange::Set {
                value: value.trim().to_owned(),
            },
            other => other,
        };
        provider.apply(&mut endpoint.provider);
        match self.secrets {
            SecretsChange::Keep => {}
            SecretsChange::Replace { secrets } => endpoint.secrets = secrets,
            SecretsChange::AddNewest { secret } => endpoint.secrets.insert(0, secret),
            SecretsChange::Clear => endpoint.secrets.clear(),
        }
        endpoint.secret_count = endpoint.secrets.len();
        self.verify_token.apply(&mut endpoint.verify_token);
        self.public_url.apply(&mut endpoint.public_url);
        if let Some(status) = self.status {
            endpoint.response.status = status;
        }
        if let Some(headers) = self.headers {
            endpoint.response.headers = headers;
        }
        self.body.apply(&mut endpoint.response.body);
        if let Some(delay) = self.delay_ms {
            endpoint.response.delay_ms = delay;
        }
        if let Some(on) = self.handshake_enabled {
            endpoint.handshake_enabled = on;
        }
        if let Some(targets) = self.forward_targets {
            endpoint.forward_targets = targets.into_iter().map(|t| t.trim().to_owned()).collect();
        }
        if let Some(setting) = self.auto_forward {
            endpoint.auto_forward = setting.mode();
        }
        if let Some(on) = self.notify {
            endpoint.notify = on;
        }
    }
}

/// True when stored verdicts of the endpoint may differ after the change (provider, secrets or
/// the signed public URL changed), so its stored requests must be checked again.
pub fn changes_verdicts(before: &Endpoint, after: &Endpoint) -> bool {
    before.provider != after.provider || before.secrets != after.secrets || before.public_url != after.public_url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResponseRule;

    fn endpoint() -> Endpoint {
        Endpoint {
            id: 1,
            name: "gh".into(),
            path_prefix: "/gh".into(),
            provider: Some("github".into()),
            secrets: vec!["old".into()],
            verify_token: Some("vt".into()),
            public_url: None,
            response: ResponseRule::default(),
            handshake_enabled: true,
            forward_targets: Vec::new(),
            auto_forward: None,
            notify: false,
            secret_count: 1,
        }
    }

    #[test]
    fn untouched_fields_keep_their_value_and_secrets_rotate_newest_first() {
        let mut e = endpoint();
        EndpointChanges {
            secrets: SecretsChange::AddNewest { secret: "new".into() },
            status: Some(202),
            ..EndpointChanges::default()
        }
        .apply_to(&mut e);
        assert_eq!(e.secrets, ["new", "old"]);
        assert_eq!(e.secret_count, 2);
        assert_eq!(e.provider.as_deref(), Some("github"));
        assert_eq!(e.verify_token.as_deref(), Some("vt"));
        assert_eq!(e.response.status, 202);
        let before = endpoint();
        assert!(changes_verdicts(&before, &e));
    }

    #[test]
    fn auto_clears_the_provider_and_clear_removes_secrets_and_token() {
        let mut e = endpoint();
        EndpointChanges {
            provider: TextChange::Set { value: " Auto ".into() },
            secrets: SecretsChange::Clear,
            verify_token: TextChange::Clear,
            auto_forward: Some(AutoForwardSetting::Passthrough),
            ..EndpointChanges::default()
        }
        .apply_to(&mut e);
        assert_eq!(e.provider, None);
        assert!(e.secrets.is_empty());
        assert_eq!(e.verify_token, None);
        assert_eq!(e.auto_forward, Some(AutoForwardMode::Passthrough));
    }

    #[test]
    fn debug_never_shows_secrets_or_the_token() {
        let changes = EndpointChanges {
            secrets: SecretsChange::Replace {
                secrets: vec!["whsec_hidden".into()],
            },
            verify_token: TextChange::Set {
                value: "token-hidden".into(),
            },
            ..EndpointChanges::default()
        };
        let shown = format!("{changes:?}");
        assert!(!shown.contains("hidden"), "{shown}");
    }
}

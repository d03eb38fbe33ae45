//! Naming a provider: built-in ids, generic configurations, and detection from headers.

use super::generic::GenericConfig;
use super::request::SignableRequest;
use super::scheme::Scheme;
use super::table::{self, Provider, PROVIDERS};
use super::SignatureError;
use crate::model::HeaderField;

/// A provider named by the user: built in, or a generic HMAC configuration.
#[derive(Debug, Clone)]
pub enum Resolved {
    Builtin(&'static Provider),
    Generic(GenericConfig),
}

impl Resolved {
    /// Looks up a provider id (case-insensitive, `;tolerance=N` allowed) or parses a `generic;...`
    /// configuration.
    pub fn from_id(id: &str) -> Result<Self, SignatureError> {
        let id = id.trim();
        if GenericConfig::is_generic(id) {
            return GenericConfig::parse(id).map(Resolved::Generic);
        }
        let (id, _) = split_tolerance(id)?;
        table::find(id)
            .map(Resolved::Builtin)
            .ok_or_else(|| SignatureError::UnknownProvider(id.to_owned()))
    }

    /// The id stored in verdicts.
    pub fn id(&self) -> &'static str {
        match self {
            Resolved::Builtin(provider) => provider.id,
            Resolved::Generic(_) => super::generic::GENERIC_PREFIX,
        }
    }

    pub fn scheme(&self) -> Scheme<'_> {
        match self {
            Resolved::Builtin(provider) => provider.scheme.clone(),
            Resolved::Generic(config) => config.scheme(),
        }
    }

    pub fn twilio_rules(&self) -> bool {
        matches!(self, Resolved::Builtin(provider) if provider.twilio_rules)
    }
}

/// Splits `stripe;tolerance=600` into the id and the tolerance; generic configurations keep theirs.
pub fn split_tolerance(id: &str) -> Result<(&str, Option<i64>), SignatureError> {
    if GenericConfig::is_generic(id) {
        return Ok((id, None));
    }
    let Some((base, options)) = id.split_once(';') else {
        return Ok((id, None));
    };
    let mut tolerance = None;
    for option in options.split(';').map(str::trim).filter(|o| !o.is_empty()) {
        match option.split_once('=') {
            Some(("tolerance", value)) => {
                tolerance = Some(value.trim().parse().map_err(|_| {
                    SignatureError::BadProviderOption(format!("tolerance \"{value}\" is not a number of seconds"))
                })?)
            }
            _ => {
                return Err(SignatureError::BadProviderOption(format!(
                    "\"{option}\": a built-in provider takes only tolerance=SECONDS"
                )))
            }
        }
    }
    Ok((base.trim(), tolerance))
}

/// The first built-in provider whose detection headers are all present and whose signature reads.
pub fn detect(request: &SignableRequest<'_>) -> Option<&'static Provider> {
    PROVIDERS
        .iter()
        .find(|provider| has_detection_headers(provider, request.headers) && provider.scheme.read(request).is_ok())
}

/// Whether some provider's detection headers are all present: [`detect`] can only find a
/// provider when this is true, and this needs no [`SignableRequest`].
pub fn detection_headers_present(headers: &[HeaderField]) -> bool {
    PROVIDERS
        .iter()
        .any(|provider| has_detection_headers(provider, headers))
}

/// Whether `headers` holds every header `provider` is detected by (never, for one without any).
fn has_detection_headers(provider: &Provider, headers: &[HeaderField]) -> bool {
    !provider.detect.is_empty()
        && provider
            .detect
            .iter()
            .all(|name| headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)))
}

/// Every built-in provider id, in table order (for the UI's provider picker and error messages).
pub fn provider_ids() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.id).collect()
}

/// `(id, display name)` of every built-in provider.
pub fn provider_names() -> Vec<(&'static str, &'static str)> {
    PROVIDERS.iter().map(|p| (p.id, p.name)).collect()
}

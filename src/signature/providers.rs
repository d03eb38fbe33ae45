//! Naming a provider: built-in ids, generic configurations, and detection from headers.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::generic::GenericConfig;
use super::request::SignableRequest;
use super::scheme::Scheme;
use super::table::{self, Provider, SchemeVersion, PROVIDERS};
use super::SignatureError;
use crate::model::HeaderField;

/// A provider named by the user: built in, or a generic HMAC configuration.
#[derive(Debug, Clone)]
pub enum Resolved {
    Builtin(&'static Provider),
    /// A built-in provider held to one of its scheme versions (`hubspot;version=v1`).
    BuiltinVersion(&'static Provider, &'static str),
    Generic(GenericConfig),
}

/// One scheme version as verification tries it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// The version's label (`v1`); empty for a provider with a single scheme.
    pub label: &'a str,
    pub scheme: Scheme<'a>,
    /// The header naming the version and the value that selects this one.
    pub selector: Option<(&'a str, &'a str)>,
}

/// What a provider id can say after its name: `stripe;tolerance=600`, `hubspot;version=v1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderOptions {
    pub tolerance: Option<i64>,
    pub version: Option<String>,
}

impl Resolved {
    /// Looks up a provider id (case-insensitive, `;tolerance=N` and `;version=V` allowed) or parses
    /// a `generic;...` configuration.
    pub fn from_id(id: &str) -> Result<Self, SignatureError> {
        let id = id.trim();
        if GenericConfig::is_generic(id) {
            return GenericConfig::parse(id).map(Resolved::Generic);
        }
        let (id, options) = split_options(id)?;
        let provider = table::find(id).ok_or_else(|| SignatureError::UnknownProvider(id.to_owned()))?;
        let Some(wanted) = options.version else {
            return Ok(Resolved::Builtin(provider));
        };
        let labels = version_labels(provider);
        labels
            .iter()
            .find(|label| label.eq_ignore_ascii_case(&wanted))
            .map(|label| Resolved::BuiltinVersion(provider, label))
            .ok_or_else(|| {
                let known = if labels.len() > 1 {
                    format!("its versions are {}", labels.join(", "))
                } else {
                    "it has a single scheme version".to_owned()
                };
                SignatureError::BadProviderOption(format!("{} has no version \"{wanted}\": {known}", provider.id))
            })
    }

    /// The id stored in verdicts.
    pub fn id(&self) -> &'static str {
        match self {
            Resolved::Builtin(provider) | Resolved::BuiltinVersion(provider, _) => provider.id,
            Resolved::Generic(_) => super::generic::GENERIC_PREFIX,
        }
    }

    /// The main scheme (the pinned version's, for a pinned provider).
    pub fn scheme(&self) -> Scheme<'_> {
        self.candidates().swap_remove(0).scheme
    }

    /// The scheme versions verification tries, in order: the main one first.
    pub fn candidates(&self) -> Vec<Candidate<'_>> {
        match self {
            Resolved::Builtin(provider) => {
                let main = Candidate {
                    label: provider.version,
                    scheme: provider.scheme.clone(),
                    selector: None,
                };
                std::iter::once(main)
                    .chain(provider.other_versions.iter().map(Candidate::of))
                    .collect()
            }
            Resolved::BuiltinVersion(provider, label) => {
                let pinned = provider.other_versions.iter().find(|v| v.label == *label);
                vec![pinned.map(Candidate::of).unwrap_or_else(|| Candidate {
                    label: provider.version,
                    scheme: provider.scheme.clone(),
                    selector: None,
                })]
            }
            Resolved::Generic(config) => vec![Candidate {
                label: "",
                scheme: config.scheme(),
                selector: None,
            }],
        }
    }

    /// The version `sign` writes: the pinned one, else the main one, else (when the main one
    /// travels in the body, as Adyen's notification HMAC does) the first header-signed version.
    pub fn signing_candidate(&self) -> Candidate<'_> {
        let mut candidates = self.candidates();
        let header_signed = candidates
            .iter()
            .position(|c| matches!(c.scheme.location, super::scheme::SigLocation::Header(_)))
            .unwrap_or(0);
        candidates.swap_remove(header_signed)
    }

    pub fn twilio_rules(&self) -> bool {
        matches!(self, Resolved::Builtin(provider) | Resolved::BuiltinVersion(provider, _) if provider.twilio_rules)
    }
}

impl Candidate<'static> {
    fn of(version: &'static SchemeVersion) -> Self {
        Candidate {
            label: version.label,
            scheme: version.scheme.clone(),
            selector: version.selector,
        }
    }
}

/// The labels of a provider's scheme versions, main first (one empty label when it has one).
fn version_labels(provider: &Provider) -> Vec<&'static str> {
    std::iter::once(provider.version)
        .chain(provider.other_versions.iter().map(|v| v.label))
        .collect()
}

/// Splits `stripe;tolerance=600` into the id and the tolerance; generic configurations keep theirs.
pub fn split_tolerance(id: &str) -> Result<(&str, Option<i64>), SignatureError> {
    split_options(id).map(|(id, options)| (id, options.tolerance))
}

/// Splits `hubspot;version=v1;tolerance=600` into the id and its options; generic configurations
/// keep theirs.
pub fn split_options(id: &str) -> Result<(&str, ProviderOptions), SignatureError> {
    let mut parsed = ProviderOptions::default();
    if GenericConfig::is_generic(id) {
        return Ok((id, parsed));
    }
    let Some((base, options)) = id.split_once(';') else {
        return Ok((id, parsed));
    };
    for option in options.split(';').map(str::trim).filter(|o| !o.is_empty()) {
        match option.split_once('=') {
            Some(("tolerance", value)) => {
                parsed.tolerance = Some(value.trim().parse().map_err(|_| {
                    SignatureError::BadProviderOption(format!("tolerance \"{value}\" is not a number of seconds"))
                })?)
            }
            Some(("version", value)) => parsed.version = Some(value.trim().to_owned()),
            _ => {
                return Err(SignatureError::BadProviderOption(format!(
                    "\"{option}\": a built-in provider takes only tolerance=SECONDS and version=LABEL"
                )))
            }
        }
    }
    Ok((base.trim(), parsed))
}

/// The first built-in provider one of whose versions has all its detection headers present and a
/// readable signature.
pub fn detect(request: &SignableRequest<'_>) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|provider| {
        (has_detection_headers(provider.detect, request.headers) && provider.scheme.read(request).is_ok())
            || provider
                .other_versions
                .iter()
                .any(|v| has_detection_headers(v.detect, request.headers) && v.scheme.read(request).is_ok())
    })
}

/// Every detection header name of every provider, in lowercase.
static DETECTION_HEADER_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    PROVIDERS
        .iter()
        .flat_map(Provider::detection_lists)
        .flatten()
        .map(|name| name.to_ascii_lowercase())
        .collect()
});

/// Whether `name` may be some provider's detection header (true for names too long to check).
fn may_be_a_detection_header(name: &str) -> bool {
    let mut lowercase = [0u8; 64];
    let Some(lowercase) = lowercase.get_mut(..name.len()) else {
        return true;
    };
    lowercase.copy_from_slice(name.as_bytes());
    lowercase.make_ascii_lowercase();
    std::str::from_utf8(lowercase).map_or(true, |name| DETECTION_HEADER_NAMES.contains(name))
}

/// Whether some provider's detection headers are all present: [`detect`] can only find a
/// provider when this is true, and this needs no [`SignableRequest`]. A request holding none of
/// the providers' header names, as most unsigned requests do, is told apart without walking the
/// table.
pub fn detection_headers_present(headers: &[HeaderField]) -> bool {
    if !headers.iter().any(|h| may_be_a_detection_header(&h.name)) {
        return false;
    }
    PROVIDERS
        .iter()
        .flat_map(Provider::detection_lists)
        .any(|detect| has_detection_headers(detect, headers))
}

/// Whether `headers` holds every header of `detect` (never, for an empty list).
fn has_detection_headers(detect: &[&str], headers: &[HeaderField]) -> bool {
    !detect.is_empty()
        && detect
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::scheme::SigLocation;

    #[test]
    fn options_carry_a_tolerance_and_a_version_and_nothing_else() {
        let (id, options) = split_options("hubspot;version=v1;tolerance=60").unwrap();
        assert_eq!(id, "hubspot");
        assert_eq!(
            options,
            ProviderOptions {
                tolerance: Some(60),
                version: Some("v1".into())
            }
        );
        let error = split_options("stripe;colour=blue").unwrap_err().to_string();
        assert!(error.contains("tolerance=SECONDS and version=LABEL"), "{error}");
    }

    #[test]
    fn a_provider_with_versions_tries_the_main_one_first_and_a_pinned_one_alone() {
        let hubspot = Resolved::from_id("hubspot").unwrap();
        let labels: Vec<&str> = hubspot.candidates().iter().map(|c| c.label).collect();
        assert_eq!(labels, ["v3", "v2", "v1"]);
        let pinned = Resolved::from_id("HubSpot;version=V1").unwrap();
        let candidates = pinned.candidates();
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].selector, Some(("X-HubSpot-Signature-Version", "v1")));
        assert_eq!(pinned.id(), "hubspot");
    }

    #[test]
    fn signing_uses_the_first_header_signed_version() {
        let adyen = Resolved::from_id("adyen").unwrap();
        assert_eq!(
            adyen.signing_candidate().scheme.location,
            SigLocation::Header("HmacSignature")
        );
        let stripe = Resolved::from_id("stripe").unwrap();
        assert_eq!(stripe.signing_candidate().label, "");
    }
}

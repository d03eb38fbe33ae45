//! The generic HMAC provider, configured by the user for anything not built in.
//!
//! Written as a provider id: `generic;header=X-Signature;algorithm=sha256;key=raw;
//! content={timestamp}.{body};encoding=hex;prefix=sha256=;timestamp_header=X-Timestamp;tolerance=300`.
//! Only `header` is required; the defaults are HMAC-SHA256 of `{body}`, raw key, hex, no prefix.

use super::crypto::{Algorithm, KeyEncoding, SignatureEncoding};
use super::scheme::{Scheme, SigFormat, SigLocation, TimestampFormat, TimestampSource};
use super::SignatureError;

/// A parsed generic provider configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericConfig {
    header: String,
    algorithm: Algorithm,
    key: KeyEncoding,
    content: String,
    encoding: SignatureEncoding,
    prefix: String,
    timestamp_header: Option<String>,
    timestamp_format: TimestampFormat,
    tolerance: Option<i64>,
}

/// The id prefix that marks a generic provider.
pub const GENERIC_PREFIX: &str = "generic";

impl GenericConfig {
    /// True when the provider id names a generic configuration.
    pub fn is_generic(id: &str) -> bool {
        id == GENERIC_PREFIX || id.starts_with("generic;") || id.starts_with("generic:")
    }

    /// Parses `generic;name=value;...`.
    pub fn parse(id: &str) -> Result<Self, SignatureError> {
        let bad = |why: String| SignatureError::BadGenericConfig(why);
        let options = id
            .strip_prefix(GENERIC_PREFIX)
            .map(|rest| rest.trim_start_matches([';', ':']))
            .ok_or_else(|| bad("a generic provider starts with \"generic;\"".into()))?;
        let mut config = GenericConfig {
            header: String::new(),
            algorithm: Algorithm::HmacSha256,
            key: KeyEncoding::Raw,
            content: "{body}".into(),
            encoding: SignatureEncoding::Hex,
            prefix: String::new(),
            timestamp_header: None,
            timestamp_format: TimestampFormat::UnixSeconds,
            tolerance: None,
        };
        for option in options.split(';').map(str::trim).filter(|o| !o.is_empty()) {
            let (name, value) = option
                .split_once('=')
                .ok_or_else(|| bad(format!("\"{option}\" should be name=value")))?;
            let value = value.to_owned();
            match name.trim() {
                "header" => config.header = value,
                "algorithm" => {
                    config.algorithm = Algorithm::parse(&value)
                        .filter(|a| a.is_hmac())
                        .ok_or_else(|| bad(format!("algorithm \"{value}\" is not one of sha1, sha256, sha512")))?
                }
                "key" => {
                    config.key = KeyEncoding::parse(&value)
                        .ok_or_else(|| bad(format!("key \"{value}\" is not one of raw, base64, hex, whsec")))?
                }
                "content" => config.content = value,
                "encoding" => {
                    config.encoding = SignatureEncoding::parse(&value)
                        .filter(|e| *e != SignatureEncoding::Text)
                        .ok_or_else(|| bad(format!("encoding \"{value}\" is not hex or base64")))?
                }
                "prefix" => config.prefix = value,
                "timestamp_header" => config.timestamp_header = Some(value),
                "timestamp_format" => {
                    config.timestamp_format = match value.as_str() {
                        "unix" | "seconds" => TimestampFormat::UnixSeconds,
                        "unix_ms" | "millis" => TimestampFormat::UnixMillis,
                        "rfc3339" => TimestampFormat::Rfc3339,
                        "opaque" => TimestampFormat::Opaque,
                        _ => return Err(bad(format!("timestamp_format \"{value}\" is not unix, unix_ms, rfc3339 or opaque"))),
                    }
                }
                "tolerance" => {
                    config.tolerance = Some(
                        value
                            .parse()
                            .map_err(|_| bad(format!("tolerance \"{value}\" is not a number of seconds")))?,
                    )
                }
                other => return Err(bad(format!("unknown option \"{other}\"; known: header, algorithm, key, content, encoding, prefix, timestamp_header, timestamp_format, tolerance"))),
            }
        }
        if config.header.trim().is_empty() {
            return Err(bad("name the signature header, e.g. generic;header=X-Signature".into()));
        }
        if config.content.contains("{timestamp}") && config.timestamp_header.is_none() {
            return Err(bad(
                "the content uses {timestamp}: name its header with timestamp_header=".into(),
            ));
        }
        Ok(config)
    }

    /// The scheme this configuration describes.
    pub fn scheme(&self) -> Scheme<'_> {
        Scheme {
            algorithm: self.algorithm,
            key: self.key,
            location: SigLocation::Header(&self.header),
            format: SigFormat::Single { prefix: &self.prefix },
            encoding: self.encoding,
            content: &self.content,
            timestamp: match &self.timestamp_header {
                Some(name) => TimestampSource::Header(name),
                None => TimestampSource::None,
            },
            timestamp_format: self.timestamp_format,
            tolerance: self.tolerance,
            timestamp_optional: false,
            signed_value: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_hmac_sha256_of_the_body_in_hex() {
        let config = GenericConfig::parse("generic;header=X-Sig").unwrap();
        let scheme = config.scheme();
        assert_eq!(scheme.algorithm, Algorithm::HmacSha256);
        assert_eq!(scheme.content, "{body}");
        assert_eq!(scheme.encoding, SignatureEncoding::Hex);
    }

    #[test]
    fn every_option_is_read() {
        let config = GenericConfig::parse(
            "generic;header=X-Sig;algorithm=sha512;key=base64;content={timestamp}.{body};encoding=base64;prefix=v1=;timestamp_header=X-Ts;tolerance=60",
        )
        .unwrap();
        let scheme = config.scheme();
        assert_eq!(scheme.algorithm, Algorithm::HmacSha512);
        assert_eq!(scheme.key, KeyEncoding::Base64);
        assert_eq!(scheme.format, SigFormat::Single { prefix: "v1=" });
        assert_eq!(scheme.timestamp, TimestampSource::Header("X-Ts"));
        assert_eq!(scheme.tolerance, Some(60));
    }

    #[test]
    fn bad_configurations_say_what_to_fix() {
        for (config, words) in [
            ("generic", "name the signature header"),
            ("generic;header=X;algorithm=md5", "not one of sha1"),
            ("generic;header=X;content={timestamp}{body}", "timestamp_header"),
            ("generic;header=X;colour=blue", "unknown option"),
        ] {
            let error = GenericConfig::parse(config).unwrap_err().to_string();
            assert!(error.contains(words), "{config}: {error}");
        }
    }
}

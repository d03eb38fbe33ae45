//! Signing the providers whose signature travels inside the body (Mailgun, Adyen, Microsoft
//! Graph's clientState, Amazon SNS), which [`crate::signature::sign`] cannot do without changing
//! the body: the signature is computed over the filled body and spliced into its field.

use base64::Engine as _;

use super::{pointer, SampleError};
use crate::signature::crypto::{self, Algorithm};
use crate::signature::scheme::{json_field, render, TimestampSource};
use crate::signature::table::Provider;
use crate::signature::{SignableRequest, SignatureError};

/// `request`'s body with its signature field (at `field`) set to a valid signature made with `secret`.
///
/// For Amazon SNS, `secret` is the RSA private key (PKCS#8 or PKCS#1, PEM) whose certificate
/// or public key verifies it.
pub(super) fn sign_in_body(
    provider: &Provider,
    secret: &str,
    request: &SignableRequest<'_>,
    field: &str,
) -> Result<Vec<u8>, SampleError> {
    let scheme = &provider.scheme;
    let failed = |source: SignatureError| SampleError::Signature {
        provider: provider.id.to_owned(),
        source,
    };
    let key = scheme.key.decode(secret).ok_or_else(|| {
        failed(SignatureError::BadKey(format!(
            "the secret is not valid {}",
            scheme.key.name()
        )))
    })?;
    let timestamp = match scheme.timestamp {
        TimestampSource::JsonBody(pointer) => json_field(request.body, pointer),
        _ => None,
    };
    let content = render(
        scheme.content,
        request,
        request.body,
        &request.url,
        timestamp.as_deref(),
    )
    .map_err(|why| failed(SignatureError::Content(why)))?;
    let signature = match scheme.algorithm {
        Algorithm::Token => secret.trim().to_owned(),
        Algorithm::RsaPkcs1 => {
            let sha1 = json_field(request.body, "/SignatureVersion").as_deref() == Some("1");
            base64::engine::general_purpose::STANDARD.encode(rsa_sign(&key, &content, sha1).map_err(failed)?)
        }
        algorithm => scheme
            .encoding
            .encode(&crypto::produce(algorithm, &key, &content).map_err(failed)?),
    };
    let body = std::str::from_utf8(request.body)
        .map_err(|_| failed(SignatureError::Content("the body is not UTF-8 JSON".into())))?;
    let quoted = serde_json::to_string(&signature).expect("a string serializes");
    pointer::splice(body, field, &quoted)
        .map(String::into_bytes)
        .map_err(|problem| {
            let why = match problem {
                pointer::Problem::NotJson(why) => format!("the body is not JSON: {why}"),
                pointer::Problem::Missing(why) => format!("the body has no signature field {field}: {why}"),
            };
            failed(SignatureError::Content(why))
        })
}

/// RSA PKCS#1 v1.5 over SHA-256 (SNS signature version 2) or SHA-1 (version 1).
fn rsa_sign(der: &[u8], content: &[u8], sha1: bool) -> Result<Vec<u8>, SignatureError> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    use rsa::pkcs8::DecodePrivateKey as _;
    use sha2::Digest as _;
    let key = rsa::RsaPrivateKey::from_pkcs8_der(der)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs1_der(der))
        .map_err(|_| {
            SignatureError::BadKey("signing an SNS sample takes an RSA private key (PKCS#8 or PKCS#1 PEM)".into())
        })?;
    let signed = if sha1 {
        key.sign(rsa::Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1::Sha1::digest(content))
    } else {
        key.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &sha2::Sha256::digest(content))
    };
    signed.map_err(|e| SignatureError::BadKey(format!("RSA signing failed: {e}")))
}

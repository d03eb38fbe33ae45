//! The cryptographic operations behind every scheme: HMAC, Ed25519, ECDSA P-256, RSA, a keyed
//! SHA-256 digest and token equality.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

use super::SignatureError;

/// How a signature is produced from a key and the signed content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    HmacSha1,
    HmacSha256,
    HmacSha512,
    /// Ed25519: verified with a public key, produced with a private key (32-byte seed).
    Ed25519,
    /// ECDSA P-256 with SHA-256, DER signature: public key (SPKI DER) to verify, private key to sign.
    EcdsaP256,
    /// RSA PKCS#1 v1.5 with SHA-256 or SHA-1 (SNS signature versions 2 and 1): a certificate or
    /// public key (DER) to verify. Verification only.
    RsaPkcs1,
    /// No cryptography: the header carries the shared secret itself (GitLab, Postmark basic auth).
    Token,
    /// A plain SHA-256 of the secret followed by the content, not an HMAC (HubSpot v1 and v2).
    Sha256SecretPrefix,
}

impl Algorithm {
    /// Name as users write it in a generic provider configuration.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HmacSha1 => "sha1",
            Algorithm::HmacSha256 => "sha256",
            Algorithm::HmacSha512 => "sha512",
            Algorithm::Ed25519 => "ed25519",
            Algorithm::EcdsaP256 => "ecdsa-p256",
            Algorithm::RsaPkcs1 => "rsa-pkcs1",
            Algorithm::Token => "token",
            Algorithm::Sha256SecretPrefix => "sha256-secret-prefix",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "sha1" | "hmac-sha1" => Some(Algorithm::HmacSha1),
            "sha256" | "hmac-sha256" => Some(Algorithm::HmacSha256),
            "sha512" | "hmac-sha512" => Some(Algorithm::HmacSha512),
            "ed25519" => Some(Algorithm::Ed25519),
            "ecdsa-p256" => Some(Algorithm::EcdsaP256),
            "token" => Some(Algorithm::Token),
            "sha256-secret-prefix" => Some(Algorithm::Sha256SecretPrefix),
            _ => None,
        }
    }

    pub fn is_hmac(self) -> bool {
        matches!(
            self,
            Algorithm::HmacSha1 | Algorithm::HmacSha256 | Algorithm::HmacSha512
        )
    }

    /// True when the verifying key cannot produce signatures (public-key schemes).
    pub fn is_asymmetric(self) -> bool {
        matches!(self, Algorithm::Ed25519 | Algorithm::EcdsaP256 | Algorithm::RsaPkcs1)
    }
}

/// HMAC of `content` under `key`; `None` for non-HMAC algorithms.
pub fn hmac(algorithm: Algorithm, key: &[u8], content: &[u8]) -> Option<Vec<u8>> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], content: &[u8]) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
        mac.update(content);
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::HmacSha1 => Some(run::<Hmac<sha1::Sha1>>(key, content)),
        Algorithm::HmacSha256 => Some(run::<Hmac<sha2::Sha256>>(key, content)),
        Algorithm::HmacSha512 => Some(run::<Hmac<sha2::Sha512>>(key, content)),
        _ => None,
    }
}

/// True when `signature` is a valid signature of `content` under `key` (constant-time for secrets).
pub fn check(algorithm: Algorithm, key: &[u8], content: &[u8], signature: &[u8]) -> bool {
    match algorithm {
        Algorithm::HmacSha1 | Algorithm::HmacSha256 | Algorithm::HmacSha512 => {
            hmac(algorithm, key, content).is_some_and(|mac| bool::from(mac.as_slice().ct_eq(signature)))
        }
        Algorithm::Token => bool::from(key.ct_eq(signature)),
        Algorithm::Sha256SecretPrefix => bool::from(secret_prefixed_sha256(key, content).as_slice().ct_eq(signature)),
        Algorithm::Ed25519 => check_ed25519(key, content, signature),
        Algorithm::EcdsaP256 => check_p256(key, content, signature),
        Algorithm::RsaPkcs1 => check_rsa(key, content, signature),
    }
}

/// Produces a signature of `content` with `key` (a private key for the asymmetric algorithms).
pub fn produce(algorithm: Algorithm, key: &[u8], content: &[u8]) -> Result<Vec<u8>, SignatureError> {
    match algorithm {
        Algorithm::HmacSha1 | Algorithm::HmacSha256 | Algorithm::HmacSha512 => {
            Ok(hmac(algorithm, key, content).unwrap_or_default())
        }
        Algorithm::Token => Ok(key.to_vec()),
        Algorithm::Sha256SecretPrefix => Ok(secret_prefixed_sha256(key, content)),
        Algorithm::Ed25519 => {
            use ed25519_dalek::Signer as _;
            let seed: [u8; 32] = key
                .try_into()
                .map_err(|_| SignatureError::BadKey("an Ed25519 private key is 32 bytes (64 hex characters)".into()))?;
            Ok(ed25519_dalek::SigningKey::from_bytes(&seed)
                .sign(content)
                .to_bytes()
                .to_vec())
        }
        Algorithm::RsaPkcs1 => Err(SignatureError::BadKey(
            "RSA signatures (SNS) can be verified here, not made".into(),
        )),
        Algorithm::EcdsaP256 => {
            use p256::ecdsa::signature::Signer as _;
            let signing_key = p256_signing_key(key)?;
            let signature: p256::ecdsa::Signature = signing_key.sign(content);
            Ok(signature.to_der().as_bytes().to_vec())
        }
    }
}

/// The public key that verifies what `produce` signs with this private key (for tests and `sign`).
pub fn public_key_of(algorithm: Algorithm, private_key: &[u8]) -> Result<Vec<u8>, SignatureError> {
    match algorithm {
        Algorithm::Ed25519 => {
            let seed: [u8; 32] = private_key
                .try_into()
                .map_err(|_| SignatureError::BadKey("an Ed25519 private key is 32 bytes".into()))?;
            Ok(ed25519_dalek::SigningKey::from_bytes(&seed)
                .verifying_key()
                .to_bytes()
                .to_vec())
        }
        Algorithm::EcdsaP256 => {
            use p256::pkcs8::EncodePublicKey as _;
            let key = p256_signing_key(private_key)?;
            let der = key
                .verifying_key()
                .to_public_key_der()
                .map_err(|e| SignatureError::BadKey(format!("could not encode the P-256 public key: {e}")))?;
            Ok(der.as_bytes().to_vec())
        }
        _ => Ok(private_key.to_vec()),
    }
}

/// SHA-256 of `key` then `content`, as one message.
fn secret_prefixed_sha256(key: &[u8], content: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    hasher.update(key);
    hasher.update(content);
    hasher.finalize().to_vec()
}

fn check_ed25519(key: &[u8], content: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = <[u8; 32]>::try_from(key) else {
        return false;
    };
    let Ok(signature) = <[u8; 64]>::try_from(signature) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else {
        return false;
    };
    key.verify_strict(content, &ed25519_dalek::Signature::from_bytes(&signature))
        .is_ok()
}

fn check_p256(key: &[u8], content: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    use p256::pkcs8::DecodePublicKey as _;
    let key = p256::ecdsa::VerifyingKey::from_public_key_der(key)
        .or_else(|_| p256::ecdsa::VerifyingKey::from_sec1_bytes(key));
    let Ok(key) = key else { return false };
    let signature =
        p256::ecdsa::Signature::from_der(signature).or_else(|_| p256::ecdsa::Signature::from_slice(signature));
    let Ok(signature) = signature else { return false };
    key.verify(content, &signature).is_ok()
}

/// `key` is an X.509 certificate or a SubjectPublicKeyInfo, in DER.
fn check_rsa(key: &[u8], content: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs8::DecodePublicKey as _;
    use sha2::Digest as _;
    use x509_cert::der::{Decode as _, Encode as _};
    let public = match x509_cert::Certificate::from_der(key) {
        Ok(certificate) => certificate
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .ok()
            .and_then(|spki| rsa::RsaPublicKey::from_public_key_der(&spki).ok()),
        Err(_) => rsa::RsaPublicKey::from_public_key_der(key).ok(),
    };
    let Some(public) = public else { return false };
    let sha256 = sha2::Sha256::digest(content);
    let sha1 = sha1::Sha1::digest(content);
    public
        .verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &sha256, signature)
        .is_ok()
        || public
            .verify(rsa::Pkcs1v15Sign::new::<sha1::Sha1>(), &sha1, signature)
            .is_ok()
}

fn p256_signing_key(key: &[u8]) -> Result<p256::ecdsa::SigningKey, SignatureError> {
    use p256::pkcs8::DecodePrivateKey as _;
    p256::ecdsa::SigningKey::from_pkcs8_der(key)
        .or_else(|_| p256::ecdsa::SigningKey::from_slice(key))
        .map_err(|_| SignatureError::BadKey("a P-256 private key is PKCS#8 DER or a 32-byte scalar".into()))
}

/// How a secret, as pasted by the user, becomes key bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyEncoding {
    /// The secret's UTF-8 bytes.
    Raw,
    Base64,
    Hex,
    /// Standard Webhooks / Svix: optional `whsec_` prefix, then base64.
    Whsec,
    /// A PEM block (certificate or public key), or its base64 body alone.
    Pem,
}

impl KeyEncoding {
    pub fn name(self) -> &'static str {
        match self {
            KeyEncoding::Raw => "raw",
            KeyEncoding::Base64 => "base64",
            KeyEncoding::Hex => "hex",
            KeyEncoding::Whsec => "whsec",
            KeyEncoding::Pem => "pem",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "raw" | "text" | "utf8" => Some(KeyEncoding::Raw),
            "base64" => Some(KeyEncoding::Base64),
            "hex" => Some(KeyEncoding::Hex),
            "whsec" => Some(KeyEncoding::Whsec),
            "pem" => Some(KeyEncoding::Pem),
            _ => None,
        }
    }

    /// Decodes a secret; `None` when it is not valid in this encoding.
    pub fn decode(self, secret: &str) -> Option<Vec<u8>> {
        let secret = secret.trim();
        match self {
            KeyEncoding::Raw => Some(secret.as_bytes().to_vec()),
            KeyEncoding::Base64 => decode_base64(secret),
            KeyEncoding::Hex => hex::decode(secret).ok(),
            KeyEncoding::Whsec => decode_base64(secret.strip_prefix("whsec_").unwrap_or(secret)),
            KeyEncoding::Pem => {
                let body: String = secret
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.starts_with("-----"))
                    .collect();
                decode_base64(&body)
            }
        }
    }
}

/// How signature bytes are written into a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    Hex,
    Base64,
    /// The header value's own bytes (tokens).
    Text,
}

impl SignatureEncoding {
    pub fn name(self) -> &'static str {
        match self {
            SignatureEncoding::Hex => "hex",
            SignatureEncoding::Base64 => "base64",
            SignatureEncoding::Text => "text",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "hex" => Some(SignatureEncoding::Hex),
            "base64" => Some(SignatureEncoding::Base64),
            "text" => Some(SignatureEncoding::Text),
            _ => None,
        }
    }

    pub fn decode(self, text: &str) -> Option<Vec<u8>> {
        let text = text.trim();
        match self {
            SignatureEncoding::Hex => hex::decode(text).ok(),
            SignatureEncoding::Base64 => decode_base64(text),
            SignatureEncoding::Text => Some(text.as_bytes().to_vec()),
        }
    }

    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            SignatureEncoding::Hex => hex::encode(bytes),
            SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
            SignatureEncoding::Text => String::from_utf8_lossy(bytes).into_owned(),
        }
    }
}

/// Standard or URL-safe base64, padded or not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// Hex SHA-256 of bytes (Twilio's `bodySHA256`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

//! Helpers shared by the signature test files (`tests/signature_*.rs`): an owned request to
//! build views of, HMAC helpers, verdict assertions, and the published vectors' loader.

#![allow(dead_code, unused_imports)]

pub use base64::Engine as _;
pub use hmac::{Hmac, Mac};
pub use hookscope::model::{HeaderField, SignatureVerdict, VerdictStatus};
pub use hookscope::signature::{self, crypto::Algorithm, table::PROVIDERS, SignableRequest};

pub const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// An owned request to build views of.
pub struct Req {
    pub method: String,
    pub url: String,
    pub headers: Vec<HeaderField>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn new(url: &str, headers: &[(&str, &str)], body: &str) -> Self {
        Req {
            method: "POST".into(),
            url: url.into(),
            headers: headers.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn view(&self) -> SignableRequest<'_> {
        let target = url::Url::parse(&self.url)
            .map(|u| u[url::Position::BeforePath..].to_owned())
            .unwrap_or_else(|_| "/".into());
        SignableRequest::new(&self.method, &target, &self.headers, &self.body, Some(&self.url))
    }

    pub fn verify(&self, provider: Option<&str>, secrets: &[&str], now: i64) -> SignatureVerdict {
        let secrets: Vec<String> = secrets.iter().map(|s| s.to_string()).collect();
        signature::verify(provider, &secrets, &self.view(), now, None)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        signature::apply_headers(&mut self.headers, &[HeaderField::new(name, value)]);
    }

    pub fn sign(&mut self, provider: &str, secret: &str, now: i64) {
        let headers = signature::sign(provider, secret, &self.view(), now).expect("signs");
        signature::apply_headers(&mut self.headers, &headers);
    }
}

pub fn hmac256(key: &[u8], content: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(content);
    mac.finalize().into_bytes().to_vec()
}

pub fn hmac1(key: &[u8], content: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(content);
    mac.finalize().into_bytes().to_vec()
}

pub fn assert_verified(verdict: &SignatureVerdict, what: &str) {
    assert_eq!(verdict.status, VerdictStatus::Verified, "{what}: {verdict:?}");
}

pub fn assert_diagnosis(verdict: &SignatureVerdict, status: VerdictStatus, code: &str) {
    assert_eq!(verdict.status, status, "{verdict:?}");
    assert_eq!(verdict.diagnosis.as_deref(), Some(code), "{verdict:?}");
}

#[derive(serde::Deserialize)]
pub struct Vector {
    pub description: String,
    /// The diagnosis code Hookscope must name (sdk-vectors.json only).
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// Every configured secret, newest first, when there are several (sdk-vectors.json only).
    #[serde(default)]
    pub secrets: Option<Vec<String>>,
    pub provider_id: String,
    pub secret: String,
    pub method: String,
    pub url: String,
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub body: String,
    pub now_unix: Option<i64>,
    pub expected: String,
}

pub fn published() -> Vec<Vector> {
    let text = include_str!("../fixtures/signature/published-vectors.json");
    serde_json::from_str(text).expect("vectors parse")
}

pub fn request_of(vector: &Vector) -> Req {
    Req {
        method: vector.method.clone(),
        url: vector.url.clone(),
        headers: vector
            .headers
            .iter()
            .map(|(n, v)| HeaderField::new(n, v.as_str().unwrap()))
            .collect(),
        body: vector.body.as_bytes().to_vec(),
    }
}

pub const ANY_NOW: i64 = 1_700_000_000;

/// The Slack docs vector: the request, its secret and a clock inside its tolerance.
pub fn slack_vector() -> (Req, String, i64) {
    let vector = published().into_iter().find(|v| v.provider_id == "slack").unwrap();
    (request_of(&vector), vector.secret.clone(), vector.now_unix.unwrap())
}

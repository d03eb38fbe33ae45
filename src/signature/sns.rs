//! Amazon SNS: the signed content is a canonical string built from the message's JSON fields.
//!
//! SNS signs with the private key of the certificate at `SigningCertURL`. Hookscope does not fetch
//! it (it may run offline and must not call out on a request's say-so): the user downloads the
//! certificate once and pastes its PEM as the endpoint's secret.

/// The fields SNS signs, in order, per message type; absent optional fields are skipped.
fn signed_fields(message_type: &str) -> Option<&'static [&'static str]> {
    match message_type {
        "Notification" => Some(&["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]),
        "SubscriptionConfirmation" | "UnsubscribeConfirmation" => Some(&[
            "Message",
            "MessageId",
            "SubscribeURL",
            "Timestamp",
            "Token",
            "TopicArn",
            "Type",
        ]),
        _ => None,
    }
}

/// `Name\nvalue\n` for each signed field; `None` when the body is not an SNS message.
pub fn canonical(body: &[u8]) -> Option<String> {
    let message: serde_json::Value = serde_json::from_slice(body).ok()?;
    let fields = signed_fields(message.get("Type")?.as_str()?)?;
    let mut out = String::new();
    for field in fields {
        if let Some(value) = message.get(*field).and_then(serde_json::Value::as_str) {
            out.push_str(field);
            out.push('\n');
            out.push_str(value);
            out.push('\n');
        }
    }
    Some(out)
}

/// What to tell a user who has not supplied the certificate yet.
pub fn missing_certificate_hint(body: &[u8]) -> String {
    let url = super::scheme::json_field(body, "/SigningCertURL").unwrap_or_else(|| "its SigningCertURL".into());
    format!(
        "SNS signs with the certificate at {url}; Hookscope does not download it: fetch it once and add its PEM as \
         the endpoint's secret"
    )
}

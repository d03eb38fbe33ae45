//! The built-in providers as data. Most webhook signatures are one HMAC with a different header,
//! signed content, key encoding and signature encoding; the few odd ones differ only in algorithm
//! (Ed25519, ECDSA) or in where the signature travels (a body field), which the scheme also says.
//!
//! Each entry follows the provider's public documentation; ids are ngrok's where ngrok has one.

use super::crypto::{Algorithm, KeyEncoding, SignatureEncoding};
use super::scheme::{Scheme, SigFormat, SigLocation, TimestampFormat, TimestampSource};

/// A built-in provider.
#[derive(Debug)]
pub struct Provider {
    pub id: &'static str,
    pub name: &'static str,
    pub scheme: Scheme<'static>,
    /// Headers that must all be present (and the signature readable) to auto-detect this
    /// provider; empty for providers whose headers are too generic to tell apart.
    pub detect: &'static [&'static str],
    /// Twilio's validators also accept the URL with the default port added or removed, and check
    /// a `bodySHA256` query parameter against the body of JSON requests.
    pub twilio_rules: bool,
    /// The label of [`Provider::scheme`] among the provider's versions (`v3`); empty when the
    /// provider has only one.
    pub version: &'static str,
    /// Other scheme versions the provider still sends and its SDKs still verify, tried after
    /// [`Provider::scheme`] (HubSpot v2 and v1, Adyen's header-signed webhooks).
    pub other_versions: &'static [SchemeVersion],
}

impl Provider {
    /// The detection header lists of the main version, then of every other version (an empty
    /// list never detects).
    pub fn detection_lists(&self) -> impl Iterator<Item = &'static [&'static str]> {
        std::iter::once(self.detect).chain(self.other_versions.iter().map(|v| v.detect))
    }
}

/// A scheme version a provider sends beside its main one.
#[derive(Debug)]
pub struct SchemeVersion {
    /// As users name it in `hubspot;version=v1`.
    pub label: &'static str,
    pub scheme: Scheme<'static>,
    /// A header that names the version, and the value that selects this one (HubSpot's
    /// `X-HubSpot-Signature-Version: v1`). When the header is absent every version it could be is tried.
    pub selector: Option<(&'static str, &'static str)>,
    /// Headers that must all be present to auto-detect the provider by this version.
    pub detect: &'static [&'static str],
}

use Algorithm::{EcdsaP256, Ed25519, HmacSha1, HmacSha256, HmacSha512, RsaPkcs1, Sha256SecretPrefix, Token};
use SignatureEncoding::{Base64, Hex, Text};

const fn body(
    header: &'static str,
    algorithm: Algorithm,
    prefix: &'static str,
    encoding: SignatureEncoding,
) -> Scheme<'static> {
    Scheme {
        algorithm,
        key: KeyEncoding::Raw,
        location: SigLocation::Header(header),
        format: SigFormat::Single { prefix },
        encoding,
        content: "{body}",
        timestamp: TimestampSource::None,
        timestamp_format: TimestampFormat::UnixSeconds,
        tolerance: None,
        timestamp_optional: false,
        signed_value: None,
    }
}

/// A signature header plus a separate timestamp header, HMAC-SHA256.
const fn stamped(
    header: &'static str,
    prefix: &'static str,
    encoding: SignatureEncoding,
    content: &'static str,
    timestamp_header: &'static str,
    tolerance: Option<i64>,
) -> Scheme<'static> {
    Scheme {
        content,
        timestamp: TimestampSource::Header(timestamp_header),
        tolerance,
        ..body(header, HmacSha256, prefix, encoding)
    }
}

/// Stripe-like `t=<ts>,v1=<hex>` values signing `{timestamp}.{body}` with HMAC-SHA256.
const fn pairs(
    header: &'static str,
    item: char,
    timestamp_key: &'static str,
    signature_key: &'static str,
    content: &'static str,
    tolerance: Option<i64>,
) -> Scheme<'static> {
    Scheme {
        format: SigFormat::Pairs {
            item,
            kv: '=',
            timestamp_key: Some(timestamp_key),
            signature_key,
        },
        content,
        timestamp: TimestampSource::SignatureValue,
        tolerance,
        ..body(header, HmacSha256, "", Hex)
    }
}

/// Standard Webhooks (and Svix, which uses its own header names): `v1,<base64>` items.
const fn standard_webhooks(id: &'static str, signature: &'static str, timestamp: &'static str) -> Scheme<'static> {
    Scheme {
        algorithm: HmacSha256,
        key: KeyEncoding::Whsec,
        location: SigLocation::Header(signature),
        format: SigFormat::Pairs {
            item: ' ',
            kv: ',',
            timestamp_key: None,
            signature_key: "v1",
        },
        encoding: Base64,
        content: id,
        timestamp: TimestampSource::Header(timestamp),
        timestamp_format: TimestampFormat::UnixSeconds,
        tolerance: Some(300),
        timestamp_optional: false,
        signed_value: None,
    }
}

const fn p(id: &'static str, name: &'static str, scheme: Scheme<'static>, detect: &'static [&'static str]) -> Provider {
    Provider {
        id,
        name,
        scheme,
        detect,
        twilio_rules: false,
        version: "",
        other_versions: &[],
    }
}

const SVIX: Scheme<'static> = standard_webhooks(
    "{header:svix-id}.{timestamp}.{body}",
    "svix-signature",
    "svix-timestamp",
);
const STANDARD: Scheme<'static> = standard_webhooks(
    "{header:webhook-id}.{timestamp}.{body}",
    "webhook-signature",
    "webhook-timestamp",
);
const META: Scheme<'static> = body("X-Hub-Signature-256", HmacSha256, "sha256=", Hex);

/// Adyen signs eight fields of the notification item, joined by `:`.
const ADYEN_FIELDS: &str = "{json:/notificationItems/0/NotificationRequestItem/pspReference}:\
{json:/notificationItems/0/NotificationRequestItem/originalReference}:\
{json:/notificationItems/0/NotificationRequestItem/merchantAccountCode}:\
{json:/notificationItems/0/NotificationRequestItem/merchantReference}:\
{json:/notificationItems/0/NotificationRequestItem/amount/value}:\
{json:/notificationItems/0/NotificationRequestItem/amount/currency}:\
{json:/notificationItems/0/NotificationRequestItem/eventCode}:\
{json:/notificationItems/0/NotificationRequestItem/success}";

/// HubSpot's older versions: a plain SHA-256 (not an HMAC) of the client secret followed by the
/// body (v1) or by method, URI and body (v2), in `X-HubSpot-Signature`.
const HUBSPOT_OLDER: &[SchemeVersion] = &[
    SchemeVersion {
        label: "v2",
        scheme: Scheme {
            content: "{method}{url}{body}",
            ..body("X-HubSpot-Signature", Sha256SecretPrefix, "", Hex)
        },
        selector: Some(("X-HubSpot-Signature-Version", "v2")),
        detect: &["X-HubSpot-Signature", "X-HubSpot-Signature-Version"],
    },
    SchemeVersion {
        label: "v1",
        scheme: body("X-HubSpot-Signature", Sha256SecretPrefix, "", Hex),
        selector: Some(("X-HubSpot-Signature-Version", "v1")),
        detect: &["X-HubSpot-Signature", "X-HubSpot-Signature-Version"],
    },
];

/// Adyen's header-signed webhooks (Balance Platform, Management, Transfers...): HMAC-SHA256 of
/// the raw body with the hex-decoded key, base64 in `HmacSignature`.
const ADYEN_HEADER: &[SchemeVersion] = &[SchemeVersion {
    label: "header",
    scheme: Scheme {
        key: KeyEncoding::Hex,
        ..body("HmacSignature", HmacSha256, "", Base64)
    },
    selector: None,
    detect: &["HmacSignature"],
}];

/// Box sends a second signature, made with the secondary key, so that keys can be rotated.
const BOX_SECONDARY: &[SchemeVersion] = &[SchemeVersion {
    label: "secondary",
    scheme: Scheme {
        timestamp_format: TimestampFormat::Rfc3339,
        ..stamped(
            "BOX-SIGNATURE-SECONDARY",
            "",
            Base64,
            "{body}{timestamp}",
            "BOX-DELIVERY-TIMESTAMP",
            Some(600),
        )
    },
    selector: None,
    detect: &["BOX-SIGNATURE-SECONDARY", "BOX-DELIVERY-TIMESTAMP"],
}];

/// Square's deprecated `X-Square-Signature`: HMAC-SHA1 of the same URL and body, still sent.
const SQUARE_SHA1: &[SchemeVersion] = &[SchemeVersion {
    label: "sha1",
    scheme: Scheme {
        content: "{url}{body}",
        ..body("X-Square-Signature", HmacSha1, "", Base64)
    },
    selector: None,
    detect: &["X-Square-Signature"],
}];

/// DocuSign Connect sends one signature per active HMAC key: `-1` for the first, `-2`... for the
/// others (up to 100); the first five are read.
const DOCUSIGN_MORE_KEYS: &[SchemeVersion] = &[
    docusign_key("2", "X-DocuSign-Signature-2"),
    docusign_key("3", "X-DocuSign-Signature-3"),
    docusign_key("4", "X-DocuSign-Signature-4"),
    docusign_key("5", "X-DocuSign-Signature-5"),
];

const fn docusign_key(label: &'static str, header: &'static str) -> SchemeVersion {
    SchemeVersion {
        label,
        scheme: body(header, HmacSha256, "", Base64),
        selector: None,
        detect: &[],
    }
}

/// Plivo's other signatures: V3 made with the main account's token (sent for subaccounts), and
/// the older V2, still sent beside V3: the URL without its query, then the nonce.
const PLIVO_OTHERS: &[SchemeVersion] = &[
    SchemeVersion {
        label: "V3-MA",
        scheme: Scheme {
            format: SigFormat::List { separator: ',' },
            content: PLIVO_V3_CONTENT,
            ..body("X-Plivo-Signature-Ma-V3", HmacSha256, "", Base64)
        },
        selector: None,
        detect: &["X-Plivo-Signature-Ma-V3", "X-Plivo-Signature-V3-Nonce"],
    },
    SchemeVersion {
        label: "V2",
        scheme: Scheme {
            content: "{url_no_query}{header:X-Plivo-Signature-V2-Nonce}",
            ..body("X-Plivo-Signature-V2", HmacSha256, "", Base64)
        },
        selector: None,
        detect: &["X-Plivo-Signature-V2"],
    },
];

const PLIVO_V3_CONTENT: &str = "{url_plivo_v3}.{header:X-Plivo-Signature-V3-Nonce}";

/// Every built-in provider, in detection order (more specific first).
// One row per provider so the table reads as a table.
#[rustfmt::skip]
pub static PROVIDERS: &[Provider] = &[
    p("github", "GitHub", body("X-Hub-Signature-256", HmacSha256, "sha256=", Hex), &["X-Hub-Signature-256", "X-GitHub-Event"]),
    p("github_sha1", "GitHub (legacy X-Hub-Signature, SHA-1)", body("X-Hub-Signature", HmacSha1, "sha1=", Hex), &["X-Hub-Signature", "X-GitHub-Event"]),
    p("stripe", "Stripe", pairs("Stripe-Signature", ',', "t", "v1", "{timestamp}.{body}", Some(300)), &["Stripe-Signature"]),
    p("slack", "Slack", stamped("X-Slack-Signature", "v0=", Hex, "v0:{timestamp}:{body}", "X-Slack-Request-Timestamp", Some(300)), &["X-Slack-Signature"]),
    p("svix", "Svix", SVIX, &["svix-signature"]),
    p("standard_webhooks", "Standard Webhooks", STANDARD, &["webhook-signature", "webhook-id"]),
    p("clerk", "Clerk (Svix)", SVIX, &[]),
    p("resend", "Resend (Svix)", SVIX, &[]),
    p("brex", "Brex (Standard Webhooks)", STANDARD, &[]),
    Provider {
        twilio_rules: true,
        ..p("twilio", "Twilio", Scheme { content: "{url}{form_params_sorted}", ..body("X-Twilio-Signature", HmacSha1, "", Base64) }, &["X-Twilio-Signature"])
    },
    p("mailchimp", "Mailchimp Transactional (Mandrill)", Scheme { content: "{url}{form_params_sorted}", ..body("X-Mandrill-Signature", HmacSha1, "", Base64) }, &["X-Mandrill-Signature"]),
    Provider {
        version: "sha256",
        other_versions: SQUARE_SHA1,
        ..p("square", "Square", Scheme { content: "{url}{body}", ..body("X-Square-Hmacsha256-Signature", HmacSha256, "", Base64) }, &["X-Square-Hmacsha256-Signature"])
    },
    Provider {
        version: "V3",
        other_versions: PLIVO_OTHERS,
        ..p("plivo", "Plivo (V3, V2)", Scheme { format: SigFormat::List { separator: ',' }, content: PLIVO_V3_CONTENT, ..body("X-Plivo-Signature-V3", HmacSha256, "", Base64) }, &["X-Plivo-Signature-V3"])
    },
    Provider {
        version: "v3",
        other_versions: HUBSPOT_OLDER,
        ..p("hubspot", "HubSpot (v3, v2, v1)", Scheme { timestamp_format: TimestampFormat::UnixMillis, ..stamped("X-HubSpot-Signature-v3", "", Base64, "{method}{url}{body}{timestamp}", "X-HubSpot-Request-Timestamp", Some(300)) }, &["X-HubSpot-Signature-v3"])
    },
    p("discord", "Discord", Scheme { algorithm: Ed25519, key: KeyEncoding::Hex, ..stamped("X-Signature-Ed25519", "", Hex, "{timestamp}{body}", "X-Signature-Timestamp", None) }, &["X-Signature-Ed25519", "X-Signature-Timestamp"]),
    p("sendgrid", "SendGrid (signed event webhook)", Scheme { algorithm: EcdsaP256, key: KeyEncoding::Base64, ..stamped("X-Twilio-Email-Event-Webhook-Signature", "", Base64, "{timestamp}{body}", "X-Twilio-Email-Event-Webhook-Timestamp", None) }, &["X-Twilio-Email-Event-Webhook-Signature"]),
    p("sns", "Amazon SNS (certificate supplied as the secret)", Scheme { key: KeyEncoding::Pem, location: SigLocation::JsonBody("/Signature"), content: "{sns_canonical}", ..body("", RsaPkcs1, "", Base64) }, &["x-amz-sns-message-type"]),
    p("graphcms", "Hygraph (GraphCMS)", Scheme { format: SigFormat::Pairs { item: ',', kv: '=', timestamp_key: Some("t"), signature_key: "sign" }, content: "{hygraph_payload}", timestamp: TimestampSource::SignatureValue, timestamp_format: TimestampFormat::UnixMillis, signed_value: Some("sign={signature}, env={env}, t={timestamp}"), ..body("gcms-signature", HmacSha256, "", Base64) }, &["gcms-signature"]),
    p("shopify", "Shopify", body("X-Shopify-Hmac-Sha256", HmacSha256, "", Base64), &["X-Shopify-Hmac-Sha256"]),
    p("zoom", "Zoom", stamped("x-zm-signature", "v0=", Hex, "v0:{timestamp}:{body}", "x-zm-request-timestamp", None), &["x-zm-signature"]),
    p("frameio", "Frame.io", stamped("X-Frameio-Signature", "v0=", Hex, "v0:{timestamp}:{body}", "X-Frameio-Request-Timestamp", Some(300)), &["X-Frameio-Signature"]),
    p("pinwheel", "Pinwheel", stamped("X-Pinwheel-Signature", "v2=", Hex, "v2:{timestamp}:{body}", "X-Timestamp", None), &["X-Pinwheel-Signature"]),
    p("orb", "Orb", Scheme { timestamp_format: TimestampFormat::Opaque, ..stamped("X-Orb-Signature", "v1=", Hex, "v1:{timestamp}:{body}", "X-Orb-Timestamp", None) }, &["X-Orb-Signature"]),
    p("zendesk", "Zendesk", Scheme { timestamp_format: TimestampFormat::Opaque, ..stamped("X-Zendesk-Webhook-Signature", "", Base64, "{timestamp}{body}", "X-Zendesk-Webhook-Signature-Timestamp", None) }, &["X-Zendesk-Webhook-Signature"]),
    p("twitch", "Twitch EventSub", Scheme { timestamp_format: TimestampFormat::Rfc3339, ..stamped("Twitch-Eventsub-Message-Signature", "sha256=", Hex, "{header:Twitch-Eventsub-Message-Id}{timestamp}{body}", "Twitch-Eventsub-Message-Timestamp", Some(600)) }, &["Twitch-Eventsub-Message-Signature"]),
    Provider {
        version: "primary",
        other_versions: BOX_SECONDARY,
        ..p("box", "Box", Scheme { timestamp_format: TimestampFormat::Rfc3339, ..stamped("BOX-SIGNATURE-PRIMARY", "", Base64, "{body}{timestamp}", "BOX-DELIVERY-TIMESTAMP", Some(600)) }, &["BOX-SIGNATURE-PRIMARY"])
    },
    p("calendly", "Calendly", pairs("Calendly-Webhook-Signature", ',', "t", "v1", "{timestamp}.{body}", Some(180)), &["Calendly-Webhook-Signature"]),
    p("mux", "Mux", pairs("Mux-Signature", ',', "t", "v1", "{timestamp}.{body}", Some(300)), &["Mux-Signature"]),
    p("tiktok", "TikTok", pairs("TikTok-Signature", ',', "t", "s", "{timestamp}.{body}", None), &["TikTok-Signature"]),
    p("buildkite", "Buildkite (signature)", pairs("X-Buildkite-Signature", ',', "timestamp", "signature", "{timestamp}.{body}", None), &["X-Buildkite-Signature"]),
    p("hostedhooks", "HostedHooks", pairs("HostedHooks-Signature", ',', "t", "s", "{timestamp}.{body}", None), &["HostedHooks-Signature"]),
    p("paddle", "Paddle Billing", pairs("Paddle-Signature", ';', "ts", "h1", "{timestamp}:{body}", Some(5)), &["Paddle-Signature"]),
    p("pagerduty", "PagerDuty", Scheme { format: SigFormat::Pairs { item: ',', kv: '=', timestamp_key: None, signature_key: "v1" }, ..body("X-PagerDuty-Signature", HmacSha256, "", Hex) }, &["X-PagerDuty-Signature"]),
    p("circleci", "CircleCI", Scheme { format: SigFormat::Pairs { item: ',', kv: '=', timestamp_key: None, signature_key: "v1" }, ..body("circleci-signature", HmacSha256, "", Hex) }, &["circleci-signature"]),
    p("linear", "Linear", Scheme { timestamp: TimestampSource::JsonBody("/webhookTimestamp"), timestamp_format: TimestampFormat::UnixMillis, tolerance: Some(60), timestamp_optional: true, ..body("Linear-Signature", HmacSha256, "", Hex) }, &["Linear-Signature"]),
    p("bitbucket", "Bitbucket", body("X-Hub-Signature", HmacSha256, "sha256=", Hex), &["X-Hub-Signature", "X-Event-Key"]),
    p("jira", "Jira", body("X-Hub-Signature", HmacSha256, "sha256=", Hex), &["X-Hub-Signature", "X-Atlassian-Webhook-Identifier"]),
    p("intercom", "Intercom", body("X-Hub-Signature", HmacSha1, "sha1=", Hex), &["X-Hub-Signature"]),
    p("facebook_graph_api", "Meta Graph API", META, &["X-Hub-Signature-256"]),
    p("facebook_messenger", "Facebook Messenger", META, &[]),
    p("instagram", "Instagram", META, &[]),
    p("whatsapp", "WhatsApp", META, &[]),
    p("twitter", "X (Twitter)", body("x-twitter-webhooks-signature", HmacSha256, "sha256=", Base64), &["x-twitter-webhooks-signature"]),
    p("typeform", "Typeform", body("Typeform-Signature", HmacSha256, "sha256=", Base64), &["Typeform-Signature"]),
    p("sentry", "Sentry", body("Sentry-Hook-Signature", HmacSha256, "", Hex), &["Sentry-Hook-Signature"]),
    p("terraform", "Terraform Cloud", body("X-TFE-Notification-Signature", HmacSha512, "", Hex), &["X-TFE-Notification-Signature"]),
    p("vercel", "Vercel", body("x-vercel-signature", HmacSha1, "", Hex), &["x-vercel-signature"]),
    p("lemonsqueezy", "Lemon Squeezy", body("X-Signature", HmacSha256, "", Hex), &["X-Signature", "X-Event-Name"]),
    p("modern_treasury", "Modern Treasury", body("X-Signature", HmacSha256, "", Hex), &[]),
    p("razorpay", "Razorpay", body("X-Razorpay-Signature", HmacSha256, "", Hex), &["X-Razorpay-Signature"]),
    p("woocommerce", "WooCommerce", body("X-WC-Webhook-Signature", HmacSha256, "", Base64), &["X-WC-Webhook-Signature"]),
    p("dropbox", "Dropbox", body("X-Dropbox-Signature", HmacSha256, "", Hex), &["X-Dropbox-Signature"]),
    Provider {
        version: "1",
        other_versions: DOCUSIGN_MORE_KEYS,
        ..p("docusign", "DocuSign Connect", body("X-DocuSign-Signature-1", HmacSha256, "", Base64), &["X-DocuSign-Signature-1"])
    },
    p("launch_darkly", "LaunchDarkly", body("X-LD-Signature", HmacSha256, "", Hex), &["X-LD-Signature"]),
    p("mongodb", "MongoDB Atlas", body("X-MMS-Signature", HmacSha1, "", Base64), &["X-MMS-Signature"]),
    p("pusher", "Pusher", body("X-Pusher-Signature", HmacSha256, "", Hex), &["X-Pusher-Signature"]),
    p("sonatype", "Sonatype Nexus", body("X-Nexus-Webhook-Signature", HmacSha1, "", Hex), &["X-Nexus-Webhook-Signature"]),
    p("webex", "Webex", body("X-Spark-Signature", HmacSha1, "", Hex), &["X-Spark-Signature"]),
    p("xero", "Xero", body("x-xero-signature", HmacSha256, "", Base64), &["x-xero-signature"]),
    p("worldline", "Worldline", body("X-GCS-Signature", HmacSha256, "", Base64), &["X-GCS-Signature"]),
    p("aftership", "AfterShip", body("aftership-hmac-sha256", HmacSha256, "", Base64), &["aftership-hmac-sha256"]),
    p("alchemy", "Alchemy", body("X-Alchemy-Signature", HmacSha256, "", Hex), &["X-Alchemy-Signature"]),
    p("autodesk", "Autodesk", body("x-adsk-signature", HmacSha1, "sha1hash=", Hex), &["x-adsk-signature"]),
    p("bolt", "Bolt", body("X-Bolt-Hmac-Sha256", HmacSha256, "", Base64), &["X-Bolt-Hmac-Sha256"]),
    p("castle", "Castle", body("X-Castle-Signature", HmacSha256, "", Base64), &["X-Castle-Signature"]),
    p("chargify", "Chargify (Maxio)", body("X-Chargify-Webhook-Signature-Hmac-Sha-256", HmacSha256, "", Hex), &["X-Chargify-Webhook-Signature-Hmac-Sha-256"]),
    p("clearbit", "Clearbit", body("X-Request-Signature", HmacSha1, "sha1=", Hex), &["X-Request-Signature"]),
    p("coinbase", "Coinbase Commerce", body("X-CC-Webhook-Signature", HmacSha256, "", Hex), &["X-CC-Webhook-Signature"]),
    p("trendmicro_conformity", "Trend Micro Cloud One Conformity", body("X-Conformity-Signature", HmacSha256, "", Hex), &["X-Conformity-Signature"]),
    p("heroku", "Heroku", body("Heroku-Webhook-Hmac-SHA256", HmacSha256, "", Base64), &["Heroku-Webhook-Hmac-SHA256"]),
    p("microsoft_teams", "Microsoft Teams (outgoing webhook)", Scheme { key: KeyEncoding::Base64, ..body("Authorization", HmacSha256, "HMAC ", Base64) }, &[]),
    p("gitlab", "GitLab (secret token)", body("X-Gitlab-Token", Token, "", Text), &["X-Gitlab-Token"]),
    p("buildkite_token", "Buildkite (token)", body("X-Buildkite-Token", Token, "", Text), &["X-Buildkite-Token"]),
    p("postmark", "Postmark (basic auth)", body("Authorization", Token, "Basic ", Base64), &[]),
    p("microsoft_graph", "Microsoft Graph (clientState)", Scheme { location: SigLocation::JsonBody("/value/0/clientState"), ..body("", Token, "", Text) }, &[]),
    p("mailgun", "Mailgun", Scheme { location: SigLocation::JsonBody("/signature/signature"), content: "{timestamp}{json:/signature/token}", timestamp: TimestampSource::JsonBody("/signature/timestamp"), ..body("", HmacSha256, "", Hex) }, &[]),
    Provider {
        version: "notification",
        other_versions: ADYEN_HEADER,
        ..p("adyen", "Adyen (HMAC in notification, or HmacSignature header)", Scheme {
            key: KeyEncoding::Hex,
            location: SigLocation::JsonBody("/notificationItems/0/NotificationRequestItem/additionalData/hmacSignature"),
            content: ADYEN_FIELDS,
            ..body("", HmacSha256, "", Base64)
        }, &[])
    },
];

/// The built-in provider with this id.
pub fn find(id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

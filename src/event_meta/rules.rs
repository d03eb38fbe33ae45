//! Where each built-in provider puts the event type and the id of the event or delivery, one
//! row per provider id of `signature::table`. Each row follows the provider's public webhook
//! documentation; where a provider sends no id of its own, the id is composed of fields that
//! stay the same when the same event is sent again (and `None` when there are none).

/// One place a value can be read from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A request header, by name (case-insensitive).
    Header(&'static str),
    /// A scalar in a JSON body, by JSON pointer.
    Json(&'static str),
    /// A field of an `application/x-www-form-urlencoded` body.
    Form(&'static str),
    /// A scalar in a JSON document carried in a form field (Mandrill's `mandrill_events`,
    /// Slack's interactive `payload`).
    FormJson(&'static str, &'static str),
    /// The name of the first top-level JSON key ending with this suffix (`""`: the first key).
    JsonKeySuffix(&'static str),
}

/// Builds a value from parts: the first part must be found, later ones are appended when
/// found (GitHub's `pull_request` + `opened`), after an optional literal prefix.
#[derive(Debug, Clone, Copy)]
pub struct Compose {
    pub prefix: &'static str,
    pub parts: &'static [Source],
}

/// The first of the alternatives that yields a value wins.
#[derive(Debug)]
pub struct EventRule {
    pub provider: &'static str,
    pub event_type: &'static [Compose],
    pub delivery_id: &'static [Compose],
}

use Source::{Form, FormJson, Header, Json, JsonKeySuffix};

const fn one(source: &'static [Source]) -> Compose {
    Compose {
        prefix: "",
        parts: source,
    }
}

const NONE: &[Compose] = &[];

const GITHUB: EventRule = EventRule {
    provider: "",
    event_type: &[one(&[Header("X-GitHub-Event"), Json("/action")])],
    delivery_id: &[one(&[Header("X-GitHub-Delivery")])],
};
const SVIX: EventRule = EventRule {
    provider: "",
    event_type: &[one(&[Json("/type")])],
    delivery_id: &[one(&[Header("svix-id")])],
};
const STANDARD: EventRule = EventRule {
    provider: "",
    event_type: &[one(&[Json("/type")])],
    delivery_id: &[one(&[Header("webhook-id")])],
};
/// Meta's Graph API family: `object` (page, instagram, whatsapp_business_account) and the
/// changed field.
const META_TYPE: &[Compose] = &[one(&[Json("/object"), Json("/entry/0/changes/0/field")])];
const BUILDKITE_TYPE: &[Compose] = &[one(&[Header("X-Buildkite-Event")]), one(&[Json("/event")])];

const fn rule(provider: &'static str, base: EventRule) -> EventRule {
    EventRule { provider, ..base }
}

const fn r(provider: &'static str, event_type: &'static [Compose], delivery_id: &'static [Compose]) -> EventRule {
    EventRule {
        provider,
        event_type,
        delivery_id,
    }
}

/// Every built-in provider's rule; a test checks that each provider id has one.
#[rustfmt::skip]
pub static RULES: &[EventRule] = &[
    rule("github", GITHUB),
    rule("github_sha1", GITHUB),
    r("stripe", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    // Events API (`event_callback` with the inner event), URL verification, interactive
    // payloads (form field `payload`), slash commands (form field `command`).
    r("slack",
        &[one(&[Json("/event/type")]), one(&[Json("/type")]), one(&[FormJson("payload", "/type")]), one(&[Form("command")])],
        &[one(&[Json("/event_id")]), one(&[FormJson("payload", "/trigger_id")]), one(&[Form("trigger_id")])]),
    rule("svix", SVIX),
    rule("standard_webhooks", STANDARD),
    rule("clerk", SVIX),
    rule("resend", SVIX),
    r("brex", &[one(&[Json("/event_type")]), one(&[Json("/type")])], &[one(&[Header("webhook-id")])]),
    // Status callbacks are form posts; the idempotency token is the same on Twilio's retries.
    r("twilio",
        &[Compose { prefix: "message.", parts: &[Form("MessageStatus")] }, Compose { prefix: "call.", parts: &[Form("CallStatus")] }, Compose { prefix: "message.", parts: &[Form("SmsStatus")] }],
        &[one(&[Header("I-Twilio-Idempotency-Token")]), one(&[Form("MessageSid"), Form("MessageStatus")]), one(&[Form("CallSid"), Form("CallStatus")])]),
    // Mandrill posts a batch as a JSON array in the form field `mandrill_events`.
    r("mailchimp",
        &[one(&[FormJson("mandrill_events", "/0/event")])],
        &[one(&[FormJson("mandrill_events", "/0/_id"), FormJson("mandrill_events", "/0/event"), FormJson("mandrill_events", "/0/ts")])]),
    r("square", &[one(&[Json("/type")])], &[one(&[Json("/event_id")])]),
    r("plivo",
        &[one(&[Form("Event")]), Compose { prefix: "message.", parts: &[Form("Status")] }, Compose { prefix: "call.", parts: &[Form("CallStatus")] }],
        &[one(&[Form("MessageUUID"), Form("Status")]), one(&[Form("CallUUID"), Form("Event")]), one(&[Form("CallUUID"), Form("CallStatus")])]),
    // A batch: a JSON array of events.
    r("hubspot", &[one(&[Json("/0/subscriptionType")])], &[one(&[Json("/0/eventId")])]),
    // Webhook events carry `event.type`; interactions carry a numeric `type` and an `id`.
    r("discord", &[one(&[Json("/event/type")]), one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("sendgrid", &[one(&[Json("/0/event")])], &[one(&[Json("/0/sg_event_id")])]),
    r("sns",
        &[one(&[Header("x-amz-sns-message-type")]), one(&[Json("/Type")])],
        &[one(&[Header("x-amz-sns-message-id")]), one(&[Json("/MessageId")])]),
    // Hygraph: the model and the operation, `Post.publish`.
    r("graphcms", &[one(&[Json("/data/__typename"), Json("/operation")]), one(&[Json("/operation")])], NONE),
    r("shopify",
        &[one(&[Header("X-Shopify-Topic")])],
        &[one(&[Header("X-Shopify-Webhook-Id")]), one(&[Header("X-Shopify-Event-Id")])]),
    r("zoom", &[one(&[Json("/event")])], &[one(&[Json("/event"), Json("/event_ts")])]),
    r("frameio", &[one(&[Json("/type")])], NONE),
    r("pinwheel", &[one(&[Json("/event")])], &[one(&[Json("/event_id")])]),
    r("orb", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("zendesk",
        &[one(&[Json("/type")])],
        &[one(&[Json("/id")]), one(&[Header("x-zendesk-webhook-invocation-id")])]),
    r("twitch",
        &[one(&[Header("Twitch-Eventsub-Subscription-Type")]), one(&[Header("Twitch-Eventsub-Message-Type")])],
        &[one(&[Header("Twitch-Eventsub-Message-Id")])]),
    r("box", &[one(&[Json("/trigger")])], &[one(&[Json("/id")]), one(&[Header("BOX-DELIVERY-ID")])]),
    r("calendly", &[one(&[Json("/event")])], &[one(&[Json("/event"), Json("/created_at")])]),
    r("mux", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("tiktok", &[one(&[Json("/event")])], &[one(&[Json("/event"), Json("/user_openid"), Json("/create_time")])]),
    r("buildkite", BUILDKITE_TYPE, NONE),
    r("hostedhooks", &[one(&[Json("/event_type")]), one(&[Json("/type")])], &[one(&[Json("/event_id")]), one(&[Json("/id")])]),
    r("paddle", &[one(&[Json("/event_type")])], &[one(&[Json("/event_id")])]),
    r("pagerduty", &[one(&[Json("/event/event_type")])], &[one(&[Json("/event/id")])]),
    r("circleci", &[one(&[Json("/type")]), one(&[Header("circleci-event-type")])], &[one(&[Json("/id")])]),
    // Linear: the model and the action, `Issue.create`.
    r("linear", &[one(&[Json("/type"), Json("/action")]), one(&[Header("Linear-Event")])], &[one(&[Header("Linear-Delivery")])]),
    r("bitbucket", &[one(&[Header("X-Event-Key")])], &[one(&[Header("X-Request-UUID")])]),
    // The identifier is the same on Jira's retries.
    r("jira", &[one(&[Json("/webhookEvent")])], &[one(&[Header("X-Atlassian-Webhook-Identifier")])]),
    r("intercom", &[one(&[Json("/topic")])], &[one(&[Json("/id")])]),
    r("facebook_graph_api", META_TYPE, NONE),
    r("facebook_messenger", META_TYPE, NONE),
    r("instagram", META_TYPE, NONE),
    r("whatsapp",
        META_TYPE,
        &[one(&[Json("/entry/0/changes/0/value/messages/0/id")]), one(&[Json("/entry/0/changes/0/value/statuses/0/id"), Json("/entry/0/changes/0/value/statuses/0/status")])]),
    // Account Activity API: the payload's one `*_events` key names the event.
    r("twitter", &[one(&[JsonKeySuffix("_events")])], NONE),
    r("typeform", &[one(&[Json("/event_type")])], &[one(&[Json("/event_id")])]),
    // The resource header plus the body's action, `issue.resolved`.
    r("sentry", &[one(&[Header("Sentry-Hook-Resource"), Json("/action")])], &[one(&[Header("Request-ID")])]),
    r("terraform", &[one(&[Json("/notifications/0/trigger")])], &[one(&[Json("/run_id"), Json("/notifications/0/trigger")])]),
    r("vercel", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("lemonsqueezy", &[one(&[Header("X-Event-Name")]), one(&[Json("/meta/event_name")])], NONE),
    // The topic header plus the body's event, `payment_order.completed`.
    r("modern_treasury", &[one(&[Header("X-Topic"), Json("/event")]), one(&[Json("/event")])], &[one(&[Header("X-Webhook-ID")])]),
    r("razorpay", &[one(&[Json("/event")])], &[one(&[Header("x-razorpay-event-id")])]),
    r("woocommerce", &[one(&[Header("X-WC-Webhook-Topic")])], &[one(&[Header("X-WC-Webhook-Delivery-ID")])]),
    // Dropbox only says that something changed: `list_folder`.
    r("dropbox", &[one(&[JsonKeySuffix("list_folder")])], NONE),
    r("docusign", &[one(&[Json("/event")])], &[one(&[Json("/data/envelopeId"), Json("/event"), Json("/generatedDateTime")])]),
    // The kind of resource and the first access action, `flag.updateOn`.
    r("launch_darkly", &[one(&[Json("/kind"), Json("/accesses/0/action")])], &[one(&[Json("/_id")])]),
    // An Atlas alert keeps its id from OPEN to CLOSED.
    r("mongodb", &[one(&[Json("/eventTypeName")])], &[one(&[Json("/id"), Json("/status")])]),
    r("pusher", &[one(&[Json("/events/0/name")])], &[one(&[Json("/time_ms"), Json("/events/0/name"), Json("/events/0/channel")])]),
    r("sonatype", &[one(&[Header("X-Nexus-Webhook-Id"), Json("/action")])], &[one(&[Header("X-Nexus-Webhook-Delivery")])]),
    r("webex", &[one(&[Json("/resource"), Json("/event")])], &[one(&[Json("/data/id"), Json("/event")])]),
    r("xero", &[one(&[Json("/events/0/eventCategory"), Json("/events/0/eventType")])], &[one(&[Json("/events/0/resourceId"), Json("/events/0/eventDateUtc")])]),
    r("worldline", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("aftership", &[one(&[Json("/event")])], &[one(&[Json("/event_id")])]),
    r("alchemy", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("autodesk", &[one(&[Json("/hook/event")])], NONE),
    r("bolt", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("castle", &[one(&[Json("/type")])], &[one(&[Json("/data/id"), Json("/type")])]),
    r("chargify", &[one(&[Form("event")])], &[one(&[Form("id")])]),
    r("clearbit", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("coinbase", &[one(&[Json("/event/type")])], &[one(&[Json("/event/id")])]),
    r("trendmicro_conformity", &[one(&[Json("/ruleId"), Json("/status")])], &[one(&[Json("/id")])]),
    // The resource and the action, `api:release.create`.
    r("heroku", &[one(&[Json("/resource"), Json("/action")])], &[one(&[Json("/id")]), one(&[Header("Heroku-Webhook-Id")])]),
    r("microsoft_teams", &[one(&[Json("/type")])], &[one(&[Json("/id")])]),
    r("gitlab",
        &[one(&[Json("/object_kind"), Json("/object_attributes/action")]), one(&[Header("X-Gitlab-Event")])],
        &[one(&[Header("Idempotency-Key")]), one(&[Header("X-Gitlab-Event-UUID")])]),
    r("buildkite_token", BUILDKITE_TYPE, NONE),
    r("postmark", &[one(&[Json("/RecordType")])], &[one(&[Json("/ID")]), one(&[Json("/RecordType"), Json("/MessageID")])]),
    r("microsoft_graph",
        &[one(&[Json("/value/0/lifecycleEvent")]), one(&[Json("/value/0/changeType")])],
        NONE),
    r("mailgun", &[one(&[Json("/event-data/event")])], &[one(&[Json("/event-data/id")])]),
    r("adyen",
        &[one(&[Json("/notificationItems/0/NotificationRequestItem/eventCode")])],
        &[one(&[Json("/notificationItems/0/NotificationRequestItem/pspReference"), Json("/notificationItems/0/NotificationRequestItem/eventCode")])]),
];

/// The rule of a built-in provider id (case-insensitive).
pub fn find(provider: &str) -> Option<&'static EventRule> {
    RULES.iter().find(|rule| rule.provider.eq_ignore_ascii_case(provider))
}

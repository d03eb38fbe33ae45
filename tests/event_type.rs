//! Event type and delivery id for every built-in provider, from requests shaped like the ones
//! each provider documents; and bad bodies that must find nothing without panicking.

mod common;

use std::collections::BTreeSet;

use hookscope::event_meta::{self, EventMeta};
use hookscope::model::{CapturedRequest, HeaderField, SignatureVerdict, VerdictStatus};
use hookscope::signature::provider_ids;

/// One provider's request and what must be read from it.
struct Case {
    provider: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    event_type: Option<&'static str>,
    delivery_id: Option<&'static str>,
}

const fn case(
    provider: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    event_type: Option<&'static str>,
    delivery_id: Option<&'static str>,
) -> Case {
    Case {
        provider,
        headers,
        body,
        event_type,
        delivery_id,
    }
}

const FB: &str =
    r#"{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"feed","value":{"item":"post"}}]}]}"#;

#[rustfmt::skip]
const CASES: &[Case] = &[
    case("github", &[("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")], r#"{"action":"opened","number":1,"pull_request":{"id":1}}"#, Some("pull_request.opened"), Some("72d3162e-cc78-11e3-81ab-4c9367dc0958")),
    case("github", &[("x-github-event", "ping"), ("x-github-delivery", "d1")], r#"{"zen":"Keep it logically awesome.","hook_id":1}"#, Some("ping"), Some("d1")),
    case("github_sha1", &[("X-GitHub-Event", "issues"), ("X-GitHub-Delivery", "d2")], r#"{"action":"closed"}"#, Some("issues.closed"), Some("d2")),
    case("stripe", &[("Stripe-Signature", "t=1,v1=00")], r#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","data":{"object":{"id":"in_1","customer":"cus_42"}},"type":"invoice.paid"}"#, Some("invoice.paid"), Some("evt_1NG8Du2eZvKYlo2CUI79vXWy")),
    case("slack", &[], r#"{"token":"x","team_id":"T1","event":{"type":"app_mention","user":"U1","text":"hi"},"type":"event_callback","event_id":"Ev08MFMKH6","event_time":1}"#, Some("app_mention"), Some("Ev08MFMKH6")),
    case("slack", &[], r#"{"token":"x","challenge":"abc","type":"url_verification"}"#, Some("url_verification"), None),
    case("slack", &[], "payload=%7B%22type%22%3A%22block_actions%22%2C%22trigger_id%22%3A%2213345224609.738474920.8088930838d88f008e0%22%7D", Some("block_actions"), Some("13345224609.738474920.8088930838d88f008e0")),
    case("slack", &[], "token=x&team_id=T1&command=%2Fweather&text=94070&trigger_id=tr1", Some("/weather"), Some("tr1")),
    case("svix", &[("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")], r#"{"type":"invoice.created","data":{}}"#, Some("invoice.created"), Some("msg_p5jXN8AQM9LWM0D4loKWxJek")),
    case("standard_webhooks", &[("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")], r#"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{}}"#, Some("contact.created"), Some("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")),
    case("clerk", &[("svix-id", "msg_clerk")], r#"{"data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC"},"object":"event","type":"user.created"}"#, Some("user.created"), Some("msg_clerk")),
    case("resend", &[("svix-id", "msg_resend")], r#"{"type":"email.delivered","created_at":"2024-02-22T23:41:12.126Z","data":{"email_id":"56761188"}}"#, Some("email.delivered"), Some("msg_resend")),
    case("brex", &[("Webhook-Id", "wh_brex")], r#"{"event_type":"TRANSFER_PROCESSED","transfer_id":"t1","company_id":"c1"}"#, Some("TRANSFER_PROCESSED"), Some("wh_brex")),
    case("twilio", &[("I-Twilio-Idempotency-Token", "a7d8b3f2-idem")], "MessageSid=SM1&SmsSid=SM1&MessageStatus=delivered&AccountSid=AC1&To=%2B15558675310", Some("message.delivered"), Some("a7d8b3f2-idem")),
    case("twilio", &[], "CallSid=CA42&CallStatus=completed&CallDuration=12", Some("call.completed"), Some("CA42:completed")),
    case("mailchimp", &[], "mandrill_events=%5B%7B%22event%22%3A%22send%22%2C%22_id%22%3A%22exampleaaaaaaaaaaaaaaaaaaaaaaaaa%22%2C%22ts%22%3A1365109999%7D%5D", Some("send"), Some("exampleaaaaaaaaaaaaaaaaaaaaaaaaa:send:1365109999")),
    case("square", &[], r#"{"merchant_id":"6SSW7HV8K2ST5","type":"payment.created","event_id":"13b867cf-db3d-4b1c-90b6-2f32a9d78124","created_at":"2020-02-06T21:27:30.792Z","data":{}}"#, Some("payment.created"), Some("13b867cf-db3d-4b1c-90b6-2f32a9d78124")),
    case("plivo", &[], "From=14155551212&MessageUUID=3dfa1e4a-5b0f&Status=delivered&To=14155552323&Units=1", Some("message.delivered"), Some("3dfa1e4a-5b0f:delivered")),
    case("hubspot", &[], r#"[{"eventId":1,"subscriptionId":2,"portalId":3,"occurredAt":1,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM"}]"#, Some("contact.creation"), Some("1")),
    case("discord", &[], r#"{"version":1,"application_id":"1","type":1,"event":{"type":"APPLICATION_AUTHORIZED","timestamp":"2024-10-18T14:42:53.064834","data":{}}}"#, Some("APPLICATION_AUTHORIZED"), None),
    case("discord", &[], r#"{"id":"1234567890","application_id":"1","type":2,"data":{"name":"ping"},"token":"t"}"#, Some("2"), Some("1234567890")),
    case("sendgrid", &[], r#"[{"email":"example@test.com","timestamp":1513299569,"event":"delivered","sg_event_id":"sg_event_id","sg_message_id":"sg_message_id"}]"#, Some("delivered"), Some("sg_event_id")),
    case("sns", &[("x-amz-sns-message-type", "Notification"), ("x-amz-sns-message-id", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")], r#"{"Type":"Notification","MessageId":"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324","Message":"hi"}"#, Some("Notification"), Some("22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")),
    case("graphcms", &[], r#"{"operation":"publish","data":{"__typename":"Post","id":"ckx1","stage":"PUBLISHED"}}"#, Some("Post.publish"), None),
    case("shopify", &[("X-Shopify-Topic", "orders/create"), ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")], r#"{"id":820982911946154508}"#, Some("orders/create"), Some("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")),
    case("zoom", &[], r#"{"event":"meeting.started","event_ts":1626230691572,"payload":{"account_id":"A","object":{"id":"1"}}}"#, Some("meeting.started"), Some("meeting.started:1626230691572")),
    case("frameio", &[], r#"{"type":"asset.created","resource":{"type":"asset","id":"a1"},"team":{"id":"t1"},"user":{"id":"u1"}}"#, Some("asset.created"), None),
    case("pinwheel", &[], r#"{"event":"account.added","event_id":"e8f3","payload":{"account_id":"a1"}}"#, Some("account.added"), Some("e8f3")),
    case("orb", &[], r#"{"id":"wh_evt_1","created_at":"2023-01-01T00:00:00Z","type":"customer.created","properties":{}}"#, Some("customer.created"), Some("wh_evt_1")),
    case("zendesk", &[("x-zendesk-webhook-invocation-id", "inv1")], r#"{"type":"zen:event-type:user.created","account_id":1,"id":"cbe4028c-7239-495d-b020-f22348516046","time":"2022-01-01T00:00:00Z","detail":{}}"#, Some("zen:event-type:user.created"), Some("cbe4028c-7239-495d-b020-f22348516046")),
    case("twitch", &[("Twitch-Eventsub-Message-Id", "befa7b53-d79d-478f-86b9-120f112b044e"), ("Twitch-Eventsub-Message-Type", "notification"), ("Twitch-Eventsub-Subscription-Type", "channel.follow")], r#"{"subscription":{"type":"channel.follow"},"event":{}}"#, Some("channel.follow"), Some("befa7b53-d79d-478f-86b9-120f112b044e")),
    case("box", &[("BOX-DELIVERY-ID", "d-box")], r#"{"type":"webhook_event","id":"eac4e1a0-2b9f","created_at":"2024-01-01T00:00:00-08:00","trigger":"FILE.UPLOADED","source":{"id":"1","type":"file"}}"#, Some("FILE.UPLOADED"), Some("eac4e1a0-2b9f")),
    case("calendly", &[], r#"{"created_at":"2020-11-23T17:51:18.327602Z","created_by":"https://api.calendly.com/users/A","event":"invitee.created","payload":{}}"#, Some("invitee.created"), Some("invitee.created:2020-11-23T17:51:18.327602Z")),
    case("mux", &[], r#"{"type":"video.asset.ready","object":{"type":"asset","id":"a1"},"id":"3a56ac3d-33da-4366-855b-f592d898409d","data":{}}"#, Some("video.asset.ready"), Some("3a56ac3d-33da-4366-855b-f592d898409d")),
    case("tiktok", &[], r#"{"client_key":"ck","event":"authorization.removed","create_time":1615338610,"user_openid":"act.1","content":"{\"reason\": 1}"}"#, Some("authorization.removed"), Some("authorization.removed:act.1:1615338610")),
    case("buildkite", &[("X-Buildkite-Event", "build.finished")], r#"{"event":"build.finished","build":{"id":"b1"}}"#, Some("build.finished"), None),
    case("hostedhooks", &[], r#"{"data":{"user":{"id":1}},"version":"1.0","event_type":"user.created","event_id":"hh_1"}"#, Some("user.created"), Some("hh_1")),
    case("paddle", &[], r#"{"event_id":"evt_01h8bzakzx3hm2fmen703n5q45","event_type":"transaction.completed","occurred_at":"2023-08-21T11:57:47.390028Z","notification_id":"ntf_1","data":{}}"#, Some("transaction.completed"), Some("evt_01h8bzakzx3hm2fmen703n5q45")),
    case("pagerduty", &[], r#"{"event":{"id":"5ac64822-4adc-4fda-ade0-410becf0de4f","event_type":"incident.priority_updated","resource_type":"incident","data":{}}}"#, Some("incident.priority_updated"), Some("5ac64822-4adc-4fda-ade0-410becf0de4f")),
    case("circleci", &[("circleci-event-type", "workflow-completed")], r#"{"type":"workflow-completed","id":"3888f21b-eaa7-38e3-8f3d-75a63bba8895","happened_at":"2021-09-01T22:49:34.317Z","workflow":{}}"#, Some("workflow-completed"), Some("3888f21b-eaa7-38e3-8f3d-75a63bba8895")),
    case("linear", &[("Linear-Delivery", "234d1a4e-b617-4388-90fe-adc3633d6b72"), ("Linear-Event", "Issue")], r#"{"action":"create","type":"Issue","data":{"id":"i1"},"webhookTimestamp":1676056940508}"#, Some("Issue.create"), Some("234d1a4e-b617-4388-90fe-adc3633d6b72")),
    case("bitbucket", &[("X-Event-Key", "repo:push"), ("X-Request-UUID", "afe5e3b8-1f3e-4c1d")], r#"{"push":{"changes":[]}}"#, Some("repo:push"), Some("afe5e3b8-1f3e-4c1d")),
    case("jira", &[("X-Atlassian-Webhook-Identifier", "1376-1660642626117-2")], r#"{"timestamp":1,"webhookEvent":"jira:issue_created","issue_event_type_name":"issue_created","issue":{"id":"1"}}"#, Some("jira:issue_created"), Some("1376-1660642626117-2")),
    case("intercom", &[], r#"{"type":"notification_event","app_id":"a","data":{"item":{}},"id":"notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3","topic":"conversation.user.created","delivery_attempts":1}"#, Some("conversation.user.created"), Some("notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3")),
    case("facebook_graph_api", &[], FB, Some("page.feed"), None),
    case("facebook_messenger", &[], r#"{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"message":{"mid":"m1","text":"hi"}}]}]}"#, Some("page"), None),
    case("instagram", &[], r#"{"object":"instagram","entry":[{"id":"1","time":1,"changes":[{"field":"comments","value":{}}]}]}"#, Some("instagram.comments"), None),
    case("whatsapp", &[], r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","messages":[{"from":"1","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=","type":"text"}]},"field":"messages"}]}]}"#, Some("whatsapp_business_account.messages"), Some("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=")),
    case("twitter", &[], r#"{"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1"}]}"#, Some("tweet_create_events"), None),
    case("typeform", &[], r#"{"event_id":"01FWCJ7P6K7GXX1V36W1D2FSJ2","event_type":"form_response","form_response":{"form_id":"f1"}}"#, Some("form_response"), Some("01FWCJ7P6K7GXX1V36W1D2FSJ2")),
    case("sentry", &[("Sentry-Hook-Resource", "issue"), ("Request-ID", "c3b5b4e8-sentry")], r#"{"action":"resolved","installation":{"uuid":"u"},"data":{"issue":{}}}"#, Some("issue.resolved"), Some("c3b5b4e8-sentry")),
    case("terraform", &[], r#"{"payload_version":1,"notification_configuration_id":"nc-1","run_id":"run-abc","notifications":[{"message":"Run Planned","trigger":"run:needs_attention","run_status":"planned"}]}"#, Some("run:needs_attention"), Some("run-abc:run:needs_attention")),
    case("vercel", &[], r#"{"type":"deployment.created","id":"uIKtoTsHsT6ddsZRIHAJCw2q","createdAt":1,"payload":{}}"#, Some("deployment.created"), Some("uIKtoTsHsT6ddsZRIHAJCw2q")),
    case("lemonsqueezy", &[("X-Event-Name", "order_created")], r#"{"meta":{"event_name":"order_created"},"data":{"type":"orders","id":"1"}}"#, Some("order_created"), None),
    case("modern_treasury", &[("X-Topic", "payment_order"), ("X-Webhook-ID", "mt-1")], r#"{"event":"completed","data":{"id":"po_1"}}"#, Some("payment_order.completed"), Some("mt-1")),
    case("razorpay", &[("x-razorpay-event-id", "HNXCjqjB0vdpJY")], r#"{"entity":"event","account_id":"acc_1","event":"payment.captured","contains":["payment"],"payload":{}}"#, Some("payment.captured"), Some("HNXCjqjB0vdpJY")),
    case("woocommerce", &[("X-WC-Webhook-Topic", "order.created"), ("X-WC-Webhook-Delivery-ID", "57")], r#"{"id":1}"#, Some("order.created"), Some("57")),
    case("dropbox", &[], r#"{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]},"delta":{"users":[12345678]}}"#, Some("list_folder"), None),
    case("docusign", &[], r#"{"event":"envelope-completed","apiVersion":"v2.1","uri":"/x","retryCount":0,"configurationId":1,"generatedDateTime":"2024-01-01T00:00:00.000Z","data":{"accountId":"a","envelopeId":"93be49ab"}}"#, Some("envelope-completed"), Some("93be49ab:envelope-completed:2024-01-01T00:00:00.000Z")),
    case("launch_darkly", &[], r#"{"_id":"57c0af609969090743529967","kind":"flag","name":"Example","accesses":[{"action":"updateOn","resource":"proj/alexis:env/test:flag/example"}]}"#, Some("flag.updateOn"), Some("57c0af609969090743529967")),
    case("mongodb", &[], r#"{"id":"5b7c7c1c0bd66b1d3b7e2d2f","eventTypeName":"OUTSIDE_METRIC_THRESHOLD","status":"OPEN","groupId":"g1"}"#, Some("OUTSIDE_METRIC_THRESHOLD"), Some("5b7c7c1c0bd66b1d3b7e2d2f:OPEN")),
    case("pusher", &[], r#"{"time_ms":1327078148132,"events":[{"name":"channel_occupied","channel":"test_channel"}]}"#, Some("channel_occupied"), Some("1327078148132:channel_occupied:test_channel")),
    case("sonatype", &[("X-Nexus-Webhook-Id", "rm:repository:component"), ("X-Nexus-Webhook-Delivery", "7f0b6e6e-nexus")], r#"{"timestamp":"2016-11-10T23:57:49.664+0000","nodeId":"n","initiator":"admin/127.0.0.1","repositoryName":"npm-proxy","action":"CREATED","component":{}}"#, Some("rm:repository:component.CREATED"), Some("7f0b6e6e-nexus")),
    case("webex", &[], r#"{"id":"Y2lzY29zcGFyazovL3VzL1dFQkhPT0s","name":"My Webhook","resource":"messages","event":"created","data":{"id":"msg1","roomId":"r1"}}"#, Some("messages.created"), Some("msg1:created")),
    case("xero", &[], r#"{"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/717f2bfc","resourceId":"717f2bfc","eventDateUtc":"2017-06-21T01:15:39.902","eventType":"UPDATE","eventCategory":"CONTACT","tenantId":"c2cc9b6e","tenantType":"ORGANISATION"}],"lastEventSequence":1,"firstEventSequence":1,"entropy":"S0m3r4Nd0mt3xt"}"#, Some("CONTACT.UPDATE"), Some("717f2bfc:2017-06-21T01:15:39.902")),
    case("worldline", &[], r#"{"apiVersion":"v1","id":"97a4fcdf-9a08-4a59-a0c0-69bfd7e1d59d","created":"2017-09-14T17:14:39.688+0200","merchantId":"20000","type":"payment.created","payment":{}}"#, Some("payment.created"), Some("97a4fcdf-9a08-4a59-a0c0-69bfd7e1d59d")),
    case("aftership", &[], r#"{"event":"tracking_update","event_id":"ed3ec6e7-e2a4-4e66-9a8c-6d8c0d8a6bd9","is_tracking_first_tag":false,"msg":{"id":"t1","tag":"InTransit"},"ts":1}"#, Some("tracking_update"), Some("ed3ec6e7-e2a4-4e66-9a8c-6d8c0d8a6bd9")),
    case("alchemy", &[], r#"{"webhookId":"wh_octjglnywaupz6th","id":"whevt_ogrc5v64myey69ux","createdAt":"2022-02-28T17:48:53.306Z","type":"ADDRESS_ACTIVITY","event":{"network":"MATIC_MUMBAI","activity":[]}}"#, Some("ADDRESS_ACTIVITY"), Some("whevt_ogrc5v64myey69ux")),
    case("autodesk", &[], r#"{"version":"1.0","resourceUrn":"urn:adsk.wipprod:dm.lineage:x","hook":{"hookId":"h1","event":"dm.version.added","system":"data"},"payload":{}}"#, Some("dm.version.added"), None),
    case("bolt", &[], r#"{"id":"bolt_evt_1","type":"payment","object":"transaction","data":{"id":"tr1"}}"#, Some("payment"), Some("bolt_evt_1")),
    case("castle", &[], r#"{"api_version":"v1","app_id":"12345","type":"$incident.confirmed","created_at":"2020-12-18T12:55:21.779Z","data":{"id":"test","device_token":"token"}}"#, Some("$incident.confirmed"), Some("test:$incident.confirmed")),
    case("chargify", &[("X-Chargify-Webhook-Id", "123")], "id=123&event=signup_success&payload%5Bsite%5D%5Bid%5D=1", Some("signup_success"), Some("123")),
    case("clearbit", &[], r#"{"id":"custom_id","status":200,"type":"person","body":{"name":{}}}"#, Some("person"), Some("custom_id")),
    case("coinbase", &[], r#"{"id":1,"scheduled_for":"2017-01-31T20:50:02Z","event":{"id":"24934862-d980-46cb-9402-43c81b0cdba6","resource":"event","type":"charge:created","api_version":"2018-03-22","data":{}}}"#, Some("charge:created"), Some("24934862-d980-46cb-9402-43c81b0cdba6")),
    case("trendmicro_conformity", &[], r#"{"id":"ccc:H19NxM15-:EC2-001:EC2:us-west-2:sg-1","ruleId":"EC2-001","status":"FAILURE","riskLevel":"HIGH","message":"Security group allows ingress"}"#, Some("EC2-001.FAILURE"), Some("ccc:H19NxM15-:EC2-001:EC2:us-west-2:sg-1")),
    case("heroku", &[("Heroku-Webhook-Id", "hw1")], r#"{"id":"4a4df5b2-c6ab-4b7e-8d3d-6b1a1b1b1b1b","action":"create","actor":{},"created_at":"2024-01-01T00:00:00Z","data":{},"resource":"api:release","version":"application/vnd.heroku+json; version=3"}"#, Some("api:release.create"), Some("4a4df5b2-c6ab-4b7e-8d3d-6b1a1b1b1b1b")),
    case("microsoft_teams", &[], r#"{"type":"message","id":"1485983408511","timestamp":"2017-02-01T21:10:07.437Z","text":"<at>Bot</at> hi","from":{"id":"29:1"}}"#, Some("message"), Some("1485983408511")),
    case("gitlab", &[("X-Gitlab-Event", "Merge Request Hook"), ("X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e"), ("Idempotency-Key", "f5e5f430-f57b-4e6e-9fac-d9128cd7232f")], r#"{"object_kind":"merge_request","event_type":"merge_request","object_attributes":{"id":99,"action":"open"}}"#, Some("merge_request.open"), Some("f5e5f430-f57b-4e6e-9fac-d9128cd7232f")),
    case("gitlab", &[("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "uuid-2")], r#"{"object_kind":"push","ref":"refs/heads/main"}"#, Some("push"), Some("uuid-2")),
    case("buildkite_token", &[("X-Buildkite-Event", "ping")], r#"{"event":"ping","service":{}}"#, Some("ping"), None),
    case("postmark", &[], r#"{"RecordType":"Bounce","ID":4323372036854775807,"Type":"HardBounce","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483"}"#, Some("Bounce"), Some("4323372036854775807")),
    case("postmark", &[], r#"{"RecordType":"Delivery","MessageID":"00000000-0000-0000-0000-000000000000","Recipient":"john@example.com"}"#, Some("Delivery"), Some("Delivery:00000000-0000-0000-0000-000000000000")),
    case("microsoft_graph", &[], r#"{"value":[{"subscriptionId":"7f105c7d","changeType":"created","clientState":"secret","resource":"Users/u1/Messages/m1","tenantId":"t"}]}"#, Some("created"), None),
    case("mailgun", &[], r#"{"signature":{"timestamp":"1529006854","token":"a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0","signature":"d2271d12299f6592d9d44cd9d250f0704e4674c30d79d07c47a66f95ce71cf55"},"event-data":{"event":"delivered","timestamp":1529006854.329574,"id":"DACSsAdVSeGpLid7TN03WA"}}"#, Some("delivered"), Some("DACSsAdVSeGpLid7TN03WA")),
    case("adyen", &[], r#"{"live":"false","notificationItems":[{"NotificationRequestItem":{"eventCode":"AUTHORISATION","merchantAccountCode":"M","pspReference":"7914073381342284","success":"true","amount":{"currency":"EUR","value":1130}}}]}"#, Some("AUTHORISATION"), Some("7914073381342284:AUTHORISATION")),
];

fn headers(pairs: &[(&str, &str)]) -> Vec<HeaderField> {
    pairs.iter().map(|(n, v)| HeaderField::new(*n, *v)).collect()
}

#[test]
fn every_provider_case_reads_its_event_type_and_delivery_id() {
    for case in CASES {
        let found = event_meta::extract(case.provider, &headers(case.headers), case.body.as_bytes());
        assert_eq!(
            found,
            EventMeta {
                event_type: case.event_type.map(str::to_owned),
                delivery_id: case.delivery_id.map(str::to_owned),
            },
            "{}: {}",
            case.provider,
            case.body
        );
    }
}

#[test]
fn every_built_in_provider_has_a_rule_and_a_case() {
    let with_case: BTreeSet<&str> = CASES.iter().map(|c| c.provider).collect();
    for id in provider_ids() {
        assert!(event_meta::has_rule(id), "provider {id} has no event rule");
        assert!(with_case.contains(id), "provider {id} has no test case");
    }
    for case in CASES {
        assert!(
            provider_ids().contains(&case.provider),
            "{} is not a provider",
            case.provider
        );
    }
}

#[test]
fn every_provider_reads_its_event_type_from_its_own_case() {
    // Each rule finds a type in at least one case: a rule pointing at the wrong field fails here
    // even where the expected values above were written to match it.
    for id in provider_ids() {
        let found = CASES.iter().filter(|c| c.provider == id).any(|c| {
            event_meta::extract(id, &headers(c.headers), c.body.as_bytes())
                .event_type
                .is_some()
        });
        assert!(found, "{id}");
    }
}

#[test]
fn unknown_and_generic_providers_find_nothing() {
    let body = br#"{"type":"invoice.paid","id":"evt_1"}"#;
    assert!(event_meta::extract("nope", &[], body).is_empty());
    assert!(event_meta::extract("generic", &[], body).is_empty());
    assert_eq!(
        event_meta::extract("STRIPE", &[], body).event_type.as_deref(),
        Some("invoice.paid"),
        "ids are case-insensitive"
    );
    assert_eq!(
        event_meta::extract("stripe;tolerance=600", &[], body)
            .delivery_id
            .as_deref(),
        Some("evt_1"),
        "an endpoint's provider options are ignored"
    );
}

/// Bodies that are not what a provider sends: every rule must answer without panicking, and
/// find no body field in any of them.
#[test]
fn malformed_binary_and_odd_bodies_find_no_body_fields() {
    let mut bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"{".to_vec(),
        b"[".to_vec(),
        b"null".to_vec(),
        b"\"just a string\"".to_vec(),
        b"{\"type\":".to_vec(),
        b"{\"type\":{\"nested\":true},\"id\":[1,2]}".to_vec(),
        b"{\"type\":null,\"id\":null,\"event\":null}".to_vec(),
        b"{\"type\":\"   \",\"id\":\"\"}".to_vec(),
        b"payload=%ZZ%7B&mandrill_events=%5B&command=".to_vec(),
        vec![0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x7b],
        (0..=255u8).collect(),
        [&b"{\"type\":\""[..], &[0xc3, 0x28], b"\"}"].concat(),
    ];
    // Deep nesting: serde_json's recursion limit answers, not a stack overflow.
    bodies.push([b"[".repeat(10_000), b"]".repeat(10_000)].concat());
    bodies.push(b"{\"a\":".repeat(10_000));
    for id in provider_ids() {
        for body in &bodies {
            let found = event_meta::extract(id, &[], body);
            // Only headers or composed parts could give a value, and there are no headers.
            assert!(
                found.is_empty(),
                "{id} found {found:?} in {:?}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
        }
    }
}

#[test]
fn long_values_are_cut_at_a_char_boundary() {
    let long = "é".repeat(400);
    let body = format!(r#"{{"type":"{long}","id":"evt_1"}}"#);
    let found = event_meta::extract("stripe", &[], body.as_bytes());
    let event_type = found.event_type.unwrap();
    assert!(event_type.len() <= event_meta::MAX_VALUE_LEN);
    assert!(event_type.chars().all(|c| c == 'é'));
}

#[test]
fn a_captured_request_uses_the_provider_of_its_verdict() {
    let mut request = CapturedRequest::posted("r1", "/hook", br#"{"type":"invoice.paid","id":"evt_9"}"#.to_vec());
    assert!(
        event_meta::extract_captured(&request).is_empty(),
        "no verdict, no provider"
    );
    request.signature = Some(SignatureVerdict {
        provider: Some("stripe".into()),
        detected: true,
        status: VerdictStatus::Verified,
        matched_secret: Some(0),
        reason: None,
        diagnosis: None,
        signed_content: None,
        expected_signature: None,
        received_signature: None,
    });
    assert_eq!(event_meta::provider_of(&request), Some("stripe"));
    assert_eq!(
        event_meta::extract_captured(&request),
        EventMeta {
            event_type: Some("invoice.paid".into()),
            delivery_id: Some("evt_9".into()),
        }
    );
}

// ---------------------------------------------------------------------------------------------
// The store: migration 7, attempts, filters, backfill (real SQLite files in temp dirs).
// ---------------------------------------------------------------------------------------------

mod store_columns {
    use hookscope::event_meta::filter::{EventFilter, EventTypeMatch, FieldCondition, FilterError};
    use hookscope::event_meta::{self, EventMeta};
    use hookscope::model::{CapturedRequest, HeaderField, SignatureVerdict, VerdictStatus};
    use hookscope::store::{self, requests, requests::StoredEvent, Store};

    fn verdict(provider: &str) -> SignatureVerdict {
        SignatureVerdict {
            provider: Some(provider.into()),
            detected: true,
            status: VerdictStatus::Verified,
            matched_secret: Some(0),
            reason: None,
            diagnosis: None,
            signed_content: None,
            expected_signature: None,
            received_signature: None,
        }
    }

    fn stripe_event(id: &str, event_id: &str, event_type: &str, customer: &str) -> CapturedRequest {
        let body = format!(
            r#"{{"id":"{event_id}","object":"event","type":"{event_type}","data":{{"object":{{"customer":"{customer}","amount":1130}}}}}}"#
        );
        CapturedRequest {
            headers: vec![HeaderField::new("Content-Type", "application/json")],
            signature: Some(verdict("stripe")),
            ..CapturedRequest::posted(id, "/stripe", body.into_bytes())
        }
    }

    /// One page of `list` narrowed by an event filter.
    fn matching(fields: EventFilter, before_seq: Option<i64>, limit: usize) -> requests::ListQuery {
        requests::ListQuery {
            limit,
            before_seq,
            fields,
            ..Default::default()
        }
    }

    fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hookscope.db");
        (dir, path)
    }

    /// Stores a request through the writer and records its event as capture will.
    async fn capture(store: &Store, request: CapturedRequest) -> StoredEvent {
        let meta = event_meta::extract_captured(&request);
        let provider = event_meta::provider_of(&request).map(str::to_owned);
        let seq = store.insert_request(request).await.unwrap().seq;
        store
            .write(move |conn| requests::record_event(conn, seq, provider.as_deref(), &meta))
            .await
            .unwrap()
    }

    #[test]
    fn a_schema_6_database_gains_the_event_columns_and_reads_its_old_rows_in_arrival_order() {
        let (_dir, path) = temp_db();
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            store::schema::migrate_to(&mut conn, 6).unwrap();
            crate::common::insert_before_schema_7(&conn, &stripe_event("01A", "evt_1", "invoice.paid", "cus_42"));
            crate::common::insert_before_schema_7(
                &conn,
                &CapturedRequest::posted("01B", "/plain", b"{\"type\":\"x\"}".to_vec()),
            );
            crate::common::insert_before_schema_7(&conn, &stripe_event("01C", "evt_1", "invoice.paid", "cus_42"));
            crate::common::insert_before_schema_7(&conn, &stripe_event("01D", "evt_2", "customer.created", "cus_7"));
        }
        let mut conn = store::open_database(&path).unwrap();
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        // Migration 7 added the event columns; later ones (8: response rules) follow it.
        assert_eq!(version, store::schema::latest_version());
        assert!(version >= 7);
        for index in ["requests_event_type", "requests_delivery"] {
            let partial: bool = conn
                .query_row(
                    "SELECT partial FROM pragma_index_list('requests') WHERE name = ?1",
                    [index],
                    |row| row.get(0),
                )
                .unwrap();
            assert!(partial, "{index} leaves rows without an event out");
        }
        // Before the backfill, old rows have no event yet.
        assert_eq!(requests::event_of(&conn, "01A").unwrap(), Some(StoredEvent::default()));
        // A batch of 3 then the rest: the progress row carries over between calls.
        assert_eq!(requests::backfill_events(&mut conn, 3).unwrap(), 3);
        assert_eq!(requests::backfill_events(&mut conn, 3).unwrap(), 1);
        assert_eq!(requests::backfill_events(&mut conn, 3).unwrap(), 0);
        let stripe = |event_type: &str, id: &str, attempt| StoredEvent {
            provider: Some("stripe".into()),
            event_type: Some(event_type.into()),
            delivery_id: Some(id.into()),
            attempt: Some(attempt),
        };
        assert_eq!(
            requests::event_of(&conn, "01A").unwrap(),
            Some(stripe("invoice.paid", "evt_1", 1))
        );
        assert_eq!(requests::event_of(&conn, "01B").unwrap(), Some(StoredEvent::default()));
        assert_eq!(
            requests::event_of(&conn, "01C").unwrap(),
            Some(stripe("invoice.paid", "evt_1", 2))
        );
        assert_eq!(
            requests::event_of(&conn, "01D").unwrap(),
            Some(stripe("customer.created", "evt_2", 1))
        );
        assert_eq!(requests::event_of(&conn, "nope").unwrap(), None);
        assert_eq!(requests::attempts_of(&conn, "stripe", "evt_1").unwrap(), ["01A", "01C"]);
        // The old rows are still whole.
        assert_eq!(requests::get(&conn, "01B").unwrap().unwrap().body, b"{\"type\":\"x\"}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_redelivered_event_counts_its_attempts_by_arrival_per_provider() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path).unwrap();
        let first = capture(&store, stripe_event("01A", "evt_1", "invoice.paid", "cus_42")).await;
        assert_eq!(first.attempt, Some(1));
        let again = capture(&store, stripe_event("01B", "evt_1", "invoice.paid", "cus_42")).await;
        assert_eq!(again.attempt, Some(2));
        let other = capture(&store, stripe_event("01C", "evt_2", "invoice.paid", "cus_42")).await;
        assert_eq!(other.attempt, Some(1));
        // The same id from another provider is another event.
        let mut svix = stripe_event("01D", "evt_x", "invoice.paid", "cus_42");
        svix.signature = Some(verdict("svix"));
        svix.headers.push(HeaderField::new("svix-id", "evt_1"));
        let svix = capture(&store, svix).await;
        assert_eq!((svix.delivery_id.as_deref(), svix.attempt), (Some("evt_1"), Some(1)));
        let third = capture(&store, stripe_event("01E", "evt_1", "invoice.paid", "cus_42")).await;
        assert_eq!(third.attempt, Some(3));
        let next = store
            .read(|conn| requests::next_attempt(conn, "stripe", "evt_1"))
            .await
            .unwrap();
        assert_eq!(next, 4);
        // No delivery id, no attempt.
        let plain = capture(&store, CapturedRequest::posted("01F", "/x", b"{}".to_vec())).await;
        assert_eq!(plain, StoredEvent::default());
        let counted: i64 = store
            .read(|conn| {
                Ok(conn.query_row(
                    "EXPLAIN QUERY PLAN SELECT count(*) FROM requests WHERE provider = 'stripe' AND delivery_id = 'evt_1' AND seq < 9",
                    [],
                    |row| row.get::<_, String>(3),
                )?)
            })
            .await
            .map(|plan| i64::from(plan.contains("requests_delivery")))
            .unwrap();
        assert_eq!(counted, 1, "the attempt count reads the delivery index");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn list_filters_by_event_type_and_body_fields() {
        let (_dir, path) = temp_db();
        let store = Store::open(&path).unwrap();
        capture(&store, stripe_event("01A", "evt_1", "invoice.paid", "cus_42")).await;
        capture(&store, stripe_event("01B", "evt_2", "invoice.created", "cus_7")).await;
        capture(&store, stripe_event("01C", "evt_3", "customer.created", "cus_42")).await;
        capture(&store, stripe_event("01D", "evt_1", "invoice.paid", "cus_42")).await;
        capture(
            &store,
            CapturedRequest::posted("01E", "/form", b"data=1&customer=cus_42".to_vec()),
        )
        .await;
        let ids = |filter: EventFilter| {
            let store = store.clone();
            async move {
                store
                    .read(move |conn| requests::list(conn, &matching(filter, None, 50)))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| row.id)
                    .collect::<Vec<_>>()
            }
        };
        let event = |text: &str| EventFilter {
            event_type: Some(EventTypeMatch::parse(text).unwrap()),
            ..Default::default()
        };
        let field = |text: &str| EventFilter {
            conditions: vec![FieldCondition::parse(text).unwrap()],
            ..Default::default()
        };
        assert_eq!(ids(event("invoice.paid")).await, ["01D", "01A"]);
        assert_eq!(ids(event("invoice.*")).await, ["01D", "01B", "01A"]);
        assert_eq!(ids(field("/data/object/customer=cus_42")).await, ["01D", "01C", "01A"]);
        assert_eq!(ids(field("/data/object/customer!=cus_42")).await, ["01B"]);
        assert_eq!(ids(field("/data/object/amount")).await, ["01D", "01C", "01B", "01A"]);
        let both = EventFilter {
            conditions: vec![FieldCondition::parse("/data/object/customer=cus_42").unwrap()],
            ..event("invoice.*")
        };
        assert_eq!(ids(both).await, ["01D", "01A"]);
        let retries = EventFilter {
            provider: Some("stripe".into()),
            delivery_id: Some("evt_1".into()),
            ..Default::default()
        };
        let rows = store
            .read(move |conn| requests::list(conn, &matching(retries, None, 50)))
            .await
            .unwrap();
        let attempts: Vec<_> = rows.iter().map(|r| (r.id.as_str(), r.attempt)).collect();
        assert_eq!(attempts, [("01D", Some(2)), ("01A", Some(1))]);
        // Keyset paging goes on below the last row.
        let (prefix, below) = (event("invoice.*"), rows[0].seq);
        let page = store
            .read(move |conn| requests::list(conn, &matching(prefix, Some(below), 1)))
            .await
            .unwrap();
        assert_eq!(page[0].id, "01B");
        let plan: String = store
            .read(|conn| {
                Ok(conn.query_row(
                    "EXPLAIN QUERY PLAN SELECT id FROM requests r WHERE r.event_type = 'invoice.paid' ORDER BY r.seq DESC LIMIT 50",
                    [],
                    |row| row.get(3),
                )?)
            })
            .await
            .unwrap();
        assert!(plan.contains("requests_event_type"), "{plan}");
        // Schema samples: bodies of one event type.
        let paid = event("invoice.paid");
        let bodies = store
            .read(move |conn| requests::bodies_matching(conn, &paid, None, 10))
            .await
            .unwrap();
        assert_eq!(bodies.len(), 2);
        assert!(bodies.iter().all(|b| b.starts_with(b"{\"id\":\"evt_1\"")));
    }

    #[test]
    fn an_invalid_pointer_is_refused_with_its_text() {
        for (text, quoted) in [("data/id=1", "\"data/id\""), ("/a~2=1", "\"/a~2\""), ("/x~", "\"/x~\"")] {
            let error = FieldCondition::parse(text).unwrap_err();
            assert!(matches!(error, FilterError::Pointer(_)));
            assert!(error.to_string().contains(quoted), "{error}");
        }
    }

    #[test]
    fn event_meta_of_a_request_without_provider_stays_empty() {
        assert_eq!(
            event_meta::extract_captured(&CapturedRequest::posted("x", "/", vec![])),
            EventMeta::default()
        );
    }
}

/// Over real HTTP: a request the listener captured carries the provider of its verdict (here
/// detected from Stripe's header), which is all capture needs to read its event.
mod over_http {
    use crate::common::{answered_id, blocking, post, start, TestDb};
    use hookscope::event_meta::{self, EventMeta};
    use hookscope::store::requests;

    #[tokio::test(flavor = "multi_thread")]
    async fn a_captured_stripe_request_yields_its_event_from_its_detected_provider() {
        let db = TestDb::new();
        let engine = start(&db.path()).await;
        let addr = engine.local_addr();
        let id = blocking(move || {
            answered_id(&post(
                addr,
                "/stripe/webhook",
                "Content-Type: application/json\r\nStripe-Signature: t=1700000000,v1=00ff\r\n",
                br#"{"id":"evt_3","object":"event","type":"charge.refunded","data":{"object":{}}}"#,
            ))
        })
        .await;
        let stored = engine
            .store()
            .read(move |conn| requests::get(conn, &id))
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(event_meta::provider_of(&stored), Some("stripe"));
        assert_eq!(
            event_meta::extract_captured(&stored),
            EventMeta {
                event_type: Some("charge.refunded".into()),
                delivery_id: Some("evt_3".into()),
            }
        );
        engine.shutdown().await;
    }
}

"""Cross-checks Hookscope's signatures against the providers' official Python SDKs.

For each provider: a request signed by `hookscope sign` passes the SDK's own verifier; a request
the SDK signs (where it can sign) passes `hookscope verify`; a tampered request fails both.
Prints one `PASS name` or `FAIL name: why` line per provider.
"""

import base64
import datetime
import hashlib
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))
from hookscope_cli import Hookscope, Request  # noqa: E402

JSON = ("Content-Type", "application/json")
FORM = ("Content-Type", "application/x-www-form-urlencoded")
BODY = '{"id":"evt_1","type":"test.event","data":{"name":"Zo\u00eb","amount":1130}}'
TAMPERED = BODY.replace("1130", "9130")


def passes(verifier):
    """True when the SDK's verifier accepts: it neither raises nor returns False (Svix returns None)."""
    try:
        result = verifier()
    except Exception:  # noqa: BLE001 - every SDK raises its own error type on a bad signature
        return False
    return result is not False


class Checks:
    """The sub-checks of one provider; all must hold."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def expect(self, label, condition):
        self.count += 1
        if not condition:
            self.failures.append(label)

    def hookscope_valid(self, label, verdict):
        self.count += 1
        if not verdict.get("valid"):
            self.failures.append(f"{label} ({verdict.get('diagnosis')}: {verdict.get('reason')})")

    def hookscope_invalid(self, label, verdict):
        self.expect(label, not verdict.get("valid"))


def stripe_sdk(h, now, c):
    import stripe

    secret = "whsec_sdk_cross_check"
    signed = h.sign("stripe", secret, Request("https://example.com/stripe", [JSON], BODY), now)
    header = signed.header("Stripe-Signature")
    c.expect("SDK verifies hookscope's signature", passes(lambda: stripe.WebhookSignature.verify_header(BODY, header, secret, 300)))
    c.expect("SDK rejects a tampered body", not passes(lambda: stripe.WebhookSignature.verify_header(TAMPERED, header, secret, 300)))
    sdk_header = stripe.WebhookSignature.generate_signature_header(BODY, secret, timestamp=now)
    request = Request("https://example.com/stripe", [JSON, ("Stripe-Signature", sdk_header)], BODY)
    c.hookscope_valid("hookscope verifies the SDK's signature", h.verify("stripe", secret, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("stripe", secret, request.with_body(TAMPERED), now))


def standard_webhooks_like(h, now, c, provider, webhook_class, prefix):
    secret = "whsec_" + base64.b64encode(b"sdk-cross-check-secret-bytes").decode()
    signed = h.sign(provider, secret, Request("https://example.com/hook", [JSON], BODY), now)
    headers = {name.lower(): value for name, value in signed.headers}
    hook = webhook_class(secret)
    c.expect("SDK verifies hookscope's signature", passes(lambda: hook.verify(BODY, headers)))
    c.expect("SDK rejects a tampered body", not passes(lambda: hook.verify(TAMPERED, headers)))
    msg_id = "msg_2Lk6ZEWnm8JBlxHxxRqsLWfGQHM"
    stamp = datetime.datetime.fromtimestamp(now, tz=datetime.timezone.utc)
    signature = hook.sign(msg_id, stamp, BODY)
    request = Request(
        "https://example.com/hook",
        [JSON, (f"{prefix}-id", msg_id), (f"{prefix}-timestamp", str(now)), (f"{prefix}-signature", signature)],
        BODY,
    )
    c.hookscope_valid("hookscope verifies the SDK's signature", h.verify(provider, secret, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify(provider, secret, request.with_body(TAMPERED), now))


def svix_sdk(h, now, c):
    from svix.webhooks import Webhook

    standard_webhooks_like(h, now, c, "svix", Webhook, "svix")


def standardwebhooks_sdk(h, now, c):
    from standardwebhooks.webhooks import Webhook

    standard_webhooks_like(h, now, c, "standard_webhooks", Webhook, "webhook")


def slack_sdk(h, now, c):
    from slack_sdk.signature import SignatureVerifier

    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    verifier = SignatureVerifier(secret)
    signed = h.sign("slack", secret, Request("https://example.com/slack", [JSON], BODY), now)
    ts, sig = signed.header("X-Slack-Request-Timestamp"), signed.header("X-Slack-Signature")
    c.expect("SDK verifies hookscope's signature", verifier.is_valid(BODY, ts, sig))
    c.expect("SDK rejects a tampered body", not verifier.is_valid(TAMPERED, ts, sig))
    sdk_sig = verifier.generate_signature(timestamp=str(now), body=BODY)
    request = Request(
        "https://example.com/slack",
        [JSON, ("X-Slack-Request-Timestamp", str(now)), ("X-Slack-Signature", sdk_sig)],
        BODY,
    )
    c.hookscope_valid("hookscope verifies the SDK's signature", h.verify("slack", secret, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("slack", secret, request.with_body(TAMPERED), now))


def twilio_sdk(h, now, c):
    from urllib.parse import urlencode

    from twilio.request_validator import RequestValidator

    token = "12345"
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234", "To": "+18005551212"}
    tampered_params = dict(params, Digits="9999")
    body, tampered = urlencode(params), urlencode(tampered_params)
    validator = RequestValidator(token)
    signed = h.sign("twilio", token, Request(url, [FORM], body), now)
    sig = signed.header("X-Twilio-Signature")
    c.expect("SDK verifies hookscope's signature", validator.validate(url, params, sig))
    c.expect("SDK rejects a tampered body", not validator.validate(url, tampered_params, sig))
    request = Request(url, [FORM, ("X-Twilio-Signature", validator.compute_signature(url, params))], body)
    c.hookscope_valid("hookscope verifies the SDK's signature", h.verify("twilio", token, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("twilio", token, request.with_body(tampered), now))


def hubspot_sdk(h, now, c):
    from hubspot.utils.signature import Signature

    secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
    url = "https://www.example.com/webhook_uri"
    base = Request(url, [JSON], BODY)
    for version, provider in [("v3", "hubspot"), ("v2", "hubspot;version=v2"), ("v1", "hubspot;version=v1")]:
        signed = h.sign(provider, secret, base, now)
        if version == "v3":
            sig, ts = signed.header("X-HubSpot-Signature-v3"), signed.header("X-HubSpot-Request-Timestamp")
        else:
            sig, ts = signed.header("X-HubSpot-Signature"), None
            c.expect(f"{version}: hookscope names the version", signed.header("X-HubSpot-Signature-Version") == version)

        def sdk_valid(body, sig=sig, ts=ts, version=version):
            return Signature.is_valid(sig, secret, body, http_uri=url, http_method="POST", signature_version=version, timestamp=ts)

        c.expect(f"{version}: SDK verifies hookscope's signature", passes(lambda: sdk_valid(BODY)))
        c.expect(f"{version}: SDK rejects a tampered body", not passes(lambda: sdk_valid(TAMPERED)))
        ts_ms = str(now * 1000)
        sdk_sig = Signature.get_signature(secret, BODY, version, url, "POST", ts_ms)
        if version == "v3":
            headers = [("X-HubSpot-Signature-v3", sdk_sig), ("X-HubSpot-Request-Timestamp", ts_ms)]
        else:
            headers = [("X-HubSpot-Signature", sdk_sig), ("X-HubSpot-Signature-Version", version)]
        request = base.with_headers(headers)
        c.hookscope_valid(f"{version}: hookscope verifies the SDK's signature", h.verify("hubspot", secret, request, now))
        c.hookscope_invalid(f"{version}: hookscope rejects a tampered body", h.verify("hubspot", secret, request.with_body(TAMPERED), now))


def plivo_sdk(h, now, c):
    from urllib.parse import urlencode

    from plivo.utils import validate_signature
    from plivo.utils.signature_v3 import construct_get_url, construct_post_url, get_signature_v3, validate_v3_signature

    token = "MAXXXXXXXXXXXXXXXXXX-auth-token"
    url = "https://example.com/plivo/answer?CallUUID=1&a=x%20y"
    params = {"From": "14155550100", "To": "14155550111", "Direction": "inbound"}
    tampered_params = dict(params, To="14155559999")
    body, tampered = urlencode(params), urlencode(tampered_params)
    base = Request(url, [FORM], body)

    # V3, POST: the URL with its sorted query, then the sorted form fields, then the nonce.
    signed = h.sign("plivo", token, base, now)
    nonce, sig = signed.header("X-Plivo-Signature-V3-Nonce"), signed.header("X-Plivo-Signature-V3")
    c.expect("V3 POST: SDK verifies hookscope's signature", validate_v3_signature("POST", url, nonce, token, sig, dict(params)))
    c.expect("V3 POST: SDK rejects a tampered form", not validate_v3_signature("POST", url, nonce, token, sig, dict(tampered_params)))
    sdk_nonce = "12345678901234567890"
    sdk_sig = get_signature_v3(token.encode(), construct_post_url(url, dict(params)), sdk_nonce.encode()).decode()
    request = base.with_headers([("X-Plivo-Signature-V3-Nonce", sdk_nonce), ("X-Plivo-Signature-V3", f"other,{sdk_sig}")])
    c.hookscope_valid("V3 POST: hookscope verifies the SDK's signature", h.verify("plivo", token, request, now))
    c.hookscope_invalid("V3 POST: hookscope rejects a tampered form", h.verify("plivo", token, request.with_body(tampered), now))

    # V3, GET: the query alone.
    get = Request(url, [], b"", method="GET")
    signed = h.sign("plivo", token, get, now)
    nonce, sig = signed.header("X-Plivo-Signature-V3-Nonce"), signed.header("X-Plivo-Signature-V3")
    c.expect("V3 GET: SDK verifies hookscope's signature", validate_v3_signature("GET", url, nonce, token, sig))
    sdk_sig = get_signature_v3(token.encode(), construct_get_url(url, {}), sdk_nonce.encode()).decode()
    request = get.with_headers([("X-Plivo-Signature-V3-Nonce", sdk_nonce), ("X-Plivo-Signature-V3", sdk_sig)])
    c.hookscope_valid("V3 GET: hookscope verifies the SDK's signature", h.verify("plivo", token, request, now))
    other = "https://example.com/plivo/hangup?CallUUID=1&a=x%20y"
    c.hookscope_invalid("V3 GET: hookscope rejects another URL", h.verify("plivo", token, request.with_url(other), now))

    # V2: the URL without its query, then the nonce; the body is not signed.
    signed = h.sign("plivo;version=V2", token, base, now)
    nonce, sig = signed.header("X-Plivo-Signature-V2-Nonce"), signed.header("X-Plivo-Signature-V2")
    c.expect("V2: SDK verifies hookscope's signature", validate_signature(url, nonce, sig, token))
    c.expect("V2: SDK rejects a tampered URL", not validate_signature(other, nonce, sig, token))
    c.hookscope_valid("V2: hookscope verifies its own signature", h.verify("plivo", token, signed, now))
    c.hookscope_invalid("V2: hookscope rejects a tampered URL", h.verify("plivo", token, signed.with_url(other), now))


def adyen_sdk(h, now, c):
    import copy
    import json

    from Adyen.util import generate_notification_sig, generate_payload_sig, is_valid_hmac_notification, is_valid_hmac_payload

    key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
    # Header-signed webhooks (Balance Platform, Management API): both directions.
    signed = h.sign("adyen", key, Request("https://example.com/adyen", [JSON], BODY), now)
    sig = signed.header("HmacSignature")
    c.expect("header: SDK verifies hookscope's signature", is_valid_hmac_payload(sig, key, BODY.encode()))
    c.expect("header: SDK rejects a tampered body", not is_valid_hmac_payload(sig, key, TAMPERED.encode()))
    sdk_sig = generate_payload_sig(BODY.encode(), key).decode()
    request = Request("https://example.com/adyen", [JSON, ("HmacSignature", sdk_sig)], BODY)
    c.hookscope_valid("header: hookscope verifies the SDK's signature", h.verify("adyen", key, request, now))
    c.hookscope_invalid("header: hookscope rejects a tampered body", h.verify("adyen", key, request.with_body(TAMPERED), now))
    # The classic notification, HMAC in the body: the SDK signs, Hookscope verifies.
    item = {
        "pspReference": "7914073381342284",
        "merchantReference": "TestPayment-1407325143704",
        "merchantAccountCode": "TestMerchant",
        "amount": {"currency": "EUR", "value": 1130},
        "eventCode": "AUTHORISATION",
        "success": "true",
    }
    item["additionalData"] = {"hmacSignature": generate_notification_sig(item, key).decode()}
    notification = {"live": "false", "notificationItems": [{"NotificationRequestItem": item}]}
    tampered = copy.deepcopy(notification)
    tampered["notificationItems"][0]["NotificationRequestItem"]["amount"]["value"] = 9130
    c.expect("notification: SDK verifies its own item", is_valid_hmac_notification(notification, key))
    c.expect("notification: SDK rejects a tampered amount", not is_valid_hmac_notification(tampered, key))
    request = Request("https://example.com/adyen", [JSON], json.dumps(notification))
    c.hookscope_valid("notification: hookscope verifies the SDK's signature", h.verify("adyen", key, request, now))
    c.hookscope_invalid(
        "notification: hookscope rejects a tampered amount",
        h.verify("adyen", key, request.with_body(json.dumps(tampered)), now),
    )


def square_sdk(h, now, c):
    from square.utils.webhooks_helper import verify_signature

    key = "Ysz4eB5ZTbC2BJ1ZXHtqLg"
    url = "https://example.com/square/webhook"
    signed = h.sign("square", key, Request(url, [JSON], BODY), now)
    sig = signed.header("X-Square-Hmacsha256-Signature")

    def sdk_valid(body, url=url):
        return verify_signature(request_body=body, signature_header=sig, signature_key=key, notification_url=url)

    c.expect("SDK verifies hookscope's signature", sdk_valid(BODY))
    c.expect("SDK rejects a tampered body", not sdk_valid(TAMPERED))
    c.expect("SDK rejects another URL", not sdk_valid(BODY, "https://example.com/other"))
    c.hookscope_valid("hookscope verifies its own signature", h.verify("square", key, signed, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("square", key, signed.with_body(TAMPERED), now))


class _PaddleRequest:
    def __init__(self, headers, body):
        self.headers = {name: value for name, value in headers}
        self.body = body.encode()


def paddle_sdk(h, now, c):
    from paddle_billing.Notifications import Secret, Verifier
    from paddle_billing.Notifications.PaddleSignature import PaddleSignature

    secret = "pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI1vEI"
    signed = h.sign("paddle", secret, Request("https://example.com/paddle", [JSON], BODY), int(time.time()))
    header = signed.header("Paddle-Signature")
    verify = Verifier().verify
    c.expect("SDK verifies hookscope's signature", verify(_PaddleRequest([("Paddle-Signature", header)], BODY), Secret(secret)))
    c.expect("SDK rejects a tampered body", not verify(_PaddleRequest([("Paddle-Signature", header)], TAMPERED), Secret(secret)))
    ts = int(time.time())
    h1 = PaddleSignature.calculate_hmac(secret, f"{ts}:{BODY}".encode()).hexdigest()
    request = Request("https://example.com/paddle", [JSON, ("Paddle-Signature", f"ts={ts};h1={h1}")], BODY)
    c.hookscope_valid("hookscope verifies the SDK's signature", h.verify("paddle", secret, request, ts))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("paddle", secret, request.with_body(TAMPERED), ts))


def sendgrid_sdk(h, now, c):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from sendgrid.helpers.eventwebhook import EventWebhook

    private = ec.derive_private_key(int.from_bytes(hashlib.sha256(b"sdk-cross-check-sendgrid").digest(), "big"), ec.SECP256R1())
    scalar = base64.b64encode(private.private_numbers().private_value.to_bytes(32, "big")).decode()
    spki = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    public = base64.b64encode(spki).decode()
    webhook = EventWebhook()
    key = webhook.convert_public_key_to_ecdsa(public)
    body = '[{"email":"example@test.com","event":"processed","timestamp":1600112502}]\r\n'
    tampered = body.replace("processed", "delivered")
    signed = h.sign("sendgrid", scalar, Request("https://example.com/sendgrid", [JSON], body), now)
    sig = signed.header("X-Twilio-Email-Event-Webhook-Signature")
    ts = signed.header("X-Twilio-Email-Event-Webhook-Timestamp")
    c.expect("SDK verifies hookscope's signature", webhook.verify_signature(body, sig, ts, key))
    c.expect("SDK rejects a tampered body", not webhook.verify_signature(tampered, sig, ts, key))
    # The SDK only verifies; its ECDSA library (cryptography) signs.
    der = private.sign((str(now) + body).encode(), ec.ECDSA(hashes.SHA256()))
    sdk_sig = base64.b64encode(der).decode()
    request = Request(
        "https://example.com/sendgrid",
        [JSON, ("X-Twilio-Email-Event-Webhook-Signature", sdk_sig), ("X-Twilio-Email-Event-Webhook-Timestamp", str(now))],
        body,
    )
    c.hookscope_valid("hookscope verifies a cryptography ECDSA signature", h.verify("sendgrid", public, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("sendgrid", public, request.with_body(tampered), now))


def discord_sdk(h, now, c):
    from discord_interactions import verify_key
    from nacl.signing import SigningKey

    seed = hashlib.sha256(b"sdk-cross-check-discord").digest()
    signing = SigningKey(seed)
    public = signing.verify_key.encode().hex()
    signed = h.sign("discord", seed.hex(), Request("https://example.com/discord", [JSON], BODY), now)
    sig, ts = signed.header("X-Signature-Ed25519"), signed.header("X-Signature-Timestamp")
    c.expect("SDK verifies hookscope's signature", verify_key(BODY.encode(), sig, ts, public))
    c.expect("SDK rejects a tampered body", not verify_key(TAMPERED.encode(), sig, ts, public))
    # The SDK only verifies; PyNaCl, which it verifies with, signs.
    sdk_sig = signing.sign((str(now) + BODY).encode()).signature.hex()
    request = Request(
        "https://example.com/discord",
        [JSON, ("X-Signature-Ed25519", sdk_sig), ("X-Signature-Timestamp", str(now))],
        BODY,
    )
    c.hookscope_valid("hookscope verifies a PyNaCl signature", h.verify("discord", public, request, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("discord", public, request.with_body(TAMPERED), now))


def razorpay_sdk(h, now, c):
    import razorpay

    secret = "razorpay-webhook-secret"
    utility = razorpay.Client(auth=("rzp_test_key", "rzp_test_secret")).utility
    signed = h.sign("razorpay", secret, Request("https://example.com/razorpay", [JSON], BODY), now)
    sig = signed.header("X-Razorpay-Signature")
    c.expect("SDK verifies hookscope's signature", passes(lambda: utility.verify_webhook_signature(BODY, sig, secret)))
    c.expect("SDK rejects a tampered body", not passes(lambda: utility.verify_webhook_signature(TAMPERED, sig, secret)))
    c.hookscope_valid("hookscope verifies its own signature", h.verify("razorpay", secret, signed, now))
    c.hookscope_invalid("hookscope rejects a tampered body", h.verify("razorpay", secret, signed.with_body(TAMPERED), now))


def triggered_samples(h, provider, secret):
    """Every sample of `provider`, sent by `hookscope trigger --to` a local receiver: the request
    each one delivered, as (event, headers as a dict with lowercase names, body bytes)."""
    import http.server
    import json
    import subprocess
    import threading

    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(({name.lower(): value for name, value in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        listed = subprocess.run([h.binary, "samples", provider, "--json"], capture_output=True, check=True)
        sent = []
        for sample in json.loads(listed.stdout):
            if sample["method"] != "POST" or not sample["signed"]:
                continue
            url = f"http://127.0.0.1:{server.server_address[1]}/hook"
            done = subprocess.run(
                [h.binary, "trigger", provider, sample["event"], "--to", url, "--secret", secret],
                capture_output=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"trigger {provider} {sample['event']}: {done.stderr.decode(errors='replace')}")
            headers, body = received.pop()
            sent.append((sample["event"], headers, body))
        return sent
    finally:
        server.shutdown()


def samples_stripe_sdk(h, now, c):
    import stripe

    secret = "whsec_sample_cross_check"
    for event, headers, body in triggered_samples(h, "stripe", secret):
        header = headers["stripe-signature"]
        c.expect(f"SDK verifies the sample {event}", passes(lambda: stripe.WebhookSignature.verify_header(body.decode(), header, secret, 300)))


def samples_slack_sdk(h, now, c):
    from slack_sdk.signature import SignatureVerifier

    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    for event, headers, body in triggered_samples(h, "slack", secret):
        valid = SignatureVerifier(secret).is_valid(
            body.decode(), headers["x-slack-request-timestamp"], headers["x-slack-signature"]
        )
        c.expect(f"SDK verifies the sample {event}", valid)


def samples_svix_family_sdk(h, now, c):
    from standardwebhooks.webhooks import Webhook as StandardWebhook
    from svix.webhooks import Webhook as SvixWebhook

    secret = "whsec_" + base64.b64encode(b"sample-cross-check-secret-bytes").decode()
    # Clerk and Resend deliver through Svix and verify with its library.
    for provider, webhook in (("svix", SvixWebhook), ("clerk", SvixWebhook), ("resend", SvixWebhook), ("standard_webhooks", StandardWebhook)):
        for event, headers, body in triggered_samples(h, provider, secret):
            c.expect(f"SDK verifies the {provider} sample {event}", passes(lambda: webhook(secret).verify(body, headers)))


PROVIDERS = [
    ("stripe (stripe)", stripe_sdk),
    ("svix (svix)", svix_sdk),
    ("standard_webhooks (standardwebhooks)", standardwebhooks_sdk),
    ("slack (slack-sdk)", slack_sdk),
    ("twilio (twilio)", twilio_sdk),
    ("hubspot v3, v2, v1 (hubspot-api-client)", hubspot_sdk),
    ("plivo V3 and V2 (plivo)", plivo_sdk),
    ("adyen header and notification (Adyen)", adyen_sdk),
    ("square (squareup)", square_sdk),
    ("paddle (paddle-python-sdk)", paddle_sdk),
    ("sendgrid (sendgrid)", sendgrid_sdk),
    ("discord (discord-interactions)", discord_sdk),
    ("razorpay (razorpay)", razorpay_sdk),
    ("stripe samples from `hookscope trigger` (stripe)", samples_stripe_sdk),
    ("slack samples from `hookscope trigger` (slack-sdk)", samples_slack_sdk),
    ("svix, clerk, resend, standard_webhooks samples from `hookscope trigger` (svix)", samples_svix_family_sdk),
]


def main():
    hookscope = Hookscope()
    failed = 0
    for name, check in PROVIDERS:
        checks = Checks()
        try:
            check(hookscope, int(time.time()), checks)
        except Exception as error:  # noqa: BLE001 - report and go on with the next provider
            checks.failures.append(f"error: {error!r}")
            traceback.print_exc(file=sys.stderr)
        if checks.failures:
            failed += 1
            print(f"FAIL {name}: {'; '.join(checks.failures)}", flush=True)
        else:
            print(f"PASS {name} ({checks.count} checks)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

// Cross-checks Hookscope's signatures against the providers' official npm packages.
//
// For each provider: a request signed by `hookscope sign` passes the package's own verifier; a
// request the package signs (where it can sign) passes `hookscope verify`; a tampered request
// fails both. Prints one `PASS name` or `FAIL name: why` line per provider.
// scripts/test-sdk.sh copies it beside the installed node_modules and sets $HOOKSCOPE_BIN.

import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const BIN = process.env.HOOKSCOPE_BIN;
const JSON_TYPE = ["Content-Type", "application/json"];
const BODY = '{"id":"evt_1","type":"test.event","data":{"name":"Zoë","amount":1130}}';
const TAMPERED = BODY.replace("1130", "9130");

/** The raw HTTP/1.1 request file for a URL, headers ([name, value]) and body. */
function raw(url, headers, body) {
  const u = new URL(url);
  const lines = [`POST ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n"), Buffer.from(body)]);
}

function run(args, url, headers, body) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-sdk-")), "request.http");
  fs.writeFileSync(file, raw(url, headers, body));
  try {
    return spawnSync(BIN, [...args, "--request", file, "--url", url]);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true });
  }
}

/** The headers `hookscope sign` sets, as a lower-cased map. */
function sign(provider, secret, url, headers, body, now) {
  const done = run(["sign", "--provider", provider, "--secret", secret, "--now", String(now)], url, headers, body);
  if (done.status !== 0) throw new Error(`hookscope sign ${provider}: ${done.stderr}`);
  const head = done.stdout.toString("utf8").split("\r\n\r\n")[0];
  const out = {};
  for (const line of head.split("\r\n").slice(1)) {
    const at = line.indexOf(":");
    out[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The `--json` verdict of `hookscope verify`. */
function verify(provider, secret, url, headers, body, now) {
  const done = run(["verify", "--provider", provider, "--secret", secret, "--now", String(now), "--json"], url, headers, body);
  if (done.status !== 0 && done.status !== 1) throw new Error(`hookscope verify ${provider}: ${done.stderr}`);
  return JSON.parse(done.stdout.toString("utf8"));
}

class Checks {
  constructor() {
    this.failures = [];
    this.count = 0;
  }
  expect(label, condition) {
    this.count += 1;
    if (!condition) this.failures.push(label);
  }
  valid(label, verdict) {
    this.count += 1;
    if (!verdict.valid) this.failures.push(`${label} (${verdict.diagnosis}: ${verdict.reason})`);
  }
  invalid(label, verdict) {
    this.expect(label, !verdict.valid);
  }
}

async function passes(verifier) {
  try {
    return (await verifier()) !== false;
  } catch {
    return false;
  }
}

async function github(c, now) {
  const { sign: sdkSign, verify: sdkVerify } = await import("@octokit/webhooks-methods");
  const secret = "It's a Secret to Everybody";
  const url = "https://example.com/github";
  const headers = [JSON_TYPE, ["X-GitHub-Event", "push"]];
  const signed = sign("github", secret, url, headers, BODY, now);
  const signature = signed["x-hub-signature-256"];
  c.expect("SDK verifies hookscope's signature", await sdkVerify(secret, BODY, signature));
  c.expect("SDK rejects a tampered body", !(await sdkVerify(secret, TAMPERED, signature)));
  const sdkSignature = await sdkSign(secret, BODY);
  const request = [...headers, ["X-Hub-Signature-256", sdkSignature]];
  c.valid("hookscope verifies the SDK's signature", verify("github", secret, url, request, BODY, now));
  c.invalid("hookscope rejects a tampered body", verify("github", secret, url, request, TAMPERED, now));
}

async function linear(c, now) {
  const { LinearWebhookClient } = await import("@linear/sdk/webhooks");
  const secret = "lin_wh_sdk_cross_check";
  const url = "https://example.com/linear";
  const body = JSON.stringify({ action: "create", type: "Issue", data: { id: "1" }, webhookTimestamp: Date.now() });
  const tampered = body.replace("create", "remove");
  const client = new LinearWebhookClient(secret);
  const signed = sign("linear", secret, url, [JSON_TYPE], body, now);
  const signature = signed["linear-signature"];
  c.expect("SDK verifies hookscope's signature", await passes(() => client.verify(Buffer.from(body), signature)));
  c.expect("SDK rejects a tampered body", !(await passes(() => client.verify(Buffer.from(tampered), signature))));
  const request = [JSON_TYPE, ["Linear-Signature", signature]];
  c.valid("hookscope verifies its own signature", verify("linear", secret, url, request, body, now));
  c.invalid("hookscope rejects a tampered body", verify("linear", secret, url, request, tampered, now));
  // Without webhookTimestamp this SDK version refuses; Hookscope verifies and warns, as Linear's
  // older SDK accepted it (docs/signatures.md). Both sides are pinned here so a change shows.
  const bare = JSON.stringify({ action: "create", type: "Issue", data: { id: "1" } });
  const bareSignature = sign("linear", secret, url, [JSON_TYPE], bare, now)["linear-signature"];
  c.expect("SDK refuses a body without webhookTimestamp", !(await passes(() => client.verify(Buffer.from(bare), bareSignature))));
  const warned = verify("linear", secret, url, [JSON_TYPE, ["Linear-Signature", bareSignature]], bare, now);
  c.expect("hookscope verifies it with a warning", warned.valid && warned.diagnosis === "optional_part_missing");
}

async function adyen(c, now) {
  const HmacValidator = require("@adyen/api-library/lib/src/utils/hmacValidator").default;
  const validator = new HmacValidator();
  const key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
  const url = "https://example.com/adyen";
  const signed = sign("adyen", key, url, [JSON_TYPE], BODY, now);
  const signature = signed["hmacsignature"];
  c.expect("header: SDK verifies hookscope's signature", validator.validateHMACSignature(key, signature, BODY));
  c.expect("header: SDK rejects a tampered body", !validator.validateHMACSignature(key, signature, TAMPERED));
  const request = [JSON_TYPE, ["HmacSignature", validator.calculateHmac(BODY, key)]];
  c.valid("header: hookscope verifies the SDK's signature", verify("adyen", key, url, request, BODY, now));
  c.invalid("header: hookscope rejects a tampered body", verify("adyen", key, url, request, TAMPERED, now));
  const item = {
    pspReference: "7914073381342284",
    merchantReference: "TestPayment-1407325143704",
    merchantAccountCode: "TestMerchant",
    amount: { currency: "EUR", value: 1130 },
    eventCode: "AUTHORISATION",
    success: "true",
  };
  item.additionalData = { hmacSignature: validator.calculateHmac(item, key) };
  const notification = JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: item }] });
  const tampered = notification.replace('"value":1130', '"value":9130');
  c.valid("notification: hookscope verifies the SDK's signature", verify("adyen", key, url, [JSON_TYPE], notification, now));
  c.invalid("notification: hookscope rejects a tampered amount", verify("adyen", key, url, [JSON_TYPE], tampered, now));
}

async function discord(c, now) {
  const { verifyKey } = await import("discord-interactions");
  const seed = crypto.createHash("sha256").update("sdk-cross-check-discord-node").digest();
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = crypto.createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const publicHex = crypto.createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12).toString("hex");
  const url = "https://example.com/discord";
  const signed = sign("discord", seed.toString("hex"), url, [JSON_TYPE], BODY, now);
  const [signature, timestamp] = [signed["x-signature-ed25519"], signed["x-signature-timestamp"]];
  c.expect("SDK verifies hookscope's signature", await verifyKey(BODY, signature, timestamp, publicHex));
  c.expect("SDK rejects a tampered body", !(await verifyKey(TAMPERED, signature, timestamp, publicHex)));
  // The package only verifies; Node's own Ed25519 signs.
  const nodeSignature = crypto.sign(null, Buffer.from(String(now) + BODY), privateKey).toString("hex");
  const request = [JSON_TYPE, ["X-Signature-Ed25519", nodeSignature], ["X-Signature-Timestamp", String(now)]];
  c.valid("hookscope verifies a Node Ed25519 signature", verify("discord", publicHex, url, request, BODY, now));
  c.invalid("hookscope rejects a tampered body", verify("discord", publicHex, url, request, TAMPERED, now));
}

async function sendgrid(c, now) {
  const { EventWebhook } = require("@sendgrid/eventwebhook");
  const webhook = new EventWebhook();
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateB64 = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
  const publicB64 = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  const ecKey = webhook.convertPublicKeyToECDSA(publicB64);
  const url = "https://example.com/sendgrid";
  const body = '[{"email":"example@test.com","event":"processed","timestamp":1600112502}]\r\n';
  const tampered = body.replace("processed", "delivered");
  const signed = sign("sendgrid", privateB64, url, [JSON_TYPE], body, now);
  const signature = signed["x-twilio-email-event-webhook-signature"];
  const timestamp = signed["x-twilio-email-event-webhook-timestamp"];
  c.expect("SDK verifies hookscope's signature", webhook.verifySignature(ecKey, body, signature, timestamp));
  c.expect("SDK rejects a tampered body", !webhook.verifySignature(ecKey, tampered, signature, timestamp));
  // The package only verifies; Node's own ECDSA signs.
  const nodeSignature = crypto.sign("sha256", Buffer.from(String(now) + body), privateKey).toString("base64");
  const request = [
    JSON_TYPE,
    ["X-Twilio-Email-Event-Webhook-Signature", nodeSignature],
    ["X-Twilio-Email-Event-Webhook-Timestamp", String(now)],
  ];
  c.valid("hookscope verifies a Node ECDSA signature", verify("sendgrid", publicB64, url, request, body, now));
  c.invalid("hookscope rejects a tampered body", verify("sendgrid", publicB64, url, request, tampered, now));
}

async function mux(c, now) {
  const { default: Mux } = await import("@mux/mux-node");
  const secret = "SuperSecret123";
  const client = new Mux({ tokenId: "unused", tokenSecret: "unused", webhookSecret: secret });
  const url = "https://example.com/mux";
  const signed = sign("mux", secret, url, [JSON_TYPE], BODY, now);
  const headers = { "mux-signature": signed["mux-signature"] };
  c.expect("SDK verifies hookscope's signature", await passes(() => client.webhooks.verifySignature(BODY, headers, secret)));
  c.expect("SDK rejects a tampered body", !(await passes(() => client.webhooks.verifySignature(TAMPERED, headers, secret))));
  // The SDK has no public signer: hookscope checks its own signature and the tampered body.
  const request = [JSON_TYPE, ["Mux-Signature", signed["mux-signature"]]];
  c.valid("hookscope verifies its own signature", verify("mux", secret, url, request, BODY, now));
  c.invalid("hookscope rejects a tampered body", verify("mux", secret, url, request, TAMPERED, now));
}

/** Every signed POST sample of `provider`, sent by `hookscope trigger --to` a local receiver:
 * [event, headers (lower-cased names), body Buffer] for each. */
async function triggeredSamples(provider, secret) {
  const http = await import("node:http");
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      received.push([req.headers, Buffer.concat(chunks)]);
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/hook`;
  try {
    const listed = spawnSync(BIN, ["samples", provider, "--json"]);
    const sent = [];
    for (const sample of JSON.parse(listed.stdout.toString("utf8"))) {
      if (sample.method !== "POST" || !sample.signed) continue;
      // Asynchronous, so this process's receiver can answer while the CLI waits.
      const done = await new Promise((resolve) => {
        const child = require("node:child_process").spawn(BIN, ["trigger", provider, sample.event, "--to", url, "--secret", secret]);
        let stderr = "";
        child.stderr.on("data", (data) => (stderr += data));
        child.on("close", (code) => resolve({ code, stderr }));
      });
      if (done.code !== 0) throw new Error(`trigger ${provider} ${sample.event}: ${done.stderr}`);
      const [headers, body] = received.pop();
      sent.push([sample.event, headers, body]);
    }
    return sent;
  } finally {
    server.close();
  }
}

async function githubSamples(c) {
  const { verify: sdkVerify } = await import("@octokit/webhooks-methods");
  const secret = "It's a Secret to Everybody";
  for (const [event, headers, body] of await triggeredSamples("github", secret)) {
    const signature = headers["x-hub-signature-256"];
    c.expect(`SDK verifies the sample ${event}`, await sdkVerify(secret, body.toString("utf8"), signature));
  }
}

const PROVIDERS = [
  ["github (@octokit/webhooks-methods)", github],
  ["github samples from `hookscope trigger` (@octokit/webhooks-methods)", githubSamples],
  ["linear (@linear/sdk)", linear],
  ["adyen header and notification (@adyen/api-library)", adyen],
  ["discord (discord-interactions)", discord],
  ["sendgrid (@sendgrid/eventwebhook)", sendgrid],
  ["mux (@mux/mux-node)", mux],
];

let failed = 0;
for (const [name, check] of PROVIDERS) {
  const c = new Checks();
  try {
    await check(c, Math.floor(Date.now() / 1000));
  } catch (error) {
    c.failures.push(`error: ${error.message}`);
  }
  if (c.failures.length) {
    failed += 1;
    console.log(`FAIL ${name}: ${c.failures.join("; ")}`);
  } else {
    console.log(`PASS ${name} (${c.count} checks)`);
  }
}
process.exitCode = failed ? 1 : 0;

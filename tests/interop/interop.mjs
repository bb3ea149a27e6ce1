// Interoperability of the webhook-guard CLI with the providers' official Node SDKs.
//
// Providers covered here: GitHub (@octokit/webhooks-methods), Shopify
// (@shopify/shopify-api with its Node adapter), Discord (discord-interactions),
// SendGrid (@sendgrid/eventwebhook), Mux (@mux/mux-node, which only verifies:
// one direction), Paddle (@paddle/paddle-node-sdk, which only verifies: Node's
// crypto signs, as for Discord) and the Svix senders Clerk and Resend (svix,
// the library both document), Linear (@linear/sdk's LinearWebhookClient,
// which only verifies: Node's crypto signs), and Adyen (@adyen/api-library's
// HmacValidator, both ways, the signature inside the body's item). Standard Webhooks, Stripe, Slack and
// Twilio are in interop.py.
//
// For each provider, two directions:
//   sdk->cli  the official SDK signs; `webhook-guard verify` must accept and
//             report the right event_id / timestamp / key_index, and must
//             reject (exit 1, one line on stderr) the same request with one
//             body byte changed. Discord and SendGrid publish no signer: Node's
//             own crypto signs (Ed25519; ECDSA P-256), and the SDK's verifier
//             must accept that request first, so the reference is known good.
//   cli->sdk  `webhook-guard sign` signs; the official SDK's verifier must
//             accept, and must reject the same request with one body byte changed.
//
// Run through scripts/interop, which sets WEBHOOK_GUARD_BIN. INTEROP_SEED makes
// a run reproducible (the seed of every run is printed); INTEROP_CASES sets the
// number of cases per provider and direction (default 24). After the random
// cases, edge cases check the CLI's answer where an SDK may differ from the
// crate's documented policy (see edgeCases()); a wrong answer fails the run.

import { spawnSync } from 'node:child_process';
import { createECDH, createHmac, createPrivateKey, createPublicKey, randomBytes, sign as cryptoSign } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import { EventWebhook } from '@sendgrid/eventwebhook';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { getHmac as shopifyTestHmac } from '@shopify/shopify-api/test-helpers';
import Mux from '@mux/mux-node';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { hmacValidator as AdyenHmacValidator } from '@adyen/api-library';
import { Paddle } from '@paddle/paddle-node-sdk';
import { verifyKey as discordVerifyKey } from 'discord-interactions';
import { Webhook as SvixWebhook } from 'svix';

const BIN = process.env.WEBHOOK_GUARD_BIN;
const CASES = Number(process.env.INTEROP_CASES ?? 24);
const SEED = Number(process.env.INTEROP_SEED ?? randomBytes(4).readUInt32LE(0));
const TMP = mkdtempSync(join(tmpdir(), 'webhook-guard-interop-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
const failures = [];

// ------------------------------------------------------------------------- //
// Seeded random inputs (mulberry32)
// ------------------------------------------------------------------------- //

let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (low, high) => low + Math.floor(random() * (high - low + 1));
const choice = (items) => items[Math.floor(random() * items.length)];
function shuffle(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '\n\r\t';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UNICODE = [...'aéñüßΩπжяقש日本語中文한국어∑∞→★☃😀🚀👍🏽🇫🇷\u0301\u200b\u00a0"\\\t\n\r'];

const randText = (alphabet, low, high) => Array.from({ length: randInt(low, high) }, () => choice(alphabet)).join('');
const randId = (prefix, n = 24) => prefix + randText(ID_CHARS, n, n);
const randUnicode = () => randText(UNICODE, 1, 150);
const randAscii = () => randText(ASCII, 1, 400);
const uuid = () => {
  const h = randText(HEX, 32, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const randBytes = (n) => Buffer.from(Array.from({ length: n }, () => randInt(0, 255)));
// The real clock's "now", minus up to two minutes (the SDKs and the CLI check freshness).
const nowTs = () => Math.floor(Date.now() / 1000) - randInt(0, 120);

function shuffledObject(obj) {
  return Object.fromEntries(random() < 0.5 ? shuffle(Object.entries(obj)) : Object.entries(obj));
}

function dumpJson(value) {
  return random() < 0.5 ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

function kinds(list, n) {
  return shuffle(Array.from({ length: n }, (_, i) => list[i % list.length]));
}

// The same body with exactly one byte changed, still valid UTF-8 (the SDKs
// take the body as a string).
function tamper(body) {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length === 0) return 'x';
  for (;;) {
    const i = Math.floor(random() * bytes.length);
    const b = bytes[i];
    const out = Buffer.from(bytes);
    if (b < 0x80) {
      const pool = [...Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789 {}"')].filter((c) => c !== b);
      out[i] = choice(pool);
    } else if (b <= 0xbf) {
      out[i] = b ^ 0x01;
    } else {
      continue;
    }
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(out);
    } catch {
      continue;
    }
    if (text !== body) return text;
  }
}

// ------------------------------------------------------------------------- //
// The CLI
// ------------------------------------------------------------------------- //

let counter = 0;
function runCli(args, body) {
  // Alternate between standard input and --body-file.
  counter += 1;
  const bytes = Buffer.from(body, 'utf8');
  let result;
  if (counter % 2) {
    result = spawnSync(BIN, args, { input: bytes, timeout: 60_000 });
  } else {
    const path = join(TMP, `body-${counter}`);
    writeFileSync(path, bytes);
    result = spawnSync(BIN, [...args, '--body-file', path], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  }
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

// `extra`: more arguments, e.g. [`--timestamp=${ts}`] (in the `--name=value`
// form, as a value may start with "-").
function cliSign(provider, secrets, body, id, extra = []) {
  const args = ['sign', '--provider', provider, ...secrets.map((s) => `--secret=${s}`), ...extra];
  if (id !== undefined) args.push(`--id=${id}`); // an ID may start with "-"
  const r = runCli(args, body);
  if (r.code !== 0) throw new Error(`webhook-guard ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  const headers = {};
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const at = line.indexOf(': ');
    const name = line.slice(0, at);
    if (at < 0 || name !== name.toLowerCase() || name in headers) throw new Error(`malformed sign output line ${JSON.stringify(line)}`);
    headers[name] = line.slice(at + 2);
  }
  return headers;
}

function cliVerify(provider, secrets, headers, body, extra = []) {
  const args = ['verify', '--provider', provider, ...secrets.map((s) => `--secret=${s}`), ...extra];
  for (const [name, value] of Object.entries(headers)) args.push(`--header=${name}: ${value}`);
  return runCli(args, body);
}

const describe = (r) => `exit ${r.code}, stdout ${JSON.stringify(r.stdout.trim())}, stderr ${JSON.stringify(r.stderr.trim())}`;

class Case {
  constructor(provider, direction, n, inputs) {
    this.label = `${provider} ${direction} case ${n}`;
    this.inputs = inputs;
    this.ok = true;
  }

  fail(message) {
    this.ok = false;
    const shown = Object.fromEntries(
      Object.entries(this.inputs).map(([k, v]) => [k, typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}… (${v.length} long)` : v]),
    );
    failures.push(`FAIL ${this.label}: ${message}\n    inputs: ${JSON.stringify(shown)}`);
  }

  expectCliAccepts(r, want) {
    if (r.code !== 0) {
      this.fail(`webhook-guard verify rejected a request the official SDK signed: ${describe(r)}`);
      return;
    }
    const lines = r.stdout.split('\n').filter(Boolean);
    if (lines.length !== 1) {
      this.fail(`verify printed ${lines.length} lines, want 1: ${describe(r)}`);
      return;
    }
    const got = JSON.parse(lines[0]);
    const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
    if ([...keys].some((k) => got[k] !== want[k])) {
      this.fail(`verify reported ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  }

  expectCliRejects(r) {
    const err = r.stderr.replace(/\n$/, '');
    if (r.code !== 1 || r.stdout !== '' || err === '' || err.includes('\n')) {
      this.fail(`webhook-guard verify on a tampered body: want exit 1, empty stdout and one stderr line; got ${describe(r)}`);
    }
  }
}

// Half the cases put a decoy (an older, rotated-out key) first.
function secretRotation(real, decoy) {
  return random() < 0.5 ? [[decoy, real], 1] : [[real], 0];
}

// ------------------------------------------------------------------------- //
// GitHub: @octokit/webhooks-methods sign() / verify()
// (the SDK refuses an empty payload, as GitHub never sends one: no empty bodies)
// ------------------------------------------------------------------------- //

function githubBody(kind) {
  switch (kind) {
    case 'push':
      return dumpJson(
        shuffledObject({
          ref: 'refs/heads/main',
          before: randText(HEX, 40, 40),
          after: randText(HEX, 40, 40),
          repository: { id: randInt(1, 1e9), full_name: 'octo-org/hello-world', description: randUnicode() },
          pusher: { name: 'octocat', email: 'octocat@github.com' },
          head_commit: { id: randText(HEX, 40, 40), message: randUnicode() },
        }),
      );
    case 'form': // "application/x-www-form-urlencoded" deliveries: payload=<json>
      return `payload=${encodeURIComponent(JSON.stringify({ zen: randUnicode(), hook_id: randInt(1, 1e9) }))}`;
    case 'ascii':
      return randAscii();
    case 'unicode':
      return randUnicode();
    case 'large':
      return JSON.stringify({ action: 'edited', blob: randText(ID_CHARS + ' ', 60_000, 80_000) });
    default:
      throw new Error(kind);
  }
}

function githubSecret() {
  // As typed in the webhook's settings: printable ASCII, sometimes non-ASCII.
  const s = randText(ID_CHARS + '!#$%&()*+,-./:;<=>?@[]^_{|}~', 12, 40);
  return random() < 0.25 ? `${s}ünï€ødé` : s;
}

const GITHUB_KINDS = ['push', 'push', 'form', 'ascii', 'unicode', 'large'];

async function githubSdkToCli() {
  let ok = 0;
  for (const [n, kind] of kinds(GITHUB_KINDS, CASES).entries()) {
    const secret = githubSecret();
    const decoy = githubSecret();
    const delivery = uuid();
    const body = githubBody(kind);
    const signature = await githubSign(secret, body);
    const headers = { 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': signature };
    const [secrets, keyIndex] = secretRotation(secret, decoy);
    const c = new Case('github', 'sdk->cli', n, { kind, secret, secrets, headers, body });
    c.expectCliAccepts(cliVerify('github', secrets, headers, body), {
      provider: 'github', event_id: delivery, event_id_signed: false, timestamp: null, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('github', secrets, headers, tamper(body)));
    ok += c.ok;
  }
  return ok;
}

async function githubCliToSdk() {
  let ok = 0;
  for (const [n, kind] of kinds(GITHUB_KINDS, CASES).entries()) {
    const secret = githubSecret();
    const delivery = uuid();
    const body = githubBody(kind);
    const c = new Case('github', 'cli->sdk', n, { kind, secret, id: delivery, body });
    let headers;
    try {
      headers = cliSign('github', [secret], body, delivery);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    if (headers['x-github-delivery'] !== delivery) c.fail(`sign wrote headers ${JSON.stringify(headers)}`);
    const signature = headers['x-hub-signature-256'];
    if (!(await githubVerify(secret, body, signature ?? 'missing'))) {
      c.fail('@octokit/webhooks-methods verify() rejected what webhook-guard signed');
    }
    if (await githubVerify(secret, tamper(body), signature ?? 'missing')) {
      c.fail('@octokit/webhooks-methods verify() accepted a tampered body');
    }
    ok += c.ok;
  }
  return ok;
}

// ------------------------------------------------------------------------- //
// Shopify: @shopify/shopify-api. The SDK has no webhook signer; sdk->cli signs
// with the package's own exported test helper getHmac() (from
// '@shopify/shopify-api/test-helpers', what its tests use to forge
// X-Shopify-Hmac-Sha256). Verification is the full shopifyApi() object's
// webhooks.validate() with the Node adapter, on real HTTP requests sent to a
// loopback server. (The SDK refuses an empty body, reason "missing_body", as
// Shopify never sends one: no empty bodies.)
// ------------------------------------------------------------------------- //

function shopifySecret() {
  const hex = randText(HEX, 32, 32);
  return random() < 0.5 ? `shpss_${hex}` : hex;
}

function shopifyBody(kind) {
  switch (kind) {
    case 'order':
      return dumpJson(
        shuffledObject({
          id: randInt(1, 1e12),
          admin_graphql_api_id: `gid://shopify/Order/${randInt(1, 1e12)}`,
          email: 'jon@example.com',
          note: randUnicode(),
          total_price: `${randInt(1, 9999)}.${randInt(10, 99)}`,
          line_items: [{ id: randInt(1, 1e12), title: randUnicode(), quantity: randInt(1, 9) }],
        }),
      );
    case 'ascii':
      return randAscii();
    case 'unicode':
      return randUnicode();
    case 'large':
      return JSON.stringify({ id: randInt(1, 1e12), blob: randText(ID_CHARS + ' ', 60_000, 80_000) });
    default:
      throw new Error(kind);
  }
}

const SHOPIFY_KINDS = ['order', 'order', 'ascii', 'unicode', 'large'];

function shopifyFor(secret) {
  return shopifyApi({
    apiKey: 'interop-test-api-key',
    apiSecretKey: secret,
    scopes: ['read_orders'],
    hostName: 'interop.example',
    apiVersion: ApiVersion.July25,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
}

// A loopback server: each POST is validated by shopify.webhooks.validate() the
// way an app does it (raw body read from the request, node adapter).
let pending = null;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const rawBody = Buffer.concat(chunks).toString('utf8');
    try {
      const result = await pending.shopify.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
      pending.resolve(result);
    } catch (e) {
      pending.reject(e);
    }
    res.statusCode = 200;
    res.end();
  });
});

async function shopifyValidate(secret, headers, body) {
  const shopify = shopifyFor(secret);
  const result = new Promise((resolve, reject) => {
    pending = { shopify, resolve, reject };
  });
  const { port } = server.address();
  const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body, 'utf8'),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return result;
}

// The unsigned headers every Shopify webhook carries besides the HMAC.
function shopifyDeliveryHeaders(eventId) {
  return {
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'interop-test.myshopify.com',
    'x-shopify-api-version': '2025-07',
    'x-shopify-webhook-id': uuid(),
    'x-shopify-triggered-at': new Date().toISOString(),
    'x-shopify-event-id': eventId,
  };
}

async function shopifySdkToCli() {
  let ok = 0;
  for (const [n, kind] of kinds(SHOPIFY_KINDS, CASES).entries()) {
    const secret = shopifySecret();
    const decoy = shopifySecret();
    const eventId = uuid();
    const body = shopifyBody(kind);
    const headers = { ...shopifyDeliveryHeaders(eventId), 'x-shopify-hmac-sha256': shopifyTestHmac(body, secret) };
    const [secrets, keyIndex] = secretRotation(secret, decoy);
    const c = new Case('shopify', 'sdk->cli', n, { kind, secret, secrets, headers, body });
    // The SDK's own validator accepts the request and reads the same event ID.
    const sdk = await shopifyValidate(secret, headers, body);
    if (!sdk.valid || sdk.eventId !== eventId) c.fail(`test bug: the SDK's validate() says ${JSON.stringify(sdk)}`);
    c.expectCliAccepts(cliVerify('shopify', secrets, headers, body), {
      provider: 'shopify', event_id: eventId, event_id_signed: false, timestamp: null, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('shopify', secrets, headers, tamper(body)));
    ok += c.ok;
  }
  return ok;
}

async function shopifyCliToSdk() {
  let ok = 0;
  for (const [n, kind] of kinds(SHOPIFY_KINDS, CASES).entries()) {
    const secret = shopifySecret();
    const eventId = uuid();
    const body = shopifyBody(kind);
    const c = new Case('shopify', 'cli->sdk', n, { kind, secret, id: eventId, body });
    let signed;
    try {
      signed = cliSign('shopify', [secret], body, eventId);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = signed;
    if (signed['x-shopify-event-id'] !== eventId || !signed['x-shopify-hmac-sha256']) {
      c.fail(`sign wrote headers ${JSON.stringify(signed)}`);
    }
    const headers = { ...shopifyDeliveryHeaders(eventId), ...signed };
    const good = await shopifyValidate(secret, headers, body);
    if (!good.valid) {
      c.fail(`shopify.webhooks.validate() rejected what webhook-guard signed: ${JSON.stringify(good)}`);
    } else if (good.eventId !== eventId) {
      c.fail(`shopify.webhooks.validate() read event id ${good.eventId}, want ${eventId}`);
    }
    const bad = await shopifyValidate(secret, headers, tamper(body));
    if (bad.valid || bad.reason !== 'invalid_hmac') {
      c.fail(`shopify.webhooks.validate() on a tampered body: want invalid_hmac, got ${JSON.stringify(bad)}`);
    }
    ok += c.ok;
  }
  return ok;
}

// ------------------------------------------------------------------------- //
// Discord: discord-interactions verifyKey(). Discord publishes no signer:
// sdk->cli signs with Node's own Ed25519 (crypto.sign) and checks that
// verifyKey() accepts the same request, so the reference signer is known
// good. Keys come from seeded 32-byte seeds (PKCS#8 DER prefix + seed); the
// verifier is given the application public key, in hex, as Discord shows it.
// ------------------------------------------------------------------------- //

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function discordKey() {
  const seed = randBytes(32);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
  return { seed: seed.toString('hex'), privateKey, publicKey };
}

const snowflake = () => `${randInt(1, 9)}${randText('0123456789', 17, 18)}`;

function discordUser() {
  return { id: snowflake(), username: randText('abcdefghijklmnopqrstuvwxyz0123456789_.', 2, 32), global_name: randUnicode().slice(0, 32), discriminator: '0', avatar: randText(HEX, 32, 32) };
}

// An interaction as Discord POSTs it; the top-level `id` (the interaction's)
// is the event ID, and nested objects carry `id`s of their own.
function discordInteraction(type, data) {
  const guildId = snowflake();
  return shuffledObject({
    app_permissions: String(randInt(0, 2 ** 31)),
    application_id: snowflake(),
    channel: { id: snowflake(), guild_id: guildId, name: randUnicode().slice(0, 30), type: 0 },
    channel_id: snowflake(),
    data,
    entitlements: [],
    guild_id: guildId,
    guild_locale: choice(['en-US', 'fr', 'ja', 'pt-BR']),
    id: snowflake(),
    locale: choice(['en-US', 'fr', 'ja', 'uk']),
    member: { user: discordUser(), roles: [snowflake()], permissions: String(randInt(0, 2 ** 31)), nick: null },
    token: randText(ID_CHARS + '-_.', 150, 200),
    type,
    version: 1,
  });
}

// [body, the top-level "id" or null].
function discordBody(kind) {
  let value;
  switch (kind) {
    case 'ping': // the endpoint check: sometimes the minimal {"type":1}
      value = random() < 0.5 ? { type: 1 } : shuffledObject({ application_id: snowflake(), id: snowflake(), token: randText(ID_CHARS, 150, 150), type: 1, user: discordUser(), version: 1 });
      break;
    case 'command':
      value = discordInteraction(2, {
        id: snowflake(),
        name: choice(['weather', 'translate', 'remind']),
        type: 1,
        options: [{ name: 'text', type: 3, value: randUnicode() }, { name: 'count', type: 4, value: randInt(1, 99) }],
      });
      break;
    case 'component':
      value = discordInteraction(3, { custom_id: `vote:${randUnicode().slice(0, 40)}`, component_type: 2, id: randInt(1, 50) });
      value.message = { id: snowflake(), channel_id: snowflake(), content: randUnicode(), author: discordUser() };
      break;
    case 'event': // a webhook event (not an interaction): no top-level "id"
      value = shuffledObject({
        version: 1,
        application_id: snowflake(),
        type: 1,
        event: { type: 'APPLICATION_AUTHORIZED', timestamp: new Date().toISOString(), data: { integration_type: 0, scopes: ['applications.commands'], user: discordUser(), guild: { id: snowflake(), name: randUnicode() } } },
      });
      break;
    case 'large': // a command whose resolved data is large
      value = discordInteraction(2, {
        id: snowflake(),
        name: 'summarize',
        type: 3,
        target_id: snowflake(),
        resolved: { messages: { [snowflake()]: { id: snowflake(), content: randText(ID_CHARS + ' é日😀', 60_000, 80_000) } } },
      });
      break;
    default:
      throw new Error(kind);
  }
  return [dumpJson(value), typeof value.id === 'string' ? value.id : null];
}

const DISCORD_KINDS = ['ping', 'command', 'command', 'component', 'event', 'large'];

async function discordSdkToCli() {
  let ok = 0;
  for (const [n, kind] of kinds(DISCORD_KINDS, CASES).entries()) {
    const key = discordKey();
    const decoy = discordKey();
    const ts = nowTs();
    const [body, eventId] = discordBody(kind);
    const signature = cryptoSign(null, Buffer.from(`${ts}${body}`, 'utf8'), key.privateKey).toString('hex');
    const headers = { 'x-signature-ed25519': signature, 'x-signature-timestamp': String(ts) };
    const [secrets, keyIndex] = secretRotation(key.publicKey, decoy.publicKey);
    const c = new Case('discord', 'sdk->cli', n, { kind, seed: key.seed, secrets, headers, body });
    if (!(await discordVerifyKey(body, signature, String(ts), key.publicKey))) {
      c.fail("test bug: discord-interactions verifyKey() rejects Node's Ed25519 signature");
    }
    c.expectCliAccepts(cliVerify('discord', secrets, headers, body), {
      provider: 'discord', event_id: eventId, event_id_signed: eventId !== null, timestamp: ts, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('discord', secrets, headers, tamper(body)));
    ok += c.ok;
  }
  return ok;
}

async function discordCliToSdk() {
  let ok = 0;
  for (const [n, kind] of kinds(DISCORD_KINDS, CASES).entries()) {
    const key = discordKey();
    // The private key in hex: the 32-byte seed, or the 64-byte seed || public key.
    const secret = random() < 0.5 ? key.seed : key.seed + key.publicKey;
    const ts = nowTs();
    const [body] = discordBody(kind);
    const c = new Case('discord', 'cli->sdk', n, { kind, secret, publicKey: key.publicKey, ts, body });
    let headers;
    try {
      headers = cliSign('discord', [secret], body, undefined, [`--timestamp=${ts}`]);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    if (Object.keys(headers).sort().join() !== 'x-signature-ed25519,x-signature-timestamp' || headers['x-signature-timestamp'] !== String(ts)) {
      c.fail(`sign wrote headers ${JSON.stringify(headers)}`);
    }
    const signature = headers['x-signature-ed25519'] ?? 'missing';
    if (!(await discordVerifyKey(body, signature, String(ts), key.publicKey))) {
      c.fail('discord-interactions verifyKey() rejected what webhook-guard signed');
    }
    if (await discordVerifyKey(tamper(body), signature, String(ts), key.publicKey)) {
      c.fail('discord-interactions verifyKey() accepted a tampered body');
    }
    ok += c.ok;
  }
  return ok;
}

// ------------------------------------------------------------------------- //
// SendGrid: @sendgrid/eventwebhook EventWebhook.verifySignature(). SendGrid
// publishes no signer: sdk->cli signs with Node's own ECDSA P-256 / SHA-256
// (DER signature, base64) and checks that verifySignature() accepts it. Its
// keys come from seeded scalars; the verifier is given the public key as
// SendGrid's dashboard shows it (base64 DER SubjectPublicKeyInfo), sometimes
// as PEM. cli->sdk uses keys from `webhook-guard keys generate` (not seeded).
// The body is a JSON array of events, each followed by "\r\n" as SendGrid
// sends it ("[{…},\r\n{…}]\r\n"); it is signed to its last byte.
// ------------------------------------------------------------------------- //

function sendgridKey() {
  for (;;) {
    const d = randBytes(32);
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(d); // refuses 0 and scalars >= n
    } catch {
      continue;
    }
    const point = ecdh.getPublicKey(); // 04 || x || y
    const jwk = { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const publicKey = createPublicKey(privateKey);
    return {
      privateKey,
      d: d.toString('hex'),
      spki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      spkiPem: publicKey.export({ type: 'spki', format: 'pem' }),
    };
  }
}

function sendgridEvent(ts) {
  const event = {
    email: `${randText('abcdefghijklmnopqrstuvwxyz.', 3, 16)}@example.com`,
    timestamp: ts - randInt(0, 600),
    'smtp-id': `<${randId('', 22)}@ismtpd0001p1lon1.sendgrid.net>`,
    event: choice(['processed', 'delivered', 'open', 'click', 'bounce', 'dropped', 'deferred', 'unsubscribe']),
    category: random() < 0.5 ? 'cat facts' : ['newsletter', randUnicode()],
    sg_event_id: randText(ID_CHARS + '-_', 22, 22),
    sg_message_id: `${randId('', 22)}.filterdrecv-${randText(HEX, 10, 10)}-${randInt(1, 99)}-${randText(HEX, 8, 8).toUpperCase()}-${randInt(1, 99)}.0`,
  };
  switch (event.event) {
    case 'delivered':
      Object.assign(event, { ip: '168.1.1.1', response: '250 OK', tls: 1 });
      break;
    case 'open':
      Object.assign(event, { ip: '66.249.84.1', useragent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', sg_machine_open: false });
      break;
    case 'click':
      Object.assign(event, { ip: '66.249.84.1', url: `https://example.com/landing?q=${encodeURIComponent(randUnicode())}`, url_offset: { index: randInt(0, 9), type: 'html' } });
      break;
    case 'bounce':
    case 'dropped':
      Object.assign(event, { reason: randUnicode(), status: '5.0.0', type: choice(['bounce', 'blocked']) });
      break;
    case 'deferred':
      Object.assign(event, { response: '400 try again later', attempt: String(randInt(1, 10)) });
      break;
    default:
      break;
  }
  if (random() < 0.5) Object.assign(event, { user_id: randId('usr_', 10), note: randUnicode() }); // custom args
  return shuffledObject(event);
}

function sendgridBody(kind, ts) {
  const events = [];
  const count = { single: 1, batch: randInt(2, 8) }[kind];
  if (kind === 'large') {
    let size = 0;
    while (size < 60_000) {
      const e = JSON.stringify(sendgridEvent(ts));
      events.push(e);
      size += e.length;
    }
  } else {
    for (let i = 0; i < count; i++) events.push(JSON.stringify(sendgridEvent(ts)));
  }
  return `[${events.join(',\r\n')}]\r\n`;
}

const SENDGRID_KINDS = ['single', 'batch', 'batch', 'large'];

function sendgridVerify(verificationKey, body, signature, ts) {
  const ew = new EventWebhook();
  return ew.verifySignature(ew.convertPublicKeyToECDSA(verificationKey), body, signature, String(ts));
}

// `webhook-guard keys generate` (its own process: it takes no body).
function cliKeys(provider) {
  const args = ['keys', 'generate', '--provider', provider];
  const r = spawnSync(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`webhook-guard ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return JSON.parse(r.stdout.toString());
}

async function sendgridSdkToCli() {
  let ok = 0;
  for (const [n, kind] of kinds(SENDGRID_KINDS, CASES).entries()) {
    const key = sendgridKey();
    const decoy = sendgridKey();
    const ts = nowTs();
    const body = sendgridBody(kind, ts);
    const signature = cryptoSign('sha256', Buffer.from(`${ts}${body}`, 'utf8'), key.privateKey).toString('base64');
    const headers = { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': String(ts) };
    const pem = random() < 0.25; // the verification key as PEM instead of the dashboard's base64
    const [secrets, keyIndex] = secretRotation(pem ? key.spkiPem : key.spki, pem ? decoy.spkiPem : decoy.spki);
    const c = new Case('sendgrid', 'sdk->cli', n, { kind, d: key.d, secrets, headers, body });
    if (!sendgridVerify(key.spki, body, signature, ts)) c.fail("test bug: @sendgrid/eventwebhook verifySignature() rejects Node's ECDSA signature");
    c.expectCliAccepts(cliVerify('sendgrid', secrets, headers, body), {
      provider: 'sendgrid', event_id: null, event_id_signed: false, timestamp: ts, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('sendgrid', secrets, headers, tamper(body)));
    ok += c.ok;
  }
  return ok;
}

async function sendgridCliToSdk() {
  let ok = 0;
  for (const [n, kind] of kinds(SENDGRID_KINDS, CASES).entries()) {
    const ts = nowTs();
    const body = sendgridBody(kind, ts);
    const c = new Case('sendgrid', 'cli->sdk', n, { kind, ts, body });
    let headers;
    try {
      const keys = cliKeys('sendgrid');
      c.inputs.keys = keys;
      // The generated pair must be a pair: Node derives the same public key.
      if (createPublicKey(keys.signing_key).export({ type: 'spki', format: 'der' }).toString('base64') !== keys.verifying_key) {
        c.fail('keys generate: verifying_key is not the public key of signing_key');
      }
      // The private key as PEM (as generated), or as base64 PKCS#8 DER.
      const secret = random() < 0.25 ? keys.signing_key.split('\n').filter((l) => l && !l.startsWith('-----')).join('') : keys.signing_key;
      c.inputs.secret = secret;
      headers = cliSign('sendgrid', [secret], body, undefined, [`--timestamp=${ts}`]);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    const names = 'x-twilio-email-event-webhook-signature,x-twilio-email-event-webhook-timestamp';
    if (Object.keys(headers).sort().join() !== names || headers['x-twilio-email-event-webhook-timestamp'] !== String(ts)) {
      c.fail(`sign wrote headers ${JSON.stringify(headers)}`);
    }
    const signature = headers['x-twilio-email-event-webhook-signature'] ?? 'missing';
    const verdict = (payload) => {
      try {
        return sendgridVerify(c.inputs.keys.verifying_key, payload, signature, ts);
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    };
    const good = verdict(body);
    if (good !== true) c.fail(`@sendgrid/eventwebhook verifySignature() rejected what webhook-guard signed (${good})`);
    if (verdict(tamper(body)) === true) c.fail('@sendgrid/eventwebhook verifySignature() accepted a tampered body');
    ok += c.ok;
  }
  return ok;
}

// ------------------------------------------------------------------------- //
// Edge cases: what webhook-guard must answer where an SDK may differ. Each
// names the crate's documented policy; the SDK's answer is printed beside ours
// for context, and ours must match the policy or the run fails.
// ------------------------------------------------------------------------- //
// Mux: @mux/mux-node webhooks.verifySignature (the SDK signs nothing).
// Clerk and Resend: svix's Webhook sign() / verify() under svix-* headers.
// ------------------------------------------------------------------------- //

const mux = new Mux({ tokenId: 'interop', tokenSecret: 'interop' });

function muxBody() {
  return dumpJson(
    shuffledObject({
      type: choice(['video.asset.ready', 'video.upload.created', 'video.live_stream.active']),
      id: uuid(),
      object: { type: 'asset', id: randText(ID_CHARS, 20, 30) },
      data: { status: 'ready', title: randUnicode() },
      created_at: new Date(Date.now() - randInt(0, 60_000)).toISOString(),
    }),
  );
}

async function muxCliToSdk() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const secret = randText(ID_CHARS, 20, 40);
    const body = muxBody();
    const c = new Case('mux', 'cli->sdk', n, { secret, body });
    let headers;
    try {
      headers = cliSign('mux', [secret], body);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    try {
      await mux.webhooks.verifySignature(body, headers, secret);
    } catch (e) {
      c.fail(`@mux/mux-node verifySignature rejected what webhook-guard signed: ${e.message}`);
    }
    try {
      await mux.webhooks.verifySignature(tamper(body), headers, secret);
      c.fail('@mux/mux-node verifySignature accepted a tampered body');
    } catch {
      // refused, as it must be
    }
    c.expectCliAccepts(cliVerify('mux', [secret], headers, body), {
      provider: 'mux', event_id: JSON.parse(body).id, event_id_signed: true, timestamp: Number(headers['mux-signature'].split(',')[0].slice(2)), key_index: 0,
    });
    ok += c.ok;
  }
  return ok;
}

// Linear: @linear/sdk LinearWebhookClient.verify (hex HMAC-SHA256 of the
// body; the body's webhookTimestamp within 60 s). The SDK signs nothing.
function linearBody(sentMs) {
  return dumpJson(
    shuffledObject({
      action: choice(['create', 'update', 'remove']),
      type: choice(['Issue', 'Comment', 'Project']),
      data: { id: uuid(), title: randUnicode() },
      webhookTimestamp: sentMs,
      webhookId: uuid(),
    }),
  );
}

function linearVerifies(secret, body, signature) {
  try {
    return new LinearWebhookClient(secret).verify(Buffer.from(body), signature);
  } catch {
    return false;
  }
}

async function linearSdkToCli() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const secret = randText(ID_CHARS, 20, 40);
    const decoy = randText(ID_CHARS, 20, 40);
    const sent = Date.now() - randInt(0, 20_000);
    const body = linearBody(sent);
    const delivery = uuid();
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const headers = { 'linear-signature': signature, 'linear-delivery': delivery };
    const [secrets, keyIndex] = secretRotation(secret, decoy);
    const c = new Case('linear', 'sdk->cli', n, { secret, secrets, headers, body });
    if (!linearVerifies(secret, body, signature)) c.fail('test bug: the SDK rejects the reference signature');
    // Verified at the send instant (`--now`): a loaded machine cannot age it.
    const at = [`--now=${Math.floor(sent / 1000)}`];
    c.expectCliAccepts(cliVerify('linear', secrets, headers, body, at), {
      provider: 'linear', event_id: delivery, event_id_signed: false, timestamp: Math.floor(sent / 1000), key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('linear', secrets, headers, tamper(body), at));
    ok += c.ok;
  }
  return ok;
}

async function linearCliToSdk() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const secret = randText(ID_CHARS, 20, 40);
    // The SDK checks webhookTimestamp against the real clock, 60 s each way.
    const body = linearBody(Date.now());
    const c = new Case('linear', 'cli->sdk', n, { secret, body });
    let headers;
    try {
      headers = cliSign('linear', [secret], body);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    const signature = headers['linear-signature'] ?? '';
    if (!linearVerifies(secret, body, signature)) c.fail('@linear/sdk verify rejected what webhook-guard signed');
    if (linearVerifies(secret, tamper(body), signature)) c.fail('@linear/sdk verify accepted a tampered body');
    ok += c.ok;
  }
  return ok;
}

// Adyen: @adyen/api-library's HmacValidator. calculateHmac signs a
// NotificationRequestItem (HMAC-SHA256, hex key, over
// pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success),
// validateHMAC checks one. The signature travels in the item, so the CLI's
// `sign` prints the signed body. Only those fields are signed: a change of
// a signed field must be refused by both sides, a change of an unsigned one
// (eventDate) accepted by both.
const adyen = new AdyenHmacValidator();
const ADYEN_SIGNED = ['pspReference', 'originalReference', 'merchantAccountCode', 'merchantReference', 'value', 'currency', 'eventCode', 'success'];

function adyenKey() {
  return randText('0123456789ABCDEF', 64, 64);
}

function adyenItem() {
  const item = {
    pspReference: randText('0123456789', 16, 16),
    merchantAccountCode: randId('Merchant', 6),
    // Free text: unicode, and sometimes Adyen's separator.
    merchantReference: random() < 0.3 ? `order:${randInt(1, 1e6)}` : randUnicode(),
    amount: { value: randInt(0, 1e9), currency: choice(['EUR', 'USD', 'JPY']) },
    eventCode: choice(['AUTHORISATION', 'CAPTURE', 'REFUND', 'CANCELLATION', 'CHARGEBACK']),
    success: choice(['true', 'false']),
    eventDate: new Date(Date.now() - randInt(0, 1e9)).toISOString(),
    reason: randUnicode(),
    paymentMethod: choice(['visa', 'mc', 'ideal']),
    additionalData: { authCode: String(randInt(1000, 9999)) },
  };
  // Absent (an empty field to both sides) or another payment's reference.
  if (random() < 0.5) item.originalReference = randText('0123456789', 16, 16);
  return shuffledObject(item);
}

function adyenEnvelope(items) {
  return { live: 'false', notificationItems: items.map((item) => ({ NotificationRequestItem: item })) };
}

function adyenBody(item) {
  return dumpJson(adyenEnvelope([item]));
}

// One signed field changed (a character added), in a copy.
function adyenTamperSigned(item) {
  const changed = JSON.parse(JSON.stringify(item));
  const field = choice(ADYEN_SIGNED);
  if (field === 'value') changed.amount.value += 1;
  else if (field === 'currency') changed.amount.currency += 'X';
  else changed[field] = `${changed[field] ?? ''}X`;
  return changed;
}

function adyenVerifies(item, key) {
  try {
    return adyen.validateHMAC(item, key);
  } catch {
    return false;
  }
}

async function adyenSdkToCli() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const key = adyenKey();
    const decoy = adyenKey();
    const item = adyenItem();
    item.additionalData.hmacSignature = adyen.calculateHmac(item, key);
    const body = adyenBody(item);
    const [secrets, keyIndex] = secretRotation(key, decoy);
    const c = new Case('adyen', 'sdk->cli', n, { secrets, body });
    c.expectCliAccepts(cliVerify('adyen', secrets, {}, body), {
      provider: 'adyen', event_id: `${item.pspReference}:${item.eventCode}:${item.success}`, event_id_signed: true, timestamp: null, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('adyen', secrets, {}, adyenBody(adyenTamperSigned(item))));
    const redated = { ...item, eventDate: new Date(0).toISOString() };
    if (cliVerify('adyen', secrets, {}, adyenBody(redated)).code !== 0 || !adyenVerifies(redated, key)) {
      c.fail('the SDK and webhook-guard disagree on what is signed: a changed eventDate');
    }
    ok += c.ok;
  }
  return ok;
}

async function adyenCliToSdk() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const key = adyenKey();
    const body = adyenBody(adyenItem());
    const c = new Case('adyen', 'cli->sdk', n, { key, body });
    const r = runCli(['sign', '--provider', 'adyen', `--secret=${key}`], body);
    if (r.code !== 0) {
      c.fail(`webhook-guard sign exited ${r.code}: ${r.stderr.trim()}`);
      continue;
    }
    const notification = JSON.parse(r.stdout);
    const items = notification.notificationItems ?? [];
    const item = items[0]?.NotificationRequestItem;
    if (items.length !== 1 || !item?.additionalData?.hmacSignature) {
      c.fail(`sign wrote no signed item: ${r.stdout.slice(0, 300)}`);
      continue;
    }
    if (!adyenVerifies(item, key)) c.fail('@adyen/api-library validateHMAC rejected what webhook-guard signed');
    if (adyenVerifies(adyenTamperSigned(item), key)) c.fail('@adyen/api-library validateHMAC accepted a changed signed field');
    ok += c.ok;
  }
  return ok;
}

// The client installs the SDK's Node crypto provider its verifier uses.
const paddle = new Paddle('interop-api-key').webhooks;

function paddleSecret() {
  return `pdl_ntfset_${randText(ID_CHARS, 26, 26)}_${randText(ID_CHARS + '/+', 32, 32)}`;
}

function paddleBody() {
  return dumpJson(
    shuffledObject({
      event_id: `evt_${randText(ID_CHARS, 26, 26)}`,
      event_type: choice(['transaction.completed', 'subscription.updated', 'customer.created']),
      occurred_at: new Date().toISOString(),
      notification_id: `ntf_${randText(ID_CHARS, 26, 26)}`,
      data: { id: `txn_${randText(ID_CHARS, 26, 26)}`, note: randUnicode() },
    }),
  );
}

async function paddleSdkToCli() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const secret = paddleSecret();
    const decoy = paddleSecret();
    const ts = Math.floor(Date.now() / 1000);
    const body = paddleBody();
    const h1 = createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
    const header = `ts=${ts};h1=${h1}`;
    const headers = { 'paddle-signature': header };
    const [secrets, keyIndex] = secretRotation(secret, decoy);
    const c = new Case('paddle', 'sdk->cli', n, { secret, secrets, headers, body });
    if (!(await paddle.isSignatureValid(body, secret, header))) c.fail('test bug: the SDK rejects the reference signature');
    // Paddle's window is 5 s: the CLI verifies at the signing instant
    // (`--now`), so a loaded machine cannot make the case flaky.
    const at = [`--now=${ts}`];
    c.expectCliAccepts(cliVerify('paddle', secrets, headers, body, at), {
      provider: 'paddle', event_id: JSON.parse(body).event_id, event_id_signed: true, timestamp: ts, key_index: keyIndex,
    });
    c.expectCliRejects(cliVerify('paddle', secrets, headers, tamper(body), at));
    ok += c.ok;
  }
  return ok;
}

async function paddleCliToSdk() {
  let ok = 0;
  for (let n = 0; n < CASES; n += 1) {
    const secret = paddleSecret();
    const body = paddleBody();
    const c = new Case('paddle', 'cli->sdk', n, { secret, body });
    let headers;
    try {
      // The SDK refuses a timestamp more than 5 s old by the real clock (and
      // accepts any later one): signed 3 s ahead, a loaded machine has 8 s
      // between signing and the SDK's check.
      headers = cliSign('paddle', [secret], body, undefined, [`--timestamp=${Math.floor(Date.now() / 1000) + 3}`]);
    } catch (e) {
      c.fail(e.message);
      continue;
    }
    c.inputs.headers = headers;
    const signature = headers['paddle-signature'] ?? 'missing';
    if (!(await paddle.isSignatureValid(body, secret, signature))) {
      c.fail('@paddle/paddle-node-sdk isSignatureValid rejected what webhook-guard signed');
    }
    if (await paddle.isSignatureValid(tamper(body), secret, signature)) {
      c.fail('@paddle/paddle-node-sdk accepted a tampered body');
    }
    ok += c.ok;
  }
  return ok;
}

function svixSecret() {
  return `whsec_${randomBytes(random() < 0.5 ? 24 : 32).toString('base64')}`;
}

function svixBody() {
  return dumpJson(shuffledObject({ type: choice(['user.created', 'email.delivered', 'session.ended']), data: { id: uuid(), note: randUnicode() } }));
}

function svixSdkToCli(provider) {
  return async () => {
    let ok = 0;
    for (let n = 0; n < CASES; n += 1) {
      const secret = svixSecret();
      const decoy = svixSecret();
      const id = `msg_${randText(ID_CHARS, 20, 27)}`;
      const ts = Math.floor(Date.now() / 1000) - randInt(0, 120);
      const body = svixBody();
      const signature = new SvixWebhook(secret).sign(id, new Date(ts * 1000), body);
      const headers = { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': signature };
      const [secrets, keyIndex] = secretRotation(secret, decoy);
      const c = new Case(provider, 'sdk->cli', n, { secret, secrets, headers, body });
      c.expectCliAccepts(cliVerify(provider, secrets, headers, body), {
        provider, event_id: id, event_id_signed: true, timestamp: ts, key_index: keyIndex,
      });
      c.expectCliRejects(cliVerify(provider, secrets, headers, tamper(body)));
      ok += c.ok;
    }
    return ok;
  };
}

function svixCliToSdk(provider) {
  return async () => {
    let ok = 0;
    for (let n = 0; n < CASES; n += 1) {
      const secret = svixSecret();
      const id = `msg_${randText(ID_CHARS, 20, 27)}`;
      const body = svixBody();
      const c = new Case(provider, 'cli->sdk', n, { secret, id, body });
      let headers;
      try {
        headers = cliSign(provider, [secret], body, id);
      } catch (e) {
        c.fail(e.message);
        continue;
      }
      c.inputs.headers = headers;
      if (headers['svix-id'] !== id) c.fail(`sign wrote headers ${JSON.stringify(headers)}`);
      try {
        new SvixWebhook(secret).verify(body, headers);
      } catch (e) {
        c.fail(`svix Webhook.verify rejected what webhook-guard signed: ${e.message}`);
      }
      try {
        new SvixWebhook(secret).verify(tamper(body), headers);
        c.fail('svix Webhook.verify accepted a tampered body');
      } catch {
        // refused, as it must be
      }
      ok += c.ok;
    }
    return ok;
  };
}

// ------------------------------------------------------------------------- //

async function sdkVerdict(check) {
  try {
    return (await check()) ? 'accepts' : 'rejects';
  } catch (e) {
    return `rejects (${e.name}: ${e.message})`;
  }
}

function cliVerdict(r) {
  return r.code === 0 ? 'accepts' : `rejects (exit ${r.code}: ${r.stderr.trim()})`;
}

async function edgeCases() {
  const out = [];
  // Policy: an empty body, correctly signed, verifies (the MAC covers it like
  // any other bytes). GitHub and Shopify never send one; their SDKs refuse it
  // (octokit: TypeError, Shopify: reason "missing_body").
  // octokit's sign() refuses an empty payload: this is the HMAC it computes otherwise.
  const githubSignature = `sha256=${createHmac('sha256', 'edge-secret').update('').digest('hex')}`;
  out.push([
    'github: empty body',
    await sdkVerdict(() => githubVerify('edge-secret', '', githubSignature)),
    cliVerdict(cliVerify('github', ['edge-secret'], { 'x-hub-signature-256': githubSignature, 'x-github-delivery': 'edge' }, '')),
    'accepts',
  ]);
  const headers = { ...shopifyDeliveryHeaders('edge'), 'x-shopify-hmac-sha256': shopifyTestHmac('', 'edge-secret') };
  out.push([
    'shopify: empty body',
    await sdkVerdict(async () => {
      const result = await shopifyValidate('edge-secret', headers, '');
      if (!result.valid) throw Object.assign(new Error(`reason ${result.reason}`), { name: 'invalid' });
      return true;
    }),
    cliVerdict(cliVerify('shopify', ['edge-secret'], headers, '')),
    'accepts',
  ]);
  // Policy: an Adyen body that a JSON parser could read other than this
  // crate does, or whose signed text splits into fields two ways, is
  // refused, though the SDK (given what JSON.parse reads) accepts it.
  const key = 'DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00';
  const signedItem = (fields) => {
    const item = { pspReference: '7914073381342284', merchantAccountCode: 'TestMerchant', merchantReference: 'order-1', amount: { value: 1130, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true', additionalData: {}, ...fields };
    item.additionalData.hmacSignature = adyen.calculateHmac(item, key);
    return item;
  };
  const refund = signedItem({ eventCode: 'REFUND' });
  const twice = JSON.stringify(adyenEnvelope([refund])).replace('"eventCode":"REFUND"', '"eventCode":"AUTHORISATION","eventCode":"REFUND"');
  const itemsOf = (body) => JSON.parse(body).notificationItems.map((element) => element.NotificationRequestItem);
  const sdkAcceptsEvery = (body) => sdkVerdict(() => itemsOf(body).every((item) => adyen.validateHMAC(item, key)));
  for (const [what, body] of [
    ['adyen: eventCode given twice, signed as the last', twice],
    ['adyen: two items', JSON.stringify(adyenEnvelope([signedItem({}), refund]))],
    ['adyen: ":" in merchantAccountCode', JSON.stringify(adyenEnvelope([signedItem({ merchantAccountCode: 'Test:Merchant' })]))],
  ]) {
    out.push([what, await sdkAcceptsEvery(body), cliVerdict(cliVerify('adyen', [key], {}, body)), 'rejects']);
  }
  return out;
}

// ------------------------------------------------------------------------- //

// The installed version, from the package's own package.json.
function installedVersion(name) {
  const here = dirname(fileURLToPath(import.meta.url));
  return JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

async function main() {
  try {
    accessSync(BIN ?? '', constants.X_OK);
  } catch {
    console.error(`interop.mjs: WEBHOOK_GUARD_BIN must name the built webhook-guard binary (got ${JSON.stringify(BIN)}); run scripts/interop`);
    return 2;
  }
  const versions = ['@octokit/webhooks-methods', '@shopify/shopify-api', 'discord-interactions', '@sendgrid/eventwebhook', '@mux/mux-node', '@paddle/paddle-node-sdk', 'svix', '@linear/sdk', '@adyen/api-library'].map((p) => `${p} ${installedVersion(p)}`).join(', ');
  console.log(`node interop: ${versions}; node ${process.version}; seed ${SEED} (INTEROP_SEED=${SEED} to replay), ${CASES} cases per provider and direction`);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const suites = [
    ['github', 'sdk->cli', githubSdkToCli],
    ['github', 'cli->sdk', githubCliToSdk],
    ['shopify', 'sdk->cli', shopifySdkToCli],
    ['shopify', 'cli->sdk', shopifyCliToSdk],
    ['discord', 'sdk->cli', discordSdkToCli],
    ['discord', 'cli->sdk', discordCliToSdk],
    ['sendgrid', 'sdk->cli', sendgridSdkToCli],
    ['sendgrid', 'cli->sdk', sendgridCliToSdk],
    ['mux', 'cli->sdk', muxCliToSdk],
    ['paddle', 'sdk->cli', paddleSdkToCli],
    ['paddle', 'cli->sdk', paddleCliToSdk],
    ['clerk', 'sdk->cli', svixSdkToCli('clerk')],
    ['clerk', 'cli->sdk', svixCliToSdk('clerk')],
    ['resend', 'sdk->cli', svixSdkToCli('resend')],
    ['resend', 'cli->sdk', svixCliToSdk('resend')],
    ['linear', 'sdk->cli', linearSdkToCli],
    ['linear', 'cli->sdk', linearCliToSdk],
    ['adyen', 'sdk->cli', adyenSdkToCli],
    ['adyen', 'cli->sdk', adyenCliToSdk],
  ];
  let passed = 0;
  let failed = 0;
  try {
    for (const [provider, direction, suite] of suites) {
      const before = failures.length;
      const started = performance.now();
      const ok = await suite();
      passed += ok;
      failed += CASES - ok;
      const status = ok === CASES && failures.length === before ? 'ok  ' : 'FAIL';
      console.log(`${status} ${provider.padEnd(8)} ${direction}: ${ok}/${CASES} cases passed (${((performance.now() - started) / 1000).toFixed(1)}s)`);
    }
    console.log('edge cases (SDK | webhook-guard; what webhook-guard must answer)');
    for (const [what, sdk, ours, expected] of await edgeCases()) {
      const good = ours.split(' ')[0] === expected;
      console.log(`  ${good ? 'ok  ' : 'FAIL'} ${what}: SDK ${sdk} | ours ${ours}; policy: ${expected}`);
      if (!good) failures.push(`FAIL edge case ${what}: webhook-guard ${ours}, expected ${expected}`);
    }
  } finally {
    server.close();
  }
  for (const f of failures) console.error(f);
  console.log(`node-interop: ${passed} passed, ${failed} failed`);
  return failed || failures.length ? 1 : 0;
}

process.exitCode = await main();

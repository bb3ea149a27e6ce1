"""Interoperability of the webhook-guard CLI with the providers' official Python SDKs.

Providers covered here: Standard Webhooks (`standardwebhooks`), Stripe (`stripe`),
Slack (`slack_sdk`), Twilio (`twilio`, its RequestValidator, with the URL
given to the CLI as --url), Razorpay (`razorpay`, whose SDK only verifies: one
direction), Coinbase Commerce (`coinbase-commerce`) and HubSpot (`hubspot-api-client`,
signature v3, with the URL given as --url). GitHub, Shopify, Discord and SendGrid are in
interop.mjs (their official SDKs are Node packages).

For each provider, two directions:

  sdk->cli  the official SDK signs; `webhook-guard verify` must accept and report
            the right event_id / timestamp / key_index, and must reject (exit 1,
            one line on stderr) the same request with one body byte changed.
  cli->sdk  `webhook-guard sign` signs; the official SDK's verifier must accept,
            and must reject the same request with one body byte changed.

Run through scripts/interop, which sets WEBHOOK_GUARD_BIN. INTEROP_SEED makes a
run reproducible (the seed of every run is printed); INTEROP_CASES sets the
number of cases per provider and direction (default 24).

After the random cases, edge cases check what the CLI answers where the SDK
and the crate's documented policy may differ (see edge_cases()); a wrong answer
fails the run.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import datetime, timezone
from importlib.metadata import version as dist_version

import stripe
import razorpay
import razorpay.errors
from coinbase_commerce.error import SignatureVerificationError as CoinbaseSignatureError
from coinbase_commerce.webhook import WebhookSignature as CoinbaseSignature
from hubspot.utils.signature import Signature as HubSpotSignature
from slack_sdk.signature import SignatureVerifier
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError
from twilio.request_validator import RequestValidator

BIN = os.environ.get("WEBHOOK_GUARD_BIN")
CASES = int(os.environ.get("INTEROP_CASES", "24"))
SEED = int(os.environ.get("INTEROP_SEED", str(random.SystemRandom().randrange(2**32))))
rng = random.Random(SEED)
TMP = tempfile.mkdtemp(prefix="webhook-guard-interop-")
atexit.register(shutil.rmtree, TMP, ignore_errors=True)

failures: list[str] = []


# --------------------------------------------------------------------------- #
# Random inputs
# --------------------------------------------------------------------------- #

UNICODE_POOL = (
    "aé ñ ü ß Ω π ж я ق ש 日本語 中文 한국어 ∑ ∞ → ★ ☃ 😀 🚀 👍🏽 🇫🇷 e\u0301 \u200b \u00a0 "
    "\"quoted\" back\\slash\ttab\nnewline\r"
)
ID_CHARS = string.ascii_letters + string.digits


def rand_text(alphabet: str, low: int, high: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def rand_ascii_body() -> str:
    return rand_text(string.printable, 1, 400)


def rand_unicode_body() -> str:
    pieces = [rng.choice(UNICODE_POOL.split(" ") + list(UNICODE_POOL)) for _ in range(rng.randint(1, 120))]
    return "".join(pieces) or "é"


def rand_unicode_word() -> str:
    return "".join(rng.choice("éüñжя日本中文😀🚀★") for _ in range(rng.randint(1, 4)))


def rand_id(prefix: str, n: int = 24) -> str:
    return prefix + "".join(rng.choice(ID_CHARS) for _ in range(n))


def dump_json(value: dict) -> str:
    """JSON the way servers write it, in several styles: compact or pretty,
    escaped or raw UTF-8."""
    style = rng.randrange(3)
    ensure_ascii = rng.random() < 0.5
    if style == 0:
        return json.dumps(value, ensure_ascii=ensure_ascii, separators=(",", ":"))
    if style == 1:
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=2)
    return json.dumps(value, ensure_ascii=ensure_ascii)


def shuffled(d: dict) -> dict:
    items = list(d.items())
    rng.shuffle(items)
    return dict(items)


def stripe_event_body(ts: int, large: bool = False) -> tuple[str, str]:
    """A Stripe-shaped event; returns (body, event id). The nested objects carry
    their own `id` fields, and the top-level key order is sometimes shuffled,
    so the event ID is not always the first key."""
    event_id = rand_id("evt_")
    if rng.random() < 0.25:
        event_id += rand_unicode_word()  # exercises JSON \\u escapes
    obj = {
        "id": rand_id("pi_"),
        "object": "payment_intent",
        "amount": rng.randint(1, 10**6),
        "currency": rng.choice(["usd", "eur", "jpy"]),
        "description": rand_unicode_body() if rng.random() < 0.5 else rand_ascii_body(),
        "metadata": {"id": "not-the-event-id", "order": rand_id("ord_", 8)},
        "charges": {"data": [{"id": rand_id("ch_")}], "has_more": False},
    }
    if large:
        obj["blob"] = rand_text(string.ascii_letters + " ", 60_000, 80_000)
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": ts,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": str(uuid.UUID(int=rng.getrandbits(128)))},
        "type": "payment_intent.succeeded",
    }
    if rng.random() < 0.5:
        event = shuffled(event)
    return dump_json(event), event_id


def slack_event_body(ts: int) -> tuple[str, str]:
    event_id = rand_id("Ev", 10)
    if rng.random() < 0.25:
        event_id += rand_unicode_word()
    event = {
        "token": rand_id("", 24),
        "team_id": rand_id("T", 8),
        "api_app_id": rand_id("A", 8),
        "event": {
            "type": "message",
            "channel": rand_id("C", 8),
            "user": rand_id("U", 8),
            "text": rand_unicode_body(),
            "ts": f"{ts}.000200",
            "event_id": "nested-decoy",
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": ts,
        "authorizations": [{"enterprise_id": None, "team_id": rand_id("T", 8), "is_bot": True}],
    }
    if rng.random() < 0.5:
        event = shuffled(event)
    return dump_json(event), event_id


def slack_form_body() -> str:
    """A slash command: form-encoded, no event ID."""
    return urllib.parse.urlencode(
        {
            "token": rand_id("", 24),
            "team_id": rand_id("T", 8),
            "channel_id": rand_id("C", 8),
            "user_name": "someone",
            "command": "/weather",
            "text": rand_unicode_body(),
            "response_url": "https://hooks.slack.com/commands/1234/5678",
            "trigger_id": rand_id("", 20),
        }
    )


def generic_json_body() -> str:
    value = {"type": "invoice.paid", "data": {"id": rand_id("inv_"), "note": rand_unicode_body()}, "seq": rng.randint(0, 99)}
    return dump_json(shuffled(value))


def tamper(body: bytes) -> bytes:
    """The same body with exactly one byte changed (one byte appended if the
    body is empty), still valid UTF-8 so every SDK can take it as a string."""
    if not body:
        return b"x"
    while True:
        i = rng.randrange(len(body))
        b = body[i]
        if b < 0x80:
            new = rng.choice([c for c in b"abcdefghijklmnopqrstuvwxyz0123456789 {}\"" if c != b])
        elif 0x80 <= b <= 0xBF:
            new = b ^ 0x01  # another continuation byte of the same valid range
        else:
            continue
        out = body[:i] + bytes([new]) + body[i + 1 :]
        try:
            out.decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert out != body and len(out) == len(body)
        return out


# --------------------------------------------------------------------------- #
# The CLI
# --------------------------------------------------------------------------- #

class Cli:
    counter = 0

    @classmethod
    def run(cls, args: list[str], body: bytes) -> subprocess.CompletedProcess:
        # Alternate between standard input and --body-file.
        cls.counter += 1
        if cls.counter % 2:
            return subprocess.run([BIN, *args], input=body, capture_output=True, timeout=60)
        path = os.path.join(TMP, f"body-{cls.counter}")
        with open(path, "wb") as f:
            f.write(body)
        return subprocess.run([BIN, *args, "--body-file", path], capture_output=True, stdin=subprocess.DEVNULL, timeout=60)

    @classmethod
    def sign(cls, provider: str, secrets: list[str], body: bytes, *, event_id: str | None = None, ts: int | None = None, extra: list[str] = ()):
        """`extra`: more arguments, e.g. [f"--url={url}"] (in the --name=value
        form, as a value may start with "-")."""
        args = ["sign", "--provider", provider]
        for s in secrets:
            args.append(f"--secret={s}")
        args.extend(extra)
        if event_id is not None:
            args.append(f"--id={event_id}")  # an ID may start with "-"
        if ts is not None:
            args.append(f"--timestamp={ts}")
        p = cls.run(args, body)
        if p.returncode != 0:
            raise AssertionError(f"`webhook-guard {' '.join(args)}` exited {p.returncode}: {p.stderr.decode(errors='replace').strip()}")
        headers: dict[str, str] = {}
        for line in p.stdout.decode().splitlines():
            name, sep, value = line.partition(": ")
            if not sep or name != name.lower() or name in headers:
                raise AssertionError(f"malformed sign output line {line!r} in {p.stdout!r}")
            headers[name] = value
        return headers

    @classmethod
    def verify(cls, provider: str, secrets: list[str], headers: dict[str, str], body: bytes, *, extra: list[str] = ()) -> subprocess.CompletedProcess:
        args = ["verify", "--provider", provider]
        for s in secrets:
            args.append(f"--secret={s}")
        args.extend(extra)
        for name, value in headers.items():
            args.append(f"--header={name}: {value}")
        return cls.run(args, body)


def describe(p: subprocess.CompletedProcess) -> str:
    return f"exit {p.returncode}, stdout {p.stdout.decode(errors='replace').strip()!r}, stderr {p.stderr.decode(errors='replace').strip()!r}"


class Case:
    """One case: collects what it was fed so a failure can be replayed."""

    def __init__(self, provider: str, direction: str, n: int, **inputs):
        self.label = f"{provider} {direction} case {n}"
        self.inputs = inputs
        self.ok = True

    def fail(self, message: str) -> None:
        self.ok = False
        shown = {k: (v if not isinstance(v, (bytes, str)) or len(v) <= 300 else f"{v[:300]}… ({len(v)} long)") for k, v in self.inputs.items()}
        failures.append(f"FAIL {self.label}: {message}\n    inputs: {shown!r}")

    def expect_cli_accepts(self, p, *, provider, event_id, event_id_signed, timestamp, key_index) -> None:
        if p.returncode != 0:
            self.fail(f"webhook-guard verify rejected a request the official SDK signed: {describe(p)}")
            return
        lines = p.stdout.decode().splitlines()
        if len(lines) != 1:
            self.fail(f"verify printed {len(lines)} lines, want 1: {describe(p)}")
            return
        got = json.loads(lines[0])
        want = {"provider": provider, "event_id": event_id, "event_id_signed": event_id_signed, "timestamp": timestamp, "key_index": key_index}
        if got != want:
            self.fail(f"verify reported {got!r}, want {want!r}")

    def expect_cli_rejects(self, p) -> None:
        err = p.stderr.decode(errors="replace").strip("\n")
        if p.returncode != 1 or p.stdout or not err or "\n" in err:
            self.fail(f"webhook-guard verify on a tampered body: want exit 1, empty stdout and one stderr line; got {describe(p)}")


def secret_rotation(real: str, decoy: str) -> tuple[list[str], int]:
    """The secrets to give `verify`, and the index of the real one: half the
    cases put a decoy (an older, rotated-out key) first."""
    if rng.random() < 0.5:
        return [decoy, real], 1
    return [real], 0


def now_ts() -> int:
    return int(time.time()) - rng.randint(0, 120)


def kinds(provider_kinds: list[str], n: int) -> list[str]:
    out = [provider_kinds[i % len(provider_kinds)] for i in range(n)]
    rng.shuffle(out)
    return out


# --------------------------------------------------------------------------- #
# Standard Webhooks: standardwebhooks.Webhook (sign + verify)
# --------------------------------------------------------------------------- #

def standard_secret() -> str:
    # Svix-style secrets are whsec_ + base64 of 24 bytes; also try 32 bytes
    # (padded base64) and the bare base64 that the SDK accepts too.
    key = rng.randbytes(rng.choice([24, 32]))
    b64 = base64.b64encode(key).decode()
    return b64 if rng.random() < 0.2 else "whsec_" + b64


def standard_body(kind: str, ts: int) -> str:
    return {
        "ascii": rand_ascii_body,
        "unicode": rand_unicode_body,
        "json": generic_json_body,
        "empty": lambda: "",
        "large": lambda: stripe_event_body(ts, large=True)[0],
    }[kind]()


def standard_msg_id() -> str:
    # No ".": it is the separator after the ID in the signed message, and the
    # crate refuses an ID holding it (an edge case below).
    return rng.choice([lambda: rand_id("msg_", 27), lambda: str(uuid.UUID(int=rng.getrandbits(128))), lambda: rand_text(ID_CHARS + "-_:", 1, 64)])()


def standard_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(["ascii", "unicode", "json", "json", "empty", "large"], CASES)):
        ts = now_ts()
        secret, decoy = standard_secret(), standard_secret()
        msg_id = standard_msg_id()
        body = standard_body(kind, ts)
        signature = StandardWebhook(secret).sign(msg_id, datetime.fromtimestamp(ts, tz=timezone.utc), body)
        headers = {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}
        secrets, key_index = secret_rotation(secret, decoy)
        c = Case("standard", "sdk->cli", n, kind=kind, secret=secret, secrets=secrets, headers=headers, body=body)
        raw = body.encode()
        c.expect_cli_accepts(Cli.verify("standard", secrets, headers, raw), provider="standard", event_id=msg_id, event_id_signed=True, timestamp=ts, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("standard", secrets, headers, tamper(raw)))
        n_ok += c.ok
    return n_ok


def standard_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(["ascii", "unicode", "json", "json", "empty", "large"], CASES)):
        ts = now_ts()
        secrets = [standard_secret() for _ in range(rng.choice([1, 1, 2]))]
        msg_id = standard_msg_id()
        body = standard_body(kind, ts)
        raw = body.encode()
        c = Case("standard", "cli->sdk", n, kind=kind, secrets=secrets, id=msg_id, ts=ts, body=body)
        try:
            headers = Cli.sign("standard", secrets, raw, event_id=msg_id, ts=ts)
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        if headers.get("webhook-id") != msg_id or headers.get("webhook-timestamp") != str(ts):
            c.fail(f"sign wrote headers {headers!r}")
        # Every key that signed (rotation) must be accepted on its own.
        for secret in secrets:
            wh = StandardWebhook(secret)
            try:
                parsed = wh.verify(raw, headers, json_parse=kind in ("json", "large"))
                if kind in ("json", "large") and parsed != json.loads(body):
                    c.fail("the SDK's parsed payload differs from the body")
            except WebhookVerificationError as e:
                c.fail(f"standardwebhooks rejected what webhook-guard signed with {secret!r}: {e}")
            try:
                wh.verify(tamper(raw), headers, json_parse=False)
                c.fail(f"standardwebhooks accepted a tampered body (secret {secret!r})")
            except WebhookVerificationError:
                pass
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# Stripe: stripe.WebhookSignature.generate_signature_header (the SDK's signer
# "for signing payloads in unit tests") / Webhook.construct_event / verify_header
# --------------------------------------------------------------------------- #

def stripe_secret() -> str:
    return "whsec_" + "".join(rng.choice(ID_CHARS) for _ in range(32))


def stripe_body(kind: str, ts: int) -> tuple[str, str | None]:
    if kind == "event":
        return stripe_event_body(ts)
    if kind == "large":
        return stripe_event_body(ts, large=True)
    if kind == "ascii":
        return rand_ascii_body(), None
    if kind == "unicode":
        return rand_unicode_body(), None
    if kind == "empty":
        return "", None
    raise ValueError(kind)


def stripe_sdk_event_id(body: str, header: str, secret: str):
    """The event ID as the SDK sees it: construct_event(...).id."""
    event = stripe.Webhook.construct_event(body, header, secret)
    return event.id


STRIPE_KINDS = ["event", "event", "event", "large", "ascii", "unicode", "empty"]


def stripe_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(STRIPE_KINDS, CASES)):
        ts = now_ts()
        secret, decoy = stripe_secret(), stripe_secret()
        body, event_id = stripe_body(kind, ts)
        header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=ts)
        headers = {"stripe-signature": header}
        secrets, key_index = secret_rotation(secret, decoy)
        c = Case("stripe", "sdk->cli", n, kind=kind, secret=secret, secrets=secrets, headers=headers, body=body)
        if event_id is not None:
            # Cross-check the event ID with the SDK's own parse of the same request.
            sdk_id = stripe_sdk_event_id(body, header, secret)
            if sdk_id != event_id:
                c.fail(f"test bug: SDK event id {sdk_id!r} != {event_id!r}")
        raw = body.encode()
        c.expect_cli_accepts(Cli.verify("stripe", secrets, headers, raw), provider="stripe", event_id=event_id, event_id_signed=event_id is not None, timestamp=ts, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("stripe", secrets, headers, tamper(raw)))
        n_ok += c.ok
    return n_ok


def stripe_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(STRIPE_KINDS, CASES)):
        ts = now_ts()
        secrets = [stripe_secret() for _ in range(rng.choice([1, 1, 2]))]
        body, event_id = stripe_body(kind, ts)
        raw = body.encode()
        c = Case("stripe", "cli->sdk", n, kind=kind, secrets=secrets, ts=ts, body=body)
        try:
            headers = Cli.sign("stripe", secrets, raw, ts=ts)
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        header = headers.get("stripe-signature")
        if set(headers) != {"stripe-signature"} or not header:
            c.fail(f"sign wrote headers {headers!r}")
            continue
        for secret in secrets:  # Stripe sends one v1 per active secret while rolling
            try:
                if event_id is not None:
                    got = stripe.Webhook.construct_event(raw, header, secret).id
                    if got != event_id:
                        c.fail(f"construct_event gave event id {got!r}, want {event_id!r}")
                else:
                    stripe.WebhookSignature.verify_header(raw, header, secret, tolerance=300)
            except stripe.SignatureVerificationError as e:
                c.fail(f"stripe rejected what webhook-guard signed with {secret!r}: {e}")
            try:
                stripe.WebhookSignature.verify_header(tamper(raw), header, secret, tolerance=300)
                c.fail(f"stripe accepted a tampered body (secret {secret!r})")
            except stripe.SignatureVerificationError:
                pass
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# Slack: slack_sdk.signature.SignatureVerifier (generate_signature + is_valid)
# --------------------------------------------------------------------------- #

def slack_secret() -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(32))


def slack_body(kind: str, ts: int) -> tuple[str, str | None]:
    if kind == "event":
        return slack_event_body(ts)
    if kind == "form":
        return slack_form_body(), None
    if kind == "ascii":
        return rand_ascii_body(), None
    if kind == "unicode":
        return rand_unicode_body(), None
    if kind == "empty":
        return "", None
    raise ValueError(kind)


SLACK_KINDS = ["event", "event", "form", "form", "ascii", "unicode", "empty"]


def slack_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(SLACK_KINDS, CASES)):
        ts = now_ts()
        secret, decoy = slack_secret(), slack_secret()
        body, event_id = slack_body(kind, ts)
        verifier = SignatureVerifier(secret)
        signature = verifier.generate_signature(timestamp=str(ts), body=body)
        headers = {"x-slack-request-timestamp": str(ts), "x-slack-signature": signature}
        secrets, key_index = secret_rotation(secret, decoy)
        c = Case("slack", "sdk->cli", n, kind=kind, secret=secret, secrets=secrets, headers=headers, body=body)
        if not verifier.is_valid_request(body, headers):
            c.fail("test bug: the SDK rejects its own signature")
        raw = body.encode()
        c.expect_cli_accepts(Cli.verify("slack", secrets, headers, raw), provider="slack", event_id=event_id, event_id_signed=event_id is not None, timestamp=ts, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("slack", secrets, headers, tamper(raw)))
        n_ok += c.ok
    return n_ok


def slack_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(SLACK_KINDS, CASES)):
        ts = now_ts()
        secret = slack_secret()
        body, _ = slack_body(kind, ts)
        raw = body.encode()
        c = Case("slack", "cli->sdk", n, kind=kind, secret=secret, ts=ts, body=body)
        try:
            headers = Cli.sign("slack", [secret], raw, ts=ts)
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        if headers.get("x-slack-request-timestamp") != str(ts):
            c.fail(f"sign wrote headers {headers!r}")
        verifier = SignatureVerifier(secret)  # real clock: checks freshness too
        if not verifier.is_valid_request(raw, headers):
            c.fail("slack_sdk SignatureVerifier.is_valid_request rejected what webhook-guard signed")
        if not verifier.is_valid(body, headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")):
            c.fail("slack_sdk SignatureVerifier.is_valid rejected what webhook-guard signed")
        if verifier.is_valid_request(tamper(raw), headers):
            c.fail("slack_sdk accepted a tampered body")
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# Twilio: twilio.request_validator.RequestValidator (compute_signature +
# validate). The signature covers the URL Twilio requested (query included)
# and, for a form body, its parameters; a JSON body is covered by the
# `bodySHA256` query parameter instead. Twilio spells the URL with or without
# the default port (":443"), and the validator accepts either, so some
# receivers are given the other spelling. The SDK's users parse the form with
# a MultiDict (Flask's request.form) or a plain dict.
# --------------------------------------------------------------------------- #

class MultiDict(dict):
    """A form's parameters with repeated names, like Flask's MultiDict: the
    SDK reads them with getall()."""

    def __init__(self, pairs):
        super().__init__()
        self.pairs = list(pairs)
        for name, value in self.pairs:
            self.setdefault(name, value)

    def getall(self, name):
        return [v for k, v in self.pairs if k == name]


def twilio_token() -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(32))


def twilio_sid(prefix: str) -> str:
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(32))


def twilio_url() -> str:
    """An https URL as configured in the console: with or without ":443",
    sometimes another port, often a query string."""
    host = rng.choice(["example.com", "hooks.example.org", "api.acme-corp.io"])
    port = rng.choice(["", "", ":443", ":443", ":8443"])
    path = rng.choice(["/twilio/sms", "/voice/incoming", "/hooks/twilio/status.php", "/"])
    query = rng.choice([
        "",
        "",
        f"?tenant={rand_id('', 8)}",
        f"?tenant={rand_id('', 6)}&lang=fr&name={urllib.parse.quote(rand_unicode_word())}",
        "?foo=1&bar=2",
    ])
    return f"https://{host}{port}{path}{query}"


def other_port_spelling(url: str) -> str:
    """The same URL with the default port dropped or added (what Twilio's
    back end may sign instead of what the receiver sees)."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    host, sep, tail = rest.partition("/")
    if host.endswith(":443"):
        host = host[: -len(":443")]
    elif ":" not in host:
        host += ":443"
    return f"{scheme}://{host}{sep}{tail}"


def with_body_digest(url: str, body: str) -> str:
    return url + ("&" if "?" in url else "?") + "bodySHA256=" + hashlib.sha256(body.encode()).hexdigest()


def twilio_form(kind: str) -> list[tuple[str, str]]:
    """Form parameters as Twilio posts them (name, value pairs in order)."""
    account = twilio_sid("AC")
    phone = lambda: "+1" + "".join(rng.choice(string.digits) for _ in range(10))  # noqa: E731
    if kind == "sms":
        params = [
            ("ToCountry", "US"), ("SmsMessageSid", twilio_sid("SM")), ("NumMedia", "0"), ("ToCity", ""),
            ("Body", rng.choice([rand_unicode_body(), rand_ascii_body(), "", "a&b=c+d%20e"])),
            ("FromCountry", rng.choice(["US", "FR", "JP"])), ("To", phone()), ("MessageSid", twilio_sid("SM")),
            ("AccountSid", account), ("From", phone()), ("ApiVersion", "2010-04-01"),
        ]
    elif kind in ("voice", "gather", "gather-repeat"):
        params = [
            ("AccountSid", account), ("ApiVersion", "2010-04-01"), ("CallSid", twilio_sid("CA")),
            ("CallStatus", rng.choice(["ringing", "in-progress", "completed"])), ("Called", phone()),
            ("Caller", phone()), ("CallerName", rand_unicode_word()), ("Direction", "inbound"), ("From", phone()), ("To", phone()),
        ]
        if kind != "voice":
            # A repeated name: two values ("gather"), or twice the same value
            # ("gather-repeat"). The SDK sorts a name's values and signs each
            # value once.
            digits = lambda: "".join(rng.choice("0123456789*#") for _ in range(rng.randint(1, 6)))  # noqa: E731
            first = digits()
            second = first if kind == "gather-repeat" else digits()
            params += [("Digits", first), ("FinishedOnKey", "#"), ("Digits", second)]
    elif kind == "empty":
        return []
    else:
        raise ValueError(kind)
    rng.shuffle(params)
    return params


def twilio_json_body() -> str:
    """A JSON callback (signed through the URL's bodySHA256)."""
    value = {
        "AccountSid": twilio_sid("AC"),
        "EventType": rng.choice(["onMessageAdded", "com.twilio.messaging.message.delivered"]),
        "Body": rand_unicode_body(),
        "Attributes": {"id": rand_id("attr_", 8), "note": rand_unicode_word()},
        "DateCreated": datetime.now(timezone.utc).isoformat(),
    }
    return dump_json(shuffled(value))


def twilio_request(kind: str) -> tuple[str, list[tuple[str, str]] | None]:
    """(body, form pairs or None for a JSON body)."""
    if kind == "json":
        return twilio_json_body(), None
    pairs = twilio_form(kind)
    quote_via = rng.choice([urllib.parse.quote_plus, urllib.parse.quote])  # "+" or "%20" for a space
    return urllib.parse.urlencode(pairs, quote_via=quote_via), pairs


def twilio_params(body: str):
    """The form as the SDK's users hand it to validate(): a MultiDict where
    names repeat, otherwise sometimes a plain dict."""
    pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
    if len({k for k, _ in pairs}) == len(pairs) and rng.random() < 0.5:
        return dict(pairs)
    return MultiDict(pairs)


def twilio_tamper(validator: RequestValidator, url: str, body: bytes, is_form: bool) -> bytes:
    """tamper(), but for a form body only a change that changes the signed
    parameters: "+" -> " " or "%2B" -> "%2b" decode to the same form."""
    while True:
        out = tamper(body)
        if not is_form:
            return out
        params = lambda b: MultiDict(urllib.parse.parse_qsl(b.decode(), keep_blank_values=True))  # noqa: E731
        if validator.compute_signature(url, params(out)) != validator.compute_signature(url, params(body)):
            return out


TWILIO_KINDS = ["sms", "sms", "voice", "gather", "gather-repeat", "json", "json", "empty"]


def twilio_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(TWILIO_KINDS, CASES)):
        token, decoy = twilio_token(), twilio_token()
        validator = RequestValidator(token)
        signed_url = twilio_url()
        # What the receiver sees: the same URL, or the other port spelling.
        received_url = other_port_spelling(signed_url) if rng.random() < 0.5 else signed_url
        body, pairs = twilio_request(kind)
        if pairs is None:
            signed_url, received_url = with_body_digest(signed_url, body), with_body_digest(received_url, body)
            signature = validator.compute_signature(signed_url, {})
            sdk_params = body
        else:
            signature = validator.compute_signature(signed_url, MultiDict(pairs) if rng.random() < 0.5 else twilio_params(body))
            sdk_params = twilio_params(body)
        headers = {"x-twilio-signature": signature}
        event_id = str(uuid.UUID(int=rng.getrandbits(128))) if rng.random() < 0.75 else None
        if event_id is not None:
            headers["i-twilio-idempotency-token"] = event_id
        secrets, key_index = secret_rotation(token, decoy)
        c = Case("twilio", "sdk->cli", n, kind=kind, token=token, secrets=secrets, signed_url=signed_url, url=received_url, headers=headers, body=body)
        if not validator.validate(received_url, sdk_params, signature):
            c.fail("test bug: the SDK's validate() rejects its own signature")
        raw = body.encode()
        url_arg = [f"--url={received_url}"]
        c.expect_cli_accepts(Cli.verify("twilio", secrets, headers, raw, extra=url_arg), provider="twilio", event_id=event_id, event_id_signed=False, timestamp=None, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("twilio", secrets, headers, twilio_tamper(validator, received_url, raw, pairs is not None), extra=url_arg))
        n_ok += c.ok
    return n_ok


def twilio_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(TWILIO_KINDS, CASES)):
        token = twilio_token()
        validator = RequestValidator(token)
        url = twilio_url()
        body, pairs = twilio_request(kind)
        if pairs is None:
            url = with_body_digest(url, body)
        event_id = str(uuid.UUID(int=rng.getrandbits(128)))
        raw = body.encode()
        c = Case("twilio", "cli->sdk", n, kind=kind, token=token, url=url, id=event_id, body=body)
        try:
            headers = Cli.sign("twilio", [token], raw, event_id=event_id, extra=[f"--url={url}"])
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        signature = headers.get("x-twilio-signature")
        if set(headers) != {"x-twilio-signature", "i-twilio-idempotency-token"} or headers["i-twilio-idempotency-token"] != event_id or not signature:
            c.fail(f"sign wrote headers {headers!r}")
            continue
        params = body if pairs is None else twilio_params(body)
        # As the receiver sees the URL, and with the other port spelling (the
        # SDK accepts both).
        for seen in (url, other_port_spelling(url)):
            if not validator.validate(seen, params, signature):
                c.fail(f"twilio RequestValidator.validate({seen!r}, …) rejected what webhook-guard signed")
        tampered = twilio_tamper(validator, url, raw, pairs is not None).decode()
        if validator.validate(url, tampered if pairs is None else twilio_params(tampered), signature):
            c.fail("twilio RequestValidator.validate accepted a tampered body")
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# Razorpay: razorpay.Utility.verify_webhook_signature (the SDK signs nothing,
# so only webhook-guard's signatures can be put to it).
# Coinbase Commerce: coinbase_commerce.webhook.WebhookSignature
# (_compute_signature, the SDK's own signer, and verify_sig_header).
# --------------------------------------------------------------------------- #

def hmac_body_secret() -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(8, 40)))


HMAC_BODY_KINDS = ["json", "json", "ascii", "unicode", "empty"]


def hmac_body(kind: str) -> str:
    if kind == "json":
        return generic_json_body()
    if kind == "ascii":
        return rand_ascii_body()
    if kind == "unicode":
        return rand_unicode_body()
    return ""


def razorpay_cli_to_sdk() -> int:
    n_ok = 0
    utility = razorpay.Utility()
    for n, kind in enumerate(kinds(HMAC_BODY_KINDS, CASES)):
        secret = hmac_body_secret()
        body = hmac_body(kind)
        raw = body.encode()
        event_id = rand_id("evt_", 14)
        c = Case("razorpay", "cli->sdk", n, kind=kind, secret=secret, body=body)
        try:
            headers = Cli.sign("razorpay", [secret], raw, event_id=event_id)
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        if headers.get("x-razorpay-event-id") != event_id:
            c.fail(f"sign wrote headers {headers!r}")
        signature = headers.get("x-razorpay-signature", "")
        try:
            utility.verify_webhook_signature(body, signature, secret)
        except razorpay.errors.SignatureVerificationError:
            c.fail("razorpay Utility.verify_webhook_signature rejected what webhook-guard signed")
        try:
            utility.verify_webhook_signature(tamper(raw).decode(), signature, secret)
            c.fail("razorpay accepted a tampered body")
        except razorpay.errors.SignatureVerificationError:
            pass
        # And webhook-guard reads its own request as the SDK's counterpart would.
        c.expect_cli_accepts(Cli.verify("razorpay", [secret], headers, raw), provider="razorpay", event_id=event_id, event_id_signed=False, timestamp=None, key_index=0)
        n_ok += c.ok
    return n_ok


def coinbase_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(HMAC_BODY_KINDS, CASES)):
        secret, decoy = str(uuid.UUID(bytes=rng.randbytes(16))), str(uuid.UUID(bytes=rng.randbytes(16)))
        body = hmac_body(kind)
        headers = {"x-cc-webhook-signature": CoinbaseSignature._compute_signature(body, secret)}
        secrets, key_index = secret_rotation(secret, decoy)
        c = Case("coinbase", "sdk->cli", n, kind=kind, secret=secret, secrets=secrets, headers=headers, body=body)
        raw = body.encode()
        c.expect_cli_accepts(Cli.verify("coinbase", secrets, headers, raw), provider="coinbase", event_id=None, event_id_signed=False, timestamp=None, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("coinbase", secrets, headers, tamper(raw)))
        n_ok += c.ok
    return n_ok


def coinbase_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(HMAC_BODY_KINDS, CASES)):
        secret = str(uuid.UUID(bytes=rng.randbytes(16)))
        body = hmac_body(kind)
        raw = body.encode()
        c = Case("coinbase", "cli->sdk", n, kind=kind, secret=secret, body=body)
        try:
            headers = Cli.sign("coinbase", [secret], raw)
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        signature = headers.get("x-cc-webhook-signature", "")
        try:
            CoinbaseSignature.verify_sig_header(body, signature, secret)
        except CoinbaseSignatureError:
            c.fail("coinbase_commerce WebhookSignature.verify_sig_header rejected what webhook-guard signed")
        try:
            CoinbaseSignature.verify_sig_header(tamper(raw).decode(), signature, secret)
            c.fail("coinbase_commerce accepted a tampered body")
        except CoinbaseSignatureError:
            pass
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# HubSpot: hubspot.utils.signature.Signature (get_signature, is_valid), v3:
# base64 HMAC-SHA256 of method + URL + body + timestamp (ms).
# --------------------------------------------------------------------------- #

def hubspot_url() -> str:
    host = rng.choice(["example.com", "hooks.example.org", "api.acme-corp.io"])
    path = rng.choice(["/hubspot", "/webhooks/hubspot", "/"])
    query = rng.choice(["", "", f"?tenant={rand_id('', 8)}", "?foo=1&bar=2"])
    return f"https://{host}{path}{query}"


def hubspot_sdk_to_cli() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(HMAC_BODY_KINDS, CASES)):
        secret, decoy = str(uuid.UUID(bytes=rng.randbytes(16))), str(uuid.UUID(bytes=rng.randbytes(16)))
        body = hmac_body(kind)
        url = hubspot_url()
        ts = now_ts() * 1000 + rng.randint(0, 999)
        signature = HubSpotSignature.get_signature(secret, body, "v3", url, "POST", str(ts))
        headers = {"x-hubspot-signature-v3": signature, "x-hubspot-request-timestamp": str(ts)}
        secrets, key_index = secret_rotation(secret, decoy)
        c = Case("hubspot", "sdk->cli", n, kind=kind, secret=secret, secrets=secrets, url=url, headers=headers, body=body)
        raw = body.encode()
        extra = [f"--url={url}"]
        c.expect_cli_accepts(Cli.verify("hubspot", secrets, headers, raw, extra=extra), provider="hubspot", event_id=None, event_id_signed=False, timestamp=ts // 1000, key_index=key_index)
        c.expect_cli_rejects(Cli.verify("hubspot", secrets, headers, tamper(raw), extra=extra))
        n_ok += c.ok
    return n_ok


def hubspot_cli_to_sdk() -> int:
    n_ok = 0
    for n, kind in enumerate(kinds(HMAC_BODY_KINDS, CASES)):
        secret = str(uuid.UUID(bytes=rng.randbytes(16)))
        body = hmac_body(kind)
        raw = body.encode()
        url = hubspot_url()
        c = Case("hubspot", "cli->sdk", n, kind=kind, secret=secret, url=url, body=body)
        try:
            headers = Cli.sign("hubspot", [secret], raw, extra=[f"--url={url}"])
        except AssertionError as e:
            c.fail(str(e))
            continue
        c.inputs["headers"] = headers
        signature = headers.get("x-hubspot-signature-v3", "")
        timestamp = headers.get("x-hubspot-request-timestamp")
        def valid(text: str) -> bool:
            return HubSpotSignature.is_valid(signature, secret, text, http_uri=url, http_method="POST", signature_version="v3", timestamp=timestamp)
        if not valid(body):
            c.fail("hubspot Signature.is_valid rejected what webhook-guard signed")
        if valid(tamper(raw).decode()):
            c.fail("hubspot accepted a tampered body")
        n_ok += c.ok
    return n_ok


# --------------------------------------------------------------------------- #
# Edge cases. Each names what webhook-guard must answer: either the same as the
# SDK, or a documented policy of the crate where it deliberately differs
# (bounded event IDs, strict timestamps, a symmetric clock window, the first
# duplicate key wins). The SDK's answer is printed beside ours for context;
# ours must match what is expected, or the run fails.
# --------------------------------------------------------------------------- #

class Verdict:
    """Accepted or not, and the event ID where the party reports one."""

    NO_ID = object()  # the party has no notion of an event ID here

    def __init__(self, accepted: bool, event_id=NO_ID, detail: str = ""):
        self.accepted, self.event_id, self.detail = accepted, event_id, detail

    def agrees_with(self, other: "Verdict") -> bool:
        if self.accepted != other.accepted:
            return False
        return self.event_id is Verdict.NO_ID or other.event_id is Verdict.NO_ID or self.event_id == other.event_id

    def __str__(self) -> str:
        text = "accepts" if self.accepted else "rejects"
        if self.accepted and self.event_id is not Verdict.NO_ID:
            shown = self.event_id if self.event_id is None or len(self.event_id) < 40 else f"<{len(self.event_id)} bytes>"
            text += f", event id {shown!r}"
        return text + (f" ({self.detail})" if self.detail else "")


def sdk_verdict(check, event_id_of=None) -> Verdict:
    """Runs the SDK's check; `event_id_of(result)` reads the event ID it gives."""
    try:
        result = check()
    except Exception as e:  # the SDK's rejection, whatever its type
        return Verdict(False, detail=f"{type(e).__name__}: {e}")
    if result is False:
        return Verdict(False)
    return Verdict(True, event_id_of(result) if event_id_of else Verdict.NO_ID)


def cli_verdict(p: subprocess.CompletedProcess) -> Verdict:
    if p.returncode == 0:
        return Verdict(True, json.loads(p.stdout)["event_id"])
    return Verdict(False, detail=f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()}")


SAME_AS_SDK = "same as the SDK"


def edge_cases() -> list[tuple[str, Verdict, Verdict, object]]:
    """(what, the SDK's answer, ours, what ours must be) for each edge case.

    What ours must be is SAME_AS_SDK or a Verdict stating the crate's policy.
    """
    out = []
    now = int(time.time())
    when = datetime.fromtimestamp(now, tz=timezone.utc)
    key = bytes(range(32))

    def standard(what: str, secret: str, msg_id: str, timestamp: str, expected) -> None:
        wh = StandardWebhook(secret)
        headers = {"webhook-id": msg_id, "webhook-timestamp": timestamp, "webhook-signature": wh.sign(msg_id, when, "hi")}
        sdk = sdk_verdict(lambda: wh.verify("hi", headers, json_parse=False))
        out.append((f"standard: {what}", sdk, cli_verdict(Cli.verify("standard", [secret], headers, b"hi")), expected))

    def stripe_case(what: str, body: str, timestamp: int, expected, *, spaced: bool = False) -> None:
        secret = "whsec_edgecases"
        header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
        if spaced:
            header = header.replace(",", ", ")
        sdk = sdk_verdict(lambda: stripe.Webhook.construct_event(body, header, secret), lambda event: event.id)
        ours = cli_verdict(Cli.verify("stripe", [secret], {"stripe-signature": header}, body.encode()))
        out.append((f"stripe: {what}", sdk, ours, expected))

    # Secrets whose base64 lost its padding: the SDK pads them back ("in case
    # whsecret is unpadded base64"), and so does the crate.
    unpadded = "whsec_" + base64.b64encode(key).decode().rstrip("=")
    standard("unpadded base64 secret", unpadded, "msg_1", str(now), SAME_AS_SDK)
    padded = "whsec_" + base64.b64encode(key).decode()
    # Policy: event IDs are bounded (limits::MAX_EVENT_ID_LEN = 256 bytes).
    standard("304-byte webhook-id", padded, "msg_" + "x" * 300, str(now), Verdict(False))
    # Policy: a webhook-id holding "." (the separator after it in the signed
    # message) is malformed: bytes could otherwise move between the ID and
    # what follows under the same signature.
    standard("webhook-id holding '.'", padded, "msg.1", str(now), Verdict(False))
    # Policy: timestamps are plain digits (the SDK parses them with float()).
    standard(f"webhook-timestamp {now}.0", padded, "msg_1", f"{now}.0", Verdict(False))

    # Policy: the first top-level "id" wins (the scanner stops there; the
    # SDK's json.loads keeps the last). The body is signed, so only the
    # provider could send such a body, and Stripe never does.
    stripe_case("duplicate top-level id", '{"id":"evt_first","object":"event","id":"evt_last"}', now, Verdict(True, "evt_first"))
    # Policy: a body event ID over 256 bytes is not reported; the request verifies.
    stripe_case("304-byte event id", json.dumps({"id": "evt_" + "x" * 300, "object": "event"}), now, Verdict(True, None))
    # Policy: the tolerance applies both ways (the SDK checks only age).
    stripe_case("t = now + 3600 s, tolerance 300 s", '{"id":"evt_future","object":"event"}', now + 3600, Verdict(False))
    # Policy: white space around Stripe-Signature entries is tolerated (the
    # signature itself is unchanged; the SDK rejects the header).
    stripe_case("'t=…, v1=…' (space after the comma)", '{"id":"evt_spaced","object":"event"}', now, Verdict(True, "evt_spaced"), spaced=True)

    # Slack: the first top-level "event_id" wins, as for Stripe's "id".
    verifier = SignatureVerifier("0123456789abcdef0123456789abcdef")
    body = '{"event_id":"Ev_first","type":"event_callback","event_id":"Ev_last"}'
    headers = {"x-slack-request-timestamp": str(now), "x-slack-signature": verifier.generate_signature(timestamp=str(now), body=body)}
    sdk = sdk_verdict(lambda: verifier.is_valid_request(body, headers), lambda _: json.loads(body)["event_id"])
    ours = cli_verdict(Cli.verify("slack", [verifier.signing_secret], headers, body.encode()))
    out.append(("slack: duplicate top-level event_id", sdk, ours, Verdict(True, "Ev_first")))
    return out


# --------------------------------------------------------------------------- #

def main() -> int:
    if not BIN or not os.access(BIN, os.X_OK):
        print(f"interop.py: WEBHOOK_GUARD_BIN must name the built webhook-guard binary (got {BIN!r}); run scripts/interop", file=sys.stderr)
        return 2
    versions = ", ".join(f"{d} {dist_version(d)}" for d in ("standardwebhooks", "stripe", "slack_sdk", "twilio", "razorpay", "coinbase-commerce", "hubspot-api-client"))
    print(f"python interop: {versions}; seed {SEED} (INTEROP_SEED={SEED} to replay), {CASES} cases per provider and direction")
    suites = [
        ("standard", "sdk->cli", standard_sdk_to_cli),
        ("standard", "cli->sdk", standard_cli_to_sdk),
        ("stripe", "sdk->cli", stripe_sdk_to_cli),
        ("stripe", "cli->sdk", stripe_cli_to_sdk),
        ("slack", "sdk->cli", slack_sdk_to_cli),
        ("slack", "cli->sdk", slack_cli_to_sdk),
        ("twilio", "sdk->cli", twilio_sdk_to_cli),
        ("twilio", "cli->sdk", twilio_cli_to_sdk),
        ("razorpay", "cli->sdk", razorpay_cli_to_sdk),
        ("coinbase", "sdk->cli", coinbase_sdk_to_cli),
        ("coinbase", "cli->sdk", coinbase_cli_to_sdk),
        ("hubspot", "sdk->cli", hubspot_sdk_to_cli),
        ("hubspot", "cli->sdk", hubspot_cli_to_sdk),
    ]
    passed = failed = 0
    for provider, direction, suite in suites:
        before = len(failures)
        started = time.monotonic()
        ok = suite()
        bad = CASES - ok
        passed += ok
        failed += bad
        status = "ok  " if bad == 0 and len(failures) == before else "FAIL"
        print(f"{status} {provider:<8} {direction}: {ok}/{CASES} cases passed ({time.monotonic() - started:.1f}s)")
    print("edge cases (SDK | webhook-guard; what webhook-guard must answer)")
    for what, sdk, ours, expected in edge_cases():
        wanted = sdk if expected is SAME_AS_SDK else expected
        good = ours.accepted == wanted.accepted and (
            not ours.accepted or wanted.event_id is Verdict.NO_ID or ours.event_id == wanted.event_id
        )
        policy = "same as the SDK" if expected is SAME_AS_SDK else f"policy: {expected}"
        print(f"  {'ok  ' if good else 'FAIL'} {what}: SDK {sdk} | ours {ours}; {policy}")
        if not good:
            failures.append(f"FAIL edge case {what}: webhook-guard {ours}, expected {wanted}")
    for f in failures:
        print(f, file=sys.stderr)
    print(f"python-interop: {passed} passed, {failed} failed")
    return 1 if failed or failures else 0


if __name__ == "__main__":
    sys.exit(main())

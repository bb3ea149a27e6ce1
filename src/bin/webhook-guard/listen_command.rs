//! `listen`: a local receiver guarded by the crate's own `WebhookLayer`,
//! printing each delivery as it arrives — verified, or the precise reason
//! it was refused — and, with `--forward-to`, passing verified deliveries
//! on to your app unchanged.

use std::io::{IsTerminal as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use axum::routing::any;
use bytes::Bytes;
use webhook_guard::delivery::{DefaultResponder, Rejection, Responder};
use webhook_guard::handshake::Handshake;
use webhook_guard::{Verified, Verifier, WebhookLayer};

use crate::UsageError;
use crate::arguments::{ListenArguments, OutputFormat};
use crate::http_client::Client;
use crate::recording::Recording;

/// What every request of the listener shares.
struct Listener {
    printer: Printer,
    forward_to: Option<Uri>,
    client: Client,
    record: Option<Mutex<std::fs::File>>,
}

pub(crate) fn run(arguments: ListenArguments) -> Result<ExitCode, UsageError> {
    if arguments.keys.provider.is_paypal() {
        return Err(UsageError(
            "listen: PayPal's certificate checks are not wired into listen yet".to_owned(),
        ));
    }
    let scheme = crate::arguments::scheme(arguments.keys.provider, &arguments.generic)?;
    let signs_url = scheme.signs_url();
    let mut verifier = Verifier::from_secrets(scheme, arguments.keys.secrets()?)?;
    let path = arguments.path.clone();
    if signs_url {
        let url = arguments.keys.url.clone().unwrap_or_else(|| {
            format!(
                "http://127.0.0.1:{}{}",
                arguments.port,
                path.as_deref().unwrap_or("/")
            )
        });
        verifier = verifier
            .with_public_url(&url)
            .map_err(|error| UsageError(format!("--url {url}: {error}")))?;
    }
    let forward_to = match &arguments.forward_to {
        Some(url) => Some(crate::http_client::target_url("--forward-to", url)?),
        None => None,
    };
    let record = match &arguments.record {
        Some(file) => Some(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .map_err(|error| UsageError(format!("--record {}: {error}", file.display())))?,
        )),
        None => None,
    };
    let printer = Printer {
        format: arguments.format,
        colour: arguments.format == OutputFormat::Text && std::io::stdout().is_terminal(),
    };
    let listener = Arc::new(Listener {
        printer,
        forward_to,
        client: Client::new(),
        record,
    });
    let first_key = arguments.keys.secrets()?.remove(0);
    let mut guard = WebhookLayer::new(verifier).with_responder(Reporting {
        listener: listener.clone(),
    });
    if let Some(handshake) = handshake(&listener_name(&arguments), &first_key)? {
        guard = guard.with_handshake(handshake);
    }
    let route = any(deliver).layer(guard);
    let app = match &path {
        Some(path) => Router::new().route(path, route),
        None => Router::new().fallback(route),
    }
    .with_state(listener.clone());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| UsageError(format!("cannot start the server: {error}")))?;
    runtime.block_on(async move {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, arguments.port));
        let socket = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|error| UsageError(format!("cannot listen on {address}: {error}")))?;
        let local = socket.local_addr().unwrap_or(address);
        eprintln!(
            "webhook-guard: listening on http://{local}{} for {}{}",
            path.as_deref().unwrap_or(""),
            listener_name(&arguments),
            listener
                .forward_to
                .as_ref()
                .map(|uri| format!(", forwarding verified deliveries to {uri}"))
                .unwrap_or_default()
        );
        axum::serve(socket, app)
            .await
            .map_err(|error| UsageError(format!("the server stopped: {error}")))
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The provider's handshake, answered as the provider requires, where it
/// needs nothing but the key (Meta's verify token and Asana's secret
/// keeping are the example receivers' to show).
fn handshake(provider: &str, key: &str) -> Result<Option<Handshake>, UsageError> {
    let refused = |error: webhook_guard::secret::SecretError| {
        UsageError(format!("the {provider} handshake: {error}"))
    };
    Ok(match provider {
        "slack" => Some(Handshake::slack()),
        "discord" => Some(Handshake::discord()),
        "twitch" => Some(Handshake::twitch()),
        "dropbox" => Some(Handshake::dropbox()),
        "woocommerce" => Some(Handshake::woocommerce()),
        "mandrill" => Some(Handshake::mandrill()),
        "zoom" => Some(Handshake::zoom(key).map_err(refused)?),
        "okta" => Some(Handshake::okta(key).map_err(refused)?),
        _ => None,
    })
}

fn listener_name(arguments: &ListenArguments) -> String {
    match arguments.keys.provider {
        crate::arguments::ProviderName::BuiltIn(provider) => provider.name().to_owned(),
        crate::arguments::ProviderName::Generic => crate::arguments::GENERIC.to_owned(),
    }
}

/// A verified delivery: printed, recorded, then answered 200 or passed on
/// to `--forward-to` (whose answer is the sender's, so that a failure of
/// the app lets the sender's retry in).
async fn deliver(
    State(listener): State<Arc<Listener>>,
    Extension(verified): Extension<Verified>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    if let Some(record) = &listener.record {
        let line = Recording::of(&method, &uri, &headers, &body, verified.event_id()).to_line();
        let mut file = record.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(error) = file.write_all(line.as_bytes()) {
            eprintln!("webhook-guard: --record: {error}");
        }
    }
    let Some(target) = &listener.forward_to else {
        listener
            .printer
            .verified(&method, &uri, &verified, &body, None);
        return plain(StatusCode::OK, "verified by webhook-guard listen\n");
    };
    let mut forwarded = headers.clone();
    for hop in ["host", "content-length", "connection", "transfer-encoding"] {
        forwarded.remove(hop);
    }
    let answer = listener
        .client
        .send(&method, target, &forwarded, body.clone())
        .await;
    listener
        .printer
        .verified(&method, &uri, &verified, &body, Some(&answer));
    match answer {
        Ok(answer) => {
            let mut response = Response::new(Body::from(answer.body));
            *response.status_mut() = answer.status;
            for (name, value) in &answer.headers {
                if !matches!(
                    name.as_str(),
                    "content-length" | "connection" | "transfer-encoding"
                ) {
                    response.headers_mut().append(name.clone(), value.clone());
                }
            }
            response
        }
        // Not recorded as processed: the sender retries.
        Err(_) => plain(StatusCode::BAD_GATEWAY, "the app did not answer\n"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response
}

/// The default answers, with each refusal printed first, reason and all.
#[derive(Clone)]
struct Reporting {
    listener: Arc<Listener>,
}

impl Responder<Body> for Reporting {
    fn respond(&self, rejection: &Rejection) -> Response<Body> {
        let response: Response<Body> = DefaultResponder.respond(rejection);
        self.listener.printer.refused(rejection, response.status());
        response
    }
}

/// How deliveries are shown: coloured text on a terminal, or one JSON
/// object a line.
struct Printer {
    format: OutputFormat,
    colour: bool,
}

impl Printer {
    fn verified(
        &self,
        method: &Method,
        uri: &Uri,
        verified: &Verified,
        body: &[u8],
        forwarded: Option<&Result<crate::http_client::Answer, String>>,
    ) {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let kind = json.as_ref().and_then(event_type);
        let mut out = std::io::stdout().lock();
        let written = match self.format {
            OutputFormat::Json => {
                let mut line = serde_json::json!({
                    "time": unix_now(),
                    "verified": true,
                    "method": method.as_str(),
                    "path": uri.path(),
                    "provider": verified.provider().name(),
                    "event_id": verified.event_id(),
                    "event_id_signed": verified.event_id_is_signed(),
                    "type": kind,
                    "timestamp": verified.timestamp_unix(),
                    "key_index": verified.key_index(),
                    "body_is_signed": verified.body_is_signed(),
                    "body_bytes": body.len(),
                    "body": json.clone().unwrap_or_else(|| String::from_utf8_lossy(body).into()),
                });
                if let Some(forwarded) = forwarded {
                    line["forwarded"] = match forwarded {
                        Ok(answer) => serde_json::json!({"status": answer.status.as_u16()}),
                        Err(error) => serde_json::json!({"error": error}),
                    };
                }
                writeln!(out, "{line}")
            }
            OutputFormat::Text => {
                let mark = self.paint("32", "✓ verified");
                let pretty = match &json {
                    Some(value) => serde_json::to_string_pretty(value).unwrap_or_default(),
                    None => String::from_utf8_lossy(body).into_owned(),
                };
                let forwarded = match forwarded {
                    None => String::new(),
                    Some(Ok(answer)) => format!("\n  → forwarded: {}", answer.status),
                    Some(Err(error)) => format!("\n  → forwarding failed: {error}"),
                };
                writeln!(
                    out,
                    "{mark} {method} {} provider={} id={} type={} key={} ({} bytes){}\n{}\n",
                    uri.path(),
                    verified.provider().name(),
                    verified.event_id().unwrap_or("-"),
                    kind.unwrap_or("-"),
                    verified.key_index(),
                    body.len(),
                    forwarded,
                    indent(&pretty),
                )
            }
        };
        // A closed standard output (`| head`) ends printing, not the server.
        drop(written);
        let _ = out.flush();
    }

    fn refused(&self, rejection: &Rejection, status: StatusCode) {
        let (reason, detail) = match rejection {
            Rejection::Unverified(error) => (error.reason().to_owned(), error.to_string()),
            Rejection::Duplicate => ("duplicate".to_owned(), "processed already".to_owned()),
            Rejection::Handshake(_) => (
                "handshake".to_owned(),
                "the provider's handshake, answered; the handler did not run".to_owned(),
            ),
            other => (format!("{other:?}"), String::new()),
        };
        let mut out = std::io::stdout().lock();
        let written = match self.format {
            OutputFormat::Json => writeln!(
                out,
                "{}",
                serde_json::json!({
                    "time": unix_now(),
                    "verified": false,
                    "status": status.as_u16(),
                    "reason": reason,
                    "detail": detail,
                })
            ),
            OutputFormat::Text if matches!(rejection, Rejection::Handshake(_)) => writeln!(
                out,
                "{} {status}: {detail}\n",
                self.paint("36", "↔ handshake")
            ),
            OutputFormat::Text if matches!(rejection, Rejection::Duplicate) => writeln!(
                out,
                "{} {status}: a duplicate of a processed event; the handler did not run\n",
                self.paint("33", "= duplicate")
            ),
            OutputFormat::Text => writeln!(
                out,
                "{} {status} {reason}: {detail}\n",
                self.paint("31", "✗ refused")
            ),
        };
        drop(written);
        let _ = out.flush();
    }

    fn paint(&self, colour: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{colour}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// The event's type, where the body names it the way most providers do.
fn event_type(body: &serde_json::Value) -> Option<&str> {
    [
        "type",
        "event_type",
        "eventType",
        "event",
        "topic",
        "action",
    ]
    .iter()
    .find_map(|field| body.get(field).and_then(serde_json::Value::as_str))
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default()
}

//! One HTTP/1.1 request per connection, over TCP or TLS (the Mozilla
//! roots): what `send` needs, bounded in time and in the answer's size.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// The whole exchange (connect, TLS, request, answer) must fit in this.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The most of an answer's body kept (1 MiB); a longer one is an error.
const MAX_ANSWER: usize = 1024 * 1024;

/// `text`, given as `flag`, as a URL requests can go to: `http://` or
/// `https://` with a host.
pub(crate) fn target_url(flag: &str, text: &str) -> Result<Uri, crate::UsageError> {
    text.parse::<Uri>()
        .ok()
        .filter(|uri| matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some())
        .ok_or_else(|| {
            crate::UsageError(format!(
                "{flag} {text}: an http:// or https:// URL with a host"
            ))
        })
}

/// What the receiver answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Where requests go, and the TLS settings for `https`.
#[derive(Clone)]
pub(crate) struct Client {
    tls: tokio_rustls::TlsConnector,
}

impl Client {
    /// A client trusting the Mozilla root certificates.
    pub(crate) fn new() -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
        }
    }

    /// Sends `method url` with `headers` and `body`; the answer, or why
    /// there is none.
    pub(crate) async fn send(
        &self,
        method: &Method,
        url: &Uri,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Result<Answer, String> {
        tokio::time::timeout(TIMEOUT, self.exchange(method, url, headers, body))
            .await
            .map_err(|_| format!("no answer within {} s", TIMEOUT.as_secs()))?
    }

    async fn exchange(
        &self,
        method: &Method,
        url: &Uri,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Result<Answer, String> {
        let host = url.host().ok_or("the URL has no host")?;
        let https = match url.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err("the URL must start with http:// or https://".to_owned()),
        };
        let port = url.port_u16().unwrap_or(if https { 443 } else { 80 });
        // `[::1]` connects as `::1`.
        let address = host.trim_start_matches('[').trim_end_matches(']');
        let tcp = TcpStream::connect((address, port))
            .await
            .map_err(|error| format!("cannot connect to {host}:{port}: {error}"))?;
        let mut request = Request::builder()
            .method(method.clone())
            .uri(url.path_and_query().map_or("/", |path| path.as_str()))
            .body(Full::new(body))
            .map_err(|error| format!("cannot build the request: {error}"))?;
        *request.headers_mut() = headers.clone();
        let authority = url.authority().map_or(host, |authority| authority.as_str());
        request.headers_mut().insert(
            http::header::HOST,
            HeaderValue::from_str(authority).map_err(|_| "the URL's host is not a header value")?,
        );
        if https {
            let name = rustls::pki_types::ServerName::try_from(address.to_owned())
                .map_err(|_| format!("{host} is not a TLS server name"))?;
            let tls = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|error| format!("TLS with {host}: {error}"))?;
            exchange_over(tls, request).await
        } else {
            exchange_over(tcp, request).await
        }
    }
}

async fn exchange_over<S>(stream: S, request: Request<Full<Bytes>>) -> Result<Answer, String>
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP: {error}"))?;
    // The connection ends with this exchange: the task ends with it.
    tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| format!("HTTP: {error}"))?;
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, MAX_ANSWER)
        .collect()
        .await
        .map_err(|error| format!("the answer's body: {error}"))?
        .to_bytes();
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

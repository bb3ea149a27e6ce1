use http::{HeaderMap, Uri};

use crate::limits::MAX_URL_LEN;
use crate::verify::forwarded_header;
use crate::verify::{RequestHead, UrlError, VerifyError};

/// Where a verifier takes the URL the sender signed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlSource {
    /// The request's own URI, when it is absolute (a client-side request,
    /// the CLI); a server's origin-form URI (`/path`) says too little.
    Request,
    /// The URL in the provider's dashboard, exactly (its query included).
    Public(Box<str>),
    /// Scheme and host from `Forwarded` / `X-Forwarded-Proto` /
    /// `X-Forwarded-Host` (or `Host`), path and query from the request:
    /// only behind a proxy that sets them.
    Forwarded,
}

impl UrlSource {
    /// A configured public URL, checked to be absolute http(s).
    pub(crate) fn public(url: &str) -> Result<Self, UrlError> {
        if url.len() > MAX_URL_LEN {
            return Err(UrlError::Unparsable);
        }
        let uri: Uri = url.parse().map_err(|_| UrlError::Unparsable)?;
        match (uri.scheme_str(), uri.authority()) {
            (Some("http" | "https"), Some(_)) => Ok(Self::Public(Box::from(url))),
            _ => Err(UrlError::NotAbsolute),
        }
    }

    /// The URL the sender signed for this request. With a public URL and a
    /// scheme that puts the body's digest in the query (`digest_param`,
    /// Twilio's `bodySHA256`), the request's value of that parameter is
    /// appended, as the sender appends it; nothing else of the request's
    /// URI is used, so a request cannot move bytes into the signed URL.
    pub(crate) fn signed_url(
        &self,
        head: &RequestHead<'_>,
        digest_param: Option<&str>,
    ) -> Result<String, VerifyError> {
        let url = match self {
            Self::Public(url) => {
                let digest = digest_param
                    .and_then(|name| query_value(head.uri().query(), name).map(|v| (name, v)));
                match digest {
                    Some((name, value)) => {
                        let joiner = if url.contains('?') { '&' } else { '?' };
                        format!("{url}{joiner}{name}={value}")
                    }
                    None => url.to_string(),
                }
            }
            Self::Request => match (head.uri().scheme_str(), head.uri().authority()) {
                (Some(_), Some(_)) => head.uri().to_string(),
                _ => return Err(VerifyError::UnknownUrl),
            },
            Self::Forwarded => {
                let headers = head.headers();
                let proto = forwarded(headers, "proto")
                    .or_else(|| first_value(headers, "x-forwarded-proto"))
                    .or_else(|| head.uri().scheme_str().map(str::to_owned))
                    .unwrap_or_else(|| "http".to_owned());
                let host = forwarded(headers, "host")
                    .or_else(|| first_value(headers, "x-forwarded-host"))
                    .or_else(|| first_value(headers, "host"))
                    .or_else(|| head.uri().authority().map(|a| a.to_string()))
                    .ok_or(VerifyError::UnknownUrl)?;
                let path = head
                    .uri()
                    .path_and_query()
                    .map_or("/", |path| path.as_str());
                format!("{proto}://{host}{path}")
            }
        };
        if url.len() > MAX_URL_LEN {
            return Err(VerifyError::MalformedHeader {
                name: http::header::HOST,
                reason: "the URL is too long",
            });
        }
        Ok(url)
    }
}

/// The URL as written, and with its port toggled: without it where it has
/// one, with the scheme's default port (443, 80) where it has none. Twilio
/// signs whichever its configuration held, and its SDKs try both.
pub(crate) fn port_variants(url: &str) -> [Option<String>; 2] {
    let as_is = || [Some(url.to_owned()), None];
    let Ok(uri) = url.parse::<Uri>() else {
        return as_is();
    };
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return as_is();
    };
    // The authority as written, right after `scheme://`; the host part
    // follows any `user@`.
    let Some(start) = url.find("://").map(|at| at + 3) else {
        return as_is();
    };
    let end = start + authority.as_str().len();
    if url.get(start..end) != Some(authority.as_str()) {
        return as_is();
    }
    let host_start = authority
        .as_str()
        .rfind('@')
        .map_or(start, |at| start + at + 1);
    let host = &url[host_start..end];
    let replaced = match authority.port_u16() {
        Some(_) => host
            .rsplit_once(':')
            .map_or(host, |(bare, _)| bare)
            .to_owned(),
        None if host.is_empty() || host.ends_with(':') => return as_is(),
        None => {
            let port = if scheme == "https" { 443 } else { 80 };
            format!("{host}:{port}")
        }
    };
    let other = format!("{}{replaced}{}", &url[..host_start], &url[end..]);
    // A host that is only a port has no other spelling.
    let valid = other
        .parse::<Uri>()
        .is_ok_and(|uri| uri.authority().is_some());
    [
        Some(url.to_owned()),
        (other != url && valid).then_some(other),
    ]
}

/// The raw value of the first query parameter called `name`.
pub(crate) fn query_value<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    (!first.is_empty() && first.len() <= MAX_URL_LEN).then(|| first.to_owned())
}

/// A parameter of the first element of an RFC 7239 `Forwarded` header,
/// read with its quoted strings (`None` too if the element cannot be read
/// unambiguously).
fn forwarded(headers: &HeaderMap, parameter: &str) -> Option<String> {
    let value = headers.get(http::header::FORWARDED)?.to_str().ok()?;
    let first = *forwarded_header::elements(value).ok()?.first()?;
    let value = forwarded_header::parameter(first, parameter).ok()??;
    (!value.is_empty() && value.len() <= MAX_URL_LEN).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use http::{Method, Request};

    use super::*;

    fn head_of(request: &http::request::Parts) -> RequestHead<'_> {
        RequestHead::from(request)
    }

    #[test]
    fn ports_are_tried_with_and_without() {
        assert_eq!(
            port_variants("https://example.com/hook?a=1"),
            [
                Some("https://example.com/hook?a=1".to_owned()),
                Some("https://example.com:443/hook?a=1".to_owned())
            ]
        );
        assert_eq!(
            port_variants("http://user:pw@example.com/x"),
            [
                Some("http://user:pw@example.com/x".to_owned()),
                Some("http://user:pw@example.com:80/x".to_owned())
            ]
        );
        assert_eq!(
            port_variants("http://:/"),
            [Some("http://:/".to_owned()), None]
        );
        assert_eq!(
            port_variants("http://example.com:1234/x"),
            [
                Some("http://example.com:1234/x".to_owned()),
                Some("http://example.com/x".to_owned())
            ]
        );
    }

    #[test]
    fn a_public_url_is_used_exactly_with_only_the_digest_appended() {
        let source = UrlSource::public("https://example.com/hooks/twilio?foo=1").unwrap();
        let (parts, ()) = Request::builder()
            .method(Method::POST)
            .uri("/internal/path?foo=2&bodySHA256=abc&x=1")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(
            source
                .signed_url(&head_of(&parts), Some("bodySHA256"))
                .unwrap(),
            "https://example.com/hooks/twilio?foo=1&bodySHA256=abc"
        );
        assert_eq!(
            source.signed_url(&head_of(&parts), None).unwrap(),
            "https://example.com/hooks/twilio?foo=1"
        );
        assert_eq!(UrlSource::public("/relative"), Err(UrlError::NotAbsolute));
        assert_eq!(UrlSource::public("ftp://x/y"), Err(UrlError::NotAbsolute));
    }

    #[test]
    fn forwarded_headers_give_scheme_and_host_only_when_trusted() {
        let (parts, ()) = Request::builder()
            .uri("/hook?a=1")
            .header("host", "internal:8080")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "example.com, proxy")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(
            UrlSource::Forwarded
                .signed_url(&head_of(&parts), None)
                .unwrap(),
            "https://example.com/hook?a=1"
        );
        assert_eq!(
            UrlSource::Request
                .signed_url(&head_of(&parts), None)
                .unwrap_err(),
            VerifyError::UnknownUrl
        );
        let (parts, ()) = Request::builder()
            .uri("/hook")
            .header(
                "forwarded",
                "for=1.2.3.4;proto=https;host=\"hooks.example.com\"",
            )
            .header("x-forwarded-proto", "http")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(
            UrlSource::Forwarded
                .signed_url(&head_of(&parts), None)
                .unwrap(),
            "https://hooks.example.com/hook"
        );
        // A quoted host's comma ends nothing: the first element is whole.
        let (parts, ()) = Request::builder()
            .uri("/hook")
            .header(
                "forwarded",
                r#"host="hooks.example.com,x";proto=https, proto=http"#,
            )
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(
            UrlSource::Forwarded
                .signed_url(&head_of(&parts), None)
                .unwrap(),
            "https://hooks.example.com,x/hook"
        );
    }
}

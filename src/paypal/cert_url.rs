use std::fmt;

/// The hosts PayPal serves its message-verification certificates from:
/// live, then sandbox.
pub const ALLOWED_HOSTS: [&str; 4] = [
    "api.paypal.com",
    "api-m.paypal.com",
    "api.sandbox.paypal.com",
    "api-m.sandbox.paypal.com",
];

/// The path every certificate lives under.
pub const CERTS_PATH: &str = "/v1/notifications/certs/";

/// The longest `PAYPAL-CERT-URL` read.
const MAX_URL_LEN: usize = 512;

/// The longest certificate name after [`CERTS_PATH`] (PayPal's are
/// `CERT-` and three groups of eight hex digits).
const MAX_NAME_LEN: usize = 128;

/// A `PAYPAL-CERT-URL` that names one of PayPal's certificates: the only
/// URLs a `CertificateFetcher` (feature `paypal-fetch`)
/// connects to.
///
/// The rule is a whitelist of exact strings, read byte by byte before any
/// URL parser or resolver sees the value: `https://`, then one of the
/// [`ALLOWED_HOSTS`] exactly (no port, no user info, no trailing dot, lower
/// case), then [`CERTS_PATH`], then one name of ASCII letters, digits, `-`,
/// `_` and `.` (not starting with `.`), and nothing after it (no query, no
/// fragment, no `%`-escape, no further `/`). So no spelling of another
/// host (`api.paypal.com.evil.com`, `api.paypal.com@evil.com`,
/// `api.paypal.com:444`) and no path outside the certificates
/// (`..`, `%2e%2e`, `%2f`) passes.
///
/// ```
/// use webhook_guard::paypal::PayPalCertUrl;
///
/// let url = PayPalCertUrl::parse("https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77")?;
/// assert_eq!(url.host(), "api.paypal.com");
/// assert!(!url.is_sandbox());
/// assert!(PayPalCertUrl::parse("https://api.paypal.com.evil.com/v1/notifications/certs/CERT-1").is_err());
/// # Ok::<(), webhook_guard::paypal::PayPalError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PayPalCertUrl {
    url: Box<str>,
    host: &'static str,
    port: u16,
}

impl PayPalCertUrl {
    /// Checks `url` against the rule.
    pub fn parse(url: &str) -> Result<Self, crate::paypal::PayPalError> {
        Self::parse_with(url, &ALLOWED_HOSTS, None)
    }

    /// The rule with other hosts and a port: for the fetcher's own tests,
    /// which serve certificates on loopback. Never compiled outside them.
    #[cfg(all(test, feature = "paypal-fetch"))]
    pub(crate) fn parse_for_test(
        url: &str,
        hosts: &'static [&'static str],
        port: u16,
    ) -> Result<Self, crate::paypal::PayPalError> {
        Self::parse_with(url, hosts, Some(port))
    }

    fn parse_with(
        url: &str,
        hosts: &[&'static str],
        port: Option<u16>,
    ) -> Result<Self, crate::paypal::PayPalError> {
        let refuse = |reason| crate::paypal::PayPalError::CertUrl { reason };
        if url.len() > MAX_URL_LEN {
            return Err(refuse("longer than 512 bytes"));
        }
        let rest = url
            .strip_prefix("https://")
            .ok_or(refuse("not an https:// URL"))?;
        let (authority, path) = rest
            .find('/')
            .map(|at| rest.split_at(at))
            .ok_or(refuse("no path"))?;
        let expected_port = port.map(|port| format!(":{port}"));
        let host = hosts
            .iter()
            .copied()
            .find(|host| {
                authority
                    .strip_prefix(host)
                    .is_some_and(|tail| tail == expected_port.as_deref().unwrap_or(""))
            })
            .ok_or(refuse("not one of PayPal's certificate hosts"))?;
        let name = path
            .strip_prefix(CERTS_PATH)
            .ok_or(refuse("not under /v1/notifications/certs/"))?;
        let name_is_plain = !name.is_empty()
            && name.len() <= MAX_NAME_LEN
            && !name.starts_with('.')
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte));
        if !name_is_plain {
            return Err(refuse(
                "the certificate name is not plain letters, digits, `-`, `_` and `.`",
            ));
        }
        Ok(Self {
            url: url.into(),
            host,
            port: port.unwrap_or(443),
        })
    }

    /// The URL, exactly as sent.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Its host: one of [`ALLOWED_HOSTS`].
    pub fn host(&self) -> &'static str {
        self.host
    }

    /// The port to connect to: 443.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path and name, to request.
    pub fn path(&self) -> &str {
        let after_scheme = &self.url["https://".len()..];
        &after_scheme[after_scheme.find('/').unwrap_or(0)..]
    }

    /// Whether it is one of the sandbox hosts, whose certificates carry
    /// the sandbox subject.
    pub fn is_sandbox(&self) -> bool {
        self.host.contains(".sandbox.")
    }
}

impl fmt::Debug for PayPalCertUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PayPalCertUrl").field(&self.url).finish()
    }
}

impl fmt::Display for PayPalCertUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";

    #[test]
    fn each_of_paypals_hosts_passes_with_a_plain_certificate_name() {
        for host in ALLOWED_HOSTS {
            let url =
                format!("https://{host}/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77");
            let parsed = PayPalCertUrl::parse(&url).unwrap();
            assert_eq!(parsed.host(), host);
            assert_eq!(parsed.port(), 443);
            assert_eq!(
                parsed.path(),
                "/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"
            );
            assert_eq!(parsed.is_sandbox(), host.contains("sandbox"));
        }
    }

    #[test]
    fn a_wrong_scheme_is_refused() {
        for url in [
            GOOD.replacen("https", "http", 1),
            GOOD.replacen("https", "HTTPS", 1),
            GOOD.replacen("https://", "https:/", 1),
            GOOD.replacen("https://", "//", 1),
            GOOD.replacen("https://", "ftp://", 1),
            format!(" {GOOD}"),
        ] {
            assert!(PayPalCertUrl::parse(&url).is_err(), "{url}");
        }
    }

    #[test]
    fn another_host_in_any_spelling_is_refused() {
        let path = "/v1/notifications/certs/CERT-1";
        for authority in [
            "evil.com",
            "api.paypal.com.evil.com",
            "api.paypal.com@evil.com",
            "evil.com@api.paypal.com",
            "api.paypal.com:443@evil.com",
            "user:pass@api.paypal.com",
            "api.paypal.com:443",
            "api.paypal.com:8443",
            "api.paypal.com.",
            "API.PAYPAL.COM",
            "api.paypal.co",
            "paypal.com",
            "www.paypal.com",
            "api%2epaypal.com",
            "xapi.paypal.com",
            "[::1]",
            "127.0.0.1",
            "",
        ] {
            let url = format!("https://{authority}{path}");
            assert!(PayPalCertUrl::parse(&url).is_err(), "{url}");
        }
        // The authority ends at the first `/`: a host in the path is not one.
        assert!(
            PayPalCertUrl::parse("https://evil.com/api.paypal.com/v1/notifications/certs/x")
                .is_err()
        );
    }

    #[test]
    fn a_path_outside_the_certificates_is_refused() {
        let base = "https://api.paypal.com";
        for path in [
            "",
            "/",
            "/v1/notifications/certs/",
            "/v1/notifications/certs",
            "/v1/notifications/test",
            "/v1/notifications/certs/../../oauth2/token",
            "/v1/notifications/certs/..",
            "/v1/notifications/certs/.hidden",
            "/v1/notifications/certs/%2e%2e/x",
            "/v1/notifications/certs/%2E%2E",
            "/v1/notifications/certs/a%2fb",
            "/v1/notifications/certs/a/b",
            "/v1/notifications/certs/a\\b",
            "/v1/notifications/certs/CERT-1?x=1",
            "/v1/notifications/certs/CERT-1#x",
            "/v1/notifications/certs/CERT 1",
            "/V1/notifications/certs/CERT-1",
            "//v1/notifications/certs/CERT-1",
            "/x/../v1/notifications/certs/CERT-1",
        ] {
            let url = format!("{base}{path}");
            assert!(PayPalCertUrl::parse(&url).is_err(), "{url}");
        }
        let long = format!(
            "{base}/v1/notifications/certs/{}",
            "a".repeat(MAX_NAME_LEN + 1)
        );
        assert!(PayPalCertUrl::parse(&long).is_err());
        let longer = format!("{base}/v1/notifications/certs/{}", "a".repeat(MAX_URL_LEN));
        assert!(PayPalCertUrl::parse(&longer).is_err());
    }

    #[test]
    fn non_ascii_and_control_bytes_are_refused() {
        for url in [
            format!("{GOOD}\u{0}"),
            format!("{GOOD}\r\nHost: evil.com"),
            GOOD.replace("api.paypal", "аpi.paypal"), // Cyrillic а
            format!("{GOOD}é"),
        ] {
            assert!(PayPalCertUrl::parse(&url).is_err(), "{url:?}");
        }
    }
}

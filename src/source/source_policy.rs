use std::net::{IpAddr, SocketAddr};

use http::{HeaderMap, HeaderName};

use crate::delivery::Rejection;
use crate::source::{AllowedSources, TrustedProxies};

/// Who may deliver, and how: the guard's step 0, decided from the
/// connection and the head before anything else (a handshake included).
#[derive(Debug, Clone, Default)]
pub(crate) struct SourcePolicy {
    pub(crate) allowed: Option<AllowedSources>,
    pub(crate) proxies: Option<TrustedProxies>,
    pub(crate) https_required: bool,
}

/// The connection a request arrived on, as the framework knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Connection {
    /// The peer's address, if the server said.
    pub(crate) peer: Option<SocketAddr>,
    /// Whether the connection is TLS.
    pub(crate) tls: bool,
}

/// The client as the guard sees it: the peer, or who a trusted proxy says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SeenClient {
    address: IpAddr,
    https: bool,
}

impl SourcePolicy {
    /// Whether there is anything to check: without allowed sources or
    /// required HTTPS, nothing is read.
    pub(crate) fn is_active(&self) -> bool {
        self.allowed.is_some() || self.https_required
    }

    /// The headers the check reads (the trusted proxies' forwarding
    /// header), for a face that copies only what is read.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))] // the actix face copies only these
    pub(crate) fn header_names(&self) -> &'static [HeaderName] {
        match &self.proxies {
            Some(proxies) if self.is_active() => proxies.header().names(),
            _ => &[],
        }
    }

    /// Refuses (403) a request from outside the allowed sources, or over
    /// plain HTTP where HTTPS is required; the client is the peer, or, when
    /// the peer is a trusted proxy, who its forwarding header says. Fails
    /// closed: no peer address where one is needed, or a forwarding header
    /// that cannot be read, is refused.
    pub(crate) fn check(
        &self,
        connection: Connection,
        headers: &HeaderMap,
    ) -> Result<(), Rejection> {
        if !self.is_active() {
            return Ok(());
        }
        let seen = self.seen_client(connection, headers)?;
        if let Some(allowed) = &self.allowed {
            let address = seen.map(|seen| seen.address);
            if !address.is_some_and(|address| allowed.contains(address)) {
                return Err(Rejection::SourceNotAllowed { client: address });
            }
        }
        let https = match seen {
            Some(seen) => seen.https,
            None => connection.tls,
        };
        if self.https_required && !https {
            return Err(Rejection::HttpsRequired);
        }
        Ok(())
    }

    /// The client, or `None` when the peer is unknown (a server that does
    /// not say: see [`Peer`](crate::source::Peer)).
    fn seen_client(
        &self,
        connection: Connection,
        headers: &HeaderMap,
    ) -> Result<Option<SeenClient>, Rejection> {
        let Some(peer) = connection.peer else {
            if self.allowed.is_some() {
                tracing::error!(
                    "webhook-guard: no peer address for this request, so its source cannot be checked: serve axum with `into_make_service_with_connect_info::<SocketAddr>()`, or insert a `webhook_guard::source::Peer` into each request's extensions"
                );
            }
            return Ok(None);
        };
        let peer_address = peer.ip().to_canonical();
        let direct = SeenClient {
            address: peer_address,
            https: connection.tls,
        };
        let Some(proxies) = self
            .proxies
            .as_ref()
            .filter(|proxies| proxies.contains(peer_address))
        else {
            return Ok(Some(direct));
        };
        match proxies
            .header()
            .client(headers, |hop| proxies.contains(hop))
        {
            Ok(Some(client)) => Ok(Some(SeenClient {
                address: client.address,
                https: client.https,
            })),
            Ok(None) => Ok(Some(direct)),
            Err(unreadable) => {
                tracing::warn!(
                    proxy = %peer_address,
                    problem = ?unreadable,
                    "webhook-guard: a trusted proxy's forwarding header does not name the client"
                );
                // Who the client is, and how it came, are unknown.
                Err(match self.allowed {
                    Some(_) => Rejection::SourceNotAllowed { client: None },
                    None => Rejection::HttpsRequired,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(peer: &str) -> Connection {
        Connection {
            peer: Some(peer.parse().unwrap()),
            tls: false,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, value.parse().unwrap());
        }
        headers
    }

    fn allowing(sources: &str) -> SourcePolicy {
        SourcePolicy {
            allowed: Some(sources.parse().unwrap()),
            ..SourcePolicy::default()
        }
    }

    /// Allowing `sources`, behind proxies in 10.0.0.0/8 that write
    /// `Forwarded`.
    fn behind_forwarding_proxies(sources: &str) -> SourcePolicy {
        SourcePolicy {
            proxies: Some(
                TrustedProxies::parse("10.0.0.0/8")
                    .unwrap()
                    .using_forwarded_header(),
            ),
            ..allowing(sources)
        }
    }

    fn client(rejection: Result<(), Rejection>) -> Option<IpAddr> {
        match rejection {
            Err(Rejection::SourceNotAllowed { client }) => client,
            other => panic!("not refused for its source: {other:?}"),
        }
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let policy = allowing("192.0.2.0/24");
        let spoofed = headers(&[
            ("x-forwarded-for", "192.0.2.1"),
            ("forwarded", "for=192.0.2.1"),
        ]);
        assert_eq!(
            client(policy.check(connection("198.51.100.9:1000"), &spoofed)),
            Some("198.51.100.9".parse().unwrap())
        );
        assert!(
            policy
                .check(connection("192.0.2.7:1000"), &HeaderMap::new())
                .is_ok()
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let mut policy = allowing("192.0.2.0/24");
        policy.proxies = Some("10.0.0.0/8".parse().unwrap());
        let lb = connection("10.0.0.1:1000");
        // The client wrote the left-most; the proxies appended the rest.
        let forged_left = headers(&[("x-forwarded-for", "192.0.2.1, 198.51.100.9, 10.0.0.2")]);
        assert_eq!(
            client(policy.check(lb, &forged_left)),
            Some("198.51.100.9".parse().unwrap())
        );
        let genuine = headers(&[
            ("x-forwarded-for", "198.51.100.9, 192.0.2.5"),
            ("x-forwarded-for", "10.0.0.2"),
        ]);
        assert!(
            policy.check(lb, &genuine).is_ok(),
            "several header lines read as one list"
        );
        // All hops trusted: the left-most is what is known.
        let internal = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(
            client(policy.check(lb, &internal)),
            Some("10.9.9.9".parse().unwrap())
        );
        // No header: the proxy itself.
        assert_eq!(
            client(policy.check(lb, &HeaderMap::new())),
            Some("10.0.0.1".parse().unwrap())
        );
        // The peer is not a proxy: its headers are not read.
        assert_eq!(
            client(policy.check(connection("198.51.100.9:1"), &genuine)),
            Some("198.51.100.9".parse().unwrap())
        );
    }

    #[test]
    fn an_unreadable_or_endless_forwarding_header_is_refused() {
        let mut policy = allowing("192.0.2.0/24");
        policy.proxies = Some("10.0.0.0/8".parse().unwrap());
        let lb = connection("10.0.0.1:1000");
        for value in ["192.0.2.1, garbage", "192.0.2.1,, 10.0.0.2", ""] {
            assert_eq!(
                client(policy.check(lb, &headers(&[("x-forwarded-for", value)]))),
                None,
                "{value:?}"
            );
        }
        // Garbage left of the client is never read.
        assert!(
            policy
                .check(lb, &headers(&[("x-forwarded-for", "garbage, 192.0.2.1")]))
                .is_ok()
        );
        let endless = vec!["10.0.0.3"; 40].join(",");
        assert_eq!(
            client(policy.check(lb, &headers(&[("x-forwarded-for", &endless)]))),
            None
        );
    }

    #[test]
    fn hops_with_ports_and_ipv6_and_mapped_peers_are_read() {
        let mut policy = allowing("192.0.2.0/24, 2001:db8::/32");
        policy.proxies = Some("10.0.0.0/8, fd00::/8".parse().unwrap());
        for (peer, value) in [
            ("[::ffff:10.0.0.1]:80", "192.0.2.1:4711"),
            ("[fd00::1]:80", "[2001:db8::1]:4711"),
            ("[fd00::1]:80", "2001:db8::1"),
            ("10.0.0.1:80", "::ffff:192.0.2.1"),
        ] {
            assert!(
                policy
                    .check(connection(peer), &headers(&[("x-forwarded-for", value)]))
                    .is_ok(),
                "{peer} {value}"
            );
        }
        // A mapped peer is its IPv4 address, allowed directly too.
        assert!(
            allowing("192.0.2.0/24")
                .check(connection("[::ffff:192.0.2.9]:80"), &HeaderMap::new())
                .is_ok()
        );
    }

    #[test]
    fn forwarded_is_read_only_when_chosen() {
        let policy = behind_forwarding_proxies("192.0.2.0/24");
        let lb = connection("10.0.0.1:1000");
        let both = headers(&[
            ("x-forwarded-for", "192.0.2.1"),
            (
                "forwarded",
                r#"for=192.0.2.1, for="[2001:db8::9]:4711";proto=https, for=10.0.0.7"#,
            ),
        ]);
        assert_eq!(
            client(policy.check(lb, &both)),
            Some("2001:db8::9".parse().unwrap())
        );
        let genuine = headers(&[(
            "forwarded",
            r#"for="198.51.100.1", For=192.0.2.3;Proto=https;by=10.0.0.1"#,
        )]);
        assert!(policy.check(lb, &genuine).is_ok());
        for hidden in ["for=unknown", "for=_hidden", "proto=https"] {
            assert_eq!(
                client(policy.check(lb, &headers(&[("forwarded", hidden)]))),
                None,
                "{hidden}"
            );
        }
    }

    #[test]
    fn a_quoted_value_the_client_chose_cannot_start_an_element_or_a_parameter() {
        let mut policy = behind_forwarding_proxies("192.0.2.0/24");
        policy.https_required = true;
        let lb = connection("10.0.0.1:1000");
        // The proxy wrote the client's Host in quotes: its commas and
        // semicolons are part of the value.
        let smuggled = headers(&[(
            "forwarded",
            r#"for=203.0.113.5;host="x,for=192.0.2.1;proto=https";proto=http"#,
        )]);
        assert_eq!(
            client(policy.check(lb, &smuggled)),
            Some("203.0.113.5".parse().unwrap())
        );
        let honest = headers(&[("forwarded", r#"for=192.0.2.1;host="a,b;c=d";proto=https"#)]);
        assert!(policy.check(lb, &honest).is_ok());
        for malformed in [
            r#"for="192.0.2.1"#,
            "for=192.0.2.1;for=192.0.2.2;proto=https",
            r#"for="192.0.2.\1";proto=https"#,
            "for=192.0.2.1;proto=http;proto=https",
        ] {
            let refused = policy.check(lb, &headers(&[("forwarded", malformed)]));
            assert!(refused.is_err(), "{malformed}");
        }
        // An unterminated quote the client sent on its own line stays on
        // that line, left of the proxy's.
        let left = headers(&[
            ("forwarded", r#"for="1.2.3.4"#),
            ("forwarded", "for=192.0.2.1;proto=https"),
        ]);
        assert!(policy.check(lb, &left).is_ok());
    }

    #[test]
    fn https_is_the_connection_or_the_trusted_proxys_word() {
        let policy = SourcePolicy {
            https_required: true,
            ..SourcePolicy::default()
        };
        let plain = connection("198.51.100.9:1");
        let claimed = headers(&[("x-forwarded-proto", "https")]);
        assert_eq!(policy.check(plain, &claimed), Err(Rejection::HttpsRequired));
        let tls = Connection { tls: true, ..plain };
        assert!(policy.check(tls, &HeaderMap::new()).is_ok());
        assert!(
            policy
                .check(
                    Connection {
                        peer: None,
                        tls: true
                    },
                    &HeaderMap::new()
                )
                .is_ok(),
            "HTTPS needs no address"
        );

        let mut behind = policy.clone();
        behind.proxies = Some("10.0.0.0/8".parse().unwrap());
        let lb = connection("10.0.0.1:1");
        let https = |xff: &str, proto: &str| {
            behind.check(
                lb,
                &headers(&[("x-forwarded-for", xff), ("x-forwarded-proto", proto)]),
            )
        };
        assert!(https("198.51.100.9", "https").is_ok());
        assert!(https("198.51.100.9", "HTTPS").is_ok());
        assert_eq!(https("198.51.100.9", "http"), Err(Rejection::HttpsRequired));
        // More than one scheme: the client may have written any of them
        // (an edge proxy appending to the client's `https`, an inner one
        // appending only to X-Forwarded-For), so none is believed.
        for protos in ["https, http", "https, https"] {
            assert_eq!(
                https("198.51.100.9, 10.0.0.2", protos),
                Err(Rejection::HttpsRequired),
                "{protos}"
            );
        }
        // An unreadable forwarding header with no allow-list: not known to
        // be HTTPS (and not a source refusal).
        assert_eq!(https("garbage", "https"), Err(Rejection::HttpsRequired));
        // A proxy's connection without its word: not known to be HTTPS.
        assert_eq!(
            behind.check(
                Connection { tls: true, ..lb },
                &headers(&[("x-forwarded-for", "198.51.100.9")])
            ),
            Err(Rejection::HttpsRequired)
        );
    }

    #[test]
    fn an_unknown_peer_fails_closed_and_an_inactive_policy_reads_nothing() {
        let unknown = Connection {
            peer: None,
            tls: false,
        };
        assert_eq!(
            client(allowing("0.0.0.0/0").check(unknown, &HeaderMap::new())),
            None
        );
        assert!(
            SourcePolicy::default()
                .check(unknown, &HeaderMap::new())
                .is_ok()
        );
        assert!(SourcePolicy::default().header_names().is_empty());
    }
}

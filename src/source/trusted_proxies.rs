use std::net::IpAddr;

use ipnet::IpNet;

use crate::source::{AllowedSources, ForwardingHeader, SourceError};

/// The proxies (load balancers, CDNs, ingress controllers) whose word on
/// who the client was the guard takes: a request whose peer is one of them
/// is checked as coming from the right-most address in its forwarding
/// header that is not one of them — the address the nearest proxy you do
/// not run saw. The left-most is never used: the client writes it.
///
/// Only the header chosen here is read, `X-Forwarded-For` (with
/// `X-Forwarded-Proto`) by default, or RFC 7239 `Forwarded` with
/// [`using_forwarded_header`](Self::using_forwarded_header): a client could
/// add the other one, and your proxies would pass it along unchanged.
/// A hop that is not an address (`unknown`, an obfuscated name, garbage)
/// before the client is found, or more than 32 trusted hops, and the
/// request is refused: the guard does not guess. `Forwarded` is split as
/// RFC 7239 quotes it (a quoted `host="…"` the client chose cannot start an
/// element); only a single `X-Forwarded-Proto` value is believed, so your
/// proxy must set it rather than pass the client's along.
///
/// Name the proxies as narrowly as you know them: any host in these ranges
/// that can reach the app directly can say whom it forwards.
///
/// ```
/// use webhook_guard::source::TrustedProxies;
///
/// // Your load balancers' subnet.
/// let proxies: TrustedProxies = "10.0.0.0/8".parse()?;
/// assert!(proxies.contains("10.1.2.3".parse().unwrap()));
/// # Ok::<(), webhook_guard::source::SourceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProxies {
    ranges: AllowedSources,
    header: ForwardingHeader,
}

impl TrustedProxies {
    /// Proxies in these ranges, read through `X-Forwarded-For` and
    /// `X-Forwarded-Proto`.
    pub fn new(ranges: impl IntoIterator<Item = IpNet>) -> Self {
        Self {
            ranges: AllowedSources::new(ranges),
            header: ForwardingHeader::XForwardedFor,
        }
    }

    /// Parses ranges as [`AllowedSources::parse`] does: the form of
    /// `WEBHOOK_GUARD_TRUSTED_PROXIES`.
    pub fn parse(list: &str) -> Result<Self, SourceError> {
        Ok(Self::new(
            AllowedSources::parse(list)?.ranges().iter().copied(),
        ))
    }

    /// Reads RFC 7239 `Forwarded` (`for=` and `proto=`) instead of
    /// `X-Forwarded-For` and `X-Forwarded-Proto`.
    pub fn using_forwarded_header(mut self) -> Self {
        self.header = ForwardingHeader::Forwarded;
        self
    }

    /// Whether `address` is one of these proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.ranges.contains(address)
    }

    /// The header the proxies' word is read from.
    pub(crate) fn header(&self) -> ForwardingHeader {
        self.header
    }
}

impl std::str::FromStr for TrustedProxies {
    type Err = SourceError;

    /// [`TrustedProxies::parse`].
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        Self::parse(list)
    }
}

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::{IpNet, Ipv4Net};
use serde::Deserialize;

use crate::source::SourceError;

/// A set of address ranges (CIDR): the addresses a guard lets deliveries
/// come from ([`with_allowed_sources`](crate::WebhookLayer::with_allowed_sources)),
/// or the proxies it trusts to say who the client was
/// ([`TrustedProxies`](crate::source::TrustedProxies)).
///
/// An IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, what a dual-stack
/// socket reports for an IPv4 peer) is the IPv4 address it maps, and
/// matches the IPv4 ranges (so `::/0` alone does not hold IPv4 clients).
///
/// ```
/// use webhook_guard::source::AllowedSources;
///
/// let sources: AllowedSources = "192.0.2.0/24, 2001:db8::/32, 198.51.100.7".parse()?;
/// assert!(sources.contains("192.0.2.99".parse().unwrap()));
/// assert!(sources.contains("::ffff:192.0.2.99".parse().unwrap()));
/// assert!(sources.contains("198.51.100.7".parse().unwrap()));
/// assert!(!sources.contains("198.51.100.8".parse().unwrap()));
///
/// // The ranges GitHub publishes for its webhooks, shipped with the crate:
/// assert!(AllowedSources::github_hooks().contains("140.82.115.1".parse().unwrap()));
/// # Ok::<(), webhook_guard::source::SourceError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSources {
    ranges: Vec<IpNet>,
}

/// `https://api.github.com/meta`, its `hooks` array (see `ranges/README.md`).
const GITHUB_META: &str = include_str!("ranges/github-meta.json");
/// `https://stripe.com/files/ips/ips_webhooks.json` (see `ranges/README.md`).
const STRIPE_IPS_WEBHOOKS: &str = include_str!("ranges/stripe-ips_webhooks.json");

impl AllowedSources {
    /// The most ranges one set holds: far more than any provider publishes,
    /// few enough that checking an address stays a short scan.
    pub const MAX_RANGES: usize = 4096;

    /// The largest provider document the parsers read.
    const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

    /// A set of these ranges (an IPv4-mapped IPv6 range is kept as the
    /// IPv4 range it maps).
    ///
    /// # Panics
    ///
    /// With more than [`MAX_RANGES`](Self::MAX_RANGES) ranges.
    pub fn new(ranges: impl IntoIterator<Item = IpNet>) -> Self {
        let ranges: Vec<IpNet> = ranges.into_iter().map(unmapped).collect();
        assert!(
            ranges.len() <= Self::MAX_RANGES,
            "webhook-guard: more than {} address ranges",
            Self::MAX_RANGES
        );
        Self { ranges }
    }

    /// Parses ranges separated by commas or whitespace: CIDR ranges
    /// (`192.0.2.0/24`), or single addresses (`192.0.2.7`, `2001:db8::1`).
    /// The form of `WEBHOOK_GUARD_ALLOWED_SOURCES`.
    pub fn parse(list: &str) -> Result<Self, SourceError> {
        let mut ranges = Vec::new();
        for entry in list
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|entry| !entry.is_empty())
        {
            if ranges.len() == Self::MAX_RANGES {
                return Err(SourceError::TooManyRanges {
                    limit: Self::MAX_RANGES,
                });
            }
            ranges.push(parse_range(entry)?);
        }
        Ok(Self::new(ranges))
    }

    /// The ranges GitHub sends webhooks from: the `hooks` of its `meta`
    /// document, as shipped with this version of the crate (source and date
    /// in `src/source/ranges/README.md`). Refresh them with
    /// [`from_github_meta`](Self::from_github_meta).
    pub fn github_hooks() -> Self {
        Self::from_github_meta(GITHUB_META).expect("the shipped GitHub meta document parses")
    }

    /// The addresses Stripe sends webhooks from: its `ips_webhooks.json`,
    /// as shipped with this version of the crate (source and date in
    /// `src/source/ranges/README.md`). Refresh them with
    /// [`from_stripe_ips`](Self::from_stripe_ips).
    pub fn stripe_webhooks() -> Self {
        Self::from_stripe_ips(STRIPE_IPS_WEBHOOKS)
            .expect("the shipped Stripe ips_webhooks document parses")
    }

    /// The `hooks` ranges of GitHub's `meta` document
    /// (`https://api.github.com/meta`, or a GitHub Enterprise Server's
    /// `/api/v3/meta`), as served; its other keys are ignored.
    pub fn from_github_meta(document: &str) -> Result<Self, SourceError> {
        #[derive(Deserialize)]
        struct Meta {
            hooks: Vec<String>,
        }
        let meta: Meta = read_document("GitHub meta", document)?;
        Self::from_entries(&meta.hooks)
    }

    /// The `WEBHOOKS` addresses of Stripe's `ips_webhooks.json`
    /// (`https://stripe.com/files/ips/ips_webhooks.json`), as served.
    pub fn from_stripe_ips(document: &str) -> Result<Self, SourceError> {
        #[derive(Deserialize)]
        struct StripeIps {
            #[serde(rename = "WEBHOOKS")]
            webhooks: Vec<String>,
        }
        let ips: StripeIps = read_document("Stripe ips_webhooks", document)?;
        Self::from_entries(&ips.webhooks)
    }

    fn from_entries(entries: &[String]) -> Result<Self, SourceError> {
        if entries.len() > Self::MAX_RANGES {
            return Err(SourceError::TooManyRanges {
                limit: Self::MAX_RANGES,
            });
        }
        let ranges = entries
            .iter()
            .map(|entry| parse_range(entry.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(ranges))
    }

    /// These ranges and `other`'s (for a route several senders reach).
    ///
    /// # Panics
    ///
    /// When together they hold more than [`MAX_RANGES`](Self::MAX_RANGES).
    pub fn and(mut self, other: Self) -> Self {
        self.ranges.extend(other.ranges);
        Self::new(self.ranges)
    }

    /// Whether `address` is in one of the ranges.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.ranges.iter().any(|range| range.contains(&address))
    }

    /// The ranges, as given.
    pub fn ranges(&self) -> &[IpNet] {
        &self.ranges
    }

    /// Whether there are no ranges (nothing is contained).
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

impl FromStr for AllowedSources {
    type Err = SourceError;

    /// [`AllowedSources::parse`].
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        Self::parse(list)
    }
}

impl FromIterator<IpNet> for AllowedSources {
    fn from_iter<I: IntoIterator<Item = IpNet>>(ranges: I) -> Self {
        Self::new(ranges)
    }
}

/// A CIDR range, or one address as the range of just it.
fn parse_range(entry: &str) -> Result<IpNet, SourceError> {
    entry
        .parse::<IpNet>()
        .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| SourceError::invalid_range(entry))
}

/// An IPv4-mapped IPv6 range as the IPv4 range it maps, so that it matches
/// the canonical (IPv4) form of the addresses in it.
fn unmapped(range: IpNet) -> IpNet {
    match range {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.addr().to_ipv4_mapped() {
            Some(v4) => Ipv4Net::new(v4, v6.prefix_len() - 96)
                .map(IpNet::V4)
                .unwrap_or(range),
            None => range,
        },
        other => other,
    }
}

fn read_document<T: for<'de> Deserialize<'de>>(
    document: &'static str,
    text: &str,
) -> Result<T, SourceError> {
    let invalid = |reason: String| SourceError::InvalidDocument { document, reason };
    if text.len() > AllowedSources::MAX_DOCUMENT_BYTES {
        return Err(invalid(format!(
            "longer than {} bytes",
            AllowedSources::MAX_DOCUMENT_BYTES
        )));
    }
    serde_json::from_str(text).map_err(|error| invalid(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_and_ranges_of_both_families_parse() {
        let sources =
            AllowedSources::parse(" 192.0.2.0/24,2001:db8::/32\n198.51.100.7 ::1 ").unwrap();
        assert_eq!(sources.ranges().len(), 4);
        assert!(sources.contains(address("192.0.2.255")));
        assert!(!sources.contains(address("192.0.3.0")));
        assert!(sources.contains(address("2001:db8:ffff::1")));
        assert!(!sources.contains(address("2001:db9::1")));
        assert!(sources.contains(address("::1")));
        assert!(AllowedSources::parse("").unwrap().is_empty());
    }

    #[test]
    fn ipv4_mapped_addresses_match_ipv4_ranges_and_mapped_ranges_match_ipv4() {
        let sources = AllowedSources::parse("192.0.2.0/24").unwrap();
        assert!(sources.contains(address("::ffff:192.0.2.1")));
        assert!(!sources.contains(address("::ffff:192.0.3.1")));
        let mapped = AllowedSources::parse("::ffff:192.0.2.0/120").unwrap();
        assert!(mapped.contains(address("192.0.2.1")));
        assert!(mapped.contains(address("::ffff:192.0.2.1")));
        // An IPv4-compatible (not mapped) address is not IPv4.
        assert!(!sources.contains(address("::192.0.2.1")));
    }

    #[test]
    fn bad_entries_are_named_and_bounded() {
        assert_eq!(
            AllowedSources::parse("192.0.2.0/24, 192.0.2.0/33").unwrap_err(),
            SourceError::InvalidRange {
                entry: "192.0.2.0/33".into()
            }
        );
        let long = "x".repeat(1000);
        let SourceError::InvalidRange { entry } = AllowedSources::parse(&long).unwrap_err() else {
            panic!("not an invalid range");
        };
        assert_eq!(entry.len(), 64);
        let many = "10.0.0.1,".repeat(AllowedSources::MAX_RANGES + 1);
        assert_eq!(
            AllowedSources::parse(&many).unwrap_err(),
            SourceError::TooManyRanges {
                limit: AllowedSources::MAX_RANGES
            }
        );
    }

    #[test]
    fn the_shipped_provider_ranges_hold_their_published_addresses() {
        let github = AllowedSources::github_hooks();
        assert_eq!(github.ranges().len(), 6);
        assert!(github.contains(address("192.30.252.1")));
        assert!(github.contains(address("2606:50c0::1")));
        assert!(!github.contains(address("8.8.8.8")));
        let stripe = AllowedSources::stripe_webhooks();
        assert_eq!(stripe.ranges().len(), 12);
        assert!(stripe.contains(address("54.187.216.72")));
        assert!(!stripe.contains(address("54.187.216.73")));
    }

    #[test]
    fn provider_documents_parse_as_served_and_refuse_what_they_are_not() {
        let meta = r#"{"verifiable_password_authentication":false,"hooks":["192.30.252.0/22","2a0a:a440::/29"],"web":["20.201.28.151/32"]}"#;
        let hooks = AllowedSources::from_github_meta(meta).unwrap();
        assert_eq!(hooks.ranges().len(), 2, "only the hooks");
        assert!(!hooks.contains(address("20.201.28.151")));
        assert!(matches!(
            AllowedSources::from_github_meta(r#"{"web":[]}"#),
            Err(SourceError::InvalidDocument { .. })
        ));
        assert!(matches!(
            AllowedSources::from_github_meta(r#"{"hooks":["not an address"]}"#),
            Err(SourceError::InvalidRange { .. })
        ));
        let stripe = AllowedSources::from_stripe_ips(r#"{"WEBHOOKS":["3.18.12.63"]}"#).unwrap();
        assert!(stripe.contains(address("3.18.12.63")));
        assert!(AllowedSources::from_stripe_ips("<html>").is_err());
        let huge = format!(r#"{{"WEBHOOKS":[], "pad":"{}"}}"#, "x".repeat(2 << 20));
        assert!(matches!(
            AllowedSources::from_stripe_ips(&huge),
            Err(SourceError::InvalidDocument { .. })
        ));
    }

    #[test]
    fn sets_combine() {
        let both = AllowedSources::github_hooks().and(AllowedSources::stripe_webhooks());
        assert_eq!(both.ranges().len(), 18);
        assert!(both.contains(address("3.18.12.63")));
        assert!(both.contains(address("140.82.112.9")));
    }
}

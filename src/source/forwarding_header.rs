use std::net::{IpAddr, SocketAddr};

use http::{HeaderMap, HeaderName};

use crate::verify::forwarded_header::{self, Malformed};

/// The most hops read from the right of a forwarding header before the
/// client must have been found.
const MAX_HOPS: usize = 32;

/// Which forwarding header trusted proxies write, and how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ForwardingHeader {
    /// `X-Forwarded-For`, with the scheme in `X-Forwarded-Proto`.
    XForwardedFor,
    /// RFC 7239 `Forwarded`: `for=` and `proto=` in each element.
    Forwarded,
}

/// What the forwarding header says of the client, read from the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ForwardedClient {
    /// The right-most hop not trusted, or the left-most if all are.
    pub(crate) address: IpAddr,
    /// Whether the client reached the first proxy over HTTPS, where the
    /// header says so unambiguously (otherwise `false`).
    pub(crate) https: bool,
}

/// Why the forwarding header could not name the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnreadableForwarding {
    /// A hop is not an address, or the header is not text.
    Malformed,
    /// More trusted hops than [`MAX_HOPS`].
    TooManyHops,
}

impl From<Malformed> for UnreadableForwarding {
    fn from(_: Malformed) -> Self {
        Self::Malformed
    }
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

impl ForwardingHeader {
    /// The headers this reads.
    #[cfg_attr(not(feature = "actix"), allow(dead_code))] // the actix face copies only these
    pub(crate) fn names(self) -> &'static [HeaderName] {
        static XFF: [HeaderName; 2] = [X_FORWARDED_FOR, X_FORWARDED_PROTO];
        static FORWARDED: [HeaderName; 1] = [http::header::FORWARDED];
        match self {
            Self::XForwardedFor => &XFF,
            Self::Forwarded => &FORWARDED,
        }
    }

    /// The client behind a trusted peer, or `None` when the request carries
    /// no forwarding header (the peer itself is the client).
    pub(crate) fn client(
        self,
        headers: &HeaderMap,
        trusted: impl Fn(IpAddr) -> bool,
    ) -> Result<Option<ForwardedClient>, UnreadableForwarding> {
        match self {
            Self::XForwardedFor => x_forwarded_for(headers, trusted),
            Self::Forwarded => forwarded(headers, trusted),
        }
    }
}

/// Every comma-separated element of every `name` header, right to left. A
/// value that is not text reads as one empty element, which no hop is.
fn elements_from_the_right<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(name)
        .iter()
        .rev()
        .flat_map(|value| value.to_str().unwrap_or("").rsplit(',').map(str::trim))
}

fn x_forwarded_for(
    headers: &HeaderMap,
    trusted: impl Fn(IpAddr) -> bool,
) -> Result<Option<ForwardedClient>, UnreadableForwarding> {
    let hops = elements_from_the_right(headers, &X_FORWARDED_FOR).map(Ok);
    let Some(client) = walk(hops, hop_address, trusted)? else {
        return Ok(None);
    };
    // Only one scheme, as a proxy writes it that sets the header (rather
    // than passing the client's along or appending to it), is read: with
    // more, the client may have written one of them, and no count of hops
    // tells which. Anything else is not HTTPS.
    let mut protos = elements_from_the_right(headers, &X_FORWARDED_PROTO);
    let https = match (protos.next(), protos.next()) {
        (Some(proto), None) => proto.eq_ignore_ascii_case("https"),
        _ => false,
    };
    Ok(Some(ForwardedClient {
        address: client.address,
        https,
    }))
}

fn forwarded(
    headers: &HeaderMap,
    trusted: impl Fn(IpAddr) -> bool,
) -> Result<Option<ForwardedClient>, UnreadableForwarding> {
    // Each header line split on the commas outside quoted strings: a quoted
    // value (a `host="…"` the client chose) cannot start an element of its
    // own, and a line with an unterminated quote reads as malformed.
    let mut elements = Vec::new();
    for value in headers.get_all(http::header::FORWARDED).iter().rev() {
        match value
            .to_str()
            .map_err(|_| UnreadableForwarding::Malformed)
            .and_then(|text| forwarded_header::elements(text).map_err(UnreadableForwarding::from))
        {
            Ok(line) => elements.extend(line.into_iter().rev().map(|element| Ok(element.trim()))),
            Err(unreadable) => elements.push(Err(unreadable)),
        }
        if elements.len() > MAX_HOPS {
            break;
        }
    }
    let address_of = |element: &str| {
        forwarded_header::parameter(element, "for")?
            .ok_or(UnreadableForwarding::Malformed)
            .and_then(hop_address)
    };
    let Some(client) = walk(elements.into_iter(), address_of, trusted)? else {
        return Ok(None);
    };
    let https = forwarded_header::parameter(client.element, "proto")?
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    Ok(Some(ForwardedClient {
        address: client.address,
        https,
    }))
}

/// The hop a walk stopped at.
struct Hop<'h> {
    address: IpAddr,
    element: &'h str,
}

/// Walks hops from the right to the first one not trusted (or the
/// left-most).
fn walk<'h>(
    elements: impl Iterator<Item = Result<&'h str, UnreadableForwarding>>,
    address_of: impl Fn(&'h str) -> Result<IpAddr, UnreadableForwarding>,
    trusted: impl Fn(IpAddr) -> bool,
) -> Result<Option<Hop<'h>>, UnreadableForwarding> {
    let mut client = None;
    for (position, element) in elements.enumerate() {
        if position == MAX_HOPS {
            return Err(UnreadableForwarding::TooManyHops);
        }
        let element = element?;
        let address = address_of(element)?;
        client = Some(Hop { address, element });
        if !trusted(address) {
            break;
        }
    }
    Ok(client)
}

/// One hop: an address, with or without a port (`192.0.2.7`,
/// `192.0.2.7:4711`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`),
/// in its canonical form.
fn hop_address(hop: &str) -> Result<IpAddr, UnreadableForwarding> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|socket| socket.ip()))
        .or_else(|_| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or(())
                .and_then(|inner| inner.parse::<IpAddr>().map_err(|_| ()))
        })
        .map(|address| address.to_canonical())
        .map_err(|_| UnreadableForwarding::Malformed)
}

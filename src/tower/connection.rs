use std::net::SocketAddr;

use http::request::Parts;

use crate::source::Peer;

/// The connection a request arrived on, as far as its extensions say: a
/// [`Peer`] the server inserted (the only way to know it is TLS: a request
/// URI's `https` scheme is whatever the client wrote in its request line),
/// else, with the `axum` feature, axum's `ConnectInfo<SocketAddr>`, which
/// says nothing of TLS.
pub(crate) fn connection_of(parts: &Parts) -> (Option<SocketAddr>, bool) {
    if let Some(peer) = parts.extensions.get::<Peer>() {
        return (Some(peer.address()), peer.is_tls());
    }
    #[cfg(feature = "axum")]
    if let Some(info) = parts
        .extensions
        .get::<::axum::extract::ConnectInfo<SocketAddr>>()
    {
        return (Some(info.0), false);
    }
    (None, false)
}

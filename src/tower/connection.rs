use std::net::SocketAddr;

use http::request::Parts;

use crate::source::Peer;

/// The connection a request arrived on, as far as its extensions say: a
/// [`Peer`] the server inserted, else (with the `axum` feature) axum's
/// `ConnectInfo<SocketAddr>`; TLS when the `Peer` says so or the request
/// URI is `https` (HTTP/2's `:scheme`).
pub(crate) fn connection_of(parts: &Parts) -> (Option<SocketAddr>, bool) {
    let https_uri = parts.uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    if let Some(peer) = parts.extensions.get::<Peer>() {
        return (Some(peer.address()), peer.is_tls() || https_uri);
    }
    #[cfg(feature = "axum")]
    if let Some(info) = parts
        .extensions
        .get::<::axum::extract::ConnectInfo<SocketAddr>>()
    {
        return (Some(info.0), https_uri);
    }
    (None, https_uri)
}

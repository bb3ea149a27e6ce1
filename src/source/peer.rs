use std::net::SocketAddr;

/// The far end of the connection a request arrived on: its address, and
/// whether the connection is TLS. The guard reads it from the request's
/// extensions to check [allowed sources](crate::WebhookLayer::with_allowed_sources)
/// and [required HTTPS](crate::WebhookLayer::with_required_https).
///
/// On actix-web, and on axum served with
/// `into_make_service_with_connect_info::<SocketAddr>()`, the guard finds
/// the address itself (axum's `ConnectInfo`). A server of your own (a
/// hyper accept loop, a TLS acceptor in front of axum) inserts a `Peer`
/// into each request's extensions: it is also how the Tower face learns
/// that a connection is TLS.
///
/// ```
/// use std::net::SocketAddr;
/// use webhook_guard::source::Peer;
///
/// let address: SocketAddr = "192.0.2.7:50123".parse().unwrap();
/// let mut request = http::Request::new(());
/// request.extensions_mut().insert(Peer::over_tls(address));
/// assert!(request.extensions().get::<Peer>().unwrap().is_tls());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Peer {
    address: SocketAddr,
    tls: bool,
}

impl Peer {
    /// A peer at `address` over plain TCP.
    pub fn new(address: SocketAddr) -> Self {
        Self {
            address,
            tls: false,
        }
    }

    /// A peer at `address` over TLS.
    pub fn over_tls(address: SocketAddr) -> Self {
        Self { address, tls: true }
    }

    /// The peer's address and port.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Whether the connection is TLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }
}

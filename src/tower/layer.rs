use std::sync::Arc;
use std::time::Duration;

use tower_layer::Layer;

use crate::delivery::pipeline::Pipeline;
use crate::delivery::{ConfigError, DefaultResponder};
use crate::handshake::Handshake;
use crate::idempotency::{IdempotencyStore, MemoryStore};
use crate::source::{AllowedSources, TrustedProxies};
use crate::tower::WebhookService;
use crate::verify::VerifyRequest;

/// Guards a service: only authentic, fresh, first-time deliveries reach it,
/// and each one exactly once.
///
/// Defaults: an in-memory [`MemoryStore`], a 1 MiB body limit, 30 s for a
/// body to arrive, 64 MiB of unverified bodies held at once, a 60 s claim
/// lease, four days of retention (Stripe and Standard Webhooks senders retry
/// for up to three), the provider's name as the idempotency namespace, 5 s
/// for each store command (or half a lease shorter than 10 s), fail closed
/// when the store is unreachable, and the [`DefaultResponder`].
///
/// Before a byte of a body is read, the headers must be able to verify
/// (signature header present and well-formed, timestamp fresh, ID
/// well-formed): anything else is answered 400 or 401 at once.
///
/// It needs a Tokio runtime with timers enabled (`#[tokio::main]`,
/// `axum::serve` and actix-web's runtime all have them).
///
/// All services made by one `WebhookLayer` share its store and settings.
///
/// With the `actix` feature it is also actix-web middleware (a
/// `Transform`): `web::resource(…).wrap(WebhookLayer::new(verifier))`
/// enforces the same contract (see the `actix` module).
#[derive(Debug, Clone)]
#[must_use]
pub struct WebhookLayer<S = MemoryStore, R = DefaultResponder> {
    pipeline: Pipeline<S>,
    responder: R,
}

impl WebhookLayer {
    /// A layer checking requests with `verifier`, with the defaults above:
    /// a [`Verifier`](crate::Verifier), or a check of your own (see
    /// [`VerifyRequest`]), which keeps the whole delivery contract.
    pub fn new(verifier: impl VerifyRequest) -> Self {
        Self {
            pipeline: Pipeline::new(verifier, MemoryStore::new()),
            responder: DefaultResponder,
        }
    }
}

impl<S: IdempotencyStore, R> WebhookLayer<S, R> {
    /// Claims deliveries in `store` instead (a [`MemoryStore`] shared with
    /// other layers, or a store shared by a fleet). For a provider that
    /// signs no timestamp (GitHub, Shopify), choose a durable store: see
    /// [`with_retention`](Self::with_retention).
    pub fn with_store<T: IdempotencyStore>(self, store: T) -> WebhookLayer<T, R> {
        WebhookLayer {
            pipeline: self.pipeline.with_store(store),
            responder: self.responder,
        }
    }

    /// Answers rejections with `responder` instead of the
    /// [`DefaultResponder`].
    pub fn with_responder<T>(self, responder: T) -> WebhookLayer<S, T> {
        WebhookLayer {
            pipeline: self.pipeline,
            responder,
        }
    }

    /// Answers the provider's `handshake` (see
    /// [`handshake`](crate::handshake)): it never reaches the inner service
    /// and is never recorded.
    ///
    /// ```
    /// use webhook_guard::handshake::Handshake;
    /// use webhook_guard::{Verifier, WebhookLayer};
    ///
    /// let guard = WebhookLayer::new(Verifier::slack("signing secret")?)
    ///     .with_handshake(Handshake::slack());
    /// # Ok::<(), webhook_guard::secret::SecretError>(())
    /// ```
    pub fn with_handshake(mut self, handshake: Handshake) -> Self {
        self.pipeline.handshake = Some(Arc::new(handshake));
        self
    }

    /// Lets deliveries come only from `sources` (see
    /// [`source`](crate::source)): any other request is answered 403 with
    /// the generic body, from its connection and head alone — before a
    /// handshake is answered or a byte of the body is read, and nothing is
    /// claimed. The client is the connection's peer, or, when it is one of
    /// the [trusted proxies](Self::with_trusted_proxies), the right-most
    /// address in their forwarding header that is not one of them.
    ///
    /// The peer address comes from the framework: actix-web's, axum's
    /// `ConnectInfo` (serve with
    /// `into_make_service_with_connect_info::<SocketAddr>()`), or a
    /// [`Peer`](crate::source::Peer) your server inserts. A request whose
    /// peer is unknown is refused (and logged as a misconfiguration).
    ///
    /// The signature stays the real check; this only narrows who may
    /// knock.
    pub fn with_allowed_sources(mut self, sources: AllowedSources) -> Self {
        self.pipeline.source_mut().allowed = Some(sources);
        self
    }

    /// Takes `proxies`' word on who the client was and whether it used
    /// HTTPS, when the peer is one of them (see [`TrustedProxies`]):
    /// without it, `X-Forwarded-For`, `X-Forwarded-Proto` and `Forwarded`
    /// are never read, since any client can send them.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.pipeline.source_mut().proxies = Some(proxies);
        self
    }

    /// Answers a request that did not arrive over HTTPS 403: the
    /// connection is TLS (actix-web bound with rustls or openssl; on Tower,
    /// a [`Peer::over_tls`](crate::source::Peer::over_tls) your server
    /// inserts — never the request URI's scheme, which the client writes),
    /// or a [trusted proxy](Self::with_trusted_proxies) says the client
    /// used HTTPS: `Forwarded: proto=https` in the client's element, or a
    /// single `X-Forwarded-Proto: https` (your proxy must set it, not pass
    /// the client's along; with several values, any may be the client's,
    /// and none is believed).
    pub fn with_required_https(mut self) -> Self {
        self.pipeline.source_mut().https_required = true;
        self
    }

    /// Refuses bodies longer than `bytes` with 413 (never truncates them).
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.pipeline.set_body_limit(bytes);
        self
    }

    /// How long a request's body may take to arrive, counted from its head
    /// (default 30 s). A body not complete by then is answered 408 and
    /// nothing is claimed, so a client trickling bytes cannot hold a
    /// connection and its buffer for long. Zero, or more than a day, is
    /// refused.
    pub fn with_body_timeout(mut self, timeout: Duration) -> Result<Self, ConfigError> {
        self.pipeline.settings.set_body_timeout(timeout)?;
        Ok(self)
    }

    /// How many bytes of bodies not yet verified this layer holds at once,
    /// across all its routes and connections (default 64 MiB, and never
    /// less than the body limit, so one body always fits). A body's
    /// declared length is reserved before it is read, and a streamed body
    /// as it arrives; past the budget, a delivery is answered 503 with
    /// `Retry-After` before its body is read (or the moment it would cross
    /// it). Only requests whose headers can verify get this far: see the
    /// README on what else bounds unauthenticated uploads.
    pub fn with_unverified_bytes_limit(mut self, bytes: usize) -> Self {
        self.pipeline.set_unverified_bytes_limit(bytes);
        self
    }

    /// Keys deliveries as `namespace:event-id` (default: the provider's
    /// name).
    ///
    /// Guards that share a store share its namespaces: give each sender
    /// (tenant, account, route of another secret) its own, or a sender of
    /// one could claim the other's event IDs first, and the genuine
    /// deliveries would be answered as duplicates. Within one process this
    /// is checked: building a guard whose keys share none with a guard
    /// already claiming under the same namespace of the same store handle
    /// panics, as axum does on overlapping routes. Guards of one sender
    /// (the same keys, or a ring in rotation sharing one) may share it.
    /// Across processes (a fleet of different services on one Redis)
    /// nothing can check it: set the namespace.
    pub fn with_namespace(mut self, namespace: impl Into<Arc<str>>) -> Self {
        self.pipeline.settings.namespace = namespace.into();
        self
    }

    /// How long a claim is held while the handler runs (default 60 s). If the
    /// process dies, a retry gets through once it ends. A handler still
    /// running shortly before it ends (a tenth of the lease, at most a
    /// second) is cancelled and its claim released, answered 503 with
    /// `Retry-After`, so that a retry never runs alongside it: give slow
    /// handlers a longer lease. Zero is refused, and so is more than
    /// [`ConfigError::MAX_LEASE`] (a day), or a lease under twice a store
    /// timeout set with [`with_store_timeout`](Self::with_store_timeout).
    /// A store timeout left at its default follows the lease: 5 s, or half
    /// the lease if that is shorter.
    ///
    /// A handler that blocks its thread (`std::thread::sleep`, a CPU-bound
    /// loop, blocking I/O) cannot be cancelled: it is only seen to have
    /// outlived its lease once it returns. The guard then never answers it
    /// 2xx unless the store still recorded the delivery under its claim; if
    /// the lease had ended, it is answered 503 so the sender retries (and a
    /// retry let in meanwhile may have run it too). Run blocking work with
    /// `tokio::task::spawn_blocking` and keep it well inside the lease.
    pub fn with_lease(mut self, lease: Duration) -> Result<Self, ConfigError> {
        self.pipeline.settings.set_lease(lease)?;
        Ok(self)
    }

    /// How long a completed delivery is remembered (default four days, or
    /// the provider's [`retry_window`](crate::Scheme::retry_window) if
    /// longer). It must outlast the sender's retry schedule and be at least
    /// twice the verifier's tolerance (the replay window), or it is refused.
    /// Providers that sign no timestamp (GitHub, Shopify) have no replay
    /// window at all: a captured delivery verifies forever, and only its
    /// record stops it running again, so for them a retention under the
    /// provider's retry window is refused too, and a store that may lose
    /// records (the default [`MemoryStore`]) is warned about once: keep
    /// their records generous, in a durable store.
    pub fn with_retention(mut self, retention: Duration) -> Result<Self, ConfigError> {
        let pipeline = &mut self.pipeline;
        pipeline
            .settings
            .set_retention(retention, pipeline.verifier.as_ref())?;
        Ok(self)
    }

    /// How long one store command may take (default 5 s, or half the lease
    /// if that is shorter). A claim that takes longer is answered 503, fail
    /// closed (and released if the store grants it later); a completion or
    /// release that takes longer is retried or left to the claim's lease.
    /// More than half the lease is refused: a claim answered that late would
    /// leave the handler no time (set a longer lease first).
    pub fn with_store_timeout(mut self, timeout: Duration) -> Result<Self, ConfigError> {
        self.pipeline.settings.set_store_timeout(timeout)?;
        Ok(self)
    }

    /// The `Retry-After` sent with a 503 when the store is unreachable or a
    /// handler was cancelled (default 10 s).
    pub fn with_store_retry_after(mut self, retry_after: Duration) -> Self {
        self.pipeline.settings.store_retry_after = retry_after;
        self
    }

    /// **Opt-in, and weaker:** when the store cannot be reached, run the
    /// handler anyway, without a claim, instead of answering 503. Duplicates
    /// delivered while the store is down are then processed more than once.
    /// Use it only where processing twice is harmless and being unavailable
    /// is not.
    pub fn fail_open_when_store_unavailable(mut self) -> Self {
        self.pipeline.settings.fail_open = true;
        self
    }
}

#[cfg(feature = "actix")]
impl<S, R> WebhookLayer<S, R> {
    /// The contract this layer enforces, for each face to run.
    pub(crate) fn pipeline(&self) -> &Pipeline<S> {
        &self.pipeline
    }

    /// How rejections are answered.
    pub(crate) fn responder(&self) -> &R {
        &self.responder
    }
}

impl<Inner, S: IdempotencyStore, R: Clone> Layer<Inner> for WebhookLayer<S, R> {
    type Service = WebhookService<Inner, S, R>;

    /// # Panics
    ///
    /// When another guard with unrelated keys already claims under this
    /// layer's namespace of the same store: see
    /// [`with_namespace`](WebhookLayer::with_namespace).
    fn layer(&self, inner: Inner) -> Self::Service {
        self.pipeline.register_namespace();
        WebhookService::from_parts(
            inner,
            Arc::new(self.pipeline.clone()),
            self.responder.clone(),
        )
    }
}

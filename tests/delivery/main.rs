//! The delivery contract, end to end.
//!
//! * `suite.rs` — the contract over real loopback HTTP, one suite run
//!   against every framework face (`axum_face.rs`: axum with the Tower
//!   layer; `actix_face.rs`: actix-web with the same layer as middleware).
//! * `service.rs` — what only the Tower service shows, through
//!   `tower::ServiceExt::oneshot`: bodies that trap over-reads, inner
//!   service errors, providers without signed event IDs, settings.
//! * `fixtures.rs` — signed deliveries, handlers that count, fail, panic or
//!   hang, and stores that are slow, down or forgetful.
#![cfg(any(feature = "axum", feature = "actix"))]

#[cfg(feature = "actix")]
mod actix_face;
#[cfg(feature = "actix")]
mod actix_only;
#[cfg(feature = "actix")]
#[path = "../support/actix_server.rs"]
mod actix_server;
#[cfg(feature = "axum")]
mod axum_face;
mod face;
mod fixtures;
mod handshakes;
#[cfg(feature = "metrics")]
mod metrics;
mod service;
mod sources;
mod suite;

#[cfg(feature = "axum")]
mod on_axum {
    crate::suite::delivery_suite!(crate::axum_face::Axum);
}

#[cfg(feature = "actix")]
mod on_actix {
    crate::suite::delivery_suite!(crate::actix_face::Actix);
}

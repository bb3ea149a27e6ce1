//! The delivery contract, end to end: through `tower::ServiceExt::oneshot`
//! (`service.rs`) and over real loopback HTTP with an axum server and a
//! hyper client (`http.rs`). `fixtures.rs` holds what both need: signed
//! requests, handlers that count, fail, panic or hang, and a store that is
//! down.
#![cfg(feature = "axum")]

mod fixtures;
mod http;
mod service;

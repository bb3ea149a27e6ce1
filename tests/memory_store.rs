//! The memory store passes the idempotency conformance suite, the same one
//! the shared stores and third-party stores run.
#![cfg(feature = "test-util")]

webhook_guard::idempotency_store_conformance!(webhook_guard::idempotency::MemoryStore::new());

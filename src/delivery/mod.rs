//! The delivery contract shared by every framework face: what a rejected
//! delivery is ([`Rejection`]), how it is answered ([`Responder`],
//! [`DefaultResponder`]), and the settings that must hold
//! ([`ConfigError`]).
//!
//! | case | status | notes |
//! |---|---|---|
//! | from outside the allowed sources, or plain HTTP where HTTPS is required | 403 | decided from the connection and the head, before a handshake or a byte of the body; nothing claimed |
//! | malformed or missing signature, timestamp or ID header | 400 | generic body; the reason goes to `tracing` |
//! | no key matches, or timestamp out of tolerance | 401 | generic body |
//! | body over the limit | 413 | from `Content-Length`, or the moment the stream crosses it |
//! | body not complete before the body timeout | 408 | nothing claimed |
//! | unverified bodies already hold the budget | 503 | `Retry-After`; the body is not read (a streamed one, no further) |
//! | duplicate of a completed delivery | 200 | `webhook-duplicate: true`; the handler does not run |
//! | duplicate while the first attempt runs | 409 | `Retry-After`; never 2xx, the first attempt may still fail |
//! | idempotency store unreachable or too slow | 503 | `Retry-After`; fail closed unless told to fail open |
//! | handler succeeded, but the store could not record it before the lease ends | 503 | `Retry-After`; the completion is retried while the lease holds, and a 2xx is never sent for a delivery that was not recorded |
//! | handler still running when its lease is about to end, or not yet called by then | 503 | `Retry-After`; the handler is cancelled (or never called) and the claim released |
//! | handler succeeded after its lease had ended (it blocked its thread) | 503 | `Retry-After`; nothing recorded it |
//! | handler panicked | 500 | generic body, sent once the claim's release was answered; the panic's message goes to the logs |
//! | the handler's own response | passed through | 2xx completes the claim; anything else releases it |

mod claim_guard;
mod claim_terms;
mod collected_body;
mod config_error;
mod deadline;
mod default_responder;
mod delivery_metrics;
mod dispatch;
mod dispatched;
mod finishing_claim;
mod handler_response;
mod namespace_owners;
mod outcome_log;
mod pending_claim;
pub(crate) mod pipeline;
mod rejection;
mod reservation;
mod responder;
mod settings;
mod size_limit;
mod unverified_budget;

pub(crate) use claim_guard::ClaimGuard;
pub(crate) use claim_terms::ClaimTerms;
pub(crate) use collected_body::CollectedBody;
pub use config_error::ConfigError;
pub(crate) use deadline::Deadline;
pub use default_responder::{DefaultResponder, WEBHOOK_DUPLICATE};
pub(crate) use delivery_metrics::{DeliveryMetrics, Started};
pub(crate) use dispatch::Dispatch;
pub(crate) use dispatched::Dispatched;
pub(crate) use finishing_claim::FinishingClaim;
pub(crate) use handler_response::HandlerResponse;
pub(crate) use namespace_owners::NamespaceOwners;
pub(crate) use outcome_log::OutcomeLog;
pub(crate) use pending_claim::PendingClaim;
pub use rejection::Rejection;
pub(crate) use reservation::Reservation;
pub use responder::Responder;
pub(crate) use responder::respond;
pub(crate) use settings::Settings;
pub(crate) use size_limit::SizeLimit;
pub(crate) use unverified_budget::UnverifiedBudget;

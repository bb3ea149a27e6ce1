use crate::delivery::Rejection;

/// How a [`Dispatch`](crate::delivery::Dispatch) ended. Every rejection in
/// it is logged already; the face turns it into its framework's response.
pub(crate) enum Dispatched<Req, Resp> {
    /// The handler ran; this is its own response.
    Handled(Resp),
    /// Refused before the handler got the request (a duplicate, an attempt
    /// in flight, an unavailable or slow store, a handler service not ready
    /// before the lease ends); the request comes back.
    Refused(Rejection, Req),
    /// The handler gave no answer: it outlived its claim's lease and was
    /// cancelled, or it panicked. Its claim is released already; the
    /// request went with it.
    Unanswered(Rejection),
    /// The handler succeeded, but the store never recorded it: answered
    /// with the rejection, never the handler's 2xx. The handler's response
    /// comes back (actix-web builds the answer from its request).
    Unrecorded(Rejection, Resp),
}

use std::fmt;

use http::StatusCode;

/// What a handler asking for verified facts on an unguarded route is told.
pub(crate) const GUARD_MISSING: &str =
    "Missing webhook verification: is `WebhookLayer` installed on this route?";

/// The route has no [`WebhookLayer`](crate::WebhookLayer), so there are no
/// [`Verified`](crate::Verified) facts to extract: 500.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct VerifiedRejection;

impl VerifiedRejection {
    /// Always 500: the route is misconfigured.
    pub fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    /// What the developer should fix.
    pub fn body_text(&self) -> String {
        GUARD_MISSING.to_owned()
    }

    /// Logs the misconfiguration as an error.
    pub(crate) fn log(&self) {
        tracing::error!("{self}");
    }
}

impl fmt::Display for VerifiedRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body_text())
    }
}

impl std::error::Error for VerifiedRejection {}

/// A handler's response, as far as the delivery contract cares: does it
/// complete the claim (2xx) or release it (anything else)?
pub(crate) trait HandlerResponse {
    /// Whether the handler succeeded: a 2xx status.
    fn succeeded(&self) -> bool;
}

impl<B> HandlerResponse for http::Response<B> {
    fn succeeded(&self) -> bool {
        self.status().is_success()
    }
}

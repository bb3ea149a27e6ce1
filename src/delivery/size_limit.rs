use http::HeaderMap;
use http::header::CONTENT_LENGTH;

use crate::delivery::Rejection;

/// The body limit, applied before a byte is read and as each chunk comes:
/// a body over it is refused (413), never truncated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SizeLimit(pub(crate) usize);

impl SizeLimit {
    /// The declared `Content-Length`, where it is a plain number.
    pub(crate) fn declared(headers: &HeaderMap) -> Option<u64> {
        headers
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.parse::<u64>().ok())
    }

    /// A declared `Content-Length` over the limit is refused before the
    /// body is read.
    pub(crate) fn check_declared(self, headers: &HeaderMap) -> Result<(), Rejection> {
        match Self::declared(headers) {
            Some(length) if length > self.0 as u64 => Err(self.too_large()),
            _ => Ok(()),
        }
    }

    /// Refuses a length over the limit: a size hint before reading, or the
    /// length the next chunk would bring.
    pub(crate) fn check(self, length: usize) -> Result<(), Rejection> {
        if length > self.0 {
            return Err(self.too_large());
        }
        Ok(())
    }

    fn too_large(self) -> Rejection {
        Rejection::BodyTooLarge { limit: self.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declaring(length: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_LENGTH, length.parse().unwrap());
        headers
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused_and_an_odd_one_left_to_the_stream() {
        let limit = SizeLimit(10);
        assert!(limit.check_declared(&declaring("10")).is_ok());
        assert_eq!(
            limit.check_declared(&declaring("11")),
            Err(Rejection::BodyTooLarge { limit: 10 })
        );
        assert!(limit.check_declared(&declaring("ten")).is_ok());
        assert!(limit.check_declared(&HeaderMap::new()).is_ok());
    }

    #[test]
    fn a_length_at_the_limit_passes_and_one_past_it_does_not() {
        let limit = SizeLimit(10);
        assert!(limit.check(10).is_ok());
        assert_eq!(limit.check(11), Err(Rejection::BodyTooLarge { limit: 10 }));
    }
}

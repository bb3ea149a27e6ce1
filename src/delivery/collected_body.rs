use bytes::{Buf, Bytes, BytesMut};

/// The request body gathered into one `Bytes`: a body that arrives in one
/// frame is kept as it arrived (no copy); only a body in several frames is
/// joined.
#[derive(Debug, Default)]
pub(crate) struct CollectedBody {
    first: Option<Bytes>,
    joined: Option<BytesMut>,
    len: usize,
    /// How long the body says it is (0 if it does not): a join allocates
    /// that much at once, so a body in many chunks never holds a buffer
    /// twice its size while growing.
    expected: usize,
}

impl CollectedBody {
    /// A buffer for a body that says it is `expected` bytes long.
    pub(crate) fn expecting(expected: usize) -> Self {
        Self {
            expected,
            ..Self::default()
        }
    }

    /// The length so far.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds one data frame.
    pub(crate) fn push(&mut self, mut data: impl Buf) {
        let chunk = data.copy_to_bytes(data.remaining());
        self.len += chunk.len();
        match (&mut self.first, &mut self.joined) {
            (None, None) => self.first = Some(chunk),
            (Some(_), None) => {
                let first = self.first.take().unwrap_or_default();
                let needed = first.len() + chunk.len();
                let mut joined = BytesMut::with_capacity(needed.max(self.expected));
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
                self.joined = Some(joined);
            }
            (_, Some(joined)) => joined.extend_from_slice(&chunk),
        }
    }

    /// The whole body.
    pub(crate) fn take(&mut self) -> Bytes {
        match (self.first.take(), self.joined.take()) {
            (_, Some(joined)) => joined.freeze(),
            (Some(first), None) => first,
            (None, None) => Bytes::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_frame_is_kept_as_is() {
        let frame = Bytes::from_static(b"{\"id\":1}");
        let mut body = CollectedBody::default();
        body.push(frame.clone());
        let collected = body.take();
        assert_eq!(
            collected.as_ptr(),
            frame.as_ptr(),
            "no copy of a single frame"
        );
    }

    #[test]
    fn several_frames_are_joined_in_order() {
        let mut body = CollectedBody::default();
        for (chunk, len) in [("ab", 2), ("cd", 4), ("e", 5)] {
            body.push(Bytes::from_static(chunk.as_bytes()));
            assert_eq!(body.len(), len);
        }
        assert_eq!(body.take(), "abcde");
    }
}

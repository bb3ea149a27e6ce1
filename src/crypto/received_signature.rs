use crate::crypto::INLINE_TAG_LEN;

/// A signature a request carried, kept with what it verified: on the stack
/// up to [`INLINE_TAG_LEN`] bytes, on the heap beyond (RSA). It travelled in
/// the request, so it is no secret, but it is what a replay needs.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum ReceivedSignature {
    Inline {
        bytes: [u8; INLINE_TAG_LEN],
        len: u8,
    },
    Heap(Box<[u8]>),
}

impl ReceivedSignature {
    /// No signature (a check of the user's own reports none).
    pub(crate) const EMPTY: Self = Self::Inline {
        bytes: [0; INLINE_TAG_LEN],
        len: 0,
    };

    pub(crate) fn new(received: &[u8]) -> Self {
        if received.len() > INLINE_TAG_LEN {
            return Self::Heap(Box::from(received));
        }
        let mut bytes = [0; INLINE_TAG_LEN];
        bytes[..received.len()].copy_from_slice(received);
        Self::Inline {
            bytes,
            // At most INLINE_TAG_LEN (72), so it fits a byte.
            len: received.len() as u8,
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Self::Inline { bytes, len } => &bytes[..usize::from(*len)],
            Self::Heap(bytes) => bytes,
        }
    }
}

/// A message that hands itself to a MAC, a hash or a buffer piece by piece,
/// without being concatenated first.
pub(crate) trait Message {
    /// Calls `sink` with the message's pieces, in order.
    fn feed(&self, sink: &mut impl FnMut(&[u8]));

    /// The message in one buffer, for algorithms that need it whole
    /// (Ed25519 reads it twice).
    fn to_vec(&self) -> Vec<u8> {
        let mut whole = Vec::new();
        self.feed(&mut |piece| whole.extend_from_slice(piece));
        whole
    }
}

/// Fixed bytes, fed whole.
impl Message for &[u8] {
    fn feed(&self, sink: &mut impl FnMut(&[u8])) {
        sink(self);
    }
}

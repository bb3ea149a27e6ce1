use hmac::Mac;

/// A message that feeds itself to a MAC, piece by piece, without being
/// concatenated first.
pub(crate) trait Message {
    fn feed<M: Mac>(&self, mac: &mut M);
}

/// Fixed bytes, fed whole.
impl Message for &[u8] {
    fn feed<M: Mac>(&self, mac: &mut M) {
        mac.update(self);
    }
}

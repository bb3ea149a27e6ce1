use crate::crypto::Message;
use crate::limits::{MAX_EVENT_ID_LEN, MAX_TIMESTAMP_DIGITS};
use crate::scheme::MessagePart;

/// A scheme's message layout filled with one request's values; built by
/// [`Scheme::message`](crate::Scheme).
pub(crate) struct SignedMessage<'a> {
    pub(crate) parts: &'a [MessagePart],
    pub(crate) id: &'a str,
    pub(crate) timestamp: &'a [u8],
    pub(crate) body: &'a [u8],
    /// The request's method, URL and sorted form parameters, for schemes
    /// that sign them (empty otherwise).
    pub(crate) method: &'a [u8],
    pub(crate) url: &'a [u8],
    pub(crate) form: &'a [u8],
}

/// Room for the parts before the body (ID, timestamp, separators) to be
/// gathered into one MAC update: small pieces fed one by one cost more than
/// copying them.
const GATHERED: usize = MAX_EVENT_ID_LEN + MAX_TIMESTAMP_DIGITS + 36;

impl Message for SignedMessage<'_> {
    /// Feeds the parts in order. The short ones are gathered on the stack
    /// first; the body is never copied.
    fn feed(&self, sink: &mut impl FnMut(&[u8])) {
        let mut gathered = [0u8; GATHERED];
        let mut digits = [0u8; 10];
        let mut len = 0;
        for part in self.parts {
            let bytes = match part {
                MessagePart::Literal(text) => text.as_bytes(),
                MessagePart::Id => self.id.as_bytes(),
                MessagePart::Timestamp => self.timestamp,
                MessagePart::Body => self.body,
                MessagePart::BodyCrc32 => decimal(crc32fast::hash(self.body), &mut digits),
                MessagePart::Method => self.method,
                MessagePart::Url => self.url,
                MessagePart::FormParameters => self.form,
            };
            if *part != MessagePart::Body && len + bytes.len() <= GATHERED {
                gathered[len..len + bytes.len()].copy_from_slice(bytes);
                len += bytes.len();
            } else {
                sink(&gathered[..len]);
                len = 0;
                sink(bytes);
            }
        }
        sink(&gathered[..len]);
    }
}

/// `value` in decimal, written into the end of `digits`.
fn decimal(mut value: u32, digits: &mut [u8; 10]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &digits[start..];
        }
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    use super::*;

    #[test]
    fn pieces_feed_exactly_the_concatenated_bytes() {
        let long_literal = "x".repeat(GATHERED + 5);
        let parts = [
            MessagePart::literal("v0:"),
            MessagePart::Id,
            MessagePart::literal("."),
            MessagePart::Timestamp,
            MessagePart::literal(long_literal.clone()),
            MessagePart::Body,
            MessagePart::literal(":end"),
        ];
        let message = SignedMessage {
            parts: &parts,
            id: "msg_1",
            timestamp: b"1700000000",
            body: b"{\"a\":1}",
            method: b"",
            url: b"",
            form: b"",
        };
        let mut pieces = Hmac::<Sha256>::new_from_slice(b"key").unwrap();
        message.feed(&mut |piece| pieces.update(piece));
        let mut whole = Hmac::<Sha256>::new_from_slice(b"key").unwrap();
        whole.update(format!("v0:msg_1.1700000000{long_literal}{{\"a\":1}}:end").as_bytes());
        assert_eq!(
            pieces.finalize().into_bytes(),
            whole.finalize().into_bytes()
        );
    }

    #[test]
    fn the_body_crc32_is_fed_in_decimal() {
        // zlib.crc32(b"123456789") == 3421780262, the CRC-32 check value.
        let parts = [
            MessagePart::Id,
            MessagePart::literal("|"),
            MessagePart::BodyCrc32,
        ];
        let fed = |body: &'static [u8]| {
            let message = SignedMessage {
                parts: &parts,
                id: "tx",
                timestamp: b"",
                body,
                method: b"",
                url: b"",
                form: b"",
            };
            message.to_vec()
        };
        assert_eq!(fed(b"123456789"), b"tx|3421780262");
        assert_eq!(fed(b""), b"tx|0");
        let mut digits = [0; 10];
        assert_eq!(decimal(u32::MAX, &mut digits), b"4294967295");
    }
}

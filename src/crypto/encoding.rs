use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Marks a byte that is not a digit of the encoding. Every digit value fits
/// in six bits, so OR-ing the looked-up values of a whole signature and
/// testing the top bits finds any invalid byte without a branch per byte.
const INVALID: u8 = 0xff;

const fn digit_table(digits: &[u8]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut index = 0;
    while index < digits.len() {
        table[digits[index] as usize] = index as u8;
        index += 1;
    }
    table
}

const HEX_LOWER: [u8; 256] = digit_table(b"0123456789abcdef");
const HEX_UPPER: [u8; 256] = digit_table(b"0123456789ABCDEF");
const BASE64: [u8; 256] =
    digit_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

/// How a signature is written in its header.
///
/// Every encoding is canonical: one tag has exactly one accepted spelling,
/// as with the providers' own verifiers, which compare strings. A signature
/// that differs in any bit of its text is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// Lower-case hexadecimal (Stripe, GitHub, Slack).
    Hex,
    /// Upper-case hexadecimal, for senders that write it so.
    HexUpper,
    /// Standard base64 with padding and zero trailing bits (RFC 4648 §4;
    /// Standard Webhooks, Shopify).
    Base64,
}

impl Encoding {
    /// Decodes `encoded` into `out`, which must be filled exactly; `None` when
    /// `encoded` is not the one canonical spelling of `out.len()` bytes.
    ///
    /// This is on every request's path, so it is a table lookup per byte with
    /// no allocation and no early exit on a bad digit; the `fuzz/` target
    /// `prefixed_signature_header` checks it against the `hex` and `base64`
    /// crates.
    pub(crate) fn decode_tag(self, encoded: &[u8], out: &mut [u8]) -> Option<()> {
        match self {
            Self::Hex => decode_hex(encoded, out, &HEX_LOWER),
            Self::HexUpper => decode_hex(encoded, out, &HEX_UPPER),
            Self::Base64 => decode_base64(encoded, out),
        }
    }

    /// Decodes a signature of any length in `lengths` into the front of
    /// `out`, returning its length; `None` when `encoded` is not the one
    /// canonical spelling of such a signature. The length follows from the
    /// encoded text, so this is [`decode_tag`](Self::decode_tag) once.
    pub(crate) fn decode_signature(
        self,
        encoded: &[u8],
        out: &mut [u8],
        lengths: std::ops::RangeInclusive<usize>,
    ) -> Option<usize> {
        let len = match self {
            Self::Hex | Self::HexUpper => encoded.len() / 2,
            Self::Base64 => {
                let padding = encoded.iter().rev().take(2).filter(|b| **b == b'=').count();
                (encoded.len() / 4 * 3).checked_sub(padding)?
            }
        };
        if !lengths.contains(&len) || len > out.len() {
            return None;
        }
        self.decode_tag(encoded, &mut out[..len])?;
        Some(len)
    }

    /// Encodes a tag for a header.
    pub(crate) fn encode(self, tag: &[u8]) -> String {
        match self {
            Self::Hex => hex::encode(tag),
            Self::HexUpper => hex::encode_upper(tag),
            Self::Base64 => STANDARD.encode(tag),
        }
    }
}

fn decode_hex(encoded: &[u8], out: &mut [u8], table: &[u8; 256]) -> Option<()> {
    if encoded.len() != out.len() * 2 {
        return None;
    }
    let mut seen = 0u8;
    for (byte, pair) in out.iter_mut().zip(encoded.chunks_exact(2)) {
        let (high, low) = (table[usize::from(pair[0])], table[usize::from(pair[1])]);
        seen |= high | low;
        *byte = (high << 4) | (low & 0x0f);
    }
    (seen & 0xf0 == 0).then_some(())
}

/// Standard base64, padded, with zero bits after the last byte: the only
/// spelling `base64`'s `STANDARD` engine writes.
fn decode_base64(encoded: &[u8], out: &mut [u8]) -> Option<()> {
    if encoded.len() != out.len().div_ceil(3) * 4 {
        return None;
    }
    let digit = |byte: u8| BASE64[usize::from(byte)];
    let mut seen = 0u8;
    let full = out.len() / 3 * 3;
    let (whole, rest) = out.split_at_mut(full);
    let (groups, tail) = encoded.split_at(full / 3 * 4);
    for (group, bytes) in groups.chunks_exact(4).zip(whole.chunks_exact_mut(3)) {
        let (a, b, c, d) = (
            digit(group[0]),
            digit(group[1]),
            digit(group[2]),
            digit(group[3]),
        );
        seen |= a | b | c | d;
        bytes[0] = (a << 2) | (b >> 4);
        bytes[1] = (b << 4) | (c >> 2);
        bytes[2] = (c << 6) | (d & 0x3f);
    }
    // The last group: `xy==` carries one byte, `xyz=` two; the bits after
    // them must be zero for the spelling to be canonical.
    let canonical = match (rest, tail) {
        ([], []) => true,
        ([first], [a, b, b'=', b'=']) => {
            let (a, b) = (digit(*a), digit(*b));
            seen |= a | b;
            *first = (a << 2) | (b >> 4);
            b & 0x0f == 0
        }
        ([first, second], [a, b, c, b'=']) => {
            let (a, b, c) = (digit(*a), digit(*b), digit(*c));
            seen |= a | b | c;
            *first = (a << 2) | (b >> 4);
            *second = (b << 4) | (c >> 2);
            c & 0x03 == 0
        }
        _ => false,
    };
    (canonical && seen & 0xc0 == 0).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_of_variable_length_decode_only_when_canonical() {
        let mut out = [0u8; 72];
        for len in [8usize, 64, 70, 71, 72] {
            let bytes: Vec<u8> = (0..len as u8).collect();
            for encoding in [Encoding::Hex, Encoding::HexUpper, Encoding::Base64] {
                let text = encoding.encode(&bytes);
                assert_eq!(
                    encoding.decode_signature(text.as_bytes(), &mut out, 8..=72),
                    Some(len),
                    "{encoding:?} {len}"
                );
                assert_eq!(&out[..len], &bytes[..]);
            }
        }
        let long = Encoding::Base64.encode(&[7u8; 73]);
        assert_eq!(
            Encoding::Base64.decode_signature(long.as_bytes(), &mut out, 8..=72),
            None
        );
        assert_eq!(
            Encoding::Hex.decode_signature(b"abc", &mut out, 0..=72),
            None
        );
        assert_eq!(
            Encoding::Base64.decode_signature(b"==", &mut out, 0..=72),
            None
        );
        assert_eq!(
            Encoding::Base64.decode_signature(b"AAA", &mut out, 0..=72),
            None
        );
    }

    #[test]
    fn hex_round_trips_in_its_own_case_only() {
        let mut out = [0u8; 4];
        Encoding::Hex.decode_tag(b"deadbeef", &mut out).unwrap();
        assert_eq!(out, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(Encoding::Hex.encode(&out), "deadbeef");
        assert_eq!(Encoding::HexUpper.encode(&out), "DEADBEEF");
        assert!(Encoding::Hex.decode_tag(b"DEADbeef", &mut out).is_none());
        assert!(
            Encoding::HexUpper
                .decode_tag(b"DEADBEEF", &mut out)
                .is_some()
        );
        assert!(
            Encoding::HexUpper
                .decode_tag(b"deadbeef", &mut out)
                .is_none()
        );
    }

    #[test]
    fn base64_with_nonzero_trailing_bits_is_rejected() {
        let mut out = [0u8; 32];
        let encoded = Encoding::Base64.encode(&[0u8; 32]);
        // The last data character carries two unused bits: set one.
        let mut sloppy = encoded.into_bytes();
        sloppy[42] = b'B';
        let sloppy = String::from_utf8(sloppy).unwrap();
        assert!(
            Encoding::Base64
                .decode_tag(sloppy.as_bytes(), &mut out)
                .is_none()
        );
    }

    #[test]
    fn base64_must_be_exactly_the_tag_length() {
        let mut out = [0u8; 32];
        let encoded = Encoding::Base64.encode(&[7u8; 32]);
        Encoding::Base64
            .decode_tag(encoded.as_bytes(), &mut out)
            .unwrap();
        assert_eq!(out, [7u8; 32]);
        let short = Encoding::Base64.encode(&[7u8; 31]);
        assert!(
            Encoding::Base64
                .decode_tag(short.as_bytes(), &mut out)
                .is_none()
        );
        assert!(
            Encoding::Base64
                .decode_tag(format!("{encoded}AAAA").as_bytes(), &mut out)
                .is_none()
        );
        assert!(
            Encoding::Base64
                .decode_tag(b"not base64!", &mut out)
                .is_none()
        );
    }

    #[test]
    fn decoders_agree_with_the_reference_crates() {
        for len in [1usize, 2, 3, 4, 20, 31, 32, 33, 64] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let mut out = vec![0u8; len];
            Encoding::Base64
                .decode_tag(STANDARD.encode(&bytes).as_bytes(), &mut out)
                .unwrap();
            assert_eq!(out, bytes);
            Encoding::Hex
                .decode_tag(hex::encode(&bytes).as_bytes(), &mut out)
                .unwrap();
            assert_eq!(out, bytes);
            Encoding::HexUpper
                .decode_tag(hex::encode_upper(&bytes).as_bytes(), &mut out)
                .unwrap();
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn invalid_digits_anywhere_are_rejected() {
        let mut out = [0u8; 32];
        let good = Encoding::Base64.encode(&[0x5a; 32]);
        for index in 0..good.len() {
            for bad in ["!", "-", "_", "=", " ", "é"] {
                let mut text = good.clone();
                text.replace_range(index..index + 1, bad);
                if text == good || text.len() != good.len() {
                    continue;
                }
                assert!(
                    Encoding::Base64
                        .decode_tag(text.as_bytes(), &mut out)
                        .is_none(),
                    "{text}"
                );
            }
        }
        let good = Encoding::Hex.encode(&[0x5a; 32]);
        for index in 0..good.len() {
            let mut text = good.clone();
            text.replace_range(index..index + 1, "g");
            assert!(
                Encoding::Hex
                    .decode_tag(text.as_bytes(), &mut out)
                    .is_none()
            );
        }
    }

    #[test]
    fn base64_without_padding_is_rejected() {
        let mut out = [0u8; 32];
        let encoded = Encoding::Base64.encode(&[1u8; 32]);
        let unpadded = encoded.trim_end_matches('=');
        assert!(
            Encoding::Base64
                .decode_tag(unpadded.as_bytes(), &mut out)
                .is_none()
        );
    }
}

use crate::scheme::{MessagePart, SchemeError, TimestampUnit};

/// A scheme's signed-message layout, checked to be unambiguous: one set of
/// signed bytes has exactly one reading as (ID, timestamp, body).
///
/// A signature covers the concatenated parts, not their boundaries. If the
/// ID of `[Id, ".", Body]` could hold a `.`, the delivery signed as ID
/// `evt_1` with body `{"amount":12.50}` would verify just as well as ID
/// `evt_1.{"amount":12` with body `50}`: a fresh idempotency key and a
/// truncated body under a genuine signature. So:
///
/// * every variable part (ID, timestamp, body) is set off from the next by
///   a non-empty literal (checked here);
/// * the separator on the body's side of a timestamp holds no byte a
///   timestamp of its unit may hold (a digit; for RFC 3339 also `-:.+TZ`;
///   checked here);
/// * the ID holds no byte of the separator on its body's side
///   ([`id_is_unambiguous`], checked for every request, signed or
///   verified).
///
/// The body is the one part left unrestricted, and there is exactly one.
/// Read from the start, each part before the body stops at the first byte
/// of the separator after it; read from the end, each part after the body
/// at the last byte of the separator before it. What is left is the body:
/// the reading is unique. (The separator on a part's other side is pinned
/// already, so `v0:` may stand before Slack's timestamp.)
///
/// [`id_is_unambiguous`]: MessageLayout::id_is_unambiguous
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MessageLayout {
    parts: Vec<MessagePart>,
    /// The bytes of the separators on the body's side of the ID parts.
    id_separators: ByteSet,
    signs: Signs,
}

/// Which request-dependent parts a layout signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signs {
    pub(crate) id: bool,
    /// The body itself (or its form parameters), not only its CRC-32.
    pub(crate) body: bool,
    pub(crate) url: bool,
    pub(crate) form_parameters: bool,
    /// The method, the URL or the form parameters: the request head.
    pub(crate) request: bool,
}

impl MessageLayout {
    /// Checks `parts` (that the body is there exactly once is the
    /// builder's check, with its own error).
    pub(crate) fn new(
        parts: Vec<MessagePart>,
        timestamp_unit: TimestampUnit,
    ) -> Result<Self, SchemeError> {
        // Empty literals separate nothing.
        let pieces: Vec<&MessagePart> = parts
            .iter()
            .filter(|part| !matches!(part, MessagePart::Literal(text) if text.is_empty()))
            .collect();
        let variable = |part: &&MessagePart| !matches!(part, MessagePart::Literal(_));
        if pieces
            .windows(2)
            .any(|pair| variable(&pair[0]) && variable(&pair[1]))
        {
            return Err(SchemeError::AmbiguousMessage);
        }
        let id_separators = Self::separators(&pieces, Some(timestamp_unit))?;
        Ok(Self::with_separators(parts, id_separators))
    }

    /// The bytes of the separators on the body's side of the ID parts;
    /// with `timestamp_unit`, also checks that the separator on the body's
    /// side of a timestamp or CRC holds none of its bytes.
    fn separators(
        pieces: &[&MessagePart],
        timestamp_unit: Option<TimestampUnit>,
    ) -> Result<ByteSet, SchemeError> {
        let body = pieces
            .iter()
            .position(|part| **part == MessagePart::Body)
            .unwrap_or(pieces.len());
        let mut id_separators = ByteSet::default();
        for (index, part) in pieces.iter().enumerate() {
            // A part before the body ends where the literal after it
            // starts; one after the body starts where the literal before it
            // ends.
            let towards_body = match index.cmp(&body) {
                std::cmp::Ordering::Less => literal_run(pieces[index + 1..].iter().copied()),
                std::cmp::Ordering::Greater => literal_run(pieces[..index].iter().rev().copied()),
                std::cmp::Ordering::Equal => continue,
            };
            match (part, timestamp_unit) {
                (MessagePart::Timestamp, Some(unit))
                    if towards_body.any(|byte| unit.may_contain(byte)) =>
                {
                    return Err(SchemeError::AmbiguousMessage);
                }
                (MessagePart::BodyCrc32, Some(_))
                    if towards_body.any(|byte| byte.is_ascii_digit()) =>
                {
                    return Err(SchemeError::AmbiguousMessage);
                }
                (MessagePart::Id, _) => id_separators.extend(&towards_body),
                _ => {}
            }
        }
        Ok(id_separators)
    }

    /// A layout of fixed parts: for the built-in schemes, whose layouts the
    /// tests check.
    pub(crate) fn built_in(parts: Vec<MessagePart>) -> Self {
        Self::new(parts, TimestampUnit::Seconds).expect("a built-in layout is unambiguous")
    }

    /// A provider's own layout that signs the timestamp and the body with no
    /// separator between them (Discord, SendGrid: `{timestamp}{body}`),
    /// which [`new`](Self::new) refuses. It is safe only because the
    /// timestamp is in seconds and checked for freshness: moving a digit
    /// between the timestamp and the body changes the timestamp tenfold,
    /// decades away from any tolerance a verifier accepts, so no second
    /// reading of the signed bytes is fresh.
    #[cfg(any(feature = "ed25519", feature = "p256"))]
    pub(crate) fn timestamp_then_body() -> Self {
        Self::with_separators(
            vec![MessagePart::Timestamp, MessagePart::Body],
            ByteSet::default(),
        )
    }

    /// A provider's own layout that starts with the URL and follows it
    /// directly with what the request carries (Square `[Url, Body]`, Twilio
    /// `[Url, FormParameters]`), which [`new`](Self::new) refuses. The URL
    /// is the verifier's configured public URL, fixed, so nothing of the
    /// request can move into it (behind trusted forwarding headers the
    /// query is the request's: see `Verifier::with_forwarded_headers`).
    pub(crate) fn url_then(part: MessagePart) -> Self {
        Self::with_separators(vec![MessagePart::Url, part], ByteSet::default())
    }

    /// A provider's own layout that [`new`](Self::new) would refuse, kept
    /// as it is because the provider signs it so; `why` (unused at run
    /// time) is the argument that no second reading of its signed bytes
    /// verifies, which the provider's file must make. HubSpot v2
    /// `[Method, Url, Body]`: the method is letters and the URL the
    /// verifier's configured one, so nothing moves; Mailgun
    /// `[Timestamp, Id]`: as [`timestamp_then_body`](Self::timestamp_then_body).
    ///
    /// An ID still may not hold a byte of the separator on its body's side
    /// (PayPal's `|`), checked for every request.
    pub(crate) fn unchecked(parts: Vec<MessagePart>, why: &'static str) -> Self {
        let _ = why;
        let pieces: Vec<&MessagePart> = parts.iter().collect();
        let id_separators = Self::separators(&pieces, None).unwrap_or_default();
        Self::with_separators(parts, id_separators)
    }

    /// The layout, with what it signs read once: every request asks.
    fn with_separators(parts: Vec<MessagePart>, id_separators: ByteSet) -> Self {
        let has = |wanted: &[MessagePart]| parts.iter().any(|part| wanted.contains(part));
        let signs = Signs {
            id: has(&[MessagePart::Id]),
            body: has(&[MessagePart::Body, MessagePart::FormParameters]),
            url: has(&[MessagePart::Url]),
            form_parameters: has(&[MessagePart::FormParameters]),
            request: has(&[
                MessagePart::Method,
                MessagePart::Url,
                MessagePart::FormParameters,
            ]),
        };
        Self {
            parts,
            id_separators,
            signs,
        }
    }

    /// What the layout signs beyond literals, the timestamp and the body.
    pub(crate) fn signs(&self) -> Signs {
        self.signs
    }

    /// The parts, in signing order.
    pub(crate) fn parts(&self) -> &[MessagePart] {
        &self.parts
    }

    /// Whether `id` can stand in this layout without its bytes being read
    /// as part of a separator: it holds no byte of the separator on its
    /// body's side.
    pub(crate) fn id_is_unambiguous(&self, id: &str) -> bool {
        !id.bytes().any(|byte| self.id_separators.contains(byte))
    }
}

/// The bytes of the literals next to a variable part, in the order
/// `pieces` walks away from it, up to the next variable part.
fn literal_run<'a>(pieces: impl Iterator<Item = &'a MessagePart>) -> ByteSet {
    let mut run = ByteSet::default();
    for piece in pieces {
        match piece {
            MessagePart::Literal(text) => run.extend_bytes(text.as_bytes()),
            _ => break,
        }
    }
    run
}

/// A set of byte values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn contains(&self, byte: u8) -> bool {
        self.0[usize::from(byte / 64)] & (1 << (byte % 64)) != 0
    }

    fn extend_bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0[usize::from(byte / 64)] |= 1 << (byte % 64);
        }
    }

    fn extend(&mut self, other: &Self) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine |= theirs;
        }
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    fn any(&self, test: impl Fn(u8) -> bool) -> bool {
        (0..=u8::MAX).any(|byte| self.contains(byte) && test(byte))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(parts: impl Into<Vec<MessagePart>>) -> Result<MessageLayout, SchemeError> {
        MessageLayout::new(parts.into(), TimestampUnit::Seconds)
    }

    fn dot() -> MessagePart {
        MessagePart::literal(".")
    }

    #[test]
    fn the_built_in_shapes_are_unambiguous() {
        use MessagePart::{Body, Id, Timestamp};
        let standard = layout([Id, dot(), Timestamp, dot(), Body]).unwrap();
        assert!(standard.id_is_unambiguous("msg_p5jXN8AQM9LWM0D4loKWxJek"));
        assert!(!standard.id_is_unambiguous("evt_1.{\"amount\":12"));
        layout([Timestamp, dot(), Body]).unwrap();
        layout([
            MessagePart::literal("v0:"),
            Timestamp,
            MessagePart::literal(":"),
            Body,
        ])
        .unwrap();
        layout([Body]).unwrap();
    }

    #[test]
    fn an_id_may_hold_no_byte_of_the_separator_on_its_bodys_side() {
        use MessagePart::{Body, Id};
        // Adjacent literals count as one separator; the one before the ID
        // is pinned by the start of the message.
        let before_body = layout([
            MessagePart::literal("<"),
            Id,
            MessagePart::literal("a"),
            MessagePart::literal("b"),
            Body,
        ])
        .unwrap();
        for id in ["xa", "bx", "a"] {
            assert!(!before_body.id_is_unambiguous(id), "{id}");
        }
        assert!(before_body.id_is_unambiguous("<xyz.>"));

        let after_body = layout([Body, MessagePart::literal("|"), Id, dot()]).unwrap();
        assert!(!after_body.id_is_unambiguous("a|b"));
        assert!(after_body.id_is_unambiguous("a.b"));
    }

    #[test]
    fn separators_that_separate_nothing_are_refused() {
        use MessagePart::{Body, Id, Timestamp};
        let cases = [
            vec![Id, Body],
            vec![Id, MessagePart::literal(""), Body],
            vec![
                Timestamp,
                MessagePart::literal(""),
                MessagePart::literal(""),
                Body,
            ],
            vec![Body, Timestamp],
            // A timestamp is digits: a digit in its separator could be read
            // as part of it.
            vec![Timestamp, MessagePart::literal("0"), Body],
            vec![Body, MessagePart::literal("1"), Timestamp],
        ];
        for parts in cases {
            assert_eq!(
                layout(parts.clone()).unwrap_err(),
                SchemeError::AmbiguousMessage,
                "{parts:?}"
            );
        }
    }

    #[test]
    fn byte_sets_hold_every_byte_value() {
        let mut set = ByteSet::default();
        assert!(set.is_empty());
        set.extend_bytes(&[0, 63, 64, 127, 128, 255]);
        for byte in 0..=255u8 {
            assert_eq!(
                set.contains(byte),
                [0, 63, 64, 127, 128, 255].contains(&byte),
                "{byte}"
            );
        }
    }
}

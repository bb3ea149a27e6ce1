use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::limits::MAX_TIMESTAMP_DIGITS;

/// The unit of a signed UNIX timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// Seconds since the UNIX epoch (every built-in provider).
    Seconds,
    /// Milliseconds since the UNIX epoch.
    Milliseconds,
}

impl TimestampUnit {
    /// Parses a timestamp strictly: 1 to 20 ASCII digits, nothing else (no
    /// sign, no white space, no fraction), no overflow.
    pub(crate) fn parse(self, raw: &[u8]) -> Option<SystemTime> {
        let value = parse_digits(raw)?;
        let since_epoch = match self {
            Self::Seconds => Duration::from_secs(value),
            Self::Milliseconds => Duration::from_millis(value),
        };
        UNIX_EPOCH.checked_add(since_epoch)
    }

    /// Writes `time` in this unit (`None` before the epoch).
    pub(crate) fn format(self, time: SystemTime) -> Option<String> {
        let since_epoch = time.duration_since(UNIX_EPOCH).ok()?;
        Some(match self {
            Self::Seconds => since_epoch.as_secs().to_string(),
            Self::Milliseconds => since_epoch.as_millis().to_string(),
        })
    }
}

fn parse_digits(raw: &[u8]) -> Option<u64> {
    if raw.is_empty() || raw.len() > MAX_TIMESTAMP_DIGITS {
        return None;
    }
    raw.iter().try_fold(0u64, |value, byte| {
        let digit = byte.checked_sub(b'0').filter(|digit| *digit <= 9)?;
        value.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Crate-internal access for the fuzz targets.
#[cfg(fuzzing)]
pub(crate) fn parse_for_fuzzing(raw: &[u8]) -> Option<u64> {
    parse_digits(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_digits() {
        assert_eq!(parse_digits(b"0"), Some(0));
        assert_eq!(parse_digits(b"1614265330"), Some(1_614_265_330));
        assert_eq!(parse_digits(b"18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn rejects_anything_but_digits() {
        for raw in [
            "", " 1", "1 ", "+1", "-1", "1.5", "1e9", "0x10", "１", "12a", "\u{0}",
        ] {
            assert_eq!(parse_digits(raw.as_bytes()), None, "{raw:?}");
        }
    }

    #[test]
    fn rejects_overflow_and_overlong_input() {
        assert_eq!(parse_digits(b"18446744073709551616"), None);
        assert_eq!(parse_digits(b"000000000000000000001"), None);
    }

    #[test]
    fn units_convert() {
        let seconds = TimestampUnit::Seconds.parse(b"10").unwrap();
        let millis = TimestampUnit::Milliseconds.parse(b"10000").unwrap();
        assert_eq!(seconds, millis);
        assert_eq!(TimestampUnit::Seconds.format(seconds).unwrap(), "10");
        assert_eq!(
            TimestampUnit::Milliseconds.format(seconds).unwrap(),
            "10000"
        );
    }
}

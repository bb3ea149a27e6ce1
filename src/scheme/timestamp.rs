use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::limits::MAX_TIMESTAMP_DIGITS;

/// How a signed timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// Seconds since the UNIX epoch (every built-in provider).
    Seconds,
    /// Milliseconds since the UNIX epoch.
    Milliseconds,
    /// An RFC 3339 date and time, `2026-12-02T08:00:00Z`: a `T` (or `t`),
    /// seconds with an optional fraction of up to nine digits, and `Z` or
    /// an offset `±HH:MM`. A signer writes whole seconds in UTC.
    Rfc3339,
}

/// The longest RFC 3339 timestamp accepted:
/// `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`.
const MAX_RFC3339_LEN: usize = 35;

impl TimestampUnit {
    /// Parses a timestamp strictly: for UNIX units 1 to 20 ASCII digits,
    /// nothing else (no sign, no white space, no fraction), no overflow;
    /// for RFC 3339 exactly its grammar, at or after the epoch.
    pub(crate) fn parse(self, raw: &[u8]) -> Option<SystemTime> {
        let since_epoch = match self {
            Self::Seconds => Duration::from_secs(parse_digits(raw)?),
            Self::Milliseconds => Duration::from_millis(parse_digits(raw)?),
            Self::Rfc3339 => parse_rfc3339(raw)?,
        };
        UNIX_EPOCH.checked_add(since_epoch)
    }

    /// Writes `time` in this unit (`None` before the epoch, or past the
    /// year 9999 for RFC 3339).
    pub(crate) fn format(self, time: SystemTime) -> Option<String> {
        let since_epoch = time.duration_since(UNIX_EPOCH).ok()?;
        Some(match self {
            Self::Seconds => since_epoch.as_secs().to_string(),
            Self::Milliseconds => since_epoch.as_millis().to_string(),
            Self::Rfc3339 => format_rfc3339(since_epoch.as_secs())?,
        })
    }

    /// The longest timestamp of this unit a verifier reads, in bytes.
    pub(crate) const fn max_len(self) -> usize {
        match self {
            Self::Seconds | Self::Milliseconds => MAX_TIMESTAMP_DIGITS,
            Self::Rfc3339 => MAX_RFC3339_LEN,
        }
    }

    /// Whether a timestamp of this unit may hold `byte`: a separator that
    /// could is no boundary (see `MessageLayout`).
    pub(crate) fn may_contain(self, byte: u8) -> bool {
        match self {
            Self::Seconds | Self::Milliseconds => byte.is_ascii_digit(),
            Self::Rfc3339 => byte.is_ascii_digit() || b"-:.+TtZz".contains(&byte),
        }
    }
}

/// Seconds (and nanoseconds) since the epoch of an RFC 3339 `date-time`.
fn parse_rfc3339(raw: &[u8]) -> Option<Duration> {
    if raw.len() < 20 || raw.len() > MAX_RFC3339_LEN {
        return None;
    }
    let number = |range: std::ops::Range<usize>| parse_digits(raw.get(range)?);
    let at = |index: usize, allowed: &[u8]| raw.get(index).is_some_and(|b| allowed.contains(b));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    // A leap second (60) is refused: nothing signs one in practice.
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut rest = &raw[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let value = u32::try_from(parse_digits(&fraction[..digits])?).ok()?;
        nanos = value * 10u32.pow(9 - digits as u32);
        rest = &fraction[digits..];
    }
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = i64::try_from(parse_digits(&[*h1, *h2])?).ok()?;
            let minutes = i64::try_from(parse_digits(&[*m1, *m2])?).ok()?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + i64::try_from(hour * 3600 + minute * 60 + second).ok()?;
    let utc = u64::try_from(local - offset).ok()?;
    Some(Duration::new(utc, nanos))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for whole seconds since the epoch.
fn format_rfc3339(seconds: u64) -> Option<String> {
    let days = i64::try_from(seconds / 86_400).ok()?;
    let (year, month, day) = civil_from_days(days);
    if year > 9999 {
        return None;
    }
    let time = seconds % 86_400;
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time % 3600 / 60,
        time % 60
    ))
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`); negative before the epoch.
fn days_from_civil(year: u64, month: u64, day: u64) -> i64 {
    // Every input is at most 9999-12-31: no overflow.
    let (year, month, day) = (year as i64, month as i64, day as i64);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day since 1970-01-01 (`days_from_civil` inverted).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    fn rfc3339_reads_offsets_and_fractions_and_round_trips() {
        let unit = TimestampUnit::Rfc3339;
        let at = |raw: &str| {
            unit.parse(raw.as_bytes())
                .map(|time| time.duration_since(UNIX_EPOCH).unwrap())
        };
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(
            at("2021-02-25T15:02:10Z"),
            Some(Duration::from_secs(1_614_265_330))
        );
        assert_eq!(
            at("2021-02-25t16:02:10+01:00"),
            Some(Duration::from_secs(1_614_265_330))
        );
        assert_eq!(
            at("2021-02-25T10:02:10-05:00"),
            Some(Duration::from_secs(1_614_265_330))
        );
        assert_eq!(
            at("2021-02-25T15:02:10.5z"),
            Some(Duration::new(1_614_265_330, 500_000_000))
        );
        assert_eq!(
            at("2024-02-29T00:00:00Z"),
            Some(Duration::from_secs(1_709_164_800))
        );
        for seconds in [
            0u64,
            951_782_400,
            1_614_265_330,
            4_102_444_800,
            253_402_300_799,
        ] {
            let written = unit
                .format(UNIX_EPOCH + Duration::from_secs(seconds))
                .unwrap();
            assert_eq!(
                at(&written),
                Some(Duration::from_secs(seconds)),
                "{written}"
            );
        }
        for raw in [
            "2021-02-25 15:02:10Z",
            "2021-02-25T15:02:10",
            "2021-02-29T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-02-25T24:00:00Z",
            "2021-02-25T15:02:60Z",
            "2021-02-25T15:02:10.Z",
            "2021-02-25T15:02:10.1234567890Z",
            "2021-02-25T15:02:10+1:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "+021-02-25T15:02:10Z",
            "2021-02-25T15:02:10Z ",
        ] {
            assert_eq!(at(raw), None, "{raw}");
        }
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

//! Civil dates and times without a zone (read as UTC), as milliseconds since the Unix
//! epoch: conversions (Howard Hinnant's algorithms) and a fast parser for
//! `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]` and the `T` form.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day of the week, Monday = 0 … Sunday = 6 (as pandas' `dayofweek`).
pub(crate) fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as u32
}

/// Milliseconds per day.
pub const DAY_MS: i64 = 86_400_000;

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DD`, optionally followed by ` ` or `T` and `HH:MM`, `:SS` and a
/// fraction of up to 9 digits (kept to the millisecond), into ms since the epoch.
pub fn parse_datetime(s: &[u8]) -> Option<i64> {
    Some(parse_date(s.get(..10)?)? + parse_time(&s[10..])?)
}

/// The span a datetime text names, as pandas reads a partial string in `loc`: `YYYY`
/// a year, `YYYY-MM` a month, `YYYY-MM-DD` a day, then an hour (` HH`), a minute
/// (`HH:MM`), a second (`:SS`) or one instant (a fraction): `(start, end)` in ms since
/// the epoch, `end` excluded.
///
/// ```
/// use daskling_kernels::dataframe::datetime::parse_span;
/// let day = 86_400_000;
/// assert_eq!(parse_span("1970-01-02"), Some((day, 2 * day)));
/// assert_eq!(parse_span("1970-02"), Some((31 * day, 59 * day)));
/// assert_eq!(parse_span("1970-01-01 01"), Some((3_600_000, 7_200_000)));
/// assert_eq!(parse_span("1970-01-01 00:00:01.5"), Some((1_500, 1_501)));
/// ```
pub fn parse_span(s: &str) -> Option<(i64, i64)> {
    let b = s.as_bytes();
    let day = |y: i64, m: u32| days_from_civil(y, m, 1) * DAY_MS;
    match b.len() {
        4 => {
            let y = digits(b)? as i64;
            Some((day(y, 1), day(y + 1, 1)))
        }
        7 if b[4] == b'-' => {
            let (y, m) = (digits(&b[..4])? as i64, digits(&b[5..])?);
            if !(1..=12).contains(&m) {
                return None;
            }
            let next = if m == 12 {
                day(y + 1, 1)
            } else {
                day(y, m + 1)
            };
            Some((day(y, m), next))
        }
        10 => parse_date(b).map(|t| (t, t + DAY_MS)),
        13 if b[10] == b' ' || b[10] == b'T' => {
            let h = digits(&b[11..])?;
            let t = parse_date(&b[..10])? + h as i64 * 3_600_000;
            (h < 24).then_some((t, t + 3_600_000))
        }
        n if n >= 16 => {
            let t = parse_datetime(b)?;
            let width = match n {
                16 => 60_000,
                19 => 1_000,
                _ => 1,
            };
            Some((t, t + width))
        }
        _ => None,
    }
}

/// ms since the epoch of the `YYYY-MM-DD` in `s` (10 bytes).
fn parse_date(s: &[u8]) -> Option<i64> {
    if s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let y = digits(&s[0..4])? as i64;
    let m = digits(&s[5..7])?;
    let d = digits(&s[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY_MS)
}

/// ms into the day of what follows a date: nothing, or ` `/`T` and `HH:MM[:SS[.fff]]`.
fn parse_time(rest: &[u8]) -> Option<i64> {
    if rest.is_empty() {
        return Some(0);
    }
    if rest.len() < 6 || !(rest[0] == b' ' || rest[0] == b'T') || rest[3] != b':' {
        return None;
    }
    let hh = digits(&rest[1..3])?;
    let mm = digits(&rest[4..6])?;
    if hh > 23 || mm > 59 {
        return None;
    }
    let ms = (hh as i64 * 3600 + mm as i64 * 60) * 1000;
    let rest = &rest[6..];
    if rest.is_empty() {
        return Some(ms);
    }
    if rest.len() < 3 || rest[0] != b':' {
        return None;
    }
    let ss = digits(&rest[1..3])?;
    if ss > 59 {
        return None;
    }
    let ms = ms + ss as i64 * 1000;
    let rest = &rest[3..];
    if rest.is_empty() {
        return Some(ms);
    }
    if rest[0] != b'.' || rest.len() < 2 || rest.len() > 10 {
        return None;
    }
    let frac = &rest[1..];
    digits(frac)?;
    // Milliseconds: the first three digits, right-padded.
    let mut v = 0i64;
    for i in 0..3 {
        v = v * 10 + frac.get(i).map_or(0, |c| (c - b'0') as i64);
    }
    Some(ms + v)
}

/// [`parse_datetime`] down a column, remembering the last date: rows of one day (minute
/// data: hundreds in a row) parse only their time.
#[derive(Default)]
pub(crate) struct DatetimeParser {
    /// The last valid date's 10 bytes and its ms since the epoch.
    last: Option<([u8; 10], i64)>,
}

impl DatetimeParser {
    /// As [`parse_datetime`].
    pub fn parse(&mut self, s: &[u8]) -> Option<i64> {
        let date: &[u8; 10] = s.get(..10)?.try_into().ok()?;
        let day = match self.last {
            Some((d, ms)) if d == *date => ms,
            _ => {
                let ms = parse_date(date)?;
                self.last = Some((*date, ms));
                ms
            }
        };
        Some(day + parse_time(&s[10..])?)
    }
}

/// `YYYY-MM-DD HH:MM:SS` of ms since the epoch (whole seconds).
pub(crate) fn format_datetime(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let secs = ms.rem_euclid(DAY_MS) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `YYYY-MM-DD` of a day count.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn round_trips_every_day_over_eight_centuries() {
        for z in -200_000..200_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(weekday(days_from_civil(2000, 1, 3)), 0); // a Monday
    }

    #[test]
    fn parses_the_three_forms() {
        let day = days_from_civil(2019, 12, 31) * DAY_MS;
        assert_eq!(parse_datetime(b"2019-12-31"), Some(day));
        assert_eq!(parse_datetime(b"2019-12-31 09:30"), Some(day + 34_200_000));
        assert_eq!(
            parse_datetime(b"2019-12-31 09:30:05"),
            Some(day + 34_205_000)
        );
        assert_eq!(
            parse_datetime(b"2019-12-31T09:30:05.25"),
            Some(day + 34_205_250)
        );
        assert_eq!(
            parse_datetime(b"2019-12-31 09:30:05.123456"),
            Some(day + 34_205_123)
        );
        for bad in [
            &b"2019-02-30"[..],
            b"2019-13-01",
            b"2019-1-01",
            b"2019-12-31 24:00",
            b"x",
            b"2019-12-31 09:30:5",
        ] {
            assert_eq!(
                parse_datetime(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(format_datetime(day + 34_205_000), "2019-12-31 09:30:05");
    }

    #[test]
    fn the_parser_that_remembers_the_date_parses_as_parse_datetime() {
        // Runs of one date, a bad time after a good date, a bad date with a remembered
        // prefix, short strings: every step equal to the plain parser (whose values are
        // checked above), over 2,000 random sequences.
        let pool: [&[u8]; 10] = [
            b"2016-01-04 09:30:00",
            b"2016-01-04 09:31:00",
            b"2016-01-04 25:00:00",
            b"2016-01-04",
            b"2016-01-05 16:00",
            b"2016-02-30 10:00",
            b"2016-01-0",
            b"2016-01-04x",
            b"",
            b"1969-12-31T23:59:59.999",
        ];
        let mut seed = 7u64;
        for _ in 0..2_000 {
            let mut p = DatetimeParser::default();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let s = pool[(seed >> 33) as usize % pool.len()];
                assert_eq!(
                    p.parse(s),
                    parse_datetime(s),
                    "{}",
                    String::from_utf8_lossy(s)
                );
            }
        }
    }

    /// Remembering the last date changes no result.
    #[test]
    fn datetime_parser_equals_parse_datetime() {
        let mut p = DatetimeParser::default();
        for s in [
            "2016-01-04 09:30:00",
            "2016-01-04 09:31:00",
            "2016-01-05",
            "x",
        ] {
            assert_eq!(p.parse(s.as_bytes()), parse_datetime(s.as_bytes()));
        }
    }
}

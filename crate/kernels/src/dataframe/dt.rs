//! The `.dt` accessor of datetime series: fields (`dt.year`, `dt.hour`, …) and
//! rounding to a frequency (`dt.round('1d')`, `floor`, `ceil`) with pandas' frequency
//! strings.

use super::column::{Column, NAT};
use super::datetime::{civil_from_days, days_from_civil, weekday, DAY_MS};
use daskling_core::{Error, Result};

crate::name_table! {
    /// A field of the `.dt` accessor of datetime series (`dt.year`, …): an int64 series.
    pub enum DtField {
        Year = "year": "The year.",
        Month = "month": "The month, 1–12.",
        Day = "day": "The day of the month, 1–31.",
        Hour = "hour": "The hour, 0–23.",
        Minute = "minute": "The minute, 0–59.",
        Second = "second": "The second, 0–59.",
        Dayofweek = "dayofweek" | "day_of_week": "The day of the week, Monday = 0.",
        Weekday = "weekday": "The day of the week, Monday = 0 (as `dayofweek`).",
        Dayofyear = "dayofyear" | "day_of_year": "The day of the year, 1–366.",
        Quarter = "quarter": "The quarter, 1–4.",
    }
}

crate::name_table! {
    /// `dt.round`, `dt.floor`, `dt.ceil` to a frequency (`'1d'`, `'h'`, `'5min'`).
    pub enum RoundMode {
        Round = "round": "To the nearest multiple of the frequency (halves to even, as pandas).",
        Floor = "floor": "Down to a multiple of the frequency.",
        Ceil = "ceil": "Up to a multiple of the frequency.",
    }
}

/// Parses a frequency (`'min'`, `'5min'`, `'h'`, `'1d'`, pandas' `'T'`, `'H'`, `'D'`)
/// into milliseconds.
pub fn parse_freq(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: i64 = if num.is_empty() { 1 } else { num.parse().ok()? };
    let unit_ms = match unit {
        "min" | "T" | "m" => 60_000,
        "h" | "H" => 3_600_000,
        "d" | "D" => DAY_MS,
        "s" | "S" => 1000,
        "ms" | "L" => 1,
        _ => return None,
    };
    (n > 0).then_some(n * unit_ms)
}

/// Rounds ms to a multiple of `freq` ms; `Round` halves go to the even multiple, as
/// pandas.
pub(crate) fn round_ms(v: i64, freq: i64, mode: RoundMode) -> i64 {
    if v == NAT {
        return NAT;
    }
    let q = v.div_euclid(freq);
    let r = v.rem_euclid(freq);
    let k = match mode {
        RoundMode::Floor => q,
        RoundMode::Ceil => q + (r > 0) as i64,
        RoundMode::Round => {
            let twice = 2 * r;
            if twice > freq || (twice == freq && q % 2 != 0) {
                q + 1
            } else {
                q
            }
        }
    };
    k * freq
}

/// A datetime field of every value (missing → NaN, so the result is float64 when
/// values are missing and int64 otherwise).
pub(crate) fn dt_field(c: &Column, f: DtField) -> Result<Column> {
    let Column::Datetime(v) = c else {
        return Err(Error::invalid(format!(
            "the dt accessor needs a datetime series, got {}",
            c.dtype()
        )));
    };
    let field = |ms: i64| -> i64 {
        let days = ms.div_euclid(DAY_MS);
        let in_day = ms.rem_euclid(DAY_MS);
        match f {
            DtField::Year => civil_from_days(days).0,
            DtField::Month => civil_from_days(days).1 as i64,
            DtField::Day => civil_from_days(days).2 as i64,
            DtField::Hour => in_day / 3_600_000,
            DtField::Minute => in_day / 60_000 % 60,
            DtField::Second => in_day / 1000 % 60,
            DtField::Dayofweek | DtField::Weekday => weekday(days) as i64,
            DtField::Dayofyear => {
                let y = civil_from_days(days).0;
                days - days_from_civil(y, 1, 1) + 1
            }
            DtField::Quarter => (civil_from_days(days).1 as i64 - 1) / 3 + 1,
        }
    };
    if v.contains(&NAT) {
        Ok(Column::Float64(
            v.iter()
                .map(|&x| if x == NAT { f64::NAN } else { field(x) as f64 })
                .collect(),
        ))
    } else {
        Ok(Column::Int64(v.iter().map(|&x| field(x)).collect()))
    }
}

/// `dt.strftime(format)`: each datetime as text (missing stays missing), with C's
/// directives `%Y %y %m %d %H %I %M %S %f %j %p %a %A %b %B %F %T %%`; another directive
/// is an error naming it.
///
/// ```
/// use daskling_kernels::dataframe::dt::strftime;
/// use daskling_kernels::dataframe::Column;
/// let t = Column::Datetime(vec![1_335_864_615_250]); // 2012-05-01 09:30:15.250
/// let s = strftime(&t, "%Y/%m/%d %H:%M:%S.%f %a %b %j %p").unwrap();
/// assert_eq!(s, Column::String(vec![Some("2012/05/01 09:30:15.250000 Tue May 122 AM".into())]));
/// ```
pub fn strftime(c: &Column, format: &str) -> Result<Column> {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Column::Datetime(v) = c else {
        return Err(Error::invalid(format!(
            "dt.strftime needs a datetime series, got {}",
            c.dtype()
        )));
    };
    check_format(format)?;
    let one = |ms: i64| -> String {
        use std::fmt::Write;
        let days = ms.div_euclid(DAY_MS);
        let in_day = ms.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, sec, milli) = (
            in_day / 3_600_000,
            in_day / 60_000 % 60,
            in_day / 1000 % 60,
            in_day % 1000,
        );
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(ch) = chars.next() {
            if ch != '%' {
                out.push(ch);
                continue;
            }
            let _ = match chars.next() {
                Some('Y') => write!(out, "{y}"),
                Some('y') => write!(out, "{:02}", y.rem_euclid(100)),
                Some('m') => write!(out, "{m:02}"),
                Some('d') => write!(out, "{d:02}"),
                Some('H') => write!(out, "{h:02}"),
                Some('I') => write!(out, "{:02}", (h + 11) % 12 + 1),
                Some('M') => write!(out, "{mi:02}"),
                Some('S') => write!(out, "{sec:02}"),
                Some('f') => write!(out, "{:06}", milli * 1000),
                Some('j') => write!(out, "{:03}", days - days_from_civil(y, 1, 1) + 1),
                Some('p') => write!(out, "{}", if h < 12 { "AM" } else { "PM" }),
                Some('a') => write!(out, "{}", &DAYS[weekday(days) as usize][..3]),
                Some('A') => write!(out, "{}", DAYS[weekday(days) as usize]),
                Some('b') => write!(out, "{}", &MONTHS[m as usize - 1][..3]),
                Some('B') => write!(out, "{}", MONTHS[m as usize - 1]),
                Some('F') => write!(out, "{y:04}-{m:02}-{d:02}"),
                Some('T') => write!(out, "{h:02}:{mi:02}:{sec:02}"),
                _ => write!(out, "%"),
            };
        }
        out
    };
    Ok(Column::String(
        v.iter()
            .map(|&x| (x != NAT).then(|| one(x).into()))
            .collect(),
    ))
}

/// An error naming a directive [`strftime`] does not know.
pub fn check_format(format: &str) -> Result<()> {
    let mut chars = format.chars();
    while let Some(ch) = chars.next() {
        if ch == '%' {
            match chars.next() {
                Some('Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'f' | 'j' | 'p' | 'a'
                | 'A' | 'b' | 'B' | 'F' | 'T' | '%') => {}
                other => {
                    return Err(Error::invalid(format!(
                        "dt.strftime: unknown directive %{} in {format:?} (known: %Y %y %m %d %H %I %M %S %f %j %p %a %A %b %B %F %T %%)",
                        other.map(String::from).unwrap_or_default()
                    )))
                }
            }
        }
    }
    Ok(())
}

/// `dt.round/floor/ceil(freq)`.
pub(crate) fn dt_round(c: &Column, freq: i64, mode: RoundMode) -> Result<Column> {
    match c {
        Column::Datetime(v) => Ok(Column::Datetime(
            v.iter().map(|&x| round_ms(x, freq, mode)).collect(),
        )),
        other => Err(Error::invalid(format!(
            "dt.round/floor/ceil need a datetime series, got {}",
            other.dtype()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rounding_halves_to_even_like_pandas() {
        let h = 3_600_000;
        // 12:00 is exactly half a day: rounds to the even day (0 → day 0, day 1 +12h → day 2).
        assert_eq!(round_ms(12 * h, DAY_MS, RoundMode::Round), 0);
        assert_eq!(
            round_ms(DAY_MS + 12 * h, DAY_MS, RoundMode::Round),
            2 * DAY_MS
        );
        assert_eq!(round_ms(13 * h, DAY_MS, RoundMode::Round), DAY_MS);
        assert_eq!(round_ms(-1, DAY_MS, RoundMode::Floor), -DAY_MS);
        assert_eq!(round_ms(1, DAY_MS, RoundMode::Ceil), DAY_MS);
        assert_eq!(parse_freq("5min"), Some(300_000));
        assert_eq!(parse_freq("1d"), Some(DAY_MS));
        assert_eq!(parse_freq("H"), Some(h));
        assert_eq!(parse_freq("0d"), None);
        assert_eq!(parse_freq("week"), None);
    }
}

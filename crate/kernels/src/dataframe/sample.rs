//! The workshop's sample data: minute bars of stock prices, one CSV per weekday per
//! ticker, `minute/<ticker>/<YYYY-MM-DD>.csv` with columns
//! `timestamp,open,high,low,close,volume` and one row per minute from 09:30 to 16:00.
//!
//! Prices follow a seeded random walk per ticker that continues across days: each
//! minute opens at the last close, closes at `open · exp(0.001 · z)` (`z` roughly
//! standard normal), and reaches a `high` above both and a `low` below both. Prices are
//! written with 4 decimals — rounding is monotone, so `high ≥ max(open, close)` and
//! `low ≤ min(open, close)` hold in the written values too.

use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::datetime::{days_from_civil, format_date, weekday};
use daskling_core::token::tokenize;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SampleSpec {
    /// Ticker names (file folder names).
    pub tickers: Vec<String>,
    /// Weekdays per ticker.
    pub days: usize,
    /// First day as `(year, month, day)`; weekends are skipped.
    pub start: (i64, u32, u32),
    /// The seed of every ticker's walk.
    pub seed: u64,
}

impl Default for SampleSpec {
    fn default() -> Self {
        SampleSpec {
            tickers: vec!["ge".into(), "hp".into()],
            days: 20,
            start: (2012, 5, 1),
            seed: 0,
        }
    }
}

/// One generated file: its path and its CSV bytes.
#[derive(Clone, Debug)]
pub struct SampleFile {
    /// `minute/<ticker>/<YYYY-MM-DD>.csv`.
    pub name: String,
    /// The CSV text.
    pub data: Vec<u8>,
}

/// Minutes per trading day: 09:30 to 16:00 inclusive.
pub const MINUTES: usize = 391;

const HEADER: &str = "timestamp,open,high,low,close,volume\n";

fn normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    // Sum of 4 uniforms, centred and scaled to unit variance: cheap and bounded.
    let s: f64 = (0..4)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
        .sum();
    (s - 2.0) * 3f64.sqrt()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Every file of `spec`, ticker by ticker, day by day (a lazy iterator: large
/// datasets are written without holding them).
pub fn minute_files(spec: &SampleSpec) -> impl Iterator<Item = SampleFile> + '_ {
    spec.tickers.iter().flat_map(move |ticker| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            spec.seed ^ u64::from_str_radix(&tokenize(ticker), 16).unwrap_or(0),
        );
        let mut price = 20.0 + (rng.next_u64() % 8000) as f64 / 100.0;
        let (y, m, d) = spec.start;
        let mut day = days_from_civil(y, m, d);
        (0..spec.days).map(move |_| {
            while weekday(day) >= 5 {
                day += 1;
            }
            let date = format_date(day);
            let mut out = String::with_capacity(HEADER.len() + MINUTES * 56);
            out.push_str(HEADER);
            for minute in 0..MINUTES {
                let open = round4(price);
                let close = round4(open * (0.001 * normal(&mut rng)).exp());
                let spread = |r: &mut Xoshiro256PlusPlus| {
                    0.0005 * (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64
                };
                let high = round4(open.max(close) * (1.0 + spread(&mut rng)));
                let low = round4(open.min(close) * (1.0 - spread(&mut rng)));
                let volume = 100 + rng.next_u64() % 20_000;
                let secs = 9 * 3600 + 30 * 60 + minute as i64 * 60;
                let (hh, mm) = (secs / 3600, secs / 60 % 60);
                use std::fmt::Write;
                // Writing to a String cannot fail.
                let _ = writeln!(
                    out,
                    "{date} {hh:02}:{mm:02}:00,{open:.4},{high:.4},{low:.4},{close:.4},{volume}"
                );
                price = close;
            }
            let name = format!("minute/{ticker}/{date}.csv");
            day += 1;
            SampleFile {
                name,
                data: out.into_bytes(),
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn files_rows_and_bar_invariants() {
        let spec = SampleSpec {
            tickers: vec!["hp".into(), "ibm".into()],
            days: 6,
            ..SampleSpec::default()
        };
        let files: Vec<SampleFile> = minute_files(&spec).collect();
        assert_eq!(files.len(), 12);
        // 2012-05-01 is a Tuesday; the sixth weekday is the next Tuesday.
        assert_eq!(files[0].name, "minute/hp/2012-05-01.csv");
        assert_eq!(files[5].name, "minute/hp/2012-05-08.csv");
        assert_eq!(files[6].name, "minute/ibm/2012-05-01.csv");
        let text = String::from_utf8(files[0].data.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "timestamp,open,high,low,close,volume");
        assert_eq!(lines.len(), 1 + MINUTES);
        assert!(lines[1].starts_with("2012-05-01 09:30:00,"));
        assert!(lines[MINUTES].starts_with("2012-05-01 16:00:00,"));
        for f in &files {
            for line in String::from_utf8(f.data.clone()).unwrap().lines().skip(1) {
                let v: Vec<f64> = line
                    .split(',')
                    .skip(1)
                    .map(|x| x.parse().unwrap())
                    .collect();
                let (o, h, l, c) = (v[0], v[1], v[2], v[3]);
                assert!(h >= o.max(c) && l <= o.min(c) && l > 0.0, "{line}");
            }
        }
        // Seeded: the same spec gives the same bytes.
        let again: Vec<SampleFile> = minute_files(&spec).collect();
        assert_eq!(again[3].data, files[3].data);
    }
}

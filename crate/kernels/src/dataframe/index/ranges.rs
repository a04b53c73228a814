//! Ranges of an index: what a partition of divisions holds ([`SetRange`]), the ends
//! of a `loc` range ([`Bound`]: pandas' label slices, partial datetime strings
//! included), which partitions a range meets, and the rows it keeps.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::super::column::{concat, Column, Dtype, Frame};
use super::super::datetime::parse_span;
use super::super::map::Literal;
use super::super::sort::cmp_key;
use super::{missing, shown};
use daskling_core::{Error, Result};

/// The range of one partition of a sorted index: `[lo, hi)`, or `[lo, hi]` when
/// `closed` (the partition that reaches the last division).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetRange {
    /// Its division.
    pub lo: Literal,
    /// The next division.
    pub hi: Literal,
    /// Whether `hi` is in the range.
    pub closed: bool,
}

impl SetRange {
    /// Partition `p`'s range under divisions `d`.
    pub fn of(d: &Column, p: usize) -> SetRange {
        let v = division_values(&d.take(&[p, p + 1]));
        SetRange {
            lo: v[0].clone(),
            hi: v[1].clone(),
            closed: closes(d, p),
        }
    }

    /// An error unless value `i` of `c` lies in the range.
    pub(super) fn check(&self, c: &Column, i: usize, key: &str) -> Result<()> {
        // How the value compares with each end (`None`: no end).
        let above = Bound::start(&self.lo).cmp(c, i)? != Some(Ordering::Less);
        let below = match Bound::start(&self.hi).cmp(c, i)? {
            None | Some(Ordering::Less) => true,
            Some(Ordering::Equal) => self.closed,
            Some(Ordering::Greater) => false,
        };
        if above && below {
            return Ok(());
        }
        let end = if self.closed { "]" } else { ")" };
        Err(Error::invalid(format!(
            "{key}: setIndex(sorted): row {i} of the partition ({}) is outside its \
             divisions [{}, {}{end}: the divisions do not fit the data",
            shown(c, i),
            self.lo.python(),
            self.hi.python()
        )))
    }
}

/// Whether partition `p` of divisions `d` holds its upper division too: it reaches the
/// last one.
fn closes(d: &Column, p: usize) -> bool {
    let n = d.len() - 1;
    p + 1 == n || (!d.is_missing(p + 1) && cmp_key(d, p + 1, d, n, true) == Ordering::Equal)
}

/// The rows of `f` whose index is in `[start, stop]`.
pub fn loc(f: &Frame, start: &Literal, stop: &Literal, key: &str) -> Result<Frame> {
    let Some(ix) = &f.index else {
        return Err(Error::invalid(format!(
            "{key}: loc needs an index: setIndex first"
        )));
    };
    let c = &ix.1;
    let (lo, hi) = (Bound::start(start), Bound::stop(stop));
    let mut keep = Vec::with_capacity(c.len());
    for i in 0..c.len() {
        keep.push(lo.at_most(c, i)? && hi.at_least(c, i)?);
    }
    f.filter_rows(key, &keep)
}

/// One end of a `loc` range: a value compared with an index column of any dtype (a
/// number with numbers and datetimes in ms, text with text and, as pandas reads a
/// partial string, datetimes: a start at the beginning of the span it names, a stop at
/// its end — `'2024-01-03'` stops after that whole day), or no bound.
#[derive(Clone, Debug)]
pub struct Bound {
    value: Option<Literal>,
    stop: bool,
}

impl Bound {
    /// The start `l` (missing: none).
    pub fn start(l: &Literal) -> Bound {
        Bound::new(l, false)
    }

    /// The stop `l` (missing: none).
    pub fn stop(l: &Literal) -> Bound {
        Bound::new(l, true)
    }

    fn new(l: &Literal, stop: bool) -> Bound {
        let value = match l {
            Literal::Missing => None,
            Literal::Number(x) if x.is_nan() => None,
            l => Some(l.clone()),
        };
        Bound { value, stop }
    }

    /// An error unless the bound compares with an index of `dtype`.
    pub fn check(&self, dtype: Dtype) -> Result<()> {
        self.column(dtype).map(|_| ())
    }

    /// The bound as a one-value column of `dtype`, or an error saying it cannot be one.
    fn column(&self, dtype: Dtype) -> Result<Option<Column>> {
        let Some(l) = &self.value else {
            return Ok(None);
        };
        let bad = || {
            Error::invalid(format!(
                "loc: the bound {} cannot be compared with the index ({dtype})",
                l.python()
            ))
        };
        Ok(Some(match (dtype, l) {
            (Dtype::Int64 | Dtype::Float64, Literal::Number(x)) => Column::Float64(vec![*x]),
            (Dtype::Datetime, Literal::Number(x)) => Column::Datetime(vec![*x as i64]),
            (Dtype::Datetime, Literal::Text(s)) => {
                let (start, end) = parse_span(s).ok_or_else(bad)?;
                Column::Datetime(vec![if self.stop { end - 1 } else { start }])
            }
            (Dtype::String, Literal::Text(s)) => Column::String(vec![Some(s.as_str().into())]),
            (Dtype::Bool, Literal::Bool(b)) => Column::Bool(vec![Some(*b)]),
            _ => return Err(bad()),
        }))
    }

    /// How value `i` of `c` compares with the bound (`None`: no bound).
    fn cmp(&self, c: &Column, i: usize) -> Result<Option<Ordering>> {
        Ok(self.column(c.dtype())?.map(|b| cmp_key(c, i, &b, 0, true)))
    }

    /// Whether the bound is at most value `i` (a start that keeps it).
    fn at_most(&self, c: &Column, i: usize) -> Result<bool> {
        Ok(!c.is_missing(i) && self.cmp(c, i)? != Some(Ordering::Less))
    }

    /// Whether the bound is at least value `i` (a stop that keeps it).
    fn at_least(&self, c: &Column, i: usize) -> Result<bool> {
        Ok(!c.is_missing(i) && self.cmp(c, i)? != Some(Ordering::Greater))
    }
}

/// Divisions given as values (numbers, text, missing) as a column an index of `dtype`
/// compares with (numbers as float64); an error unless they are in order.
///
/// ```
/// use daskling_kernels::dataframe::index::division_column;
/// use daskling_kernels::dataframe::{map::Literal, Column, Dtype};
/// let d = division_column(Dtype::Datetime, &[Literal::Text("1970-01-02".into()), Literal::Number(9e7)]).unwrap();
/// assert_eq!(d, Column::Datetime(vec![86_400_000, 90_000_000]));
/// assert!(division_column(Dtype::Int64, &[Literal::Number(2.0), Literal::Number(1.0)]).is_err());
/// ```
pub fn division_column(dtype: Dtype, values: &[Literal]) -> Result<Column> {
    let mut parts = Vec::with_capacity(values.len());
    for v in values {
        let one = match Bound::start(v).column(dtype)? {
            Some(c) => c,
            None => missing("d", dtype, 1).columns.swap_remove(0),
        };
        parts.push(Frame::of(vec![("d", one)]));
    }
    let col = match parts.is_empty() {
        true => missing("d", dtype, 0).columns.swap_remove(0),
        false => concat("divisions", &parts.iter().collect::<Vec<_>>())?
            .columns
            .swap_remove(0),
    };
    let present: Vec<usize> = (0..col.len()).filter(|&i| !col.is_missing(i)).collect();
    if present
        .windows(2)
        .any(|w| cmp_key(&col, w[0], &col, w[1], true) == Ordering::Greater)
    {
        return Err(Error::invalid(
            "setIndex: the divisions must be in ascending order",
        ));
    }
    Ok(col)
}

/// The partitions of divisions `d` (`n + 1` values) that may hold index values in
/// `[start, stop]`: those whose range (see the module documentation) meets it (a missing
/// division is unknown, so its partitions may). Bounds are compared as
/// [`Bound::check`] allows.
///
/// ```
/// use daskling_kernels::dataframe::index::{partitions_meeting, Bound};
/// use daskling_kernels::dataframe::{map::Literal, Column};
/// let d = Column::Int64(vec![0, 10, 20, 30]);
/// let (from, to) = (Bound::start(&Literal::Number(12.0)), Bound::stop(&Literal::Number(20.0)));
/// assert_eq!(partitions_meeting(&d, &from, &to).unwrap(), [1, 2]);
/// let (from, to) = (Bound::start(&Literal::Number(31.0)), Bound::stop(&Literal::Missing));
/// assert_eq!(partitions_meeting(&d, &from, &to).unwrap(), [0usize; 0]);
/// ```
pub fn partitions_meeting(d: &Column, start: &Bound, stop: &Bound) -> Result<Vec<usize>> {
    let mut out = vec![];
    for p in 0..d.len().saturating_sub(1) {
        let known = !d.is_missing(p) && !d.is_missing(p + 1);
        if known && !closes(d, p) && cmp_key(d, p, d, p + 1, true) == Ordering::Equal {
            continue; // [d, d): no value
        }
        let stops_after_start = d.is_missing(p) || stop.at_least(d, p)?;
        // The start is below the next division (or at it, where that one is held too).
        let starts_before_end = d.is_missing(p + 1)
            || match start.cmp(d, p + 1)? {
                None | Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => closes(d, p),
                Some(Ordering::Less) => false,
            };
        if starts_before_end && stops_after_start {
            out.push(p);
        }
    }
    Ok(out)
}

/// Divisions as values (numbers, datetimes as ms, text; missing as such): what JS and
/// `setIndex` exchange.
pub fn division_values(d: &Column) -> Vec<Literal> {
    (0..d.len())
        .map(|i| match d {
            _ if d.is_missing(i) => Literal::Missing,
            Column::String(v) => Literal::Text(v[i].as_deref().unwrap_or_default().to_string()),
            Column::Bool(v) => Literal::Bool(v[i].unwrap_or_default()),
            _ => d.f64_at(i).map_or(Literal::Missing, Literal::Number),
        })
        .collect()
}

/// pandas' `x.loc[start:stop]` on an index of `dtype` (what `toDask` writes): numbers
/// on a datetime index as `pd.Timestamp`s of ms, text as itself, a missing bound open.
pub fn loc_python(x: &str, dtype: Dtype, start: &Literal, stop: &Literal) -> String {
    let end = |l: &Literal| match (dtype, Bound::start(l).value) {
        (_, None) => String::new(),
        (Dtype::Datetime, Some(Literal::Number(ms))) => {
            format!("pd.Timestamp({}, unit=\"ms\")", ms as i64)
        }
        (_, Some(l)) => l.python(),
    };
    format!("{x}.loc[{}:{}]", end(start), end(stop))
}

#[cfg(test)]
mod tests {
    use super::super::set_index;
    use super::*;

    #[test]
    fn loc_keeps_both_ends_and_reads_datetimes_from_text() {
        let day = 86_400_000;
        let f = set_index(
            &Frame::of(vec![
                ("t", Column::Datetime(vec![0, day, 2 * day, 3 * day])),
                ("v", Column::Int64(vec![0, 1, 2, 3])),
            ]),
            "t",
            "k",
        )
        .unwrap();
        let text = |s: &str| Literal::Text(s.into());
        let got = loc(&f, &text("1970-01-02"), &text("1970-01-03"), "k").unwrap();
        assert_eq!(got.columns[0], Column::Int64(vec![1, 2]));
        // A month is every day of it; a stop at a day keeps the whole day.
        let got = loc(&f, &text("1970-01"), &Literal::Missing, "k").unwrap();
        assert_eq!(got.columns[0], Column::Int64(vec![0, 1, 2, 3]));
        let late = Literal::Number((day + 1) as f64);
        let got = loc(&f, &late, &text("1970-01-03"), "k").unwrap();
        assert_eq!(got.columns[0], Column::Int64(vec![2]));
        let open = loc(&f, &Literal::Missing, &Literal::Number(day as f64), "k").unwrap();
        assert_eq!(open.columns[0], Column::Int64(vec![0, 1]));
        let e = loc(&f, &Literal::Bool(true), &Literal::Missing, "k").unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot be compared with the index (datetime)"),
            "{e}"
        );
    }
}

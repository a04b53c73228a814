//! Values kept or replaced by a condition: pandas' `where(cond, other)` (kept where the
//! condition is true) and `mask(cond, other)` (replaced where it is true), with `other`
//! a constant, a missing value, or a series of the same rows. [`Cond::dtype`] is the
//! result's dtype (pandas' promotion: int64 with a missing or non-integer replacement
//! becomes float64), [`Cond::apply`] the values, [`Cond::pandas`] the call `toDask`
//! writes.
//!
//! A missing condition counts as false, as pandas fills it: `where` replaces that
//! value, `mask` keeps it.
//!
//! ```
//! use daskling_kernels::dataframe::cond::{Cond, Other};
//! use daskling_kernels::dataframe::map::Literal;
//! use daskling_kernels::dataframe::Column;
//! let x = Column::Int64(vec![1, 2, 3]);
//! let c = Column::Bool(vec![Some(true), Some(false), None]);
//! let w = Cond { keep_when: true, other: Literal::Missing };
//! let kept = w.apply(&x, &c, Other::Value).unwrap(); // float64: NaN where replaced
//! assert_eq!((kept.f64_at(0), kept.f64_at(1), kept.f64_at(2)), (Some(1.0), None, None));
//! let m = Cond { keep_when: false, other: Literal::Number(0.0) };
//! assert_eq!(m.apply(&x, &c, Other::Value).unwrap(), Column::Int64(vec![0, 2, 3]));
//! ```

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::column::{Column, Dtype, NAT};
use super::map::Literal;
use daskling_core::{Error, Result};

/// Which values stay and what replaces the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cond {
    /// `where` (`true`: keep where the condition is true) or `mask` (`false`).
    pub keep_when: bool,
    /// The constant replacement, when there is no replacement series.
    pub other: Literal,
}

/// Where replacements come from.
#[derive(Clone, Copy, Debug)]
pub enum Other<'a> {
    /// The constant [`Cond::other`].
    Value,
    /// A series of the same rows.
    Series(&'a Column),
}

/// Integers JavaScript numbers hold exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Cond {
    /// The method's name.
    pub fn name(&self) -> &'static str {
        if self.keep_when {
            "where"
        } else {
            "mask"
        }
    }

    /// The result's dtype for a `x` series and a replacement series of `other` (none: the
    /// constant).
    pub fn dtype(&self, x: Dtype, other: Option<Dtype>) -> Result<Dtype> {
        let bad = |what: &str| {
            Error::invalid(format!(
                "{}: other is {what}, which a {x} series cannot hold",
                self.name()
            ))
        };
        Ok(match other {
            Some(o) if o == x => x,
            Some(Dtype::Int64 | Dtype::Float64) if matches!(x, Dtype::Int64 | Dtype::Float64) => {
                Dtype::Float64
            }
            Some(o) => return Err(bad(&format!("a {o} series"))),
            None => match (&self.other, x) {
                (Literal::Missing, Dtype::Int64) => Dtype::Float64,
                (Literal::Missing, _) => x,
                (Literal::Number(v), Dtype::Int64) if v.fract() == 0.0 && v.abs() < EXACT => {
                    Dtype::Int64
                }
                (Literal::Number(_), Dtype::Int64 | Dtype::Float64) => Dtype::Float64,
                (Literal::Text(_), Dtype::String) | (Literal::Bool(_), Dtype::Bool) => x,
                (Literal::Number(_), _) => return Err(bad("a number")),
                (Literal::Text(_), _) => return Err(bad("text")),
                (Literal::Bool(_), _) => return Err(bad("a bool")),
            },
        })
    }

    /// The values of `x` kept where `cond` says, replaced by the constant or by `other`'s
    /// value of the same row elsewhere.
    pub fn apply(&self, x: &Column, cond: &Column, other: Other) -> Result<Column> {
        let Column::Bool(c) = cond else {
            return Err(Error::invalid(format!(
                "{}: the condition is a {} series, not a bool one",
                self.name(),
                cond.dtype()
            )));
        };
        let n = x.len();
        let o = match other {
            Other::Series(o) => Some(o),
            Other::Value => None,
        };
        if c.len() != n || o.is_some_and(|o| o.len() != n) {
            return Err(Error::invalid(format!(
                "{}: the condition and values differ in length",
                self.name()
            )));
        }
        let keep: Vec<bool> = c
            .iter()
            .map(|v| (*v == Some(true)) == self.keep_when)
            .collect();
        let out = self.dtype(x.dtype(), o.map(Column::dtype))?;
        let f = |i: usize| -> f64 {
            match o {
                Some(o) => o.f64_at(i).unwrap_or(f64::NAN),
                None => match self.other {
                    Literal::Number(v) => v,
                    _ => f64::NAN,
                },
            }
        };
        Ok(match (out, x) {
            (Dtype::Float64, x) => Column::Float64(
                (0..n)
                    .map(|i| {
                        if keep[i] {
                            x.f64_at(i).unwrap_or(f64::NAN)
                        } else {
                            f(i)
                        }
                    })
                    .collect(),
            ),
            (Dtype::Int64, Column::Int64(v)) => Column::Int64(
                (0..n)
                    .map(|i| match (keep[i], o) {
                        (true, _) => v[i],
                        (false, Some(Column::Int64(w))) => w[i],
                        (false, _) => f(i) as i64,
                    })
                    .collect(),
            ),
            (Dtype::Datetime, Column::Datetime(v)) => Column::Datetime(
                (0..n)
                    .map(|i| match (keep[i], o) {
                        (true, _) => v[i],
                        (false, Some(Column::Datetime(w))) => w[i],
                        (false, _) => NAT,
                    })
                    .collect(),
            ),
            (Dtype::Bool, Column::Bool(v)) => {
                let constant = match self.other {
                    Literal::Bool(b) => Some(b),
                    _ => None,
                };
                Column::Bool(
                    (0..n)
                        .map(|i| match (keep[i], o) {
                            (true, _) => v[i],
                            (false, Some(Column::Bool(w))) => w[i],
                            (false, _) => constant,
                        })
                        .collect(),
                )
            }
            (Dtype::String, Column::String(v)) => {
                let constant: Option<Arc<str>> = match &self.other {
                    Literal::Text(t) => Some(t.as_str().into()),
                    _ => None,
                };
                Column::String(
                    (0..n)
                        .map(|i| match (keep[i], o) {
                            (true, _) => v[i].clone(),
                            (false, Some(Column::String(w))) => w[i].clone(),
                            (false, _) => constant.clone(),
                        })
                        .collect(),
                )
            }
            (d, x) => {
                return Err(Error::invalid(format!(
                    "{}: a {} series cannot become {d}",
                    self.name(),
                    x.dtype()
                )))
            }
        })
    }

    /// pandas' call on series `x` with condition `cond` and replacement series `other`
    /// (a variable name) or the constant.
    pub fn pandas(&self, x: &str, cond: &str, other: Option<&str>) -> String {
        let o = match (other, &self.other) {
            (Some(v), _) => format!(", {v}"),
            (None, Literal::Missing) => String::new(),
            (None, l) => format!(", {}", l.python()),
        };
        format!("{x}.{}({cond}{o})", self.name())
    }
}

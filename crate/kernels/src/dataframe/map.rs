//! Functions of each value of a column that take parameters — missing data (`isna`,
//! `notna`, `fillna`), `round`, `clip`, `isin`, `astype` — each defined once here: its
//! row in [`MapFn`] (the API name and documentation the JS methods, types and reference
//! are generated from), its parameters in [`ColumnMap`], its dtype rule
//! ([`ColumnMap::dtype`], pandas' dtypes), its values ([`ColumnMap::apply`]) and its
//! pandas spelling ([`ColumnMap::pandas`], what `toDask` writes).
//!
//! Missing values follow the column model (`column`): NaN, NaT and `None`. The
//! conversions of `astype` and Python's spellings of values are in `convert`.
//!
//! ```
//! use daskling_kernels::dataframe::map::{ColumnMap, Literal};
//! use daskling_kernels::dataframe::{Column, Dtype};
//! let c = Column::Float64(vec![1.5, f64::NAN]);
//! let filled = ColumnMap::FillNa { value: Literal::Number(0.0) }.apply(&c).unwrap();
//! assert_eq!(filled, Column::Float64(vec![1.5, 0.0]));
//! let na = ColumnMap::IsNa.apply(&c).unwrap();
//! assert_eq!(na, Column::Bool(vec![Some(false), Some(true)]));
//! assert_eq!(ColumnMap::Astype { dtype: Dtype::String }.dtype(Dtype::Float64).unwrap(), Dtype::String);
//! ```

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::column::{Column, Dtype, Frame};
use super::convert::{astype, python_float, python_str};
use crate::float;
use daskling_core::{Error, Result};

crate::name_table! {
    /// The functions of each value that take parameters (the rows of [`ColumnMap`]).
    pub enum MapFn {
        IsNa = "isna": "Whether each value is missing (NaN, NaT, null): a bool result.",
        NotNa = "notna": "Whether each value is present: the opposite of `isna`.",
        FillNa = "fillna":
            "Missing values replaced by `value` (a number for numeric columns, text for text, a bool for bools).",
        Round = "round":
            "Rounded to `decimals` places (numpy's: halves to even; negative rounds to tens, hundreds, …).",
        Clip = "clip": "Values below `lower` set to it, above `upper` to it (null: no bound).",
        IsIn = "isin": "Whether each value is one of `values` (null or NaN in `values` matches missing values).",
        Astype = "astype":
            "Converted to `dtype` (floats to text as Python writes them; an error names a value that cannot be).",
    }
}

/// A constant given to `fillna` or `isin`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A number (never NaN: a missing value is [`Literal::Missing`]).
    Number(f64),
    /// Text.
    Text(String),
    /// `null`: the missing value.
    Missing,
}

impl Literal {
    /// Python's spelling (`True`, `1.5`, `"a"`, `None`).
    pub fn python(&self) -> String {
        match self {
            Literal::Bool(true) => "True".into(),
            Literal::Bool(false) => "False".into(),
            Literal::Number(x) => python_float(*x),
            Literal::Text(s) => python_str(s),
            Literal::Missing => "None".into(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Literal::Bool(_) => "a bool",
            Literal::Number(_) => "a number",
            Literal::Text(_) => "text",
            Literal::Missing => "null",
        }
    }
}

/// One argument of a [`MapFn`] call: a constant or a list of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A list (`isin`'s values).
    List(Vec<Literal>),
    /// A constant; `Missing` also for an argument left out.
    One(Literal),
}

/// A literal with NaN as the missing value it stands for.
fn clean(l: &Literal) -> Literal {
    match l {
        Literal::Number(x) if x.is_nan() => Literal::Missing,
        l => l.clone(),
    }
}

/// A function of each value with its parameters (one per [`MapFn`] row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fn", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ColumnMap {
    /// `isna()`.
    IsNa,
    /// `notna()`.
    NotNa,
    /// `fillna(value)`.
    FillNa {
        /// The value missing ones become.
        value: Literal,
    },
    /// `round(decimals)`.
    Round {
        /// Places after the point (negative: before it).
        decimals: i32,
    },
    /// `clip(lower, upper)`; an infinite bound is no bound.
    Clip {
        /// The lower bound (`-inf`: none).
        #[serde(with = "float")]
        lower: f64,
        /// The upper bound (`inf`: none).
        #[serde(with = "float")]
        upper: f64,
    },
    /// `isin(values)`.
    IsIn {
        /// The values matched.
        values: Vec<Literal>,
    },
    /// `astype(dtype)`.
    Astype {
        /// The dtype converted to.
        dtype: Dtype,
    },
}

fn need_numeric(what: &str, d: Dtype) -> Result<()> {
    if matches!(d, Dtype::Int64 | Dtype::Float64) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{what} needs a numeric series, got {d}"
        )))
    }
}

/// numpy's `round(x, decimals)`: scaled, rounded half to even, scaled back.
fn round_f64(x: f64, decimals: i32) -> f64 {
    if decimals >= 0 {
        let f = 10f64.powi(decimals);
        let y = (x * f).round_ties_even() / f;
        if y.is_finite() {
            y
        } else {
            x
        }
    } else {
        let f = 10f64.powi(-decimals);
        (x / f).round_ties_even() * f
    }
}

/// An int rounded to `10^-decimals` (decimals < 0), halves to even, as numpy.
fn round_i64(x: i64, decimals: i32) -> i64 {
    if decimals >= 0 {
        return x;
    }
    let Some(f) = 10i64.checked_pow((-decimals) as u32) else {
        return 0;
    };
    let (q, r) = (x.div_euclid(f), x.rem_euclid(f));
    let down = q * f;
    match (2 * (r as i128)).cmp(&(f as i128)) {
        std::cmp::Ordering::Less => down,
        std::cmp::Ordering::Greater => down + f,
        std::cmp::Ordering::Equal if q % 2 == 0 => down,
        std::cmp::Ordering::Equal => down + f,
    }
}

/// A float as an int64, if it is one exactly.
fn exact_int(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9.223_372_036_854_776e18).then_some(x as i64)
}

impl ColumnMap {
    /// Its row of [`MapFn`].
    pub fn function(&self) -> MapFn {
        match self {
            ColumnMap::IsNa => MapFn::IsNa,
            ColumnMap::NotNa => MapFn::NotNa,
            ColumnMap::FillNa { .. } => MapFn::FillNa,
            ColumnMap::Round { .. } => MapFn::Round,
            ColumnMap::Clip { .. } => MapFn::Clip,
            ColumnMap::IsIn { .. } => MapFn::IsIn,
            ColumnMap::Astype { .. } => MapFn::Astype,
        }
    }

    /// The function `f` called with `args` (its positional arguments, as the JS
    /// methods take them), or an error naming what is wrong.
    ///
    /// ```
    /// use daskling_kernels::dataframe::map::{Arg, ColumnMap, Literal, MapFn};
    /// let r = ColumnMap::from_args(MapFn::Round, &[Arg::One(Literal::Number(2.0))]).unwrap();
    /// assert_eq!(r, ColumnMap::Round { decimals: 2 });
    /// assert!(ColumnMap::from_args(MapFn::IsIn, &[Arg::One(Literal::Text("a".into()))]).is_err());
    /// ```
    pub fn from_args(f: MapFn, args: &[Arg]) -> Result<ColumnMap> {
        let name = f.name();
        let one = |i: usize| match args.get(i) {
            None => Ok(Literal::Missing),
            Some(Arg::One(l)) => Ok(clean(l)),
            Some(Arg::List(_)) => Err(Error::invalid(format!(
                "{name}: argument {} is a list; expected one value",
                i + 1
            ))),
        };
        let bound = |i: usize, none: f64| match one(i)? {
            Literal::Missing => Ok(none),
            Literal::Number(x) => Ok(x),
            l => Err(Error::invalid(format!(
                "{name}: a bound must be a number or null, got {}",
                l.kind()
            ))),
        };
        Ok(match f {
            MapFn::IsNa => ColumnMap::IsNa,
            MapFn::NotNa => ColumnMap::NotNa,
            MapFn::FillNa => match one(0)? {
                Literal::Missing => {
                    return Err(Error::invalid("fillna needs a value (null fills nothing)"))
                }
                value => ColumnMap::FillNa { value },
            },
            MapFn::Round => match one(0)? {
                Literal::Missing => ColumnMap::Round { decimals: 0 },
                Literal::Number(x) if x.fract() == 0.0 && x.abs() <= 400.0 => {
                    ColumnMap::Round { decimals: x as i32 }
                }
                l => {
                    return Err(Error::invalid(format!(
                        "round: decimals must be an integer, got {}",
                        l.python()
                    )))
                }
            },
            MapFn::Clip => ColumnMap::Clip {
                lower: bound(0, f64::NEG_INFINITY)?,
                upper: bound(1, f64::INFINITY)?,
            },
            MapFn::IsIn => match args.first() {
                Some(Arg::List(values)) => ColumnMap::IsIn {
                    values: values.iter().map(clean).collect(),
                },
                _ => {
                    return Err(Error::invalid(
                        "isin needs a list of values (an array), as pandas' isin",
                    ))
                }
            },
            MapFn::Astype => match one(0)? {
                Literal::Text(t) => ColumnMap::Astype {
                    dtype: crate::names::lookup::<Dtype>(&t)?,
                },
                l => {
                    return Err(Error::invalid(format!(
                        "astype needs a dtype name ('int64', 'float64', 'bool', 'string'), got {}",
                        l.kind()
                    )))
                }
            },
        })
    }

    /// Whether a frame applies it to its numeric columns only, leaving the others as
    /// they are (pandas' `DataFrame.round`); otherwise every column, an error naming
    /// one it cannot apply to.
    pub fn numeric_only(&self) -> bool {
        matches!(self, ColumnMap::Round { .. })
    }

    /// The dtype it gives a column of `input`, or an error naming the function.
    pub fn dtype(&self, input: Dtype) -> Result<Dtype> {
        let name = self.function().name();
        match self {
            ColumnMap::IsNa | ColumnMap::NotNa | ColumnMap::IsIn { .. } => Ok(Dtype::Bool),
            ColumnMap::FillNa { value } => {
                let fits = matches!(
                    (input, value),
                    (_, Literal::Missing)
                        | (Dtype::Int64, _)
                        | (Dtype::Float64, Literal::Number(_))
                        | (Dtype::Bool, Literal::Bool(_))
                        | (Dtype::String, Literal::Text(_))
                );
                if fits {
                    Ok(input)
                } else {
                    Err(Error::invalid(format!(
                        "fillna: a {input} series cannot be filled with {} {} (pandas would \
                         make it an object series); fill it with a value of its own type",
                        value.kind(),
                        value.python()
                    )))
                }
            }
            ColumnMap::Round { .. } => need_numeric(name, input).map(|_| input),
            ColumnMap::Clip { lower, upper } => {
                need_numeric(name, input)?;
                let integral = [lower, upper]
                    .iter()
                    .all(|b| b.is_infinite() || b.fract() == 0.0);
                Ok(if input == Dtype::Int64 && integral {
                    Dtype::Int64
                } else {
                    Dtype::Float64
                })
            }
            ColumnMap::Astype { dtype } => {
                use Dtype::*;
                match (input, dtype) {
                    (a, b) if a == *b => Ok(a),
                    (Int64 | Float64 | Bool, Int64 | Float64 | Bool | String)
                    | (String, Int64 | Float64)
                    | (Datetime, Int64) => Ok(*dtype),
                    _ => Err(Error::invalid(format!(
                        "astype: cannot convert a {input} series to {dtype}"
                    ))),
                }
            }
        }
    }

    /// Its values for column `c` (of the dtype [`ColumnMap::dtype`] gives).
    pub fn apply(&self, c: &Column) -> Result<Column> {
        let dtype = self.dtype(c.dtype())?;
        Ok(match self {
            ColumnMap::IsNa | ColumnMap::NotNa => {
                let want = matches!(self, ColumnMap::IsNa);
                Column::Bool(
                    (0..c.len())
                        .map(|i| Some(c.is_missing(i) == want))
                        .collect(),
                )
            }
            ColumnMap::FillNa { value } => fill(c, value),
            ColumnMap::Round { decimals } => match c {
                Column::Int64(v) => {
                    Column::Int64(v.iter().map(|&x| round_i64(x, *decimals)).collect())
                }
                Column::Float64(v) => {
                    Column::Float64(v.iter().map(|&x| round_f64(x, *decimals)).collect())
                }
                _ => c.clone(),
            },
            ColumnMap::Clip { lower, upper } => match (c, dtype) {
                (Column::Int64(v), Dtype::Int64) => {
                    let lo = exact_int(*lower).unwrap_or(i64::MIN);
                    let hi = exact_int(*upper).unwrap_or(i64::MAX);
                    Column::Int64(v.iter().map(|&x| x.max(lo).min(hi)).collect())
                }
                _ => Column::Float64(
                    (0..c.len())
                        .map(|i| c.f64_at(i).map_or(f64::NAN, |x| x.max(*lower).min(*upper)))
                        .collect(),
                ),
            },
            ColumnMap::IsIn { values } => isin(c, values),
            ColumnMap::Astype { dtype } => astype(c, *dtype)?,
        })
    }

    /// Its values for every column of `input`: a series' one, or a frame's (`frame`;
    /// only the numeric columns where [`ColumnMap::numeric_only`]), an error naming the
    /// column it cannot apply to.
    pub fn apply_frame(&self, input: &Frame, frame: bool) -> Result<Frame> {
        let columns = input
            .names
            .iter()
            .zip(&input.columns)
            .map(|(n, c)| {
                let numeric = matches!(c.dtype(), Dtype::Int64 | Dtype::Float64);
                if frame && self.numeric_only() && !numeric {
                    return Ok(c.clone());
                }
                self.apply(c).map_err(|e| match frame {
                    true => Error::invalid(format!("column {n}: {e}")),
                    false => e,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Frame {
            names: input.names.clone(),
            columns,
            index: input.index.clone(),
        })
    }

    /// pandas' call on the series or frame `x` whose columns have `dtypes`
    /// (`x.fillna(0.0)`, `x.astype("int64")`).
    pub fn pandas(&self, x: &str, dtypes: &[Dtype]) -> String {
        match self {
            ColumnMap::IsNa => format!("{x}.isna()"),
            // dask's series lack pandas' `notna`; `notnull` is the same in both.
            ColumnMap::NotNa => format!("{x}.notnull()"),
            ColumnMap::FillNa { value } => format!("{x}.fillna({})", value.python()),
            ColumnMap::Round { decimals } => format!("{x}.round({decimals})"),
            ColumnMap::Clip { lower, upper } => {
                let b = |v: f64| {
                    if v.is_infinite() {
                        "None".to_string()
                    } else {
                        python_float(v)
                    }
                };
                format!("{x}.clip({}, {})", b(*lower), b(*upper))
            }
            ColumnMap::IsIn { values } => {
                // The missing value as pandas matches it in each dtype: NaN in floats,
                // NaT in datetimes, None in text and bools.
                let mut v: Vec<String> = vec![];
                for l in values {
                    if *l != Literal::Missing {
                        v.push(l.python());
                        continue;
                    }
                    for d in dtypes {
                        let na = match d {
                            Dtype::Float64 | Dtype::Int64 => "np.nan",
                            Dtype::Datetime => "pd.NaT",
                            Dtype::Bool | Dtype::String => "None",
                        };
                        if !v.iter().any(|x| x == na) {
                            v.push(na.to_string());
                        }
                    }
                }
                format!("{x}.isin([{}])", v.join(", "))
            }
            ColumnMap::Astype { dtype } => {
                let name = match dtype {
                    Dtype::String => "str",
                    Dtype::Datetime => "datetime64[ns]",
                    d => d.name(),
                };
                format!("{x}.astype({name:?})")
            }
        }
    }
}

fn fill(c: &Column, value: &Literal) -> Column {
    match (c, value) {
        (Column::Float64(v), Literal::Number(x)) => {
            Column::Float64(v.iter().map(|&y| if y.is_nan() { *x } else { y }).collect())
        }
        (Column::Bool(v), Literal::Bool(b)) => {
            Column::Bool(v.iter().map(|y| Some(y.unwrap_or(*b))).collect())
        }
        (Column::String(v), Literal::Text(s)) => {
            let s: Arc<str> = s.as_str().into();
            Column::String(
                v.iter()
                    .map(|y| Some(y.clone().unwrap_or_else(|| s.clone())))
                    .collect(),
            )
        }
        _ => c.clone(),
    }
}

fn isin(c: &Column, values: &[Literal]) -> Column {
    let na = values.contains(&Literal::Missing);
    let numbers: Vec<f64> = values
        .iter()
        .filter_map(|v| match v {
            Literal::Number(x) => Some(*x),
            Literal::Bool(b) => Some(*b as u8 as f64),
            _ => None,
        })
        .collect();
    let texts: rustc_hash::FxHashSet<&str> = values
        .iter()
        .filter_map(|v| match v {
            Literal::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let out = (0..c.len())
        .map(|i| {
            Some(if c.is_missing(i) {
                na
            } else {
                match c {
                    Column::String(v) => v[i].as_deref().is_some_and(|s| texts.contains(s)),
                    Column::Datetime(_) => false,
                    _ => c.f64_at(i).is_some_and(|x| numbers.contains(&x)),
                }
            })
        })
        .collect();
    Column::Bool(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_as_numpy() {
        assert_eq!(round_f64(0.125, 2), 0.12);
        assert_eq!(round_f64(2.5, 0), 2.0);
        assert_eq!(round_f64(-0.5, 0), -0.0);
        assert_eq!(round_i64(15, -1), 20);
        assert_eq!(round_i64(25, -1), 20);
        assert_eq!(round_i64(-15, -1), -20);
        assert_eq!(round_i64(-14, -1), -10);
    }
}

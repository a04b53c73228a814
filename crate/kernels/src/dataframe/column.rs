//! Columnar storage of a dataframe partition.
//!
//! Missing values, as pandas: NaN in float columns, `i64::MIN` ("NaT") in datetime
//! columns, `None` in bool and string columns. An int64 column never has missing values:
//! a partition that meets one (or a float) promotes that column to float64, as pandas.

use std::sync::Arc;

use daskling_core::{Error, Result};

crate::name_table! {
    /// A column's type; pandas' spellings parse too (`"float"`, `"str"`, `"object"`,
    /// `"datetime64[ns]"`).
    pub enum Dtype {
        Int64 = "int64" | "int" | "Int64": "64-bit integers.",
        Float64 = "float64" | "float" | "Float64": "64-bit floats (`NaN`: missing).",
        Bool = "bool" | "boolean": "Booleans.",
        String = "string" | "str" | "object": "Text.",
        Datetime = "datetime" | "datetime64" | "datetime64[ns]" | "datetime64[ms]":
            "Milliseconds since the epoch (`NaT`: missing).",
    }
}

impl Dtype {
    /// Numeric for reductions (int64, float64, bool).
    pub fn is_numeric(self) -> bool {
        matches!(self, Dtype::Int64 | Dtype::Float64 | Dtype::Bool)
    }
}

/// The missing datetime (pandas' NaT).
pub const NAT: i64 = i64::MIN;

/// One column of values.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// 64-bit integers.
    Int64(Vec<i64>),
    /// 64-bit floats (`NaN`: missing).
    Float64(Vec<f64>),
    /// Booleans (`None`: missing).
    Bool(Vec<Option<bool>>),
    /// Text (`None`: missing).
    String(Vec<Option<Arc<str>>>),
    /// Milliseconds since the Unix epoch; [`NAT`] is missing.
    Datetime(Vec<i64>),
}

impl Column {
    /// The column's type.
    pub fn dtype(&self) -> Dtype {
        match self {
            Column::Int64(_) => Dtype::Int64,
            Column::Float64(_) => Dtype::Float64,
            Column::Bool(_) => Dtype::Bool,
            Column::String(_) => Dtype::String,
            Column::Datetime(_) => Dtype::Datetime,
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Int64(v) => v.len(),
            Column::Float64(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::String(v) => v.len(),
            Column::Datetime(v) => v.len(),
        }
    }

    /// No values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held: 8 per number or datetime, 2 per bool, a pointer pair per string plus
    /// its text (shared strings counted each time).
    pub fn nbytes(&self) -> u64 {
        match self {
            Column::String(v) => v
                .iter()
                .map(|s| 16 + s.as_ref().map_or(0, |s| s.len() as u64))
                .sum(),
            Column::Bool(v) => 2 * v.len() as u64,
            c => 8 * c.len() as u64,
        }
    }

    /// An empty column of `dtype`.
    pub fn empty(dtype: Dtype) -> Column {
        match dtype {
            Dtype::Int64 => Column::Int64(vec![]),
            Dtype::Float64 => Column::Float64(vec![]),
            Dtype::Bool => Column::Bool(vec![]),
            Dtype::String => Column::String(vec![]),
            Dtype::Datetime => Column::Datetime(vec![]),
        }
    }

    /// Value `i` as a float: numbers as themselves, bools as 0/1, datetimes as ms;
    /// `None` for missing values and strings.
    pub fn f64_at(&self, i: usize) -> Option<f64> {
        match self {
            Column::Int64(v) => Some(v[i] as f64),
            Column::Float64(v) => (!v[i].is_nan()).then_some(v[i]),
            Column::Bool(v) => v[i].map(|b| b as u8 as f64),
            Column::Datetime(v) => (v[i] != NAT).then_some(v[i] as f64),
            Column::String(_) => None,
        }
    }

    /// The rows where `mask` is true.
    pub fn filter(&self, mask: &[bool]) -> Column {
        fn keep<T: Clone>(v: &[T], mask: &[bool]) -> Vec<T> {
            v.iter()
                .zip(mask)
                .filter(|(_, &m)| m)
                .map(|(x, _)| x.clone())
                .collect()
        }
        match self {
            Column::Int64(v) => Column::Int64(keep(v, mask)),
            Column::Float64(v) => Column::Float64(keep(v, mask)),
            Column::Bool(v) => Column::Bool(keep(v, mask)),
            Column::String(v) => Column::String(keep(v, mask)),
            Column::Datetime(v) => Column::Datetime(keep(v, mask)),
        }
    }

    /// Rows `idx`, in that order.
    pub fn take(&self, idx: &[usize]) -> Column {
        fn pick<T: Clone>(v: &[T], idx: &[usize]) -> Vec<T> {
            idx.iter().map(|&i| v[i].clone()).collect()
        }
        match self {
            Column::Int64(v) => Column::Int64(pick(v, idx)),
            Column::Float64(v) => Column::Float64(pick(v, idx)),
            Column::Bool(v) => Column::Bool(pick(v, idx)),
            Column::String(v) => Column::String(pick(v, idx)),
            Column::Datetime(v) => Column::Datetime(pick(v, idx)),
        }
    }

    /// Whether value `i` is missing (NaN, NaT, null).
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            Column::Int64(_) => false,
            Column::Float64(v) => v[i].is_nan(),
            Column::Bool(v) => v[i].is_none(),
            Column::String(v) => v[i].is_none(),
            Column::Datetime(v) => v[i] == NAT,
        }
    }

    /// The first `n` rows.
    pub fn head(&self, n: usize) -> Column {
        let n = n.min(self.len());
        match self {
            Column::Int64(v) => Column::Int64(v[..n].to_vec()),
            Column::Float64(v) => Column::Float64(v[..n].to_vec()),
            Column::Bool(v) => Column::Bool(v[..n].to_vec()),
            Column::String(v) => Column::String(v[..n].to_vec()),
            Column::Datetime(v) => Column::Datetime(v[..n].to_vec()),
        }
    }

    /// This column's values followed by `other`'s (same dtype, or int64 with float64,
    /// which gives float64).
    pub fn concat(parts: &[&Column]) -> Option<Column> {
        let first = parts.first()?;
        let promote = parts.iter().any(|p| p.dtype() == Dtype::Float64)
            && parts
                .iter()
                .all(|p| matches!(p.dtype(), Dtype::Float64 | Dtype::Int64));
        if promote {
            let mut out = Vec::new();
            for p in parts {
                match p {
                    Column::Float64(v) => out.extend_from_slice(v),
                    Column::Int64(v) => out.extend(v.iter().map(|&x| x as f64)),
                    _ => return None,
                }
            }
            return Some(Column::Float64(out));
        }
        let mut out = Column::empty(first.dtype());
        for p in parts {
            match (&mut out, p) {
                (Column::Int64(o), Column::Int64(v)) => o.extend_from_slice(v),
                (Column::Float64(o), Column::Float64(v)) => o.extend_from_slice(v),
                (Column::Bool(o), Column::Bool(v)) => o.extend_from_slice(v),
                (Column::String(o), Column::String(v)) => o.extend_from_slice(v),
                (Column::Datetime(o), Column::Datetime(v)) => o.extend_from_slice(v),
                _ => return None,
            }
        }
        Some(out)
    }
}

/// A partition: named columns of equal length, and for grouped results the group keys
/// as an index.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Column names.
    pub names: Arc<[String]>,
    /// The columns, in `names` order.
    pub columns: Vec<Column>,
    /// The index (its name and values), when there is one.
    pub index: Option<Arc<(String, Column)>>,
}

impl Frame {
    /// The names and columns a write gives: the index first when there is one (a
    /// groupby's keys, a `setIndex` column), as pandas' `reset_index()`; an unnamed
    /// index is `index`.
    pub fn with_index(&self) -> (Vec<&str>, Vec<&Column>) {
        let mut names = vec![];
        let mut columns = vec![];
        if let Some(ix) = &self.index {
            names.push(if ix.0.is_empty() {
                "index"
            } else {
                ix.0.as_str()
            });
            columns.push(&ix.1);
        }
        names.extend(self.names.iter().map(String::as_str));
        columns.extend(self.columns.iter());
        (names, columns)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the columns and the index.
    pub fn nbytes(&self) -> u64 {
        let index = self.index.as_ref().map_or(0, |ix| ix.1.nbytes());
        index + self.columns.iter().map(Column::nbytes).sum::<u64>()
    }

    /// Rows `idx` (of the index too), in that order.
    pub fn take(&self, idx: &[usize]) -> Frame {
        Frame {
            names: self.names.clone(),
            columns: self.columns.iter().map(|c| c.take(idx)).collect(),
            index: self
                .index
                .as_ref()
                .map(|ix| Arc::new((ix.0.clone(), ix.1.take(idx)))),
        }
    }

    /// This partition with columns `names` of `dtypes`, in that order (what `concat`
    /// makes of each part): a column it lacks all missing, an int64 one widened to
    /// float64 where asked; the index kept.
    pub fn conform(&self, names: &[String], dtypes: &[Dtype]) -> Result<Frame> {
        let n = self.len();
        let mut columns = Vec::with_capacity(names.len());
        for (name, &d) in names.iter().zip(dtypes) {
            columns.push(match (self.column(name), d) {
                (Some(c), d) if c.dtype() == d => c.clone(),
                (Some(Column::Int64(v)), Dtype::Float64) => {
                    Column::Float64(v.iter().map(|&x| x as f64).collect())
                }
                (Some(c), d) => {
                    return Err(Error::invalid(format!(
                        "concat: column {name} is {} here and {d} elsewhere",
                        c.dtype()
                    )))
                }
                (None, Dtype::Float64) => Column::Float64(vec![f64::NAN; n]),
                (None, Dtype::Bool) => Column::Bool(vec![None; n]),
                (None, Dtype::String) => Column::String(vec![None; n]),
                (None, Dtype::Datetime) => Column::Datetime(vec![NAT; n]),
                (None, Dtype::Int64) => {
                    return Err(Error::invalid(format!(
                        "concat: column {name} is missing here, and int64 has no missing values"
                    )))
                }
            });
        }
        Ok(Frame {
            names: names.to_vec().into(),
            columns,
            index: self.index.clone(),
        })
    }

    /// A frame of named columns, without an index.
    ///
    /// ```
    /// use daskling_kernels::dataframe::{Column, Frame};
    /// let f = Frame::of(vec![("x", Column::Int64(vec![1, 2]))]);
    /// assert_eq!((f.len(), &f.names[..]), (2, &["x".to_string()][..]));
    /// ```
    pub fn of(columns: Vec<(&str, Column)>) -> Frame {
        Frame {
            names: columns
                .iter()
                .map(|(n, _)| n.to_string())
                .collect::<Vec<_>>()
                .into(),
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            index: None,
        }
    }

    /// The columns' dtypes, in order.
    pub fn dtypes(&self) -> Vec<Dtype> {
        self.columns.iter().map(Column::dtype).collect()
    }

    /// Columns `names`, in that order (the index kept).
    pub fn select(&self, names: &[String]) -> Result<Frame> {
        let columns = names
            .iter()
            .map(|n| {
                self.column(n)
                    .cloned()
                    .ok_or_else(|| Error::invalid(format!("no column {n}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Frame {
            names: names.to_vec().into(),
            columns,
            index: self.index.clone(),
        })
    }

    /// The rows where `mask` is true (of the index too); `key` names the task in errors.
    pub fn filter_rows(&self, key: &str, mask: &[bool]) -> Result<Frame> {
        if mask.len() != self.len() {
            return Err(Error::invalid(format!(
                "{key}: the mask has {} rows, the frame {}",
                mask.len(),
                self.len()
            )));
        }
        Ok(Frame {
            names: self.names.clone(),
            columns: self.columns.iter().map(|c| c.filter(mask)).collect(),
            index: self
                .index
                .as_ref()
                .map(|i| Arc::new((i.0.clone(), i.1.filter(mask)))),
        })
    }

    /// Columns `names` set to `columns` (replaced, or added at the end); `key` names
    /// the task in errors.
    pub fn assign(&self, key: &str, names: &[String], columns: &[&Column]) -> Result<Frame> {
        let mut out_names: Vec<String> = self.names.to_vec();
        let mut out = self.columns.clone();
        for (n, c) in names.iter().zip(columns) {
            if c.len() != self.len() && !self.names.is_empty() {
                return Err(Error::invalid(format!(
                    "{key}: column {n} has {} rows, the frame {}",
                    c.len(),
                    self.len()
                )));
            }
            match out_names.iter().position(|x| x == n) {
                Some(j) => out[j] = (*c).clone(),
                None => {
                    out_names.push(n.clone());
                    out.push((*c).clone());
                }
            }
        }
        Ok(Frame {
            names: out_names.into(),
            columns: out,
            index: self.index.clone(),
        })
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }
}

/// Partitions stacked (int64 and float64 parts of one column give float64).
pub fn concat(key: &str, frames: &[&Frame]) -> Result<Frame> {
    let Some(first) = frames.first() else {
        return Err(Error::invalid(format!("{key}: nothing to concatenate")));
    };
    let mut columns = Vec::with_capacity(first.columns.len());
    for (i, name) in first.names.iter().enumerate() {
        let parts: Vec<&Column> = frames
            .iter()
            .map(|f| f.columns.get(i))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::invalid(format!("{key}: partitions differ in columns")))?;
        columns.push(Column::concat(&parts).ok_or_else(|| {
            Error::invalid(format!(
                "{key}: column {name} has different types in different partitions"
            ))
        })?);
    }
    let index = match &first.index {
        None => None,
        Some(ix) => {
            let parts: Vec<&Column> = frames
                .iter()
                .map(|f| f.index.as_ref().map(|i| &i.1))
                .collect::<Option<_>>()
                .ok_or_else(|| Error::invalid(format!("{key}: partitions differ in index")))?;
            let c = Column::concat(&parts)
                .ok_or_else(|| Error::invalid(format!("{key}: index types differ")))?;
            Some(Arc::new((ix.0.clone(), c)))
        }
    };
    Ok(Frame {
        names: first.names.clone(),
        columns,
        index,
    })
}

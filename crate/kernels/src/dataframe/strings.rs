//! The `.str` accessor of text series, each function defined once here: its row in
//! [`StrFn`] (the API name and documentation the JS methods, types and reference are
//! generated from), its parameters in [`StrMap`], its dtype, its values and its pandas
//! spelling. Regular expressions are Rust's `regex` (linear time on any input; Python's
//! `re` syntax without look-around and back-references), with Python's `\1` and
//! `\g<name>` group references in replacements.
//!
//! ```
//! use daskling_kernels::dataframe::strings::{StrMap, StrFn, Pattern};
//! use daskling_kernels::dataframe::Column;
//! let c = Column::String(vec![Some("Apple pie".into()), None]);
//! let has = StrMap::Contains { pat: Pattern { pat: "P".into(), regex: true, case: false } };
//! assert_eq!(has.apply(&c).unwrap(), Column::Bool(vec![Some(true), Some(false)]));
//! let up = StrMap::Upper.apply(&c).unwrap();
//! assert_eq!(up, Column::String(vec![Some("APPLE PIE".into()), None]));
//! assert_eq!(StrMap::Upper.function(), StrFn::Upper);
//! ```

use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use super::column::{Column, Dtype};
use super::convert::python_str;
use daskling_core::{Error, Result};

crate::name_table! {
    /// The functions of the `.str` accessor (the rows of [`StrMap`]).
    pub enum StrFn {
        Lower = "lower": "Lower case (character by character, as pandas' Arrow strings).",
        Upper = "upper": "Upper case (character by character: `ß` → `ẞ`, as pandas' Arrow strings).",
        Strip = "strip": "Without leading and trailing whitespace.",
        Len = "len": "The number of characters (float64 with NaN where a value is missing).",
        Contains = "contains":
            "Whether `pat` occurs (a regular expression unless `{regex: false}`; `{case: false}` ignores case); missing: false.",
        Startswith = "startswith": "Whether each value starts with `pat` (missing: false).",
        Endswith = "endswith": "Whether each value ends with `pat` (missing: false).",
        Replace = "replace":
            "`pat` replaced by `repl` (literal unless `{regex: true}`; groups as `\\1`).",
        Slice = "slice": "Characters `start` to `stop` (Python's slice: negative counts from the end).",
        SplitGet = "splitGet":
            "Part `i` of each value split at `sep` (`str.split(sep).get(i)`; null `sep`: runs of whitespace).",
    }
}

/// A pattern with pandas' `regex` and `case` options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    /// The pattern text.
    pub pat: String,
    /// A regular expression (else literal text).
    pub regex: bool,
    /// Case-sensitive.
    pub case: bool,
}

impl Pattern {
    /// The compiled expression (a literal one escaped), or an error naming the pattern.
    fn compile(&self) -> Result<Regex> {
        let text = if self.regex {
            self.pat.clone()
        } else {
            regex::escape(&self.pat)
        };
        RegexBuilder::new(&text)
            .case_insensitive(!self.case)
            .build()
            .map_err(|e| {
                Error::invalid(format!(
                    "str: the pattern {:?} is not a regular expression Rust's regex reads: {e}",
                    self.pat
                ))
            })
    }
}

/// A `.str` function with its parameters (one per [`StrFn`] row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fn", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum StrMap {
    /// `str.lower()`.
    Lower,
    /// `str.upper()`.
    Upper,
    /// `str.strip()`.
    Strip,
    /// `str.len()`.
    Len,
    /// `str.contains(pat, case, regex)`.
    Contains {
        /// What is searched for.
        pat: Pattern,
    },
    /// `str.startswith(pat)`.
    Startswith {
        /// The prefix.
        pat: String,
    },
    /// `str.endswith(pat)`.
    Endswith {
        /// The suffix.
        pat: String,
    },
    /// `str.replace(pat, repl, regex)`.
    Replace {
        /// What is replaced.
        pat: Pattern,
        /// By what (Python's group references).
        repl: String,
    },
    /// `str.slice(start, stop)`.
    Slice {
        /// The first character (negative: from the end; none: the start).
        start: Option<i64>,
        /// Past the last (negative: from the end; none: the end).
        stop: Option<i64>,
    },
    /// `str.split(sep).str.get(i)`.
    SplitGet {
        /// The separator (`None`: runs of whitespace).
        sep: Option<String>,
        /// Which part (negative: from the end).
        i: i64,
    },
}

/// One argument of a [`StrFn`] call, as the JS methods pass them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StrArg {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Options (`{regex, case}`).
    Options {
        /// A regular expression.
        #[serde(default)]
        regex: Option<bool>,
        /// Case-sensitive.
        #[serde(default)]
        case: Option<bool>,
    },
    /// Left out, or null.
    Missing,
}

/// Python's replacement spelling (`\1`, `\g<name>`) as `regex`'s (`${1}`, `${name}`),
/// `$` kept literal.
fn rust_replacement(repl: &str) -> String {
    let mut out = String::new();
    let mut chars = repl.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => out.push_str("$$"),
            '\\' => match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    let mut n = String::new();
                    while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                        n.push(d);
                        chars.next();
                    }
                    out.push_str(&format!("${{{n}}}"));
                }
                Some('g') => {
                    chars.next();
                    let name: String = chars.by_ref().skip(1).take_while(|&c| c != '>').collect();
                    out.push_str(&format!("${{{name}}}"));
                }
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                }
                Some('n') => {
                    chars.next();
                    out.push('\n');
                }
                Some('t') => {
                    chars.next();
                    out.push('\t');
                }
                _ => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// One character in upper case as pandas' (Arrow's) string functions map it: one
/// character for one (`ß` → `ẞ`; a character whose upper case is several, as `ﬁ`, stays).
fn upper(c: char) -> char {
    if c == 'ß' {
        return 'ẞ';
    }
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// One character in lower case, one for one as [`upper`] (`İ` → `i`; no final-sigma rule).
fn lower(c: char) -> char {
    if c == 'İ' {
        return 'i';
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Python's `s[start:stop]` on characters.
fn slice(s: &str, start: Option<i64>, stop: Option<i64>) -> String {
    let n = s.chars().count() as i64;
    let at = |i: i64| if i < 0 { (n + i).max(0) } else { i.min(n) };
    let (a, b) = (start.map_or(0, at), stop.map_or(n, at));
    if b <= a {
        return String::new();
    }
    s.chars().skip(a as usize).take((b - a) as usize).collect()
}

fn split_get(s: &str, sep: Option<&str>, i: i64) -> Option<String> {
    let parts: Vec<&str> = match sep {
        Some(sep) => s.split(sep).collect(),
        None => s.split_whitespace().collect(),
    };
    let n = parts.len() as i64;
    let j = if i < 0 { n + i } else { i };
    (0..n).contains(&j).then(|| parts[j as usize].to_string())
}

impl StrMap {
    /// Its row of [`StrFn`].
    pub fn function(&self) -> StrFn {
        match self {
            StrMap::Lower => StrFn::Lower,
            StrMap::Upper => StrFn::Upper,
            StrMap::Strip => StrFn::Strip,
            StrMap::Len => StrFn::Len,
            StrMap::Contains { .. } => StrFn::Contains,
            StrMap::Startswith { .. } => StrFn::Startswith,
            StrMap::Endswith { .. } => StrFn::Endswith,
            StrMap::Replace { .. } => StrFn::Replace,
            StrMap::Slice { .. } => StrFn::Slice,
            StrMap::SplitGet { .. } => StrFn::SplitGet,
        }
    }

    /// `f` called with `args` (positional, as the JS methods pass them); a pattern that
    /// is not a regular expression is an error here, naming it.
    ///
    /// ```
    /// use daskling_kernels::dataframe::strings::{StrArg, StrFn, StrMap};
    /// let r = StrMap::from_args(StrFn::Slice, &[StrArg::Number(1.0), StrArg::Missing]).unwrap();
    /// assert_eq!(r, StrMap::Slice { start: Some(1), stop: None });
    /// assert!(StrMap::from_args(StrFn::Contains, &[StrArg::Text("(".into())]).is_err());
    /// ```
    pub fn from_args(f: StrFn, args: &[StrArg]) -> Result<StrMap> {
        let name = f.name();
        let text = |i: usize| match args.get(i) {
            Some(StrArg::Text(t)) => Ok(t.clone()),
            _ => Err(Error::invalid(format!(
                "str.{name}: argument {} must be text",
                i + 1
            ))),
        };
        let int = |i: usize| match args.get(i) {
            None | Some(StrArg::Missing) => Ok(None),
            Some(StrArg::Number(x)) if x.fract() == 0.0 && x.abs() < 1e15 => Ok(Some(*x as i64)),
            _ => Err(Error::invalid(format!(
                "str.{name}: argument {} must be an integer or null",
                i + 1
            ))),
        };
        let options = |i: usize, regex: bool| match args.get(i) {
            Some(StrArg::Options { regex: r, case }) => (r.unwrap_or(regex), case.unwrap_or(true)),
            _ => (regex, true),
        };
        let m = match f {
            StrFn::Lower => StrMap::Lower,
            StrFn::Upper => StrMap::Upper,
            StrFn::Strip => StrMap::Strip,
            StrFn::Len => StrMap::Len,
            StrFn::Contains => {
                let (regex, case) = options(1, true);
                StrMap::Contains {
                    pat: Pattern {
                        pat: text(0)?,
                        regex,
                        case,
                    },
                }
            }
            StrFn::Startswith => StrMap::Startswith { pat: text(0)? },
            StrFn::Endswith => StrMap::Endswith { pat: text(0)? },
            StrFn::Replace => {
                let (regex, case) = options(2, false);
                StrMap::Replace {
                    pat: Pattern {
                        pat: text(0)?,
                        regex,
                        case,
                    },
                    repl: text(1)?,
                }
            }
            StrFn::Slice => StrMap::Slice {
                start: int(0)?,
                stop: int(1)?,
            },
            StrFn::SplitGet => StrMap::SplitGet {
                sep: match args.first() {
                    None | Some(StrArg::Missing) => None,
                    Some(StrArg::Text(t)) if !t.is_empty() => Some(t.clone()),
                    _ => {
                        return Err(Error::invalid(
                            "str.split: sep must be non-empty text or null",
                        ))
                    }
                },
                i: int(1)?.ok_or_else(|| Error::invalid("str.split(sep).get(i) needs i"))?,
            },
        };
        if let StrMap::Contains { pat } | StrMap::Replace { pat, .. } = &m {
            pat.compile()?;
        }
        Ok(m)
    }

    /// The dtype it gives a text series (an error for another dtype).
    pub fn dtype(&self, input: Dtype) -> Result<Dtype> {
        if input != Dtype::String {
            return Err(Error::invalid(format!(
                "the str accessor needs a string series, got {input}"
            )));
        }
        Ok(match self {
            StrMap::Len => Dtype::Int64,
            StrMap::Contains { .. } | StrMap::Startswith { .. } | StrMap::Endswith { .. } => {
                Dtype::Bool
            }
            _ => Dtype::String,
        })
    }

    /// Its values for column `c` (missing stays missing, `false` for the tests).
    pub fn apply(&self, c: &Column) -> Result<Column> {
        self.dtype(c.dtype())?;
        let Column::String(v) = c else {
            return Err(Error::invalid("the str accessor needs a string series"));
        };
        let text = |f: &dyn Fn(&str) -> Option<String>| {
            Column::String(
                v.iter()
                    .map(|s| s.as_deref().and_then(f).map(Arc::from))
                    .collect(),
            )
        };
        let test = |f: &dyn Fn(&str) -> bool| {
            Column::Bool(
                v.iter()
                    .map(|s| Some(s.as_deref().is_some_and(f)))
                    .collect(),
            )
        };
        Ok(match self {
            StrMap::Lower => text(&|s| Some(s.chars().map(lower).collect())),
            StrMap::Upper => text(&|s| Some(s.chars().map(upper).collect())),
            StrMap::Strip => text(&|s| Some(s.trim().to_string())),
            StrMap::Len => {
                if v.iter().any(Option::is_none) {
                    Column::Float64(
                        v.iter()
                            .map(|s| s.as_deref().map_or(f64::NAN, |s| s.chars().count() as f64))
                            .collect(),
                    )
                } else {
                    Column::Int64(
                        v.iter()
                            .map(|s| s.as_deref().map_or(0, |s| s.chars().count() as i64))
                            .collect(),
                    )
                }
            }
            StrMap::Contains { pat } => {
                let re = pat.compile()?;
                test(&|s| re.is_match(s))
            }
            StrMap::Startswith { pat } => test(&|s| s.starts_with(pat.as_str())),
            StrMap::Endswith { pat } => test(&|s| s.ends_with(pat.as_str())),
            StrMap::Replace { pat, repl } => {
                let re = pat.compile()?;
                let with = if pat.regex {
                    rust_replacement(repl)
                } else {
                    repl.replace('$', "$$")
                };
                text(&|s| Some(re.replace_all(s, with.as_str()).into_owned()))
            }
            StrMap::Slice { start, stop } => text(&|s| Some(slice(s, *start, *stop))),
            StrMap::SplitGet { sep, i } => text(&|s| split_get(s, sep.as_deref(), *i)),
        })
    }

    /// pandas' call on the series `x` (`x.str.contains("a", case=False, regex=True)`).
    pub fn pandas(&self, x: &str) -> String {
        let b = |v: bool| if v { "True" } else { "False" };
        let opt = |v: Option<i64>| v.map_or("None".to_string(), |i| i.to_string());
        match self {
            StrMap::Lower => format!("{x}.str.lower()"),
            StrMap::Upper => format!("{x}.str.upper()"),
            StrMap::Strip => format!("{x}.str.strip()"),
            StrMap::Len => format!("{x}.str.len()"),
            StrMap::Contains { pat } => format!(
                "{x}.str.contains({}, case={}, regex={})",
                python_str(&pat.pat),
                b(pat.case),
                b(pat.regex)
            ),
            StrMap::Startswith { pat } => format!("{x}.str.startswith({})", python_str(pat)),
            StrMap::Endswith { pat } => format!("{x}.str.endswith({})", python_str(pat)),
            StrMap::Replace { pat, repl } => format!(
                "{x}.str.replace({}, {}, case={}, regex={})",
                python_str(&pat.pat),
                python_str(repl),
                b(pat.case),
                b(pat.regex)
            ),
            StrMap::Slice { start, stop } => {
                format!("{x}.str.slice({}, {})", opt(*start), opt(*stop))
            }
            StrMap::SplitGet { sep, i } => {
                let sep = sep.as_deref().map_or("None".to_string(), python_str);
                format!("{x}.str.split({sep}).str.get({i})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_replacements_become_rust_ones() {
        assert_eq!(rust_replacement(r"\1-\g<x>$"), "${1}-${x}$$");
        assert_eq!(slice("abcdef", Some(1), Some(-1)), "bcde");
        assert_eq!(slice("abc", Some(-5), None), "abc");
        assert_eq!(split_get("  b ", Some(" "), 1), Some(String::new()));
        assert_eq!(split_get("a  b", None, -1), Some("b".into()));
        assert_eq!(split_get("ab", Some(" "), 1), None);
        let up: String = "ßŉﬁǅ".chars().map(upper).collect();
        assert_eq!(up, "ẞŉﬁǄ");
        let low: String = "İǅΣΑΣ".chars().map(lower).collect();
        assert_eq!(low, "iǆσασ");
    }
}

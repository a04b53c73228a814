//! The join bindings: `merge` of two lazy frames, with pandas' keyword arguments as one
//! options object.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::dataframe::LazyDf;
use super::{from_js, js_err};
use daskling::expr::dataframe::{DataFrame, How, Kind, MergeOptions};

/// `merge`'s options as JS gives them (`{how, on, leftOn, rightOn, suffixes, broadcast}`);
/// a key may be one name or several.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct MergeArgs {
    how: Option<String>,
    on: Option<Names>,
    left_on: Option<Names>,
    right_on: Option<Names>,
    suffixes: Option<[String; 2]>,
    broadcast: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "a column name or an array of column names")]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    fn list(n: Option<Names>) -> Vec<String> {
        match n {
            None => vec![],
            Some(Names::One(s)) => vec![s],
            Some(Names::Many(v)) => v,
        }
    }
}

#[wasm_bindgen]
impl LazyDf {
    /// This frame joined with `other` (`options`: `{how, on, leftOn, rightOn, suffixes,
    /// broadcast}`, each optional).
    pub fn merge(&self, other: &LazyDf, options: JsValue) -> Result<LazyDf, JsError> {
        let args: MergeArgs = if options.is_undefined() || options.is_null() {
            MergeArgs::default()
        } else {
            // serde reads the fields it knows: a misspelt option would pass unseen.
            let known = ["how", "on", "leftOn", "rightOn", "suffixes", "broadcast"];
            for k in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
                let k = k.as_string().unwrap_or_default();
                if !known.contains(&k.as_str()) {
                    return Err(JsError::new(&format!(
                        "merge: unknown option {k} (the options are {})",
                        known.join(", ")
                    )));
                }
            }
            from_js(options, "merge options")?
        };
        if self.0.kind() != Kind::Frame || other.0.kind() != Kind::Frame {
            return Err(JsError::new("merge joins two DataFrames"));
        }
        let defaults = MergeOptions::default();
        let opts = MergeOptions {
            how: match args.how {
                Some(h) => How::parse(&h).ok_or_else(|| {
                    JsError::new(&format!(
                        "merge: how must be 'inner', 'left', 'right' or 'outer', not '{h}'"
                    ))
                })?,
                None => defaults.how,
            },
            on: Names::list(args.on),
            left_on: Names::list(args.left_on),
            right_on: Names::list(args.right_on),
            suffixes: args.suffixes.unwrap_or(defaults.suffixes),
            broadcast: args.broadcast.unwrap_or(false),
        };
        DataFrame(self.0.clone())
            .merge(&DataFrame(other.0.clone()), &opts)
            .map(|d| LazyDf(d.0))
            .map_err(js_err)
    }
}

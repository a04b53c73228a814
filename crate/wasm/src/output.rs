//! Results for JavaScript: a `daskling::Output` (the one result type, which the
//! `daskling` command serializes as JSON) as JavaScript values, with typed arrays for
//! numbers.

use wasm_bindgen::prelude::*;

use super::{js, set, to_js};
use daskling::expr::dataframe::Kind;
use daskling::kernels::Value;
use daskling::output::{index_of, values, Output, Values};

fn values_js(v: Values) -> JsValue {
    match v {
        Values::F64(v) => js_sys::Float64Array::from(v.as_slice()).into(),
        Values::U8(v) => js_sys::Uint8Array::from(v.as_slice()).into(),
        Values::Str(v) => v
            .iter()
            .map(|x| match x {
                Some(s) => JsValue::from_str(s),
                None => JsValue::NULL,
            })
            .collect::<js_sys::Array>()
            .into(),
    }
}

/// `value` (of an expression of `kind`) as the API's JavaScript result.
pub(crate) fn value_as_js(value: &Value, kind: Kind) -> JsValue {
    output_js(&Output::of(value, kind))
}

/// An [`Output`] as a JavaScript value.
pub(crate) fn output_js(out: &Output) -> JsValue {
    match out {
        Output::Number(x) => JsValue::from_f64(*x),
        Output::Array(b) => {
            let obj = js_sys::Object::new();
            let std = b.as_standard_layout();
            let data = match std.as_slice() {
                Some(s) => js_sys::Float64Array::from(s),
                None => js_sys::Float64Array::new_with_length(0),
            };
            set(&obj, "shape", &to_js(b.shape()));
            set(&obj, "data", &data);
            obj.into()
        }
        Output::Column(f) | Output::Table(f) => {
            let o = js_sys::Object::new();
            let (index, index_dtype) = index_of(f).unzip();
            set(&o, "index", &index.map_or(JsValue::NULL, values_js));
            set(
                &o,
                "indexDtype",
                &index_dtype.map_or(JsValue::NULL, JsValue::from_str),
            );
            if let Output::Column(_) = out {
                set(
                    &o,
                    "name",
                    &f.names.first().cloned().unwrap_or_default().into(),
                );
                let dtype = f.columns.first().map_or("float64", |c| c.dtype().name());
                set(&o, "dtype", &dtype.into());
                let v = f
                    .columns
                    .first()
                    .map_or(JsValue::NULL, |c| values_js(values(c)));
                set(&o, "values", &v);
                return o.into();
            }
            let data = js_sys::Object::new();
            let dtypes = js_sys::Object::new();
            for (n, c) in f.names.iter().zip(&f.columns) {
                set(&data, n, &values_js(values(c)));
                set(&dtypes, n, &c.dtype().name().into());
            }
            set(&o, "columns", &to_js(&f.names.to_vec()));
            set(&o, "dtypes", &dtypes);
            set(&o, "data", &data);
            set(&o, "length", &(f.len() as f64).into());
            o.into()
        }
        Output::Encoded(bytes) => js::decode_value(bytes),
        Output::Files(parts) => parts
            .iter()
            .map(|p| JsValue::from(js_sys::Uint8Array::from(*p)))
            .collect::<js_sys::Array>()
            .into(),
        Output::Nothing => JsValue::UNDEFINED,
    }
}

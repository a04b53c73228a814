//! Elementwise functions on blocks: the tables of unary functions ([`UnaryFn`]) and
//! binary operations ([`BinaryOp`]), operations with a scalar, and binary operations
//! with numpy broadcasting.
//!
//! **Adding a function is one row** of `unary_fns!` or `binary_ops!` below: its name
//! (the JS method, the wire spelling), its dask spelling, one line of documentation
//! and its body. The enum, `ALL`, `parse`, the loops specialized for it, the JS method,
//! its `index.d.ts` declaration, the `docs/API.md` entry and the dask export all come
//! from the row.

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};
use serde::{Deserialize, Serialize};

use daskling_core::{Error, Result};

/// Rows `Variant = "name", "dask spelling": "doc" => |a| body;` give the enum (a
/// [`name_table!`](crate::name_table)), its dask spelling (`{x}` is the operand) and
/// one loop per function, specialized (and vectorized) for it.
macro_rules! unary_fns {
    ($( $V:ident = $name:literal, $dask:literal : $doc:literal => |$a:ident| $body:expr; )+) => {
        crate::name_table! {
            /// A function of one element (numpy's ufuncs): one row of the table in
            /// `kernels/src/array/elementwise.rs` each.
            pub enum UnaryFn { $($V = $name: $doc),+ }
        }

        impl UnaryFn {
            /// How dask spells it, `{x}` standing for the operand (`"da.sqrt({x})"`).
            pub const fn dask(self) -> &'static str {
                match self {
                    $(UnaryFn::$V => $dask,)+
                }
            }

            /// The function of one value.
            pub fn call(self, v: f64) -> f64 {
                match self {
                    $(UnaryFn::$V => { let $a = v; $body })+
                }
            }

            /// Applies to every element of `x`, in place.
            pub fn apply_inplace(self, x: &mut ArrayD<f64>) {
                match self {
                    $(UnaryFn::$V => x.mapv_inplace(|$a: f64| $body),)+
                }
            }

            /// Applies to every element of `x` into a new block.
            pub fn apply(self, x: &ArrayD<f64>) -> ArrayD<f64> {
                match self {
                    $(UnaryFn::$V => x.mapv(|$a: f64| $body),)+
                }
            }
        }
    };
}

unary_fns! {
    Neg = "neg", "-{x}": "`-x`, elementwise." => |a| -a;
    Abs = "abs", "abs({x})": "`|x|`, elementwise." => |a| a.abs();
    Sqrt = "sqrt", "da.sqrt({x})": "The square root, elementwise." => |a| a.sqrt();
    Exp = "exp", "da.exp({x})": "`e^x`, elementwise." => |a| a.exp();
    Log = "log", "da.log({x})": "The natural logarithm, elementwise." => |a| a.ln();
    Sin = "sin", "da.sin({x})": "The sine, elementwise." => |a| a.sin();
    Cos = "cos", "da.cos({x})": "The cosine, elementwise." => |a| a.cos();
    Tan = "tan", "da.tan({x})": "The tangent, elementwise." => |a| a.tan();
    Arcsin = "arcsin", "da.arcsin({x})": "The inverse sine, elementwise." => |a| a.asin();
    Arccos = "arccos", "da.arccos({x})": "The inverse cosine, elementwise." => |a| a.acos();
    Arctan = "arctan", "da.arctan({x})": "The inverse tangent, elementwise." => |a| a.atan();
    Sinh = "sinh", "da.sinh({x})": "The hyperbolic sine, elementwise." => |a| a.sinh();
    Cosh = "cosh", "da.cosh({x})": "The hyperbolic cosine, elementwise." => |a| a.cosh();
    Tanh = "tanh", "da.tanh({x})": "The hyperbolic tangent, elementwise." => |a| a.tanh();
    Log10 = "log10", "da.log10({x})": "The base-10 logarithm, elementwise." => |a| a.log10();
    Log2 = "log2", "da.log2({x})": "The base-2 logarithm, elementwise." => |a| a.log2();
    Log1p = "log1p", "da.log1p({x})": "`log(1 + x)`, exact for small `x`, elementwise." => |a| a.ln_1p();
    Expm1 = "expm1", "da.expm1({x})": "`e^x - 1`, exact for small `x`, elementwise." => |a| a.exp_m1();
    Floor = "floor", "da.floor({x})": "The largest integer not above `x`, elementwise." => |a| a.floor();
    Ceil = "ceil", "da.ceil({x})": "The smallest integer not below `x`, elementwise." => |a| a.ceil();
    Round = "round", "da.round({x})": "The nearest integer, halves to even (numpy's `round`), elementwise." => |a| a.round_ties_even();
    Trunc = "trunc", "da.trunc({x})": "The integer part (towards zero), elementwise." => |a| a.trunc();
    Sign = "sign", "da.sign({x})": "-1, 0 or 1 by the sign of `x` (NaN stays NaN), elementwise." => |a| if a > 0.0 { 1.0 } else if a < 0.0 { -1.0 } else { a * 0.0 };
    Square = "square", "da.square({x})": "`x * x`, elementwise." => |a| a * a;
}

impl UnaryFn {
    /// The rows a Series has as methods (the first ones; the later rows are numpy
    /// functions pandas has no method for, on arrays only).
    pub const SERIES: &'static [UnaryFn] = &[
        UnaryFn::Neg,
        UnaryFn::Abs,
        UnaryFn::Sqrt,
        UnaryFn::Exp,
        UnaryFn::Log,
        UnaryFn::Sin,
        UnaryFn::Cos,
    ];
}

fn bit(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// The loops of a binary operation, written once and monomorphized for each
/// operation's function (see [`BinaryOp::run`]).
enum Job<'a> {
    /// `x op value` (or `value op x` when reflected) on every element, in place.
    InPlace(&'a mut ArrayD<f64>, f64, bool),
    /// The same into a new block.
    New(&'a ArrayD<f64>, f64, bool),
    /// Elementwise of two views of one shape, into a new block.
    Zip(ArrayViewD<'a, f64>, ArrayViewD<'a, f64>),
}

/// Runs `job` with `f`; a new block, or `None` when done in place.
fn run_job(f: impl Fn(f64, f64) -> f64, job: Job) -> Option<ArrayD<f64>> {
    match job {
        Job::InPlace(x, value, false) => x.mapv_inplace(|v| f(v, value)),
        Job::InPlace(x, value, true) => x.mapv_inplace(|v| f(value, v)),
        Job::New(x, value, false) => return Some(x.mapv(|v| f(v, value))),
        Job::New(x, value, true) => return Some(x.mapv(|v| f(value, v))),
        Job::Zip(x, y) => return Some(Zip::from(&x).and(&y).map_collect(|&p, &q| f(p, q))),
    }
    None
}

/// Rows `Variant = "name", "python operator": "doc" => |a, b| body;` in two groups,
/// arithmetic (a float) and comparisons (a bool), give the enum, its operator, and its
/// loops specialized per operation.
macro_rules! binary_ops {
    (
        arithmetic { $( $A:ident = $aname:literal, $asym:literal : $adoc:literal => |$x:ident, $y:ident| $abody:expr; )+ }
        comparisons { $( $C:ident = $cname:literal, $csym:literal : $cdoc:literal => |$p:ident, $q:ident| $cbody:expr; )+ }
        functions { $( $F:ident = $fname:literal, $fsym:literal : $fdoc:literal => |$u:ident, $v:ident| $fbody:expr; )+ }
    ) => {
        crate::name_table! {
            /// A function of two elements (arithmetic, comparisons, then numpy's binary
            /// functions): one row of the table in `kernels/src/array/elementwise.rs`
            /// each. Comparisons of arrays give 1.0 or 0.0, of series bools.
            pub enum BinaryOp { $($A = $aname: $adoc,)+ $($C = $cname: $cdoc,)+ $($F = $fname: $fdoc),+ }
        }

        impl BinaryOp {
            /// The Python operator (`"+"`, `">="`), or the dask function of the
            /// function rows (`"da.maximum"`), as the dask export writes it.
            pub const fn symbol(self) -> &'static str {
                match self {
                    $(BinaryOp::$A => $asym,)+
                    $(BinaryOp::$C => $csym,)+
                    $(BinaryOp::$F => $fsym,)+
                }
            }

            /// Whether it compares (a bool result) rather than computes a number.
            pub const fn is_comparison(self) -> bool {
                match self {
                    $(BinaryOp::$C => true,)+
                    _ => false,
                }
            }

            /// Whether it is a function (`maximum(a, b)`) rather than an operator.
            pub const fn is_function(self) -> bool {
                match self {
                    $(BinaryOp::$F => true,)+
                    _ => false,
                }
            }

            /// The rows a Series (and a Scalar) has as methods: the operators.
            pub const OPERATORS: &'static [BinaryOp] = &[$(BinaryOp::$A,)+ $(BinaryOp::$C),+];

            /// The comparison of two ordered values; `None` for arithmetic.
            pub fn compare<T: PartialOrd + ?Sized>(self, a: &T, b: &T) -> Option<bool> {
                match self {
                    $(BinaryOp::$C => { let ($p, $q) = (a, b); Some($cbody) })+
                    _ => None,
                }
            }

            /// `a op b` on floats; comparisons give 1.0 or 0.0.
            pub fn call(self, a: f64, b: f64) -> f64 {
                match self {
                    $(BinaryOp::$A => { let ($x, $y) = (a, b); $abody })+
                    $(BinaryOp::$C => { let ($p, $q) = (&a, &b); bit($cbody) })+
                    $(BinaryOp::$F => { let ($u, $v) = (a, b); $fbody })+
                }
            }

            /// `x op y` of two views of one shape, into a new block.
            fn zip(self, x: ArrayViewD<f64>, y: ArrayViewD<f64>) -> ArrayD<f64> {
                let shape = x.raw_dim();
                self.fresh(Job::Zip(x, y), shape)
            }

            /// The new block of a `New` or `Zip` job (which always make one).
            fn fresh(self, job: Job, shape: IxDyn) -> ArrayD<f64> {
                self.run(job).unwrap_or_else(|| ArrayD::zeros(shape))
            }

            /// Runs `job` with this operation's function (one specialized loop each).
            fn run(self, job: Job) -> Option<ArrayD<f64>> {
                match self {
                    $(BinaryOp::$A => run_job(|$x: f64, $y: f64| $abody, job),)+
                    $(BinaryOp::$C => run_job(|l: f64, r: f64| { let ($p, $q) = (&l, &r); bit($cbody) }, job),)+
                    $(BinaryOp::$F => run_job(|$u: f64, $v: f64| $fbody, job),)+
                }
            }
        }
    };
}

binary_ops! {
    arithmetic {
        Add = "add", "+": "`this + other`; `other` a number or a collection of the same kind." => |a, c| a + c;
        Sub = "sub", "-": "`this - other`; `other` a number or a collection of the same kind." => |a, c| a - c;
        Mul = "mul", "*": "`this * other`; `other` a number or a collection of the same kind." => |a, c| a * c;
        Div = "div", "/": "`this / other`; `other` a number or a collection of the same kind." => |a, c| a / c;
        Pow = "pow", "**": "`this ** other`; `other` a number or a collection of the same kind." => |a, c| a.powf(c);
        Mod = "mod", "%": "`this % other`: the remainder, with the sign of `other` (Python's, numpy's and pandas' `%`)." => |a, c| divmod(a, c).1;
        FloorDiv = "floorDiv", "//": "`this // other`: the quotient rounded down (Python's, numpy's and pandas' `//`)." => |a, c| divmod(a, c).0;
    }
    comparisons {
        Gt = "gt", ">": "`this > other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a > c;
        Ge = "ge", ">=": "`this >= other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a >= c;
        Lt = "lt", "<": "`this < other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a < c;
        Le = "le", "<=": "`this <= other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a <= c;
        Eq = "eq", "==": "`this == other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a == c;
        Ne = "ne", "!=": "`this != other` (1.0 / 0.0 for arrays, bool for series)." => |a, c| a != c;
    }
    functions {
        Maximum = "maximum", "da.maximum": "The larger of the two, elementwise; NaN if either is (numpy's `maximum`)." => |a, c| if a.is_nan() || c.is_nan() { f64::NAN } else { a.max(c) };
        Minimum = "minimum", "da.minimum": "The smaller of the two, elementwise; NaN if either is (numpy's `minimum`)." => |a, c| if a.is_nan() || c.is_nan() { f64::NAN } else { a.min(c) };
        Arctan2 = "arctan2", "da.arctan2": "The angle of the point `(other, this)`: `arctan(this / other)` in the right quadrant, elementwise." => |a, c| a.atan2(c);
        Hypot = "hypot", "da.hypot": "`sqrt(this² + other²)` without overflow, elementwise." => |a, c| a.hypot(c);
    }
}

/// `(a // b, a % b)` of floats as numpy's `divmod` gives them: the remainder takes the
/// divisor's sign, and the quotient is `(a - remainder) / b` snapped to the integer below,
/// so that `q * b + r` gives back `a` as closely as floats allow. Division by zero gives
/// `a / 0` (±inf, or NaN for 0 / 0) and a NaN remainder.
///
/// ```
/// use daskling_kernels::array::divmod;
/// assert_eq!(divmod(7.0, 2.0), (3.0, 1.0));
/// assert_eq!(divmod(-7.0, 2.0), (-4.0, 1.0));
/// assert_eq!(divmod(7.0, -2.0), (-4.0, -1.0));
/// assert_eq!(divmod(1.0, 0.0).0, f64::INFINITY);
/// assert!(divmod(1.0, 0.0).1.is_nan());
/// ```
pub fn divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    if b == 0.0 {
        return (a / b, m);
    }
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(b);
    }
    let q = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0_f64.copysign(a / b)
    };
    (q, m)
}

/// An elementwise function of one block: a unary function or an operation with a
/// constant (`x - 1`, or `1 - x` when `reflected`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fn", rename_all = "camelCase")]
pub enum Elementwise {
    /// `f(x)`.
    Unary {
        /// The function.
        f: UnaryFn,
    },
    /// `x op value`, or `value op x` when `reflected`.
    Scalar {
        /// The operation.
        op: BinaryOp,
        #[serde(with = "crate::float")]
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
}

impl Elementwise {
    /// The name shown in graphs (`"sqrt"`, `"add"`).
    pub fn name(&self) -> &'static str {
        match self {
            Elementwise::Unary { f } => f.name(),
            Elementwise::Scalar { op, .. } => op.name(),
        }
    }

    /// Applies to every element of `a`, in place.
    pub fn apply_inplace(&self, a: &mut ArrayD<f64>) {
        match *self {
            Elementwise::Unary { f } => f.apply_inplace(a),
            Elementwise::Scalar {
                op,
                value,
                reflected,
            } => {
                op.run(Job::InPlace(a, value, reflected));
            }
        }
    }

    /// Applies to every element of `a` into a new block.
    pub fn apply(&self, a: &ArrayD<f64>) -> ArrayD<f64> {
        match *self {
            Elementwise::Unary { f } => f.apply(a),
            Elementwise::Scalar {
                op,
                value,
                reflected,
            } => op.fresh(Job::New(a, value, reflected), a.raw_dim()),
        }
    }
}

/// `op` of two blocks with numpy broadcasting (shapes aligned on the right).
pub fn binary(key: &str, op: BinaryOp, x: &ArrayD<f64>, y: &ArrayD<f64>) -> Result<ArrayD<f64>> {
    if x.shape() == y.shape() {
        return Ok(op.zip(x.view(), y.view()));
    }
    let shape = broadcast_shape(x.shape(), y.shape()).ok_or_else(|| {
        Error::invalid(format!(
            "{key}: blocks of shapes {:?} and {:?} do not broadcast",
            x.shape(),
            y.shape()
        ))
    })?;
    let bx: ArrayViewD<f64> = x
        .broadcast(IxDyn(&shape))
        .ok_or_else(|| Error::invalid(format!("{key}: cannot broadcast {:?}", x.shape())))?;
    let by: ArrayViewD<f64> = y
        .broadcast(IxDyn(&shape))
        .ok_or_else(|| Error::invalid(format!("{key}: cannot broadcast {:?}", y.shape())))?;
    Ok(op.zip(bx, by))
}

/// numpy's `where(cond, a, b)` of three blocks with broadcasting: `a` where `cond` is
/// not 0 (NaN counts as true, as numpy's `bool(nan)`), else `b`.
pub fn select(
    key: &str,
    cond: &ArrayD<f64>,
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
) -> Result<ArrayD<f64>> {
    let shape = broadcast_shape(cond.shape(), a.shape())
        .and_then(|s| broadcast_shape(&s, b.shape()))
        .ok_or_else(|| {
            Error::invalid(format!(
                "{key}: blocks of shapes {:?}, {:?} and {:?} do not broadcast",
                cond.shape(),
                a.shape(),
                b.shape()
            ))
        })?;
    let dim = IxDyn(&shape);
    let broken =
        |x: &ArrayD<f64>| Error::invalid(format!("{key}: cannot broadcast {:?}", x.shape()));
    let c = cond.broadcast(dim.clone()).ok_or_else(|| broken(cond))?;
    let x = a.broadcast(dim.clone()).ok_or_else(|| broken(a))?;
    let y = b.broadcast(dim).ok_or_else(|| broken(b))?;
    Ok(Zip::from(&c)
        .and(&x)
        .and(&y)
        .map_collect(|&c, &x, &y| if c != 0.0 { x } else { y }))
}

/// numpy's broadcast of two shapes (aligned on the right; length 1 stretches), or
/// `None` when they do not broadcast.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let get = |s: &[usize], i: usize| -> usize {
        let pad = n - s.len();
        if i < pad {
            1
        } else {
            s[i - pad]
        }
    };
    (0..n)
        .map(|i| {
            let (x, y) = (get(a, i), get(b, i));
            if x == y || y == 1 {
                Some(x)
            } else if x == 1 {
                Some(y)
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn values() -> ArrayD<f64> {
        ArrayD::from_shape_vec(IxDyn(&[2, 3]), vec![-2.5, -1.0, 0.0, 0.5, 2.0, 9.0]).unwrap()
    }

    #[test]
    fn every_unary_row_is_its_f64_function() {
        let a = values();
        for &f in UnaryFn::ALL {
            let reference = |x: f64| match f.name() {
                "neg" => -x,
                "abs" => x.abs(),
                "sqrt" => x.sqrt(),
                "exp" => x.exp(),
                "log" => x.ln(),
                "sin" => x.sin(),
                "cos" => x.cos(),
                "tan" => x.tan(),
                "arcsin" => x.asin(),
                "arccos" => x.acos(),
                "arctan" => x.atan(),
                "sinh" => x.sinh(),
                "cosh" => x.cosh(),
                "tanh" => x.tanh(),
                "log10" => x.log10(),
                "log2" => x.log2(),
                "log1p" => x.ln_1p(),
                "expm1" => x.exp_m1(),
                "floor" => x.floor(),
                "ceil" => x.ceil(),
                "round" => x.round_ties_even(),
                "trunc" => x.trunc(),
                "sign" => x.signum() * f64::from(u8::from(x != 0.0)),
                "square" => x.powi(2),
                other => panic!("no reference for {other}: add one"),
            };
            let out = f.apply(&a);
            let mut inplace = a.clone();
            f.apply_inplace(&mut inplace);
            for ((x, y), z) in a.iter().zip(&out).zip(&inplace) {
                let r = reference(*x);
                assert!(
                    r.to_bits() == y.to_bits() || (r.is_nan() && y.is_nan()),
                    "{f}({x})"
                );
                assert!(
                    r.to_bits() == z.to_bits() || (r.is_nan() && z.is_nan()),
                    "{f}({x}) in place"
                );
            }
        }
    }

    #[test]
    fn every_binary_row_with_a_constant_both_ways() {
        let a = values();
        for &op in BinaryOp::ALL {
            let reference = |x: f64, c: f64| match op.symbol() {
                "+" => x + c,
                "-" => x - c,
                "*" => x * c,
                "/" => x / c,
                "**" => x.powf(c),
                // numpy's % and //, in closed form (exact for these values).
                "%" => x - (x / c).floor() * c,
                "//" => (x / c).floor(),
                ">" => (x > c) as u8 as f64,
                ">=" => (x >= c) as u8 as f64,
                "<" => ((x < c) as u8) as f64,
                "<=" => ((x <= c) as u8) as f64,
                "==" => ((x == c) as u8) as f64,
                "!=" => ((x != c) as u8) as f64,
                "da.maximum" if x.is_nan() || c.is_nan() => f64::NAN,
                "da.minimum" if x.is_nan() || c.is_nan() => f64::NAN,
                "da.maximum" => [x, c][usize::from(c > x)],
                "da.minimum" => [x, c][usize::from(c < x)],
                "da.arctan2" => x.atan2(c),
                "da.hypot" => x.hypot(c),
                other => panic!("no reference for {other}: add one"),
            };
            for reflected in [false, true] {
                let e = Elementwise::Scalar {
                    op,
                    value: 2.0,
                    reflected,
                };
                let out = e.apply(&a);
                for (x, y) in a.iter().zip(&out) {
                    let r = if reflected {
                        reference(2.0, *x)
                    } else {
                        reference(*x, 2.0)
                    };
                    assert!(
                        r == *y || (r.is_nan() && y.is_nan()),
                        "{op} {x} reflected={reflected}"
                    );
                }
            }
        }
    }

    #[test]
    fn select_broadcasts_three_blocks_and_takes_nan_as_true() {
        let cond = ndarray::array![[1.0], [0.0], [f64::NAN]].into_dyn();
        let a = ndarray::array![10.0, 20.0].into_dyn();
        let b = ndarray::array![[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0]].into_dyn();
        let out = select("k", &cond, &a, &b).unwrap();
        assert_eq!(
            out,
            ndarray::array![[10.0, 20.0], [-3.0, -4.0], [10.0, 20.0]].into_dyn()
        );
        assert!(select("k", &cond, &ndarray::array![1.0, 2.0, 3.0].into_dyn(), &b).is_err());
    }

    #[test]
    fn binary_blocks_broadcast_as_numpy() {
        let a = values(); // 2×3
        let row = ArrayD::from_shape_vec(IxDyn(&[3]), vec![10.0, 20.0, 30.0]).unwrap();
        let out = binary("k", BinaryOp::Add, &a, &row).unwrap();
        for i in 0..2 {
            for j in 0..3 {
                assert_eq!(out[[i, j]], a[[i, j]] + row[[j]]);
            }
        }
        let col = ArrayD::from_shape_vec(IxDyn(&[2, 1]), vec![1.0, -1.0]).unwrap();
        let out = binary("k", BinaryOp::Mul, &col, &a).unwrap();
        assert_eq!(out[[1, 2]], -9.0);
        let bad = ArrayD::from_shape_vec(IxDyn(&[2]), vec![1.0, 2.0]).unwrap();
        let e = binary("k", BinaryOp::Add, &a, &bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("do not broadcast"), "{e}");
    }

    #[test]
    fn broadcast_shapes_align_on_the_right() {
        assert_eq!(broadcast_shape(&[4, 1, 3], &[5, 1]), Some(vec![4, 5, 3]));
        assert_eq!(broadcast_shape(&[], &[2, 2]), Some(vec![2, 2]));
        assert_eq!(broadcast_shape(&[3], &[4]), None);
    }
}

//! Elementwise functions on blocks: unary maps, operations with a scalar, and binary
//! operations with numpy broadcasting.

use ndarray::{ArrayD, ArrayViewD, IxDyn, Zip};
use serde::{Deserialize, Serialize};

use daskling_core::{Error, Result};

/// A function of one element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UnaryFn {
    /// `-x`.
    Neg,
    /// `|x|`.
    Abs,
    /// Square root.
    Sqrt,
    /// `e^x`.
    Exp,
    /// Natural logarithm.
    Log,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
}

impl UnaryFn {
    /// Every UnaryFn, in the order the API lists them: the one table its names come
    /// from ([`UnaryFn::name`] is each one's name, [`UnaryFn::parse`] finds it).
    pub const ALL: [UnaryFn; 7] = [
        UnaryFn::Neg,
        UnaryFn::Abs,
        UnaryFn::Sqrt,
        UnaryFn::Exp,
        UnaryFn::Log,
        UnaryFn::Sin,
        UnaryFn::Cos,
    ];

    /// Parses a method name (`"sqrt"`).
    pub fn parse(name: &str) -> Option<UnaryFn> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The method name.
    pub fn name(self) -> &'static str {
        match self {
            UnaryFn::Neg => "neg",
            UnaryFn::Abs => "abs",
            UnaryFn::Sqrt => "sqrt",
            UnaryFn::Exp => "exp",
            UnaryFn::Log => "log",
            UnaryFn::Sin => "sin",
            UnaryFn::Cos => "cos",
        }
    }
}

/// A function of two elements; comparisons give 1.0 or 0.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BinaryOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a ** b`.
    Pow,
    /// `a > b` (1 or 0).
    Gt,
    /// `a >= b` (1 or 0).
    Ge,
    /// `a < b` (1 or 0).
    Lt,
    /// `a <= b` (1 or 0).
    Le,
    /// `a == b` (1 or 0).
    Eq,
    /// `a != b` (1 or 0).
    Ne,
}

impl BinaryOp {
    /// Every BinaryOp, in the order the API lists them: the one table its names come
    /// from ([`BinaryOp::name`] is each one's name, [`BinaryOp::parse`] finds it).
    pub const ALL: [BinaryOp; 11] = [
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Pow,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Eq,
        BinaryOp::Ne,
    ];

    /// Parses a method name (`"add"`).
    pub fn parse(name: &str) -> Option<BinaryOp> {
        Self::ALL.into_iter().find(|op| op.name() == name)
    }

    /// The method name.
    pub fn name(self) -> &'static str {
        match self {
            BinaryOp::Add => "add",
            BinaryOp::Sub => "sub",
            BinaryOp::Mul => "mul",
            BinaryOp::Div => "div",
            BinaryOp::Pow => "pow",
            BinaryOp::Gt => "gt",
            BinaryOp::Ge => "ge",
            BinaryOp::Lt => "lt",
            BinaryOp::Le => "le",
            BinaryOp::Eq => "eq",
            BinaryOp::Ne => "ne",
        }
    }
}

fn b(x: bool) -> f64 {
    if x {
        1.0
    } else {
        0.0
    }
}

/// Expands `$body` once per operation, with `$f` bound to that operation's function,
/// so every loop is specialized (and vectorized) for one operation.
macro_rules! with_binary {
    ($op:expr, $f:ident => $body:expr) => {
        match $op {
            BinaryOp::Add => {
                let $f = |a: f64, c: f64| a + c;
                $body
            }
            BinaryOp::Sub => {
                let $f = |a: f64, c: f64| a - c;
                $body
            }
            BinaryOp::Mul => {
                let $f = |a: f64, c: f64| a * c;
                $body
            }
            BinaryOp::Div => {
                let $f = |a: f64, c: f64| a / c;
                $body
            }
            BinaryOp::Pow => {
                let $f = |a: f64, c: f64| a.powf(c);
                $body
            }
            BinaryOp::Gt => {
                let $f = |a: f64, c: f64| b(a > c);
                $body
            }
            BinaryOp::Ge => {
                let $f = |a: f64, c: f64| b(a >= c);
                $body
            }
            BinaryOp::Lt => {
                let $f = |a: f64, c: f64| b(a < c);
                $body
            }
            BinaryOp::Le => {
                let $f = |a: f64, c: f64| b(a <= c);
                $body
            }
            BinaryOp::Eq => {
                let $f = |a: f64, c: f64| b(a == c);
                $body
            }
            BinaryOp::Ne => {
                let $f = |a: f64, c: f64| b(a != c);
                $body
            }
        }
    };
}

macro_rules! with_unary {
    ($op:expr, $f:ident => $body:expr) => {
        match $op {
            UnaryFn::Neg => {
                let $f = |a: f64| -a;
                $body
            }
            UnaryFn::Abs => {
                let $f = |a: f64| a.abs();
                $body
            }
            UnaryFn::Sqrt => {
                let $f = |a: f64| a.sqrt();
                $body
            }
            UnaryFn::Exp => {
                let $f = |a: f64| a.exp();
                $body
            }
            UnaryFn::Log => {
                let $f = |a: f64| a.ln();
                $body
            }
            UnaryFn::Sin => {
                let $f = |a: f64| a.sin();
                $body
            }
            UnaryFn::Cos => {
                let $f = |a: f64| a.cos();
                $body
            }
        }
    };
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
            Elementwise::Unary { f } => with_unary!(f, g => a.mapv_inplace(g)),
            Elementwise::Scalar {
                op,
                value,
                reflected: false,
            } => with_binary!(op, g => a.mapv_inplace(|x| g(x, value))),
            Elementwise::Scalar {
                op,
                value,
                reflected: true,
            } => with_binary!(op, g => a.mapv_inplace(|x| g(value, x))),
        }
    }

    /// Applies to every element of `a` into a new block.
    pub fn apply(&self, a: &ArrayD<f64>) -> ArrayD<f64> {
        match *self {
            Elementwise::Unary { f } => with_unary!(f, g => a.mapv(g)),
            Elementwise::Scalar {
                op,
                value,
                reflected: false,
            } => with_binary!(op, g => a.mapv(|x| g(x, value))),
            Elementwise::Scalar {
                op,
                value,
                reflected: true,
            } => with_binary!(op, g => a.mapv(|x| g(value, x))),
        }
    }
}

/// `op` of two blocks with numpy broadcasting (shapes aligned on the right).
pub fn binary(key: &str, op: BinaryOp, x: &ArrayD<f64>, y: &ArrayD<f64>) -> Result<ArrayD<f64>> {
    if x.shape() == y.shape() {
        return Ok(with_binary!(op, g => Zip::from(x).and(y).map_collect(|&a, &c| g(a, c))));
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
    Ok(with_binary!(op, g => Zip::from(&bx).and(&by).map_collect(|&a, &c| g(a, c))))
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

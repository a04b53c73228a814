//! The block steps of the blocked factorizations and solves of square arrays (dask's
//! `cholesky`, `lu` and `solve`): each task updates one block by the products of blocks
//! already factored, `s = a − Σₖ xₖ · yₖ`, then factors or solves with a diagonal block.
//!
//! For an `n`×`n` grid of square blocks:
//!
//! - Cholesky, `a = l lᵀ`: `lᵢᵢ = chol(aᵢᵢ − Σₖ lᵢₖ lᵢₖᵀ)`, and below the diagonal
//!   `lⱼᵢ = (aⱼᵢ − Σₖ lⱼₖ lᵢₖᵀ) lᵢᵢ⁻ᵀ`.
//! - LU with pivoting inside each diagonal block (as dask's `lu`): `sᵢᵢ = aᵢᵢ − Σₖ l′ᵢₖ uₖᵢ
//!   = pᵢ lᵢᵢ uᵢᵢ`; right of it `uᵢⱼ = lᵢᵢ⁻¹ pᵢᵀ (aᵢⱼ − Σₖ l′ᵢₖ uₖⱼ)`; below it
//!   `l′ⱼᵢ = (aⱼᵢ − Σₖ l′ⱼₖ uₖᵢ) uᵢᵢ⁻¹`, so that `a = p l u` with `p = diag(pᵢ)` and
//!   `lⱼᵢ = pⱼᵀ l′ⱼᵢ`.
//! - Solving `a x = b` by it: forward `yⱼ = lⱼⱼ⁻¹ pⱼᵀ (bⱼ − Σₖ l′ⱼₖ yₖ)`, then backward
//!   `xⱼ = uⱼⱼ⁻¹ (yⱼ − Σₖ uⱼₖ xₖ)`.
//!
//! Inputs of every step: the block to update, the diagonal factor it solves with (none
//! for a diagonal step), then the `nk` blocks `xₖ` and the `nk` blocks `yₖ`.

use ndarray::{Array2, ArrayD, Axis};
use serde::{Deserialize, Serialize};

use super::factor::{self, view2, Tri};
use super::linalg;
use crate::Value;
use daskling_core::{Error, Result};

/// One step of a blocked factorization or solve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Blocked {
    /// `chol(a − Σ xₖ xₖᵀ)`: a diagonal block of a Cholesky factor.
    CholeskyDiag,
    /// `(a − Σ xₖ yₖᵀ) l⁻ᵀ`: a block below the diagonal of a Cholesky factor.
    CholeskyPanel,
    /// `lu(a − Σ xₖ yₖ)` → `(perm, l, u)`: a diagonal block of an LU.
    LuDiag,
    /// `l⁻¹ pᵀ (a − Σ xₖ yₖ)`: a block of `u` right of the diagonal.
    LuRow,
    /// `(a − Σ xₖ yₖ) u⁻¹`: a block of `l′` below the diagonal.
    LuColumn,
    /// `l⁻¹ pᵀ (b − Σ xₖ yₖ)` with an LU's diagonal `(perm, l, u)`: forward substitution.
    Forward,
    /// `u⁻¹ (b − Σ xₖ yₖ)` with an upper triangular block `u` (or an LU's diagonal, whose
    /// `u` it takes): back substitution.
    Backward,
}

impl Blocked {
    /// The kind of work, for graph labels.
    pub fn kind(self) -> &'static str {
        match self {
            Blocked::CholeskyDiag | Blocked::CholeskyPanel => "cholesky",
            Blocked::LuDiag | Blocked::LuRow | Blocked::LuColumn => "lu",
            Blocked::Forward | Blocked::Backward => "solve-triangular",
        }
    }

    /// Whether the step's second input is a diagonal factor.
    fn has_diag(self) -> bool {
        !matches!(self, Blocked::CholeskyDiag | Blocked::LuDiag)
    }

    /// Runs the step on its inputs (see the module's documentation for their order).
    pub fn run(self, key: &str, inputs: &[Value]) -> Result<Value> {
        let d = usize::from(self.has_diag());
        if inputs.len() < 1 + d || !(inputs.len() - 1 - d).is_multiple_of(2) {
            return Err(Error::invalid(format!(
                "{key}: {} inputs do not make a target, a factor and pairs of blocks",
                inputs.len()
            )));
        }
        let target = inputs[0].as_block(key)?;
        let nk = (inputs.len() - 1 - d) / 2;
        let pairs = inputs[1 + d..]
            .iter()
            .map(|v| v.as_block(key))
            .collect::<Result<Vec<_>>>()?;
        // The Cholesky steps multiply by the second blocks transposed.
        let transposed = matches!(self, Blocked::CholeskyDiag | Blocked::CholeskyPanel);
        let s = update(key, target, nk, transposed, &pairs)?;
        let diag = || inputs[1].clone();
        let out = match self {
            Blocked::CholeskyDiag => factor::cholesky(key, &s)?,
            Blocked::LuDiag => {
                let (perm, l, u) = factor::lu(key, &s)?;
                let perm = ArrayD::from_shape_vec(
                    ndarray::IxDyn(&[perm.len()]),
                    perm.iter().map(|&p| p as f64).collect(),
                )
                .map_err(|e| Error::invalid(format!("{key}: {e}")))?;
                return Ok(Value::tuple(vec![perm, l, u]));
            }
            Blocked::CholeskyPanel => {
                // x lᵀ = s  ⇔  l xᵀ = sᵀ.
                let l = diag();
                let l = view2(key, l.as_block(key)?)?;
                let st = view2(key, &s)?.reversed_axes();
                let xt = factor::tri_solve(key, l, Tri::Lower, false, st)?;
                xt.reversed_axes()
                    .as_standard_layout()
                    .into_owned()
                    .into_dyn()
            }
            Blocked::LuColumn => {
                // x u = s  ⇔  uᵀ xᵀ = sᵀ.
                let lu = diag();
                let u = view2(key, lu.item(key, 2)?.as_block(key)?)?;
                let st = view2(key, &s)?.reversed_axes();
                let xt = factor::tri_solve(key, u, Tri::Upper, true, st)?;
                xt.reversed_axes()
                    .as_standard_layout()
                    .into_owned()
                    .into_dyn()
            }
            Blocked::LuRow | Blocked::Forward => {
                let lu = diag();
                let perm = lu.item(key, 0)?.as_block(key)?;
                let l = view2(key, lu.item(key, 1)?.as_block(key)?)?;
                let permuted = permute_rows(key, &s, perm)?;
                let x = factor::tri_solve(key, l, Tri::UnitLower, false, permuted.view())?;
                shaped_like(x, &s)
            }
            Blocked::Backward => {
                let diag = diag();
                let u = match &diag {
                    Value::Tuple(_) => diag.item(key, 2)?.as_block(key)?,
                    other => other.as_block(key)?,
                };
                let x = factor::tri_solve(key, view2(key, u)?, Tri::Upper, false, view2(key, &s)?)?;
                shaped_like(x, &s)
            }
        };
        Ok(Value::Block(out.into()))
    }
}

/// `target − Σₖ xₖ · yₖ` (`yₖᵀ` if `transposed`), over the `nk` blocks `x` then `y` in
/// `pairs`; the target itself when `nk` is 0.
fn update(
    key: &str,
    target: &ArrayD<f64>,
    nk: usize,
    transposed: bool,
    pairs: &[&ArrayD<f64>],
) -> Result<ArrayD<f64>> {
    if nk == 0 {
        return Ok(target.clone());
    }
    let sum = linalg::dot(key, nk, [false, transposed], pairs)?;
    if sum.shape() != target.shape() {
        return Err(Error::invalid(format!(
            "{key}: the update has shape {:?}, the block {:?}",
            sum.shape(),
            target.shape()
        )));
    }
    Ok(target - &sum)
}

/// The rows of `s` in the order `perm` gives (row `r` of the result is row `perm[r]`).
fn permute_rows(key: &str, s: &ArrayD<f64>, perm: &ArrayD<f64>) -> Result<Array2<f64>> {
    let s = view2(key, s)?;
    if perm.len() != s.nrows() {
        return Err(Error::invalid(format!(
            "{key}: a permutation of {} rows for a block of {}",
            perm.len(),
            s.nrows()
        )));
    }
    let rows: Vec<usize> = perm.iter().map(|&p| p as usize).collect();
    if rows.iter().any(|&r| r >= s.nrows()) {
        return Err(Error::invalid(format!(
            "{key}: a row out of the permutation"
        )));
    }
    Ok(s.select(Axis(0), &rows))
}

/// A 2-d result back in the shape of the block it solved for (1-d stays 1-d).
fn shaped_like(x: Array2<f64>, s: &ArrayD<f64>) -> ArrayD<f64> {
    if s.ndim() == 1 {
        x.index_axis_move(Axis(1), 0).into_dyn()
    } else {
        x.into_dyn()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array2};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn blk(a: &Array2<f64>, i: usize, j: usize, n: usize) -> Value {
        Value::Block(
            a.slice(s![i * n..(i + 1) * n, j * n..(j + 1) * n])
                .to_owned()
                .into_dyn()
                .into(),
        )
    }

    fn a_of(v: &Value) -> Array2<f64> {
        v.as_block("t")
            .unwrap()
            .clone()
            .into_dimensionality()
            .unwrap()
    }

    /// A 4x4 matrix that needs pivoting (a zero first pivot), in 2x2 blocks.
    fn general() -> Array2<f64> {
        ndarray::array![
            [0.0, 2.0, 1.0, 3.0],
            [4.0, 1.0, 0.0, 1.0],
            [1.0, 1.0, 5.0, 2.0],
            [2.0, 0.0, 1.0, 6.0]
        ]
    }

    #[test]
    fn two_by_two_blocked_cholesky_reconstructs() {
        let x = Array2::from_shape_fn((4, 4), |(i, j)| ((i * 7 + j * 3) % 5) as f64);
        let a = x.t().dot(&x) + Array2::<f64>::eye(4) * 3.0;
        let l00 = Blocked::CholeskyDiag.run("t", &[blk(&a, 0, 0, 2)]).unwrap();
        let l10 = Blocked::CholeskyPanel
            .run("t", &[blk(&a, 1, 0, 2), l00.clone()])
            .unwrap();
        let l11 = Blocked::CholeskyDiag
            .run("t", &[blk(&a, 1, 1, 2), l10.clone(), l10.clone()])
            .unwrap();
        let mut l = Array2::<f64>::zeros((4, 4));
        l.slice_mut(s![0..2, 0..2]).assign(&a_of(&l00));
        l.slice_mut(s![2..4, 0..2]).assign(&a_of(&l10));
        l.slice_mut(s![2..4, 2..4]).assign(&a_of(&l11));
        let back = l.dot(&l.t());
        for (p, v) in back.iter().zip(a.iter()) {
            assert!((p - v).abs() < 1e-10, "{p} vs {v}");
        }
    }

    #[test]
    fn blocked_lu_then_substitutions_solve_the_system() {
        let a = general();
        let b = ndarray::array![1.0, -2.0, 3.0, 0.5];
        let half = |v: &ndarray::Array1<f64>, i: usize| {
            Value::Block(v.slice(s![i * 2..(i + 1) * 2]).to_owned().into_dyn().into())
        };
        let lu0 = Blocked::LuDiag.run("t", &[blk(&a, 0, 0, 2)]).unwrap();
        let u01 = Blocked::LuRow
            .run("t", &[blk(&a, 0, 1, 2), lu0.clone()])
            .unwrap();
        let l10 = Blocked::LuColumn
            .run("t", &[blk(&a, 1, 0, 2), lu0.clone()])
            .unwrap();
        let lu1 = Blocked::LuDiag
            .run("t", &[blk(&a, 1, 1, 2), l10.clone(), u01.clone()])
            .unwrap();
        let y0 = Blocked::Forward
            .run("t", &[half(&b, 0), lu0.clone()])
            .unwrap();
        let y1 = Blocked::Forward
            .run("t", &[half(&b, 1), lu1.clone(), l10, y0.clone()])
            .unwrap();
        let x1 = Blocked::Backward.run("t", &[y1, lu1]).unwrap();
        let x0 = Blocked::Backward
            .run("t", &[y0, lu0, u01, x1.clone()])
            .unwrap();
        let x: Vec<f64> = [x0, x1]
            .iter()
            .flat_map(|v| v.as_block("t").unwrap().iter().copied().collect::<Vec<_>>())
            .collect();
        // a x = b, checked by the plain product.
        for i in 0..4 {
            let ax: f64 = (0..4).map(|j| a[[i, j]] * x[j]).sum();
            assert!((ax - b[i]).abs() < 1e-12, "row {i}: {ax} vs {}", b[i]);
        }
    }

    #[test]
    fn a_step_with_an_odd_count_of_blocks_is_an_error() {
        let a = general();
        let e = Blocked::LuRow.run("t", &[blk(&a, 0, 1, 2)]).unwrap_err();
        assert!(e.to_string().contains("inputs"), "{e}");
    }
}

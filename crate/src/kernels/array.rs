//! Block kernels of chunked float64 arrays, on `ndarray`.

use std::fmt;

use ndarray::{ArrayD, Axis, IxDyn, Slice};
use serde::{Deserialize, Serialize};

use super::Value;
use crate::error::{Error, Result};

/// A block computation of chunked arrays: what it does and its parameters.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub enum ArrayKernel {
    /// A block of `shape` filled with `value` (no inputs).
    Full { shape: Vec<usize>, value: f64 },
    /// Sum of one block over `axes`, keeping them as length-1 axes.
    SumChunk { axes: Vec<usize> },
    /// Elementwise sum of same-shape partial blocks (a tree-reduction level).
    SumCombine,
    /// Elementwise sum of partial blocks, then the reduced `axes` removed.
    SumAggregate { axes: Vec<usize> },
    /// Assembles a grid of blocks (given in row-major order) into one array.
    Concat { grid: Vec<usize> },
}

impl fmt::Debug for ArrayKernel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArrayKernel::Full { shape, value } => write!(f, "Full({shape:?}, {value})"),
            ArrayKernel::SumChunk { axes } => write!(f, "SumChunk({axes:?})"),
            ArrayKernel::SumCombine => write!(f, "SumCombine"),
            ArrayKernel::SumAggregate { axes } => write!(f, "SumAggregate({axes:?})"),
            ArrayKernel::Concat { grid } => write!(f, "Concat({grid:?})"),
        }
    }
}

impl ArrayKernel {
    /// The kind of work, for graph labels.
    pub fn kind(&self) -> &'static str {
        match self {
            ArrayKernel::Full { .. } => "full",
            ArrayKernel::SumChunk { .. } => "sum-chunk",
            ArrayKernel::SumCombine => "sum-combine",
            ArrayKernel::SumAggregate { .. } => "sum-aggregate",
            ArrayKernel::Concat { .. } => "concatenate",
        }
    }

    /// Runs on the input values.
    pub fn run(&self, key: &str, inputs: &[Value]) -> Result<Value> {
        let blocks = inputs
            .iter()
            .map(|v| v.as_block(key))
            .collect::<Result<Vec<_>>>()?;
        let out = match self {
            ArrayKernel::Full { shape, value } => ArrayD::from_elem(IxDyn(shape), *value),
            ArrayKernel::SumChunk { axes } => sum_keepdims(one(key, &blocks)?, axes),
            ArrayKernel::SumCombine => add_all(key, &blocks)?,
            ArrayKernel::SumAggregate { axes } => {
                let mut s = add_all(key, &blocks)?;
                // Remove from the highest axis down so lower indices stay valid.
                let mut sorted = axes.clone();
                sorted.sort_unstable_by(|a, b| b.cmp(a));
                for &ax in &sorted {
                    s = s.index_axis_move(Axis(ax), 0);
                }
                s
            }
            ArrayKernel::Concat { grid } => concat(key, grid, &blocks)?,
        };
        Ok(Value::Block(out.into()))
    }
}

fn one<'a>(key: &str, blocks: &[&'a ArrayD<f64>]) -> Result<&'a ArrayD<f64>> {
    match blocks {
        [b] => Ok(b),
        _ => Err(Error::invalid(format!(
            "{key}: expected one input block, got {}",
            blocks.len()
        ))),
    }
}

fn sum_keepdims(b: &ArrayD<f64>, axes: &[usize]) -> ArrayD<f64> {
    let mut out = b.to_owned();
    for &ax in axes {
        out = out.sum_axis(Axis(ax)).insert_axis(Axis(ax));
    }
    out
}

fn add_all(key: &str, blocks: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    let (first, rest) = blocks
        .split_first()
        .ok_or_else(|| Error::invalid(format!("{key}: no input blocks")))?;
    let mut acc = (*first).to_owned();
    for b in rest {
        if b.shape() != acc.shape() {
            return Err(Error::invalid(format!(
                "{key}: cannot add blocks of shapes {:?} and {:?}",
                acc.shape(),
                b.shape()
            )));
        }
        acc += *b;
    }
    Ok(acc)
}

fn concat(key: &str, grid: &[usize], blocks: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
    let ndim = grid.len();
    let n: usize = grid.iter().product();
    if blocks.len() != n || blocks.iter().any(|b| b.ndim() != ndim) {
        return Err(Error::invalid(format!(
            "{key}: expected {n} blocks of {ndim} dimensions"
        )));
    }
    // Block sizes along each axis, read off the blocks on that axis's edge.
    let strides: Vec<usize> = (0..ndim)
        .map(|ax| grid[ax + 1..].iter().product())
        .collect();
    let mut offsets: Vec<Vec<usize>> = Vec::with_capacity(ndim);
    for ax in 0..ndim {
        let mut off = vec![0usize];
        for i in 0..grid[ax] {
            let len = blocks[i * strides[ax]].shape()[ax];
            off.push(off[i] + len);
        }
        offsets.push(off);
    }
    let shape: Vec<usize> = offsets.iter().map(|o| o[o.len() - 1]).collect();
    let mut out = ArrayD::<f64>::zeros(IxDyn(&shape));
    for (flat, b) in blocks.iter().enumerate() {
        let idx: Vec<usize> = (0..ndim)
            .map(|ax| (flat / strides[ax]) % grid[ax])
            .collect();
        let mut view = out.slice_each_axis_mut(|d| {
            let ax = d.axis.index();
            Slice::from(offsets[ax][idx[ax]]..offsets[ax][idx[ax] + 1])
        });
        if view.shape() != b.shape() {
            return Err(Error::invalid(format!(
                "{key}: block {idx:?} has shape {:?}, expected {:?}",
                b.shape(),
                view.shape()
            )));
        }
        view.assign(*b);
    }
    Ok(out)
}

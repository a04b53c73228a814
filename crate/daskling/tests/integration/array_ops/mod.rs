//! Chunked arrays against the same computation done directly with ndarray on the whole
//! array: the reference (`reference`: whole arrays, plain ndarray), random shapes,
//! chunkings and expression programs (`programs`, property tests), the workshop's
//! expressions with their closed-form answers (`workshop`), and the block products
//! (`products`).

mod products;
mod programs;
mod reference;
mod workshop;

use daskling::expr::array::{Array, ChunkSpec, SliceArg};
use daskling::kernels::array::{ArgOp, ArrayKernel, BinaryOp, ReduceOp, ScanOp, UnaryFn};
use daskling::kernels::Kernel;
use daskling::{Lazy, Scheduler};
use ndarray::{ArrayD, Axis, Ix2, IxDyn, Zip};
use proptest::prelude::*;

use programs::*;
use reference::*;

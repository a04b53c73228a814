//! What every family's lowering uses to make tasks: a leaf module (it uses nothing else
//! of `expr::array`), so that the families and the walk in `lower` do not depend on each
//! other.

use crate::graph::{Key, Task};
use crate::kernels::{ArrayKernel, Kernel};

/// A task of an array kernel: what every family's lowering makes.
pub(super) fn task(k: ArrayKernel, deps: Vec<Key>) -> Task {
    Task::new(Kernel::Array(k), deps)
}

/// The most elements one block (or a whole computed result) may have: 2 GiB of
/// float64. A larger allocation would abort a wasm instance rather than fail.
pub(super) const MAX_BLOCK_ELEMENTS: usize = 1 << 28;

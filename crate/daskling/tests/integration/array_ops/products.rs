//! Block products: the packed GEMM and SYRK kernels against the textbook product, and
//! the task graphs of symmetric products and long shared axes.

use super::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The packed GEMM used in wasm (blocking, packing, edge strips), on plain pairs
    /// here: equal to the textbook product, for any sizes and transposed views.
    #[test]
    fn packed_gemm_equals_the_textbook_product(
        m in 1usize..140, k in 1usize..300, n in 1usize..40,
        transpose_a in any::<bool>(), seed in any::<u64>(),
    ) {
        use daskling::kernels::array::gemm::packed;
        let a = data(&[m, k], seed).into_dimensionality::<Ix2>().unwrap();
        let at = a.t().to_owned();
        let b = data(&[k, n], !seed).into_dimensionality::<Ix2>().unwrap();
        let mut c = ndarray::Array2::<f64>::ones((m, n));
        let av = if transpose_a { at.t() } else { a.view() };
        packed(av, b.view(), &mut c.view_mut());
        let want = ref_dot(&a.clone().into_dyn(), &b.clone().into_dyn()) + 1.0;
        assert_close(&c.into_dyn(), &want, 1e-13, "packed gemm");
    }

    /// SYRK (`c += a · aᵀ` on and above the diagonal), both the packed wasm kernel (on
    /// plain pairs here) and the native bands: the upper triangle equals the textbook
    /// product, for any sizes (across the 4×6 tiles, 128-row panels and 256-row bands).
    #[test]
    fn syrk_upper_triangle_equals_the_textbook_product(
        m in 1usize..300, k in 1usize..300, transpose_a in any::<bool>(), seed in any::<u64>(),
    ) {
        use daskling::kernels::array::gemm::{packed_syrk, syrk_upper_acc};
        let a = data(&[m, k], seed).into_dimensionality::<Ix2>().unwrap();
        let at = a.t().to_owned();
        let av = if transpose_a { at.t() } else { a.view() };
        let want = ref_dot(&a.clone().into_dyn(), &at.clone().into_dyn()) + 1.0;
        type Syrk = fn(ndarray::ArrayView2<f64>, &mut ndarray::ArrayViewMut2<f64>);
        let f: [(&str, Syrk); 2] = [("packed syrk", packed_syrk), ("syrk bands", syrk_upper_acc)];
        for (what, f) in f {
            let mut c = ndarray::Array2::<f64>::ones((m, m));
            f(av, &mut c.view_mut());
            for i in 0..m {
                for j in i..m {
                    let (g, w) = (c[[i, j]], want[[i, j]]);
                    prop_assert!((g - w).abs() <= 1e-13 * w.abs(), "{what} [{i}, {j}]: {g} vs {w}");
                }
            }
        }
    }
}

#[test]
fn symmetric_products_compute_the_blocks_above_the_diagonal_only() {
    // 4 × 4 blocks: x·xᵀ and xᵀ·x need 10 block products, not 16; the 6 below the
    // diagonal are their mirrors transposed. The shared axis has 4 blocks: each product
    // off the diagonal is two partial products (2 blocks each) summed. Values against the
    // textbook product.
    let x = Array::random(&[40, 24], ChunkSpec::Block(vec![10, 6]), Some(5)).unwrap();
    let xv = x.compute(Scheduler::Sync).unwrap();
    let xt = xv.t().to_owned();
    let count = |y: &Array, f: &dyn Fn(&Kernel) -> bool| {
        let (g, _) = y.graph().unwrap();
        g.iter().filter(|(_, t)| f(&t.kernel)).count()
    };
    for (y, want, what) in [
        (x.dot(&x.t()).unwrap(), ref_dot(&xv, &xt), "x.dot(x.T)"),
        (x.t().dot(&x).unwrap(), ref_dot(&xt, &xv), "x.T.dot(x)"),
    ] {
        // 6 off the diagonal in two partial products each, and the 4 on it, which
        // multiply their upper triangles only (from x's blocks), in one task each: half
        // the work per block, so the tasks cost alike.
        assert_eq!(count(&y, &|k| k.kind() == "dot"), 16, "{what}");
        let sym = |k: &Kernel| matches!(k, Kernel::Array(ArrayKernel::SymDot { nk: 4, .. }));
        assert_eq!(count(&y, &sym), 4, "{what}");
        // x's blocks enter the products as transposed views: the only transposes are the
        // 6 mirrors below the diagonal.
        assert_eq!(count(&y, &|k| k.kind() == "transpose"), 6, "{what}");
        assert_close(&y.compute(Scheduler::Threads).unwrap(), &want, 1e-12, what);
    }
    // Not symmetric: every block a product.
    let z = Array::random(&[40, 24], ChunkSpec::Block(vec![10, 6]), Some(6)).unwrap();
    let zv = z.compute(Scheduler::Sync).unwrap();
    let zt = zv.t().to_owned();
    for (y, want, what) in [
        (x.dot(&z.t()).unwrap(), ref_dot(&xv, &zt), "x.dot(z.T)"),
        (x.t().dot(&z).unwrap(), ref_dot(&xt, &zv), "x.T.dot(z)"),
    ] {
        assert_eq!(count(&y, &|k| k.kind() == "dot"), 32, "{what}");
        assert_eq!(count(&y, &|k| k.kind() == "transpose"), 0, "{what}");
        assert_close(&y.compute(Scheduler::Threads).unwrap(), &want, 1e-12, what);
    }
}

#[test]
fn long_shared_axes_sum_partial_products_in_parallel() {
    // xᵀ·x of a tall x is one output block over many blocks of the shared axis: partial
    // products of 2 blocks each (4 for the symmetric one), summed pairwise (odd counts
    // too), on several threads.
    for (rows, nk) in [(50usize, 5usize), (90, 9), (20, 2), (10, 1)] {
        let x =
            Array::random(&[rows, 7], ChunkSpec::Block(vec![10, 7]), Some(rows as u64)).unwrap();
        let y = Array::random(&[rows, 3], ChunkSpec::Block(vec![10, 3]), Some(1)).unwrap();
        let (xv, yv) = (
            x.compute(Scheduler::Sync).unwrap(),
            y.compute(Scheduler::Sync).unwrap(),
        );
        let xt = xv.t().to_owned();
        // Symmetric (SYRK, half the work per block): groups of 4 blocks.
        for (e, want, group, what) in [
            (x.t().dot(&x).unwrap(), ref_dot(&xt, &xv), 4, "x.T.dot(x)"),
            (x.t().dot(&y).unwrap(), ref_dot(&xt, &yv), 2, "x.T.dot(y)"),
        ] {
            let (g, _) = e.graph().unwrap();
            let products = g.iter().filter(|(_, t)| t.kernel.kind() == "dot").count();
            assert_eq!(products, nk.div_ceil(group), "{what}, {nk} blocks");
            for s in [Scheduler::Sync, Scheduler::Threads] {
                assert_close(&e.compute(s).unwrap(), &want, 1e-12, what);
            }
        }
    }
}

//! The two traversals every expression kind needs, written once: a post-order walk
//! (inputs before their users) and an iterative drop. Both use an explicit stack, so
//! an expression of 100,000 operations — a loop that adds one each time — neither
//! lowers nor drops through 100,000 nested calls.
//!
//! Lowering arrays, dataframes and JavaScript calls, encoding the wire table,
//! rewriting a frame for `head` and exporting to dask are each one [`post_order`]
//! with their own `done` test; the nodes of arrays, dataframes, delayed calls and
//! JavaScript calls each drop through [`unlink`].

use std::sync::Arc;

/// Visits every node reachable from `roots` whose `done` test fails, each once,
/// inputs before their users; roots and inputs in the order given.
///
/// `state` is what the walk builds (a graph, a table of rows): `done` reads it and
/// `visit` extends it, and `visit` must make `done` true for the node it is given
/// (a node that stays not done is visited again when reached again). `inputs` gives
/// what a node needs first; an empty list makes it a leaf of this walk. The first
/// error of `visit` ends the walk. (The tests below show it on a diamond and on a
/// chain of 200,000 nodes.)
pub(crate) fn post_order<S, N: Clone, E>(
    state: &mut S,
    roots: impl IntoIterator<Item = N>,
    inputs: impl Fn(&N) -> Vec<N>,
    done: impl Fn(&S, &N) -> bool,
    mut visit: impl FnMut(&mut S, N) -> Result<(), E>,
) -> Result<(), E> {
    let mut stack: Vec<(N, bool)> = roots.into_iter().map(|n| (n, false)).collect();
    stack.reverse();
    while let Some((n, expanded)) = stack.pop() {
        if done(state, &n) {
            continue;
        }
        if expanded {
            visit(state, n)?;
            continue;
        }
        let first = inputs(&n);
        stack.push((n, true));
        for i in first.into_iter().rev() {
            if !done(state, &i) {
                stack.push((i, false));
            }
        }
    }
    Ok(())
}

/// Drops shared nodes one by one: each of `inputs` that no one else holds gives up its
/// own inputs (`take_inputs` empties it) before it is dropped, so a chain of any
/// length drops without recursion. A node's `Drop` calls this with the inputs it takes
/// from itself.
pub(crate) fn unlink<T>(inputs: Vec<Arc<T>>, take_inputs: impl Fn(&mut T) -> Vec<Arc<T>>) {
    let mut stack = inputs;
    while let Some(node) = stack.pop() {
        if let Ok(mut node) = Arc::try_unwrap(node) {
            stack.extend(take_inputs(&mut node));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A node of a test graph: a number and its inputs.
    #[derive(Clone)]
    struct N(Arc<(u32, Vec<N>)>);

    fn n(id: u32, inputs: &[&N]) -> N {
        N(Arc::new((id, inputs.iter().map(|&i| i.clone()).collect())))
    }

    fn order(roots: &[&N]) -> Vec<u32> {
        let mut state = (std::collections::HashSet::new(), Vec::new());
        post_order(
            &mut state,
            roots.iter().map(|&r| r.clone()),
            |x| x.0 .1.clone(),
            |(seen, _), x| seen.contains(&x.0 .0),
            |(seen, order), x| {
                seen.insert(x.0 .0);
                order.push(x.0 .0);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        state.1
    }

    #[test]
    fn inputs_first_each_once_in_order() {
        // A diamond: 4 needs 2 and 3, both need 1.
        let one = n(1, &[]);
        let two = n(2, &[&one]);
        let three = n(3, &[&one]);
        let four = n(4, &[&two, &three]);
        assert_eq!(order(&[&four]), [1, 2, 3, 4]);
        // Roots in order; shared nodes once.
        assert_eq!(order(&[&three, &two]), [1, 3, 2]);
        assert_eq!(order(&[&four, &one]), [1, 2, 3, 4]);
    }

    #[test]
    fn deep_chains_walk_and_drop_without_recursion() {
        let mut x = n(0, &[]);
        for i in 1..200_000 {
            x = n(i, &[&x]);
        }
        let walked = order(&[&x]);
        assert_eq!(walked.len(), 200_000);
        assert!(walked.windows(2).all(|w| w[0] + 1 == w[1]));
        // The test's nodes have no Drop of their own: dropping through `unlink` is
        // what keeps this from overflowing the stack.
        let take = |node: &mut (u32, Vec<N>)| node.1.drain(..).map(|c| c.0).collect();
        unlink(vec![x.0], take);
    }

    #[test]
    fn the_first_error_ends_the_walk() {
        let one = n(1, &[]);
        let two = n(2, &[&one]);
        let mut seen = 0;
        let r = post_order(
            &mut seen,
            [two],
            |x| x.0 .1.clone(),
            |_, _| false,
            |seen, x| {
                *seen += 1;
                if x.0 .0 == 1 {
                    Err("one")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((r, seen), (Err("one"), 1));
    }
}

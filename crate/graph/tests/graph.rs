//! Graph validation, culling, fusion, ordering and export — natively and in headless
//! Chromium (`wasm-pack test --headless --chrome crate/graph`).

mod common;

use common::{add_task, chain};
use daskling_core::Error;
use daskling_graph::{Graph, Key};
use daskling_kernels::Kernel;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn k(name: &str) -> Key {
    Key::named(name)
}

#[test]
fn missing_dependency_is_an_error() {
    let mut g = Graph::new();
    g.insert(k("a"), add_task("a", 1, vec![k("ghost")]));
    match g.validate() {
        Err(Error::MissingDependency { task, missing }) => {
            assert_eq!(task, "a");
            assert_eq!(missing, "ghost");
        }
        other => panic!("expected a missing dependency, got {other:?}"),
    }
}

#[test]
fn cycle_is_an_error_naming_its_keys() {
    let mut g = Graph::new();
    g.insert(k("a"), add_task("a", 1, vec![k("c")]));
    g.insert(k("b"), add_task("b", 1, vec![k("a")]));
    g.insert(k("c"), add_task("c", 1, vec![k("b")]));
    g.insert(k("free"), add_task("free", 1, vec![]));
    match g.validate() {
        Err(Error::Cycle { path }) => {
            for name in ["a", "b", "c"] {
                assert!(path.iter().any(|p| p == name), "{name} not in {path:?}");
            }
            assert!(!path.iter().any(|p| p == "free"));
            assert_eq!(
                path.first(),
                path.last(),
                "a cycle path returns to its start"
            );
        }
        other => panic!("expected a cycle, got {other:?}"),
    }
    // A self-loop too.
    let mut g = Graph::new();
    g.insert(k("s"), add_task("s", 1, vec![k("s")]));
    assert!(matches!(g.validate(), Err(Error::Cycle { .. })));
}

#[test]
fn unknown_output_is_an_error() {
    let (g, _) = chain(3);
    assert!(matches!(g.cull(&[k("nope")]), Err(Error::UnknownKey(_))));
    assert!(matches!(g.order(&[k("nope")]), Err(Error::UnknownKey(_))));
}

#[test]
fn cull_keeps_exactly_what_outputs_need() {
    let mut g = Graph::new();
    g.insert(k("a"), add_task("a", 1, vec![]));
    g.insert(k("b"), add_task("b", 2, vec![k("a")]));
    g.insert(k("c"), add_task("c", 3, vec![k("a")]));
    g.insert(k("d"), add_task("d", 4, vec![k("c")]));
    let culled = g.cull(&[k("b")]).unwrap();
    let mut keys: Vec<String> = culled.iter().map(|(k, _)| k.to_string()).collect();
    keys.sort();
    assert_eq!(keys, ["a", "b"]);
    let both = g.cull(&[k("b"), k("d")]).unwrap();
    assert_eq!(both.len(), 4);
}

#[test]
fn order_is_topological_and_depth_first() {
    // Two independent branches feeding one root: one branch completes before the other.
    let mut g = Graph::new();
    for b in ["x", "y"] {
        g.insert(k(&format!("{b}0")), add_task(b, 0, vec![]));
        g.insert(
            k(&format!("{b}1")),
            add_task(b, 1, vec![k(&format!("{b}0"))]),
        );
    }
    g.insert(k("root"), add_task("root", 0, vec![k("x1"), k("y1")]));
    let order: Vec<String> = g
        .order(&[k("root")])
        .unwrap()
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(order, ["x0", "x1", "y0", "y1", "root"]);
}

#[test]
fn fuse_linear_merges_chains_but_not_branches_or_outputs() {
    // a -> b -> c -> d, and c also feeds e: a,b,c fuse into c; d and e stay.
    let mut g = Graph::new();
    g.insert(k("a"), add_task("a", 1, vec![]));
    g.insert(k("b"), add_task("b", 2, vec![k("a")]));
    g.insert(k("c"), add_task("c", 3, vec![k("b")]));
    g.insert(k("d"), add_task("d", 4, vec![k("c")]));
    g.insert(k("e"), add_task("e", 5, vec![k("c")]));
    let f = g.fuse_linear(&[k("d"), k("e")]);
    let mut keys: Vec<String> = f.iter().map(|(k, _)| k.to_string()).collect();
    keys.sort();
    assert_eq!(keys, ["c", "d", "e"]);
    let c = f.get(&k("c")).unwrap();
    assert!(c.deps.is_empty());
    assert_eq!(c.fused, vec![k("a"), k("b")]);
    match &c.kernel {
        Kernel::Chain(ks) => assert_eq!(ks.len(), 3),
        other => panic!("expected a chain, got {other:?}"),
    }
    // An output in the middle of a chain is kept.
    let f = g.fuse_linear(&[k("b"), k("d"), k("e")]);
    assert!(f.get(&k("b")).is_some());
    assert_eq!(f.get(&k("c")).unwrap().deps, vec![k("b")]);
}

#[test]
fn export_and_dot_list_every_node_and_edge() {
    let mut g = Graph::new();
    g.insert(Key::new("ones-ab12", &[0]), add_task("ones", 1, vec![]));
    g.insert(Key::new("ones-ab12", &[1]), add_task("ones", 1, vec![]));
    g.insert(
        k("sum-cd34"),
        add_task(
            "sum",
            0,
            vec![Key::new("ones-ab12", &[0]), Key::new("ones-ab12", &[1])],
        ),
    );
    let ex = g.export();
    assert_eq!(ex.nodes.len(), 3);
    assert_eq!(ex.edges.len(), 2);
    let n0 = ex
        .nodes
        .iter()
        .find(|n| n.id == "('ones-ab12', 0)")
        .unwrap();
    assert_eq!(n0.label, "ones (0)");
    assert_eq!(n0.kind, "ones");
    assert!(ex
        .edges
        .contains(&("('ones-ab12', 1)".to_string(), "sum-cd34".to_string())));
    let dot = g.to_dot();
    assert!(dot.starts_with("digraph"));
    assert!(dot.trim_end().ends_with('}'));
    assert!(dot.contains("\"('ones-ab12', 0)\" -> \"sum-cd34\";"));
    assert_eq!(dot.matches(" -> ").count(), 2);
    assert!(dot.contains("label=\"sum\""));
}

#[test]
fn dot_escapes_quotes() {
    let mut g = Graph::new();
    g.insert(k("we\"ird"), add_task("x", 1, vec![]));
    assert!(g.to_dot().contains("\"we\\\"ird\""));
}

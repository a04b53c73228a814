//! The join kernel against pandas' answers on small frames (computed by hand and
//! checked with pandas 3.1), its errors, and its routing.

use super::*;

fn frame(cols: Vec<(&str, Column)>) -> Frame {
    Frame::of(cols)
}

fn floats(c: &Column) -> Vec<Option<f64>> {
    (0..c.len()).map(|i| c.f64_at(i)).collect()
}

/// pandas 3.1: l = {k: [1, NaN, 2, 3, 1], a: [1..5]}, r = {k: [NaN, 1, 1, 4],
/// a: [10, 20, 30, 40]}; `l.merge(r, on='k', how=…)` (missing keys match).
#[test]
fn every_how_as_pandas() {
    let n = f64::NAN;
    let l = frame(vec![
        ("k", Column::Float64(vec![1.0, n, 2.0, 3.0, 1.0])),
        ("a", Column::Int64(vec![1, 2, 3, 4, 5])),
    ]);
    let r = frame(vec![
        ("k", Column::Float64(vec![n, 1.0, 1.0, 4.0])),
        ("a", Column::Int64(vec![10, 20, 30, 40])),
    ]);
    let s = |x: &[f64]| {
        x.iter()
            .map(|&v| (!v.is_nan()).then_some(v))
            .collect::<Vec<_>>()
    };
    let cases: [(How, [&[f64]; 3]); 4] = [
        (
            How::Inner,
            [
                &[1., 1., n, 1., 1.],
                &[1., 1., 2., 5., 5.],
                &[20., 30., 10., 20., 30.],
            ],
        ),
        (
            How::Left,
            [
                &[1., 1., n, 2., 3., 1., 1.],
                &[1., 1., 2., 3., 4., 5., 5.],
                &[20., 30., 10., n, n, 20., 30.],
            ],
        ),
        (
            How::Right,
            [
                &[n, 1., 1., 1., 1., 4.],
                &[2., 1., 5., 1., 5., n],
                &[10., 20., 20., 30., 30., 40.],
            ],
        ),
        (
            How::Outer,
            [
                &[1., 1., 1., 1., 2., 3., 4., n],
                &[1., 1., 5., 5., 3., 4., n, 2.],
                &[20., 30., 20., 30., n, n, 40., 10.],
            ],
        ),
    ];
    for (how, want) in cases {
        let out = MergeSpec::on(how, &["k"]).join("t", &l, &r).unwrap();
        assert_eq!(&out.names[..], ["k", "a_x", "a_y"], "{how:?}");
        for (c, w) in out.columns.iter().zip(want) {
            assert_eq!(floats(c), s(w), "{how:?}");
        }
    }
}

#[test]
fn keys_of_other_names_and_clashes() {
    let l = frame(vec![
        (
            "k",
            Column::String(vec![Some("b".into()), Some("a".into()), None]),
        ),
        ("v", Column::Int64(vec![1, 2, 3])),
    ]);
    let r = frame(vec![
        (
            "kk",
            Column::String(vec![Some("a".into()), None, Some("c".into())]),
        ),
        ("w", Column::Bool(vec![Some(true), Some(false), Some(true)])),
    ]);
    let mut spec = MergeSpec::on(How::Outer, &["k"]);
    spec.right_on = vec!["kk".into()];
    let out = spec.join("t", &l, &r).unwrap();
    // pandas: rows (a, 2, a, True), (b, 1, NaN, NaN), (NaN, NaN, c, True), (NaN, 3, NaN, False)
    assert_eq!(&out.names[..], ["k", "v", "kk", "w"]);
    let text = |v: [Option<&str>; 4]| Column::String(v.iter().map(|x| x.map(Arc::from)).collect());
    assert_eq!(out.columns[0], text([Some("a"), Some("b"), None, None]));
    assert_eq!(out.columns[2], text([Some("a"), None, Some("c"), None]));
    assert_eq!(
        floats(&out.columns[1]),
        [Some(2.0), Some(1.0), None, Some(3.0)]
    );
    assert_eq!(
        out.columns[3],
        Column::Bool(vec![Some(true), None, Some(true), Some(false)])
    );
    // Errors name the key and the frame.
    let mut bad = MergeSpec::on(How::Inner, &["k"]);
    bad.right_on = vec!["nope".into()];
    let e = bad.join("t", &l, &r).unwrap_err().to_string();
    assert!(
        e.contains("the key nope is not a column of the right frame"),
        "{e}"
    );
    let e = MergeSpec::on(How::Inner, &["v"]).join(
        "t",
        &l,
        &frame(vec![("v", Column::String(vec![]))]),
    );
    assert!(e
        .unwrap_err()
        .to_string()
        .contains("the key v is int64 on the left"));
    let dup = frame(vec![
        ("k", Column::Int64(vec![])),
        ("v", Column::Int64(vec![])),
        ("v_x", Column::Int64(vec![])),
    ]);
    let kv = frame(vec![
        ("k", Column::Int64(vec![])),
        ("v", Column::Int64(vec![])),
    ]);
    let e = MergeSpec::on(How::Inner, &["k"])
        .join("t", &kv, &dup)
        .unwrap_err()
        .to_string();
    assert!(e.contains("two columns named v_x"), "{e}");
}

#[test]
fn routing_puts_equal_keys_together() {
    let a = frame(vec![("k", Column::Int64((0..200).collect()))]);
    let b = frame(vec![(
        "k",
        Column::Float64((0..200).rev().map(|x| x as f64).collect()),
    )]);
    let spec = MergeSpec::on(How::Inner, &["k"]);
    let (ra, rb) = (
        spec.route(&a, true, 7).unwrap(),
        spec.route(&b, false, 7).unwrap(),
    );
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.len(), y.len());
        assert!(x.len() > 10, "buckets about even: {}", x.len());
        let mut ys = floats(&y.columns[0]);
        ys.reverse();
        assert_eq!(floats(&x.columns[0]), ys);
    }
}

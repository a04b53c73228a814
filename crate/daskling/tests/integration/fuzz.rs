//! Fuzzing with proptest as the engine: random inputs that must give an answer or an
//! `Error`, never a panic, and answers that agree with each other. `npm test` runs each
//! target for a bounded number of inputs (`DASKLING_FUZZ_CASES`, default 20,000 per
//! target, about a minute in all) from a fixed seed (`DASKLING_FUZZ_SEED`: another, or
//! `random`); failures proptest shrinks are kept in
//! `tests/integration/fuzz.proptest-regressions` (the corpus of found crashes, replayed first).
//!
//! Targets: the CSV reader (random bytes and CSV-shaped text, options, blocksizes:
//! splitting the file must not change the answer), the wire decoder (random node tables),
//! the date and frequency parsers, and the expression builder (random operation
//! sequences with unchecked arguments).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use daskling::expr::array::{AxisIndex, SliceArg};
use daskling::expr::dataframe::{read_csv_sources, ReadOptions};
use daskling::expr::{Expr, Wire};
use daskling::kernels::array::{BinaryOp, ReduceOp, UnaryFn};
use daskling::kernels::dataframe::datetime::{days_from_civil, parse_datetime, DAY_MS};
use daskling::kernels::dataframe::dt::parse_freq;
use daskling::kernels::dataframe::source::{ByteSource, MemorySource};
use daskling::{Array, ChunkSpec, Context, Scheduler};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn cases() -> u32 {
    std::env::var("DASKLING_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// Cases per target and a fixed seed, so that a run in CI is repeatable;
/// `DASKLING_FUZZ_SEED` explores other inputs (`random` for a fresh seed each run).
fn config() -> ProptestConfig {
    let rng_seed = match std::env::var("DASKLING_FUZZ_SEED").as_deref() {
        Ok("random") => RngSeed::Random,
        Ok(v) => RngSeed::Fixed(v.parse().unwrap_or(11)),
        Err(_) => RngSeed::Fixed(11),
    };
    ProptestConfig {
        cases: cases(),
        rng_seed,
        ..ProptestConfig::default()
    }
}

/// Inputs tried per target, printed at the end of each (`--nocapture` shows them).
static TRIED: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

fn tried(target: usize, name: &str) {
    let n = TRIED[target].fetch_add(1, Ordering::Relaxed) + 1;
    if u64::from(cases()) == n {
        println!("fuzz {name}: {n} inputs, no panic");
    }
}

/// RFC 4180 CSV text: fields of digits, words, dates, quoted fields (with separators,
/// newlines and doubled quotes inside), empties, other ASCII; ragged rows now and then;
/// LF or CRLF line ends.
fn csv_text() -> impl Strategy<Value = (Vec<Vec<String>>, bool)> {
    let field = prop_oneof![
        "[0-9]{1,4}",
        "-?[0-9]{1,3}\\.[0-9]{1,3}",
        "[a-z]{1,5}",
        Just(String::new()),
        "(true|false|True|FALSE)",
        "2012-0[1-9]-[0-2][0-9]( [0-1][0-9]:[0-5][0-9]:[0-5][0-9])?",
        "[a-z,;\\t\\n\"]{0,6}".prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
        "[\\x00-\\x09\\x0b\\x0c\\x0e-\\x21\\x23-\\x7f]{0,3}",
    ];
    (
        prop::collection::vec(prop::collection::vec(field, 1..5), 1..30),
        any::<bool>(),
    )
}

/// The rows as CSV text with separator `sep`.
fn join(rows: &[Vec<String>], crlf: bool, sep: u8) -> Vec<u8> {
    let mut out = String::new();
    for r in rows {
        out.push_str(&r.join(&(sep as char).to_string()));
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }
    out.into_bytes()
}

fn read(bytes: &[u8], opts: &ReadOptions) -> daskling::Result<daskling::kernels::dataframe::Frame> {
    let src: Arc<dyn ByteSource> = Arc::new(MemorySource::new("f.csv", bytes.to_vec()));
    read_csv_sources(vec![src], opts)?.compute(Scheduler::Sync)
}

proptest! {
    #![proptest_config(config())]

    /// Random bytes: an answer or an error naming the file, never a panic, whole or split.
    #[test]
    fn csv_reader_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200), blocksize in 1u64..64) {
        tried(4, "csv_reader_on_random_bytes");
        for b in [0, blocksize] {
            let opts = ReadOptions { blocksize: Some(b), ..Default::default() };
            if let Err(e) = read(&bytes, &opts) {
                prop_assert!(e.to_string().contains("f.csv"), "{e}");
            }
        }
    }

    /// RFC 4180 text, any options and blocksize: an answer or an error, and splitting the
    /// file into blocks gives the same answer as reading it whole.
    #[test]
    fn csv_reader(
        (rows, crlf) in csv_text(),
        sep in prop::sample::select(vec![b',', b';', b'\t']),
        header in any::<bool>(),
        parse_first_as_date in any::<bool>(),
        blocksize in 1u64..64,
    ) {
        tried(0, "csv_reader");
        let bytes = join(&rows, crlf, sep);
        let mut opts = ReadOptions::default();
        opts.csv.dialect.sep = sep;
        opts.csv.header = header;
        if parse_first_as_date {
            opts.csv.parse_dates = vec![if header { "a".into() } else { "0".into() }];
        }
        opts.blocksize = Some(0);
        let whole = read(&bytes, &opts);
        opts.blocksize = Some(blocksize);
        let split = read(&bytes, &opts);
        if let Ok(w) = &whole {
            match &split {
                // Debug prints NaN as NaN, so missing floats compare equal.
                Ok(s) => prop_assert_eq!(format!("{:?} {:?}", s.names, s.columns), format!("{:?} {:?}", w.names, w.columns)),
                // A record longer than a block (a quoted field with newlines) is the one
                // thing a split read cannot do; it says so and what to do.
                Err(e) => prop_assert!(e.to_string().contains("larger blocksize"), "{e}"),
            }
        }
        if let Err(e) = &whole {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// Random node tables: decoding gives expressions or an error naming the problem.
    #[test]
    fn wire_decoder(nodes in prop::collection::vec(wire_node(), 0..8), out in 0usize..10) {
        tried(1, "wire_decoder");
        let json = format!(r#"{{"nodes":[{}],"outputs":[{out}]}}"#, nodes.join(","));
        if let Ok(wire) = serde_json::from_str::<Wire>(&json) {
            match Context::new().decode(&wire, &[]) {
                Ok(exprs) => {
                    // What decodes encodes back to the same names.
                    let again = Wire::encode(&exprs);
                    let back = Context::new().decode(&again, &again.bytes).unwrap();
                    prop_assert_eq!(back.iter().map(Expr::name).collect::<Vec<_>>(), exprs.iter().map(Expr::name).collect::<Vec<_>>());
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    /// Any text: the parsers answer or decline; valid dates parse to their civil time.
    #[test]
    fn date_and_frequency_parsers(
        s in "\\PC{0,24}",
        y in 1900i64..2100, m in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
        n in 1u32..100, unit in prop::sample::select(vec!["min", "h", "d", "T", "H", "D", "s"]),
    ) {
        tried(2, "date_and_frequency_parsers");
        let _ = parse_datetime(s.as_bytes());
        let _ = parse_freq(&s);
        let text = format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:00");
        let want = days_from_civil(y, m, d) * DAY_MS + i64::from(h * 3_600_000 + mi * 60_000);
        prop_assert_eq!(parse_datetime(text.as_bytes()), Some(want));
        let f = parse_freq(&format!("{n}{unit}"));
        let ms = match unit { "min" | "T" => 60_000, "h" | "H" => 3_600_000, "d" | "D" => DAY_MS, _ => 1000 };
        prop_assert!(f.is_none() || f == Some(i64::from(n) * ms), "{n}{unit} -> {f:?}");
    }

    /// Random operation sequences with unchecked arguments: each step builds or errs.
    #[test]
    fn expression_builder(
        shape in prop::collection::vec(0usize..40, 0..4),
        chunk in prop::collection::vec(0usize..50, 0..4),
        steps in prop::collection::vec(step(), 1..12),
    ) {
        tried(3, "expression_builder");
        let Ok(mut x) = Array::ones(&shape, ChunkSpec::Block(chunk)) else { return Ok(()) };
        for s in steps {
            let next = match s {
                Step::Map(f) => x.map(f),
                Step::Scalar(op, v, r) => x.scalar_op(op, v, r),
                Step::Binary(op) => x.binary(op, &x.t()),
                Step::Reduce(op, axes, every) => x.reduce(op, Some(&axes), 1.0, every),
                Step::Transpose(axes) => x.transpose(Some(&axes)),
                Step::Slice(spec) => x.slice(&spec),
                Step::Rechunk(c) => x.rechunk(ChunkSpec::Block(c)),
                Step::Dot => x.dot(&x.t()),
            };
            match next {
                Ok(y) => x = y,
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
        // Small results compute (a random program must not panic when run either).
        if x.size() <= 4096 && x.npartitions() <= 256 {
            let r = x.compute(Scheduler::Sync);
            prop_assert!(r.is_ok() || !r.unwrap_err().to_string().is_empty());
        }
    }
}

#[derive(Clone, Debug)]
enum Step {
    Map(UnaryFn),
    Scalar(BinaryOp, f64, bool),
    Binary(BinaryOp),
    Reduce(ReduceOp, Vec<isize>, usize),
    Transpose(Vec<isize>),
    Slice(Vec<SliceArg>),
    Rechunk(Vec<usize>),
    Dot,
}

fn step() -> impl Strategy<Value = Step> {
    let slice = prop_oneof![
        Just(SliceArg::All),
        (-50i64..50).prop_map(SliceArg::Index),
        (
            prop::option::of(-50i64..50),
            prop::option::of(-50i64..50),
            prop::option::of(-5i64..5)
        )
            .prop_map(|(a, b, c)| SliceArg::Range(a, b, c)),
    ];
    prop_oneof![
        prop::sample::select(UnaryFn::ALL.to_vec()).prop_map(Step::Map),
        (
            prop::sample::select(BinaryOp::ALL.to_vec()),
            -3.0f64..3.0,
            any::<bool>()
        )
            .prop_map(|(o, v, r)| Step::Scalar(o, v, r)),
        prop::sample::select(BinaryOp::ALL.to_vec()).prop_map(Step::Binary),
        (
            prop::sample::select(ReduceOp::ALL.to_vec()),
            prop::collection::vec(-4isize..4, 0..3),
            0usize..6
        )
            .prop_map(|(o, a, e)| Step::Reduce(o, a, e)),
        prop::collection::vec(-4isize..4, 0..4).prop_map(Step::Transpose),
        prop::collection::vec(slice, 0..4).prop_map(Step::Slice),
        prop::collection::vec(0usize..30, 0..4).prop_map(Step::Rechunk),
        Just(Step::Dot),
    ]
}

/// One node of a wire table: array and dataframe operations with random fields, rows
/// that may point anywhere, and garbage.
fn wire_node() -> impl Strategy<Value = String> {
    let dims = prop::collection::vec(0usize..20, 0..3);
    let ax = || prop::collection::vec(0usize..4, 0..3);
    prop_oneof![
        (dims.clone(), prop::collection::vec(prop::collection::vec(0usize..10, 0..3), 0..3), -2.0f64..2.0)
            .prop_map(|(s, c, v)| format!(r#"{{"kind":"array","type":"full","shape":{s:?},"chunks":{c:?},"value":{v}}}"#)),
        (0usize..9, prop::sample::select(vec!["neg", "sqrt", "exp", "nope"]))
            .prop_map(|(i, f)| format!(r#"{{"kind":"array","type":"map","input":{i},"func":{{"fn":"unary","f":"{f}"}}}}"#)),
        (0usize..9, 0usize..9, prop::sample::select(vec!["add", "dot", "pow"]))
            .prop_map(|(l, r, o)| format!(r#"{{"kind":"array","type":"binary","op":"{o}","left":{l},"right":{r}}}"#)),
        (0usize..9, ax(), 0usize..6)
            .prop_map(|(i, a, e)| format!(r#"{{"kind":"array","type":"reduce","input":{i},"reduce":"sum","axes":{a:?},"ddof":0,"splitEvery":{e}}}"#)),
        (0usize..9, ax()).prop_map(|(i, a)| format!(r#"{{"kind":"array","type":"transpose","input":{i},"axes":{a:?}}}"#)),
        (0usize..9, 0usize..9).prop_map(|(l, r)| format!(r#"{{"kind":"array","type":"dot","left":{l},"right":{r}}}"#)),
        (0usize..9, prop::collection::vec((0usize..30, -3isize..3, 0usize..30), 0..3)).prop_map(|(i, ix)| {
            let ix: Vec<String> = ix
                .iter()
                .map(|(f, s, l)| serde_json::to_string(&AxisIndex::Range { first: *f, step: *s, len: *l }).unwrap())
                .collect();
            format!(r#"{{"kind":"array","type":"slice","input":{i},"index":[{}]}}"#, ix.join(","))
        }),
        Just(r#"{"kind":"array","type":"fromData","data":"data-nope","chunks":[[1]]}"#.to_string()),
        Just(r#"{"kind":"dataframe","type":"len","input":0}"#.to_string()),
        "\\PC{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
    ]
}

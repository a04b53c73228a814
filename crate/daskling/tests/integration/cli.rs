//! The native `daskling` command.

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_daskling");

#[test]
fn generate_writes_the_workshop_layout() {
    let dir = std::env::temp_dir().join(format!("daskling-cli-{}", std::process::id()));
    let out = Command::new(BIN)
        .args(["generate", "--out"])
        .arg(&dir)
        .args(["--tickers", "hp,ibm", "--days", "3", "--seed", "5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for t in ["hp", "ibm"] {
        for d in ["2012-05-01", "2012-05-02", "2012-05-03"] {
            let text = std::fs::read_to_string(dir.join(format!("minute/{t}/{d}.csv"))).unwrap();
            // A header and 391 minutes, 09:30 to 16:00.
            assert_eq!(text.lines().count(), 392);
            assert!(text.ends_with(&format!(
                "{d} 16:00:00,{}\n",
                text.lines().last().unwrap().split_once(',').unwrap().1
            )));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let bad = Command::new(BIN)
        .args(["generate", "--days", "x"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--days x"));
}

#[test]
fn eval_computes_a_serialized_expression() {
    let json = r#"{"nodes":[{"kind":"array","type":"full","shape":[4],"chunks":[[2,2]],"value":1.5},
        {"kind":"array","type":"reduce","input":0,"reduce":"sum","axes":[0],"ddof":0,"splitEvery":4}],"outputs":[1,0]}"#;
    let mut child = Command::new(BIN)
        .arg("eval")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0], 6.0);
    assert_eq!(v[1]["shape"], serde_json::json!([4]));
}

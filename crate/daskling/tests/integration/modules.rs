//! The workspace's module structure: no module circles inside a crate. A module (a
//! file) may use its ancestors (the types its parent declares) and its children, but two
//! modules that are neither must not use each other, directly or around a longer circle
//! — shared helpers go in a leaf module (`expr::array::tasks`, `expr::dataframe::tasks`,
//! `kernels::dataframe::values`).
//!
//! Reads every crate's `src/` and follows the `super::…` and `crate::…` paths of its code
//! (natively: it reads files).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The module path of a source file (`expr::array::lower`), relative to `src/`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            // `bin/` holds programs, not modules of the library.
            if p.file_name().is_some_and(|n| n != "bin") {
                files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and string literals (so doc examples and
/// messages do not count).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Expands `use` trees with braces (`super::{a, b::{c, d}}`) into paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        out.push(format!("{prefix}{tree}"));
        return;
    };
    let head = &tree[..open];
    let body = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&format!("{prefix}{head}"), &body[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand(&format!("{prefix}{head}"), &body[start..], out);
}

/// The `super::…` / `crate::…` paths a file's code names, resolved to module paths.
fn references(module: &[String], is_mod_file: bool, code: &str) -> Vec<Vec<String>> {
    let mut paths = vec![];
    for stmt in code.split(';') {
        if let Some(at) = stmt.find("use ") {
            let tree = stmt[at + 4..].trim();
            if tree.starts_with("super::") || tree.starts_with("crate::") {
                expand("", tree, &mut paths);
                continue;
            }
        }
        for (i, _) in stmt
            .match_indices("super::")
            .chain(stmt.match_indices("crate::"))
        {
            if i > 0 && stmt[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest: String = stmt[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push(rest);
        }
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let mut parts: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let mut base: Vec<String> = match parts.first() {
                Some(&"crate") => vec![],
                Some(&"super") => {
                    // In `a/b.rs` (module a::b) super is `a`; in `a/b/mod.rs` too.
                    let mut m = module.to_vec();
                    if !is_mod_file || !m.is_empty() {
                        m.pop();
                    }
                    m
                }
                _ => return None,
            };
            parts.remove(0);
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
            base.extend(parts.iter().map(|s| s.to_string()));
            Some(base)
        })
        .collect()
}

fn is_prefix(a: &[String], b: &[String]) -> bool {
    a.len() <= b.len() && a == &b[..a.len()]
}

/// The module circles of one crate's `src/`: each a list of modules.
fn circles(src: &Path) -> Vec<Vec<String>> {
    let mut all = vec![];
    files(src, &mut all);
    let modules: BTreeMap<Vec<String>, PathBuf> =
        all.iter().map(|f| (module_of(src, f), f.clone())).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (m, f) in &modules {
        let is_mod = f
            .file_stem()
            .is_some_and(|s| s == "mod" || s == "lib" || s == "main");
        let text = std::fs::read_to_string(f).unwrap();
        // Unit tests (`mod tests` at the end of a file) may use anything.
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for r in references(m, is_mod, &code(text)) {
            // The longest module the path names.
            let Some(target) = (0..=r.len())
                .rev()
                .map(|n| r[..n].to_vec())
                .find(|p| modules.contains_key(p))
            else {
                continue;
            };
            if is_prefix(&target, m) || is_prefix(m, &target) {
                continue; // an ancestor or a descendant
            }
            edges.entry(m.clone()).or_default().insert(target);
        }
    }
    // Strongly connected components (Tarjan), iteratively small enough to recurse.
    struct Tarjan<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on: BTreeSet<Vec<String>>,
        out: Vec<Vec<String>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: &Vec<String>) {
            let i = self.index.len();
            self.index.insert(v.clone(), i);
            self.low.insert(v.clone(), i);
            self.stack.push(v.clone());
            self.on.insert(v.clone());
            for w in self.edges.get(v).cloned().unwrap_or_default() {
                if !self.index.contains_key(&w) {
                    self.visit(&w);
                    let l = self.low[&w].min(self.low[v]);
                    self.low.insert(v.clone(), l);
                } else if self.on.contains(&w) {
                    let l = self.index[&w].min(self.low[v]);
                    self.low.insert(v.clone(), l);
                }
            }
            if self.low[v] == self.index[v] {
                let mut comp = vec![];
                while let Some(w) = self.stack.pop() {
                    self.on.remove(&w);
                    let done = &w == v;
                    comp.push(w.join("::"));
                    if done {
                        break;
                    }
                }
                if comp.len() > 1 {
                    self.out.push(comp);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for m in modules.keys() {
        if !t.index.contains_key(m) {
            t.visit(m);
        }
    }
    t.out
}

#[test]
fn no_crate_has_a_module_circle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = vec![];
    let mut checked = 0;
    for e in std::fs::read_dir(&crates).unwrap() {
        let src = e.unwrap().path().join("src");
        if src.is_dir() {
            checked += 1;
            for c in circles(&src) {
                found.push(format!("{}: {}", src.display(), c.join(" <-> ")));
            }
        }
    }
    assert_eq!(checked, 6, "the six crates");
    assert!(found.is_empty(), "module circles:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_circle() {
    let dir = std::env::temp_dir().join(format!("daskling-modules-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\n").unwrap();
    std::fs::write(src.join("a/mod.rs"), "mod x;\nmod y;\nmod z;\n").unwrap();
    std::fs::write(src.join("a/x.rs"), "use super::y::f;\n").unwrap();
    std::fs::write(src.join("a/y.rs"), "fn f() { super::z::g() }\n").unwrap();
    std::fs::write(src.join("a/z.rs"), "use crate::a::{x::h, y};\n").unwrap();
    let found = circles(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].len(), 3, "{found:?}");
}

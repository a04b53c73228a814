// The DuckDB-WASM peer of the benchmark page, bundled by tests/bench/run.mjs (its
// module imports apache-arrow by name, which a page cannot resolve unbundled).
export * from '@duckdb/duckdb-wasm';

"""The workshop's exercise and array cases in the native peers of daskling's benchmark.

Run by tests/bench/run.mjs (``npm run bench``) from the venv it creates; prints one JSON
object: for each peer and layout the best seconds and the answers (rows, max/min high, mean
close, number of daily groups), and the array cases' seconds.

The exercise, as the workshop's cells do it: rows, max and min of ``high``, mean of
``close``, daily high max and daily spread (high max - low min) grouped by
``timestamp.dt.round('1d')``, computed together, then the first rows.
"""

import argparse
import glob
import json
import os
import time

THREADS = "2"
os.environ.setdefault("POLARS_MAX_THREADS", THREADS)
os.environ.setdefault("OMP_NUM_THREADS", THREADS)
os.environ.setdefault("OPENBLAS_NUM_THREADS", THREADS)


def best(reps, fn):
    """Best seconds of ``reps`` calls of ``fn`` and its last result."""
    out, secs = None, float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        secs = min(secs, time.perf_counter() - t)
    return secs, out


def sql_source(files):
    """A glob of the daily files (as a user writes it), or the one file, quoted for SQL."""
    return f"'{files}'" if isinstance(files, str) else f"'{files[0]}'"


def answers(rows, hmax, hmin, cmean, ndays):
    return {"rows": int(rows), "max": float(hmax), "min": float(hmin), "mean": float(cmean), "days": int(ndays)}


SCHEMA = (
    "header = true, auto_detect = false, columns = {'timestamp': 'TIMESTAMP', 'open': 'DOUBLE', "
    "'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'BIGINT'}"
)


def duckdb_run(files, schema=False):
    """``read_csv`` with its defaults (it sniffs every file: ~1 ms a file), or given the schema."""
    import duckdb

    opts = f", {SCHEMA}" if schema else ""
    return duckdb_exercise(duckdb, f"read_csv({sql_source(files)}{opts})")


def duckdb_exercise(duckdb, read):
    """The exercise in DuckDB on the table function call ``read``."""
    con = duckdb.connect()
    con.execute(f"SET threads={THREADS}")
    # One read into memory, then every query on it: duckdb's way of computing together.
    con.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT timestamp, high, low, close FROM {read}")
    rows, hmax, hmin, cmean = con.execute("SELECT count(*), max(high), min(high), avg(close) FROM t").fetchone()
    daily = con.execute(
        "SELECT time_bucket(INTERVAL 1 DAY, timestamp + INTERVAL 12 HOUR) AS day, max(high), max(high) - min(low) "
        "FROM t GROUP BY day"
    ).fetchall()
    con.execute(f"SELECT * FROM {read} LIMIT 5").fetchall()
    con.execute("DROP TABLE t")
    return answers(rows, hmax, hmin, cmean, len(daily))


def duckdb_parquet(path):
    """The exercise on the Parquet file: ``read_parquet`` (the schema is in the file)."""
    import duckdb

    return duckdb_exercise(duckdb, f"read_parquet('{path}')")


def polars_parquet(path):
    import polars as pl

    return polars_lazy(pl.scan_parquet(path), lambda: pl.scan_parquet(path))


def pandas_parquet(path):
    import pandas as pd

    return pandas_answers(pd.read_parquet(path))


def write_parquet(csv, path):
    """The one file's rows as Parquet, as pyarrow writes it by default (snappy), in row
    groups of 1 M rows; made once."""
    if os.path.exists(path):
        return
    import pyarrow.csv as pc
    import pyarrow.parquet as pq

    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(pc.read_csv(csv), f"{path}.part", row_group_size=1_000_000, compression="snappy")
    os.replace(f"{path}.part", path)


def polars_run(files):
    import polars as pl

    return polars_lazy(pl.scan_csv(files, try_parse_dates=True, glob=True), lambda: pl.scan_csv(files, try_parse_dates=True, glob=True))


def polars_lazy(lf, again):
    import polars as pl

    day = pl.col("timestamp").dt.round("1d")
    totals = lf.select(pl.len(), pl.col("high").max().alias("hmax"), pl.col("high").min().alias("hmin"), pl.col("close").mean())
    daily = lf.group_by(day).agg(pl.col("high").max().alias("h"), (pl.col("high").max() - pl.col("low").min()).alias("spread"))
    t, d = pl.collect_all([totals, daily])
    again().head(5).collect()
    return answers(t[0, 0], t[0, 1], t[0, 2], t[0, 3], d.height)


def pandas_frame(files):
    import pandas as pd

    frames = [pd.read_csv(f, parse_dates=["timestamp"]) for f in files]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def pandas_run(files):
    return pandas_answers(pandas_frame(files))


def pandas_answers(df):
    g = df.groupby(df.timestamp.dt.round("D"))
    hmax = g.high.max()
    _spread = hmax - g.low.min()
    df.head()
    return answers(len(df), df.high.max(), df.high.min(), df.close.mean(), len(hmax))


def dask_run(files):
    import dask
    import dask.dataframe as dd

    df = dd.read_csv(files, parse_dates=["timestamp"])
    g = df.groupby(df.timestamp.dt.round("D"))
    hmax = g.high.max()
    rows, a, b, m, h, _s = dask.compute(
        len(df), df.high.max(), df.high.min(), df.close.mean(), hmax, hmax - g.low.min(),
        scheduler="threads", num_workers=int(THREADS),
    )
    df.head()
    return answers(rows, a, b, m, len(h))


# The everyday dataframe operations of the bench page's ``benchOps``, each from reading
# the file to a small answer: the same answers in every peer (checked by run.mjs).
LOW_VOLUME = 2000


def ops_pandas(path):
    import pandas as pd

    read = lambda: pd.read_csv(path, parse_dates=["timestamp"])  # noqa: E731

    def groupby2(df):
        t = df.timestamp
        g = df.groupby([t.dt.floor("D"), t.dt.hour]).volume.sum()
        return [len(g), float(g.sum())]

    def missing(df):
        m = df.close.mask(df.volume < LOW_VOLUME)
        return [int(m.dropna().count()), float(m.fillna(0).sum())]

    def merge(df):
        m = df.merge(df[["timestamp", "close"]], on="timestamp")
        return [len(m), float(m.close_y.sum())]

    return {
        "sort": lambda: read().sort_values("close", kind="stable").head(5).close.tolist(),
        "nlargest": lambda: read().nlargest(10, "volume").volume.astype(float).tolist(),
        "merge": lambda: merge(read()),
        "rolling": lambda: [float(read().rolling("30min", on="timestamp").close.mean().max())],
        "groupby2": lambda: groupby2(read()),
        "missing": lambda: missing(read()),
    }


def ops_polars(path):
    import polars as pl

    lf = lambda: pl.scan_csv(path, try_parse_dates=True)  # noqa: E731
    t = pl.col("timestamp")

    def merge():
        m = lf().join(lf().select("timestamp", "close"), on="timestamp", suffix="_y")
        r = m.select(pl.len(), pl.col("close_y").sum()).collect()
        return [int(r[0, 0]), float(r[0, 1])]

    def groupby2():
        g = lf().group_by(t.dt.truncate("1d"), t.dt.hour().alias("hour")).agg(pl.col("volume").sum()).collect()
        return [g.height, float(g["volume"].sum())]

    def missing():
        m = pl.when(pl.col("volume") < LOW_VOLUME).then(None).otherwise(pl.col("close")).alias("m")
        r = lf().select(m.count().alias("n"), m.fill_null(0).sum().alias("s")).collect()
        return [int(r[0, 0]), float(r[0, 1])]

    return {
        "sort": lambda: lf().sort("close", maintain_order=True).head(5).collect()["close"].to_list(),
        "nlargest": lambda: [float(v) for v in lf().top_k(10, by="volume").collect()["volume"].to_list()],
        "merge": merge,
        "rolling": lambda: [float(lf().select(pl.col("close").rolling_mean_by("timestamp", "30m")).max().collect()[0, 0])],
        "groupby2": groupby2,
        "missing": missing,
    }


def ops_duckdb(path):
    import duckdb

    def q(sql):
        con = duckdb.connect()
        con.execute(f"SET threads={THREADS}")
        src = f"read_csv('{path}')"
        return con.execute(sql.replace("SRC", src)).fetchall()

    return {
        "sort": lambda: [r[0] for r in q("SELECT close FROM SRC ORDER BY close LIMIT 5")],
        "nlargest": lambda: [float(r[0]) for r in q("SELECT volume FROM SRC ORDER BY volume DESC LIMIT 10")],
        "merge": lambda: [float(x) for x in q(
            "WITH t AS (SELECT * FROM SRC) SELECT count(*), sum(b.close) FROM t a JOIN t b USING (timestamp)")[0]],
        # pandas' window (t - 30 min, t]: the minute bars' times are whole minutes.
        "rolling": lambda: [float(q(
            "SELECT max(m) FROM (SELECT avg(close) OVER (ORDER BY timestamp RANGE BETWEEN "
            "INTERVAL '29 minutes 59 seconds' PRECEDING AND CURRENT ROW) AS m FROM SRC)")[0][0])],
        "groupby2": lambda: [float(x) for x in q(
            "SELECT count(*), sum(v) FROM (SELECT sum(volume) AS v FROM SRC "
            "GROUP BY date_trunc('day', timestamp), hour(timestamp))")[0]],
        "missing": lambda: [float(x) for x in q(
            f"SELECT count(m), sum(coalesce(m, 0)) FROM (SELECT CASE WHEN volume < {LOW_VOLUME} "
            "THEN NULL ELSE close END AS m FROM SRC)")[0]],
    }


def ops(path, reps):
    """Best seconds and answer of each operation in each peer."""
    out = {}
    for name, cases in (("pandas", ops_pandas), ("polars", ops_polars), ("duckdb", ops_duckdb)):
        for case, fn in cases(path).items():
            secs, ans = best(reps, fn)
            out.setdefault(name, {})[case] = {"seconds": secs, "answer": ans}
    return out


def arrays(reps):
    import dask
    import dask.array as da
    import numpy as np

    x = np.random.default_rng(0).random((4000, 4000))
    out = {"numpy": best(reps, lambda: float((x @ x.T).sum()))[0]}
    with dask.config.set(scheduler="threads", num_workers=int(THREADS)):
        dx = da.random.random((4000, 4000), chunks=(1000, 1000)).persist()
        out["dask"] = best(reps, lambda: float(dx.dot(dx.T).sum().compute()))[0]
    return out


def linalg(reps):
    """The linear algebra cases of the page's benchLinalg: numpy (LAPACK on OpenBLAS) on
    one block, dask (threads, chunks 1000²) on the blocked ones; seconds per case."""
    import dask
    import dask.array as da
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((1000, 1000))
    spd1 = x @ x.T + 1000 * np.eye(1000)
    b1 = rng.random(1000)
    out = {
        "numpy": {
            "svd": best(reps, lambda: np.linalg.svd(x @ x.T, compute_uv=True)[1][0])[0],
            "cholesky1": best(reps, lambda: np.linalg.cholesky(spd1))[0],
            "solve1": best(reps, lambda: np.linalg.solve(spd1, b1))[0],
            "inv1": best(reps, lambda: np.linalg.inv(spd1))[0],
            "qr1": best(reps, lambda: np.linalg.qr(x))[0],
        }
    }
    with dask.config.set(scheduler="threads", num_workers=int(THREADS)):
        dx = da.random.random((4000, 4000), chunks=(1000, 1000))
        spd = (dx.dot(dx.T) + 4000 * da.eye(4000, chunks=1000)).persist()
        b = da.random.random(4000, chunks=1000).persist()
        out["dask"] = {
            "cholesky": best(reps, lambda: float(da.linalg.cholesky(spd, lower=True).sum().compute()))[0],
            "solve": best(reps, lambda: float(da.linalg.solve(spd, b).sum().compute()))[0],
        }
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--daily", required=True, help="folder of the daily files")
    p.add_argument("--one", required=True, help="the same rows in one file")
    p.add_argument("--dask-daily", type=int, default=500, help="daily files dask reads (it is slow on many files)")
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--only-ops", action="store_true", help="only the everyday operations")
    p.add_argument("--parquet", help="the one file's rows as Parquet: written if missing, then read by each peer")
    p.add_argument("--only-parquet", action="store_true", help="only the Parquet read")
    p.add_argument("--only-linalg", action="store_true", help="only the linear algebra")
    a = p.parse_args()
    if a.only_linalg:
        print(json.dumps({"linalg": linalg(a.reps)}))
        return
    parquet = {}
    if a.parquet:
        write_parquet(a.one, a.parquet)
        for name, fn in (("duckdb", duckdb_parquet), ("polars", polars_parquet), ("pandas", pandas_parquet)):
            secs, ans = best(a.reps, lambda: fn(a.parquet))
            parquet[name] = {"seconds": secs, "bytes": os.path.getsize(a.parquet), "answers": ans}
    if a.only_parquet:
        print(json.dumps({"parquet": parquet}))
        return
    if a.only_ops:
        print(json.dumps({"ops": ops(a.one, a.reps)}))
        return
    daily = sorted(glob.glob(os.path.join(a.daily, "*.csv")))
    size = lambda fs: sum(os.path.getsize(f) for f in fs)  # noqa: E731
    layouts = {"daily": daily, "one": [a.one]}
    out = {"bytes": {k: size(v) for k, v in layouts.items()}, "peers": {}}
    peers = {
        "duckdb": duckdb_run,
        "duckdb (schema given)": lambda fs: duckdb_run(fs, schema=True),
        "polars": polars_run,
        "pandas": pandas_run,
        "dask": dask_run,
    }
    pattern = os.path.join(a.daily, "*.csv")
    for name, fn in peers.items():
        for layout, files in layouts.items():
            reps, arg = a.reps, files
            if layout == "daily" and name != "pandas":
                arg = pattern  # each reads a glob, as the workshop's read_csv does
            if name == "dask" and layout == "daily":
                files, reps = files[: a.dask_daily], 1
                arg = files
            secs, ans = best(reps, lambda: fn(arg))
            out["peers"].setdefault(name, {})[layout] = {"seconds": secs, "bytes": size(files), "files": len(files), "answers": ans}
    out["arrays"] = arrays(3)
    out["linalg"] = linalg(a.reps)
    out["ops"] = ops(a.one, a.reps)
    out["parquet"] = parquet
    print(json.dumps(out))


if __name__ == "__main__":
    main()

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

    con = duckdb.connect()
    con.execute(f"SET threads={THREADS}")
    src = sql_source(files)
    opts = f", {SCHEMA}" if schema else ""
    # One read into memory, then every query on it: duckdb's way of computing together.
    con.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT timestamp, high, low, close FROM read_csv({src}{opts})")
    rows, hmax, hmin, cmean = con.execute("SELECT count(*), max(high), min(high), avg(close) FROM t").fetchone()
    daily = con.execute(
        "SELECT time_bucket(INTERVAL 1 DAY, timestamp + INTERVAL 12 HOUR) AS day, max(high), max(high) - min(low) "
        "FROM t GROUP BY day"
    ).fetchall()
    con.execute(f"SELECT * FROM read_csv({src}{opts}) LIMIT 5").fetchall()
    con.execute("DROP TABLE t")
    return answers(rows, hmax, hmin, cmean, len(daily))


def polars_run(files):
    import polars as pl

    lf = pl.scan_csv(files, try_parse_dates=True, glob=True)
    day = pl.col("timestamp").dt.round("1d")
    totals = lf.select(pl.len(), pl.col("high").max().alias("hmax"), pl.col("high").min().alias("hmin"), pl.col("close").mean())
    daily = lf.group_by(day).agg(pl.col("high").max().alias("h"), (pl.col("high").max() - pl.col("low").min()).alias("spread"))
    t, d = pl.collect_all([totals, daily])
    pl.scan_csv(files, try_parse_dates=True, glob=True).head(5).collect()
    return answers(t[0, 0], t[0, 1], t[0, 2], t[0, 3], d.height)


def pandas_frame(files):
    import pandas as pd

    frames = [pd.read_csv(f, parse_dates=["timestamp"]) for f in files]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def pandas_run(files):
    df = pandas_frame(files)
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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--daily", required=True, help="folder of the daily files")
    p.add_argument("--one", required=True, help="the same rows in one file")
    p.add_argument("--dask-daily", type=int, default=500, help="daily files dask reads (it is slow on many files)")
    p.add_argument("--reps", type=int, default=2)
    a = p.parse_args()
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
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""Writes the small Parquet files the native tests read
(crate/daskling/tests/data/parquet/), with pyarrow. Every column is a closed form of
the row number r (0..n), so the tests check values by formula, not by this script:

  i  int64      r                   f  double   r / 2
  s  string     "r{r}", null if r % 3 == 0
  b  bool       r is even            ts timestamp[us]  2020-01-01 + r hours
  d  date32     2020-01-01 + r days  ni int32  r, null if r % 4 == 0

rows.parquet: n = 10, row groups of 4 (zstd); rows-snappy.parquet: the same rows,
groups of 3 (snappy); gzip.parquet / lz4.parquet / none.parquet: n = 7, one group each;
empty-group.parquet: n = 5 with a zero-row group written first.

Run: target/venv-dask/bin/python tests/parquet/fixtures.py
"""
import datetime as dt
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

OUT = pathlib.Path(__file__).resolve().parents[2] / "crate/daskling/tests/data/parquet"


def table(n):
    r = range(n)
    return pa.table({
        "i": pa.array(r, pa.int64()),
        "f": pa.array([x / 2 for x in r], pa.float64()),
        "s": pa.array([None if x % 3 == 0 else f"r{x}" for x in r], pa.string()),
        "b": pa.array([x % 2 == 0 for x in r], pa.bool_()),
        "ts": pa.array([dt.datetime(2020, 1, 1) + dt.timedelta(hours=x) for x in r], pa.timestamp("us")),
        "d": pa.array([dt.date(2020, 1, 1) + dt.timedelta(days=x) for x in r], pa.date32()),
        "ni": pa.array([None if x % 4 == 0 else x for x in r], pa.int32()),
    })


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    pq.write_table(table(10), OUT / "rows.parquet", row_group_size=4, compression="zstd")
    pq.write_table(table(10), OUT / "rows-snappy.parquet", row_group_size=3, compression="snappy")
    for codec in ["gzip", "lz4", "none"]:
        pq.write_table(table(7), OUT / f"{codec}.parquet", compression=codec)
    with pq.ParquetWriter(OUT / "empty-group.parquet", table(0).schema) as w:
        w.write_table(table(0))
        w.write_table(table(5))


if __name__ == "__main__":
    main()

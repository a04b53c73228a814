"""Runs a script exported by daskling's toDask as `python script.py` would, then prints
its `result` as JSON on the last line: arrays as {shape, data}, series as {index,
values}, frames as {columns, index, data}, timestamps as milliseconds since the epoch.

    python run_export.py script.py
"""
import json
import math
import runpy
import sys

import numpy as np
import pandas as pd


def plain(v):
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        if v.ndim == 0:
            return number(v.item())
        return {"shape": list(v.shape), "data": [number(x) for x in v.ravel().tolist()]}
    if isinstance(v, pd.DataFrame):
        return {
            "columns": [str(c) for c in v.columns],
            "index": [number(x) for x in v.index],
            "data": {str(c): [number(x) for x in v[c]] for c in v.columns},
        }
    if isinstance(v, pd.Series):
        return {"index": [number(x) for x in v.index], "values": [number(x) for x in v]}
    return number(v)


def number(x):
    if x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, pd.Timestamp):
        return x.value // 1_000_000
    if isinstance(x, (np.generic,)):
        x = x.item()
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, bool):
        return int(x)
    return x


if __name__ == "__main__":
    module = runpy.run_path(sys.argv[1], run_name="__main__")
    print(json.dumps(plain(module["result"])))

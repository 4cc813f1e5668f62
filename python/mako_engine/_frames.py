"""DataFrames from the engine's history: the C++ reader's column tables, Python lists of the in-memory
path, filter values and points in time. Depends on pandas and numpy only (imported when first used,
so that ``import mako_engine`` does not load them); the analysis modules build their frames here.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Filter",
    "TimeLike",
    "categorical_frame",
    "add_payload_columns",
    "frame_from_columns",
    "table_from_rows",
    "require_pandas",
    "to_ns",
    "values",
]

#: A point in time for ``since``/``until``: naive values are UTC.
TimeLike = Union[str, _dt.datetime, _dt.date, int, "pd.Timestamp", None]
#: One value or several alternatives of a filter.
Filter = Union[str, Any, Sequence[Any], None]

_TIME_COLUMNS = {
    "timestamp_ns": "timestamp",
    "first_event_ns": "first_event",
    "last_event_ns": "last_event",
    "due_ns": "due",
    "fired_at_ns": "fired_at",
    "created_at_ns": "created_at",
}


def require_pandas() -> Any:
    """pandas, and numpy (the C++ reader hands its columns over as numpy arrays). Both are dependencies
    of mako-engine; an environment that lacks one (installed with --no-deps) gets a message that says so."""
    try:
        import numpy  # noqa: F401
        import pandas
    except ImportError as e:
        raise ImportError(f"mako_engine's history (DataFrames) needs pandas and numpy, dependencies of mako-engine "
                          f"that are missing here ({e}): pip install pandas numpy") from e
    return pandas


def to_ns(value: TimeLike) -> Optional[int]:
    """Nanoseconds since the Unix epoch (UTC) of ``value``; ``None`` stays ``None``. Naive = UTC."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a time must not be a bool")
    if isinstance(value, int):
        return value
    pd = require_pandas()
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise ValueError(f"not a point in time: {value!r}")
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.as_unit("ns").value)


def values(f: Filter) -> List[str]:
    """A filter as a list of strings: None -> [], one value -> [str], an iterable -> [str, ...]."""
    if f is None:
        return []
    if isinstance(f, (str, bytes)) or not isinstance(f, Iterable):
        return [str(f)]
    return [str(v) for v in f]


def _text_array(data: Any, offsets: Any, valid: Any) -> Any:
    """A string column from one UTF-8 buffer + int64 offsets: Arrow-backed (zero-copy) when pyarrow is
    installed, else an object array of str."""
    pd = require_pandas()
    import numpy as np

    n = len(offsets) - 1
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - exercised only without pyarrow
        pa = None
    if pa is not None:
        bitmap = None
        nulls = 0
        if valid is not None:
            bitmap = pa.py_buffer(np.packbits(valid.astype(bool), bitorder="little"))
            nulls = int(n - valid.sum())
        arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data), bitmap, nulls)
        try:  # pandas >= 2.3: the default string dtype ("str", NaN for missing), Arrow-backed
            return pd.array(arr, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        except TypeError:  # pragma: no cover - older pandas
            return pd.arrays.ArrowStringArray(arr)
    text = bytes(data)
    out = np.empty(n, dtype=object)
    bounds = offsets.tolist()
    for i in range(n):
        out[i] = text[bounds[i]:bounds[i + 1]].decode("utf-8")
    if valid is not None:
        out[valid == 0] = None
    return out


def frame_from_columns(table: Dict[str, Any]) -> pd.DataFrame:
    """Turns a C++ column table (``{"rows", "columns"}``, see ``_core.HistoryReader``) into a DataFrame:
    ``*_ns`` int64 columns become ``datetime64[ns, UTC]`` columns without the suffix, dictionary
    columns ``category``, text columns strings, nullable int64 columns ``Int64``."""
    pd = require_pandas()
    import numpy as np

    data: Dict[str, Any] = {}
    for name, kind, *rest in table["columns"]:
        if kind == "int64":
            column, valid = rest
            if name in _TIME_COLUMNS:
                if valid is not None:
                    column = column.copy()
                    column[valid == 0] = np.iinfo(np.int64).min  # NaT
                data[_TIME_COLUMNS[name]] = pd.arrays.DatetimeArray._from_sequence(column.view("M8[ns]")).tz_localize("UTC")
            elif valid is not None:
                data[name] = pd.arrays.IntegerArray(column, valid == 0)
            else:
                data[name] = column
        elif kind == "category":
            codes, categories = rest
            data[name] = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object), validate=False)
        else:
            buffer, offsets, valid = rest
            data[name] = _text_array(buffer, offsets, valid)
    return pd.DataFrame(data, copy=False)


def table_from_rows(rows: Sequence[Sequence[Any]], schema: Sequence[Tuple[str, str]]) -> Dict[str, Any]:
    """A column table shaped as the C++ reader's (for :func:`frame_from_columns`) from Python rows:
    ``schema`` names each position's column and its kind (``"int64"``, ``"category"``, ``"text"``),
    ``None`` is null. Categories come in order of first appearance, as the C++ reader's, so both
    paths give equal frames."""
    import numpy as np

    def validity(column: List[Any]) -> Any:
        return np.array([v is not None for v in column], dtype=np.uint8) if any(v is None for v in column) else None

    columns: List[Tuple[Any, ...]] = []
    for i, (name, kind) in enumerate(schema):
        column = [row[i] for row in rows]
        if kind == "int64":
            ints = np.array([0 if v is None else v for v in column], dtype=np.int64)
            columns.append((name, "int64", ints, validity(column)))
        elif kind == "category":
            index: Dict[Any, int] = {}
            codes = np.array([-1 if v is None else index.setdefault(v, len(index)) for v in column], dtype=np.int32)
            columns.append((name, "category", codes, list(index)))
        elif kind == "text":
            encoded = [b"" if v is None else str(v).encode("utf-8") for v in column]
            offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
            np.cumsum([len(b) for b in encoded], out=offsets[1:])
            columns.append((name, "text", np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets, validity(column)))
        else:
            raise ValueError(f"unknown column kind {kind!r} of column {name!r}")
    return {"rows": len(rows), "columns": columns}


def categorical_frame(columns: Dict[str, List[Any]], categorical: Sequence[str], times: Sequence[str]) -> pd.DataFrame:
    """A DataFrame from Python lists (the in-memory path), with the same dtypes as the C++ path."""
    pd = require_pandas()
    df = pd.DataFrame(columns)
    for c in categorical:
        df[c] = df[c].astype("category")
    for c in times:
        df[c] = pd.to_datetime(df[c], utc=True).astype("datetime64[ns, UTC]")
    return df


def add_payload_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Adds ``data.<field>`` columns decoded from the ``payload`` JSON column."""
    pd = require_pandas()
    if "payload" not in df.columns:
        raise ValueError("flatten_payload needs the payload column (payload=True)")
    records = [json.loads(p).get("data") or {} for p in df["payload"].tolist()]
    flat = pd.json_normalize(records) if records else pd.DataFrame()
    flat.columns = [f"data.{c}" for c in flat.columns]
    flat.index = df.index
    return pd.concat([df, flat], axis=1)

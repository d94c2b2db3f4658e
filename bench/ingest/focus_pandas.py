#!/usr/bin/python3
"""The FOCUS mapping of `mlcost ingest`, done with pandas: the comparison of mlcost-ingest-bench.

Usage: focus_pandas.py CSV MAPPING_JSON OUT_PICKLE [--rows N] [--exact]

MAPPING_JSON is written by mlcost-ingest-bench from mlcost's own FOCUS mapping (billing/mapping_focus.cc):
a list of {"target", "type", "sources"}; each target column is filled from the first source column the
header has (names compared on letters and digits, case-insensitively, as billing::HeaderIndex does).

What it does, per column, on the first N data lines of CSV (all when N is 0):
  * every cell is read as text; "" and "NULL" are missing (mlcost also trims blanks);
  * decimal columns: pd.to_numeric -> float64, which is NOT exact (pandas has no DECIMAL(38,12));
    with --exact, decimal.Decimal objects quantized to 12 places (exact, as mlcost stores them).
    A value that does not parse fails the run naming the line and column, as mlcost does (mlcost
    also reads "$1,234.50"; this does not);
  * timestamp columns: pd.to_datetime(utc=True), unparseable -> NaT;
  * the tags column: json.loads per cell -> dict, None when it is not a JSON object;
  * text columns: as read;
  * provenance columns x_source_format, x_source_file, x_source_line, x_ingest_id, x_repaired;
  * rule R01 (charge_period_start missing -> the line is rejected), and the BilledCost total.
It does not apply mlcost's 15 flag rules nor the restatement check, so it does less work than mlcost.
The mapped frame is written with DataFrame.to_pickle (no pyarrow on Debian 12 for parquet).
Prints one JSON line: rows, seconds (read + map + write, after `import pandas`), peak_rss_bytes,
billed_cost (a float, or with --exact the exact sum as text).
"""
import decimal
import json
import resource
import sys
import time


def normalize(name):
    return "".join(c.lower() for c in name if c.isalnum())


def parse_tags(text):
    if not isinstance(text, str):  # missing
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): (None if v is None else str(v)) for k, v in value.items()}


TWELVE_PLACES = decimal.Decimal(1).scaleb(-12)


def to_decimal(text):
    if not isinstance(text, str):  # missing
        return None
    try:
        value = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        return float("nan")  # reported as unparseable below
    if not value.is_finite():
        return float("nan")
    return value.quantize(TWELVE_PLACES, rounding=decimal.ROUND_HALF_UP)


def main(argv):
    import pandas as pd

    csv_path, mapping_path, out_path = argv[1:4]
    nrows = 0
    exact = "--exact" in argv[4:]
    if "--rows" in argv[4:]:
        nrows = int(argv[argv.index("--rows") + 1])
    with open(mapping_path) as f:
        mapping = json.load(f)

    start = time.monotonic()
    src = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=["", "NULL"],
                      nrows=nrows or None, quotechar='"', doublequote=True)
    by_key = {normalize(c): c for c in src.columns}
    out = pd.DataFrame(index=src.index)
    for rule in mapping:
        target, kind = rule["target"], rule["type"]
        column = next((by_key[normalize(s)] for s in rule["sources"] if normalize(s) in by_key), None)
        if column is None:
            out[target] = None
            continue
        values = src[column]
        if kind == "decimal":
            if exact:
                parsed = values.map(to_decimal)
                bad = values.notna() & parsed.map(lambda v: isinstance(v, float))
            else:
                parsed = pd.to_numeric(values.str.strip(), errors="coerce")
                bad = parsed.isna() & values.notna()
            if bad.any():
                line = int(bad.idxmax()) + 2
                raise SystemExit(f"{csv_path}:{line}: column \"{column}\": \"{values[bad.idxmax()]}\" "
                                 "is not a decimal number")
            out[target] = parsed
        elif kind == "timestamp":
            out[target] = pd.to_datetime(values, utc=True, errors="coerce")
        elif kind == "tags":
            out[target] = values.map(parse_tags, na_action=None)
        else:
            out[target] = values
    out["x_source_format"] = "focus"
    out["x_repaired"] = None
    out["x_source_file"] = csv_path
    out["x_source_line"] = src.index + 2
    out["x_ingest_id"] = 1
    out = out[out["charge_period_start"].notna()]  # rule R01: rejected
    billed = str(sum(v for v in out["billed_cost"] if v is not None and v == v)) if exact else \
        float(out["billed_cost"].sum())
    out.to_pickle(out_path)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"rows": int(len(src)), "rows_loaded": int(len(out)), "seconds": seconds,
                      "peak_rss_bytes": peak, "billed_cost": billed}))


if __name__ == "__main__":
    main(sys.argv)

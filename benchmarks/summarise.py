#!/usr/bin/env python3
"""Summarises `swift package benchmark --format markdown` output: one line per benchmark with the median
(p50) wall time in ms and the peak resident memory in MiB; for each family at three ROI sizes, how the time
grows from 1e5 to 1e6 voxels. Usage: swift package benchmark --format markdown | python3 summarise.py"""
import re
import sys

UNITS = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}


def parse(text):
    rows, name = {}, None
    for line in text.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line)
        if line.startswith("### "):
            name = line[4:].strip()
            rows[name] = {}
        elif name and line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            m = re.match(r"(Time \(wall clock\)|Memory \(resident peak\)) \((\w+)\)", cells[0])
            if not m or len(cells) < 4:
                continue
            p50 = float(cells[3].replace(",", ""))
            if m.group(1).startswith("Time"):
                rows[name]["ms"] = p50 * UNITS[m.group(2)]
            else:
                rows[name]["MiB"] = p50 * {"M": 1, "K": 1 / 1024, "G": 1024}.get(m.group(2), 1)
    return rows


def main():
    rows = parse(sys.stdin.read())
    print("| benchmark | median ms | peak RSS MiB |")
    print("|---|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r.get('ms', float('nan')):.2f} | {r.get('MiB', float('nan')):.0f} |")
    print("\n| family | 1e4 ms | 1e5 ms | 1e6 ms | 1e6 / 1e5 |")
    print("|---|---:|---:|---:|---:|")
    families = sorted({n.rsplit("/", 1)[0] for n in rows if n.endswith("/roi-1e4")})
    for f in families:
        t = [rows.get(f"{f}/roi-{s}", {}).get("ms", float("nan")) for s in ("1e4", "1e5", "1e6")]
        print(f"| {f} | {t[0]:.2f} | {t[1]:.2f} | {t[2]:.2f} | {t[2] / t[1]:.1f}x |")


if __name__ == "__main__":
    main()

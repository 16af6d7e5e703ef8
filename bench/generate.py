"""Generate a large, valid portfolio for benchmarks: python bench/generate.py DEALS FACILITIES OUT [--files N].

Deterministic (seeded). Each deal has the fields a real one has: parties, dates, a commitment,
notice terms (both effects, lock-outs as dates and durations), served notices, capacity lines
with shares and tranches, tags and a claim; so the loader and the evaluation do real work.
"""
from __future__ import annotations

import argparse
import os
import random

PROVIDERS = 50


def provider_block() -> str:
    out = ["providers:"]
    for i in range(PROVIDERS):
        out.append(f"  p{i:03d}:\n    name: Provider {i}\n    revenue: {random.randint(1, 90)}B USD/year")
    return "\n".join(out) + "\n"


def facility_block(n: int) -> str:
    out = ["facilities:"]
    for i in range(n):
        out.append(
            f"  f{i:04d}:\n    name: Facility {i}\n    operator: p{i % PROVIDERS:03d}\n"
            f"    location: Site {i}, Somewhere\n    power_mw: {random.randint(20, 900)}\n"
            f"    accelerators:\n      H100: {random.randint(1, 99)},{random.randint(100, 999)}\n"
            f"      GB200: {random.randint(1000, 50000)}\n    status: operational")
    return "\n".join(out) + "\n"


def deal(i: int, facilities: int) -> str:
    year = random.randint(2024, 2027)
    start = f"{year}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
    end = f"{year + random.randint(2, 5)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
    kind = i % 4
    lines = [f"  d{i:06d}:", f"    buyer: Buyer {i % 300}", f"    provider: p{i % PROVIDERS:03d}",
             f"    signed: {start}", f"    start: {start}", f"    end: {end}"]
    if kind == 0:
        lines += ["    renewal: 1 year",
                  "    notice: {period: 90 days, parties: either, effect: term_end}"]
    elif kind == 1:
        lines += ["    notice:", "      period: 90 days", "      parties: either", "      not_before: 3 months"]
        if i % 8 == 1:
            lines += [f"    notices:\n      - by: provider\n        given: {year + 1}-06-01"]
    elif kind == 2:
        lines += [f"    notice: {{period: 30 business days, parties: buyer, not_before: {year + 1}-01-01}}"]
    lines += [f"    commitment: {random.randint(1, 999)}M USD/month",
              "    capacity:",
              f"      - facility: f{i % facilities:04d}",
              f"        share: {random.randint(1, 5)}%",
              f"      - accelerators: {{H100: {random.randint(100, 5000)}}}",
              "        power_mw: 2.5",
              f"        from: {year + 1}-01-01",
              "    tags: [bench, generated]",
              f"    notes: Generated deal number {i}.",
              "    claims:",
              "      - field: commitment",
              f"        value: {random.randint(1, 999)}M USD/year",
              "        note: a conflicting report"]
    return "\n".join(lines) + "\n"


def write_portfolio(deals: int, facilities: int, out: str, files: int = 1, seed: int = 7) -> list[str]:
    """Write the portfolio to `out` (a file, or a directory when files > 1); return the paths."""
    random.seed(seed)
    head = "version: 1\n" + provider_block() + facility_block(facilities)
    bodies = [deal(i, facilities) for i in range(deals)]
    if files == 1:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(head + "deals:\n" + "".join(bodies))
        return [out]
    os.makedirs(out, exist_ok=True)
    paths = [os.path.join(out, "000-base.yaml")]
    with open(paths[0], "w", encoding="utf-8") as fh:
        fh.write(head)
    per = -(-deals // files)
    for k in range(files):
        path = os.path.join(out, f"{k + 1:03d}-deals.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("deals:\n" + "".join(bodies[k * per:(k + 1) * per]))
        paths.append(path)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("deals", type=int)
    ap.add_argument("facilities", type=int)
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1)
    a = ap.parse_args()
    write_portfolio(a.deals, a.facilities, a.out, a.files)

#!/usr/bin/env python3
"""`patuh audit --sort` judges logs given out of date order as the log in date order.

    tests/sort_order.py PATUH BENCH_DIR WORK_DIR

Generates a log in date order (bench/generate.py, 20,000 lines with its
malformed ones) and makes from it logs out of date order whose records of
one date still come in the log's order (so that sorting them by date, each
day in the order read, gives the log back):

- three exports joined (each day's records in one of three files, each file
  in date order, the second and third starting before the first ends);
- one file with the years backwards (2025's records first, then 2024's, ...);
- one file shuffled, each person's records still in date order (as a
  position-history export that lists each person's positions together must
  be), as JSON Lines and as CSV (bench/to_csv.py).

Then requires that:
- without --sort the audit of each warns (W0601) and its findings differ
  from the log's (the check below can fail);
- with --sort (and a small --sort-memory, so that sorted runs go through the
  temporary file) the findings, counts and rejected records are the log's,
  apart from where each record was read (source and line);
- the report with --sort is byte-identical for 1 and 2 threads, and with
  runs in the file and all in memory;
- a log already in date order gives the same report with --sort as without.
"""

import heapq
import json
import os
import random
import re
import subprocess
import sys

patuh, bench, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)


def run(*command, cwd=work):
    done = subprocess.run(command, capture_output=True, cwd=cwd)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)}: exit code {done.returncode}\n{done.stderr.decode(errors='replace')}")
    return done.stderr.decode(errors="replace")


def audit(report, *args, sort=None, threads="1"):
    """Runs patuh audit with a JSON report to `report`; returns stderr."""
    extra = [] if sort is None else ["--sort", "--sort-memory", sort]
    return run(patuh, "audit", "--format", "json", "--threads", threads, "--as-of", "2026-01-01", *extra,
               "-o", report, *args)


def field_of(line, *path):
    """The string at `path` in the JSON line, or ""."""
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return ""
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def shuffled(lines, chains, seed):
    """The lines in a random order that keeps, for each key function in
    `chains`, the lines of one key (not empty) in their order."""
    after = [[] for _ in lines]  # the lines that must wait for each
    waiting = [0] * len(lines)
    for key_of in chains:
        last = {}
        for i, line in enumerate(lines):
            key = key_of(i)
            if key:
                if key in last:
                    after[last[key]].append(i)
                    waiting[i] += 1
                last[key] = i
    rng = random.Random(seed)
    ready = [(rng.random(), i) for i in range(len(lines)) if waiting[i] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(lines[i])
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, (rng.random(), j))
    assert len(out) == len(lines)
    return out


PLACE_ID = re.compile(r"^[^:]+:[0-9]+$")  # the id of a CSV row without an id column: FILE:LINE


def placeless(value):
    return "<place>" if isinstance(value, str) and PLACE_ID.match(value) else value


def without_place(report_path):
    """The report's findings, counts and rejections, without where each record was read."""
    with open(os.path.join(work, report_path), encoding="utf-8") as f:
        report = json.load(f)
    findings = []
    for finding in report["findings"]:
        finding = dict(finding)
        for key in ("line", "source"):
            finding.pop(key, None)
        for key in ("event_id", "closed_by"):
            finding[key] = placeless(finding.get(key))
        findings.append(json.dumps(finding, sort_keys=True))
    s = report["summary"]
    counts = (s["events_read"], s["events_evaluated"], s["events_rejected"], s["events_after_as_of"])
    rejected = sorted((r["code"], placeless(r.get("id") or ""), r["reason"]) for r in report["rejected"])
    return sorted(findings), counts, rejected, s["changes_out_of_date_order"]


subprocess.run([sys.executable, os.path.join(bench, "generate.py"), "20000", "--seed", "7", "-o",
                os.path.join(work, "log.jsonl")], check=True)
with open(os.path.join(work, "log.jsonl"), "rb") as f:
    lines = f.read().split(b"\n")
if lines[-1] == b"":
    lines.pop()
dates = [field_of(line, "date") for line in lines]
people = [field_of(line, "person", "nip") for line in lines]

# Three exports: each day's records in one file, by the day's number.
exports = [[], [], []]
for line, day in zip(lines, dates):
    exports[sum(day.encode()) % 3 if day else 0].append(line)
for i, export in enumerate(exports):
    with open(os.path.join(work, f"export-{i}.jsonl"), "wb") as f:
        f.write(b"\n".join(export) + b"\n")
# The years backwards, each year's records in the log's order.
years = sorted({day[:4] for day in dates}, reverse=True)
backwards = [line for year in years for line, day in zip(lines, dates) if day[:4] == year]
with open(os.path.join(work, "backwards.jsonl"), "wb") as f:
    f.write(b"\n".join(backwards) + b"\n")
# Shuffled: each day's records, and each person's, in the log's order.
with open(os.path.join(work, "shuffled.jsonl"), "wb") as f:
    f.write(b"\n".join(shuffled(lines, [lambda i: dates[i], lambda i: people[i]], 7)) + b"\n")
for name in ("log", "shuffled"):
    subprocess.run([sys.executable, os.path.join(bench, "to_csv.py"), os.path.join(work, f"{name}.jsonl"), "-o",
                    os.path.join(work, f"{name}.csv")], check=True)

failures = []

audit("log.json", "log.jsonl")
expected = without_place("log.json")
if expected[3] is not None:
    sys.exit("the generated log is not in date order: it warns W0601")
if not expected[0]:
    sys.exit("the generated log has no findings: nothing would be compared")

# A log already in date order: the same bytes with --sort, the file or memory.
audit("log-sorted.json", "log.jsonl", sort="64K")
audit("log-sorted-memory.json", "log.jsonl", sort="1G")
for other in ("log-sorted.json", "log-sorted-memory.json"):
    with open(os.path.join(work, "log.json"), "rb") as a, open(os.path.join(work, other), "rb") as b:
        if a.read() != b.read():
            failures.append(f"log.jsonl: the report with --sort ({other}) differs from the one without")

cases = {
    "three exports joined": (["export-0.jsonl", "export-1.jsonl", "export-2.jsonl"], expected, "log.json"),
    "years backwards": (["backwards.jsonl"], expected, "log.json"),
    "shuffled": (["shuffled.jsonl"], expected, "log.json"),
}
audit("log-csv.json", "log.csv")
cases["CSV, shuffled"] = (["shuffled.csv"], without_place("log-csv.json"), "log-csv.json")

for name, (inputs, want, _) in cases.items():
    slug = name.replace(" ", "-").replace(",", "")
    stderr = audit(f"{slug}-unsorted.json", *inputs)
    unsorted = without_place(f"{slug}-unsorted.json")
    if "warning[W0601]" not in stderr or unsorted[3] is None:
        failures.append(f"{name}: no W0601 without --sort")
    if unsorted[0] == want[0]:
        failures.append(f"{name}: the same findings without --sort: the comparison proves nothing")
    stderr = audit(f"{slug}-1.json", *inputs, sort="256K", threads="1")
    if "W0601" in stderr:
        failures.append(f"{name}: W0601 with --sort: {stderr}")
    got = without_place(f"{slug}-1.json")
    for part, what in enumerate(("findings", "counts", "rejected records", "date order")):
        if got[part] != want[part]:
            a, b = got[part], want[part]
            detail = f"{len(a)} against {len(b)}" if isinstance(a, list) else f"{a} against {b}"
            failures.append(f"{name}: {what} with --sort differ from the sorted log's: {detail}")
    audit(f"{slug}-2.json", *inputs, sort="256K", threads="2")
    audit(f"{slug}-memory.json", *inputs, sort="1G", threads="2")
    for other in (f"{slug}-2.json", f"{slug}-memory.json"):
        with open(os.path.join(work, f"{slug}-1.json"), "rb") as a, open(os.path.join(work, other), "rb") as b:
            if a.read() != b.read():
                failures.append(f"{name}: {other} differs from {slug}-1.json")

if failures:
    sys.exit("\n".join(failures))
print(f"{len(expected[0])} findings, {expected[1][0]} records: the same with --sort for {len(cases)} orders")

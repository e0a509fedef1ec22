#!/usr/bin/env python3
"""The benchmark's programs count what patuh counts, on a generated log.

    tests/bench_programs.py PATUH BENCH_DIR BARE_PARSE READ_EVENTS JUDGE_EVENTS WORK_DIR

bench/run sets their times beside patuh's, so each must go through the whole
log: bare_parse must see every record (parsed or malformed), read_events
must accept and reject what `patuh audit` does, and judge_events must judge
every accepted event into the report's findings.
"""

import json
import os
import re
import subprocess
import sys

patuh, bench, bare_parse, read_events, judge_events, work = sys.argv[1:7]
os.makedirs(work, exist_ok=True)
log = os.path.join(work, "events.jsonl")
subprocess.run([sys.executable, os.path.join(bench, "generate.py"), "20000", "-o", log], check=True)
with open(log, "rb") as f:
    records = sum(1 for line in f if line.strip())

report = os.path.join(work, "report.json")
done = subprocess.run([patuh, "audit", "--format", "json", "--threads", "1", "-o", report, log],
                      capture_output=True)
if done.returncode not in (0, 1):
    sys.exit(f"patuh audit: exit code {done.returncode}\n{done.stderr.decode(errors='replace')}")
with open(report, encoding="utf-8") as f:
    summary = json.load(f)["summary"]
if summary["events_rejected"] == 0:
    sys.exit("the generated log has no bad line: nothing is checked about rejections")


def numbers(command):
    """The program's output as {name: number}, for its 'name number' pairs."""
    out = subprocess.run(command, capture_output=True, check=True).stdout.decode()
    return {k: float(v) for k, v in re.findall(r"([a-z_/]+) ([0-9.]+)", out)}


failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: {got:g}, expected {want:g}")


bare = numbers([bare_parse, log])
expect("bare_parse: records + malformed", bare["records"] + bare["malformed"], records)
expect("bare_parse: malformed (the lines that are not JSON)", bare["malformed"] > 0, True)

for threads in ("1", "2"):
    read = numbers([read_events, log, threads])
    expect(f"read_events {threads}: records", read["records"], summary["events_read"])
    expect(f"read_events {threads}: accepted", read["accepted"], summary["events_evaluated"])
    expect(f"read_events {threads}: rejected", read["rejected"], summary["events_rejected"])

judge = numbers([judge_events, log])
expect("judge_events: events", judge["events"], summary["events_evaluated"])
expect("judge_events: unplaced", judge["unplaced"], 0)
expect("judge_events: findings", judge["findings"], summary["findings"])
# Each of the three is printed rounded to milliseconds.
expect("judge_events: seconds = read_judge_s - read_s (to the millisecond)",
       abs(judge["read_judge_s"] - judge["read_s"] - judge["seconds"]) <= 0.0015, True)

if failures:
    sys.exit("\n".join(failures))
print(f"{records} records: bare_parse, read_events and judge_events agree with patuh audit")

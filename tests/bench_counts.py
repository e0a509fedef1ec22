#!/usr/bin/env python3
"""bench/check_counts.py and patuh agree on a generated log with planted bad lines.

    tests/bench_counts.py PATUH BENCH_DIR WORK_DIR

Generates a log (bench/generate.py), puts in lines of many kinds of damage at
places spread through it, and requires that check_counts.py agrees with
`patuh audit --format json` on it as JSON Lines, as gzip on standard input
and, converted by bench/to_csv.py and given bad rows of its own, as CSV;
and that a record whose value holds a line break, a ';' and quotes comes out
of bench/to_csv.py as one quoted row that patuh reads without a rejection.
"""

import gzip
import json
import os
import random
import subprocess
import sys

patuh, bench, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)


def run(*command, **kwargs):
    done = subprocess.run(command, capture_output=True, **kwargs)
    return done.returncode, done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")


def must(code, output, what, expected=(0,)):
    if code not in expected:
        sys.exit(f"{what}: exit code {code}\n{output}")


# Each kind of damage, applied to a generated line; None for an added line.
JSON_DAMAGE = [
    lambda s: s[: len(s) // 2],                                    # cut off
    lambda s: s.replace(b'"kind":"', b'"kind":"zz', 1),            # unknown kind
    lambda s: s + b"\r",                                           # CRLF line end (good)
    lambda s: b"\xef\xbb\xbf" + s,                                 # byte-order mark (good)
    lambda s: s[:10] + b"\x00" + s[10:],                           # NUL
    lambda s: s[:12] + b"\xc3\x28" + s[12:],                       # not UTF-8
    lambda s: s[:-1] + b',"note":' + b"[" * 80 + b"]" * 80 + b"}",  # too deep
    lambda s: b"[" + s + b"]",                                     # not an object
    lambda s: s[:-1] + b',"notee":1}',                             # unknown field
    lambda s: s.replace(b'"date":"', b'"date":"2017-02-30","x":"', 1),
    lambda s: s.replace(b'"region":"', b'"region":"9', 1),
    lambda s: s.replace(b'"date":"', b'"date":2017,"x":"', 1),     # a date that is a number
    lambda s: s[:-1] + b',"note":"\\ud800"}',                      # lone surrogate
    lambda s: s[:-1] + b',"concurrent":1E400}',                    # beyond a double
    lambda s: b'{"schema":"patuh-event/2",' + s[1:],
    lambda s: s.replace(b'"id":', b'"idx":', 1),                   # no id
    lambda s: s[:-1] + b',"reason":"sick"}',
    lambda s: b"\x0c" + s,                                         # a form feed is not JSON white space
    lambda s: b"   " + s + b"  \t",                                # blanks around (good)
    None,                                                          # a blank line, a CR-only line, a lone mark
]
ADDED = [b"", b"\r", b"  \t\r", b"\xef\xbb\xbf"]
CSV_DAMAGE = [
    lambda f: f[:-2],                                              # too few values
    lambda f: f + [b"extra"],                                      # too many
    lambda f: f[:6] + [b"31-02-2017"] + f[7:],                     # no such day
    lambda f: f[:6] + [b"2017/13/45"] + f[7:],                     # no date form
    lambda f: f[:1] + [f[1][:-3]] + f[2:],                         # short NIP
    lambda f: f[:2] + [b'"Nama; dengan titik koma"'] + f[3:],      # quoted delimiter (good)
    lambda f: f[:2] + [b'"Nama ""kutip"""'] + f[3:],               # doubled quote (good)
    lambda f: f[:2] + [b'Na"ma'] + f[3:],                          # stray quote
    lambda f: f[:2] + [b'"Nama\nbaris dua"'] + f[3:],              # line break in a quoted value (good)
    lambda f: f[:2] + [b"\xff\xfe"] + f[3:],                       # not UTF-8
    lambda f: f[:2] + [b'"x"y'] + f[3:],                           # text after the closing quote
    lambda f: f[:-1] + [f[-1] + b"\r"],                            # CRLF (good)
]


def plant(lines, count, damage, seed):
    rnd = random.Random(seed)
    places = set(rnd.sample(range(1, len(lines)), count))
    out = []
    for i, line in enumerate(lines):
        if i in places:
            k = rnd.randrange(len(damage))
            if damage[k] is None:
                out.append(ADDED[rnd.randrange(len(ADDED))])
                out.append(line)
            else:
                out.append(damage[k](line))
        else:
            out.append(line)
    return out


log = os.path.join(work, "log.jsonl")
must(*run(sys.executable, os.path.join(bench, "generate.py"), "20000", "--seed", "3", "--regions", "30", "-o", log),
     "generate.py")
with open(log, "rb") as f:
    lines = f.read().split(b"\n")[:-1]
lines = plant(lines, 200, JSON_DAMAGE, 1)
lines.insert(len(lines) // 2, b'{"note":"' + b"y" * (1 << 20) + b'"}')  # over 1 MiB
with open(log, "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
with open(log + ".gz", "wb") as f:
    f.write(gzip.compress(open(log, "rb").read()))
csv = os.path.join(work, "log.csv")
must(*run(sys.executable, os.path.join(bench, "to_csv.py"), log, "-o", csv), "to_csv.py")
with open(csv, "rb") as f:
    rows = f.read().split(b"\n")[:-1]
rows = rows[:1] + [b";".join(d(r.split(b";"))) for d, r in
                   ((CSV_DAMAGE[i % len(CSV_DAMAGE)], r) if i % 97 == 5 else (lambda f: f, r)
                    for i, r in enumerate(rows[1:]))]
with open(csv, "wb") as f:
    f.write(b"\n".join(rows) + b"\n")

check = os.path.join(bench, "check_counts.py")
for name, stdin, extra in (("log.jsonl", None, ["--source", "log.jsonl"]),
                           ("-", "log.jsonl.gz", ["--source", "<stdin>"]), ("log.csv", None, ["--source", "log.csv"])):
    report = os.path.join(work, name.strip("-") + "report.json")
    stream = open(os.path.join(work, stdin), "rb") if stdin else subprocess.DEVNULL
    must(*run(patuh, "audit", "--format", "json", "--threads", "2", "-o", report, name, cwd=work, stdin=stream),
         f"patuh audit {name}", expected=(0, 1))
    code, output = run(sys.executable, check, os.path.join(work, stdin or name), report, *extra)
    must(code, output, f"check_counts.py {stdin or name}")
    print(f"{stdin or name}: {output.splitlines()[0]}")

# A value with a line break, the delimiter and quotes in it: bench/to_csv.py
# quotes it, and patuh and check_counts.py read the export as the one record it is.
record = {"id": "ev-1", "kind": "appoint", "date": "2025-12-31", "region": "11", "unit": "disdukcapil",
          "position": "Kepala Seksi Pengolahan dan Penyajian Data", "rank": "Pengawas",
          "person": {"nip": "196001011986042003", "name": 'Dewi\nMangopo; "Dewi"'},
          "decree": {"number": "821.2/4/BKPSDM", "date": "2025-12-31", "issuer": "Gubernur"},
          "approvals": [{"authority": "Direktur", "number": "800.1.3.3/4/SJ", "date": "2025-11-30",
                         "nip": "196001011986042003"}]}
small = os.path.join(work, "line-break.jsonl")
with open(small, "w", encoding="utf-8") as f:
    f.write(json.dumps(record) + "\n")
small_csv = os.path.join(work, "line-break.csv")
must(*run(sys.executable, os.path.join(bench, "to_csv.py"), small, "-o", small_csv), "to_csv.py line-break.jsonl")
report = os.path.join(work, "line-break.report.json")
must(*run(patuh, "audit", "--format", "json", "-o", report, small_csv), "patuh audit line-break.csv", expected=(0, 1))
with open(report, encoding="utf-8") as f:
    summary = json.load(f)["summary"]
if (summary["events_read"], summary["events_rejected"]) != (1, 0):
    sys.exit(f"line-break.csv: {summary['events_read']} read, {summary['events_rejected']} rejected; "
             f"1 and 0 expected\n{open(small_csv, encoding='utf-8').read()}")
code, output = run(sys.executable, check, small_csv, report)
must(code, output, "check_counts.py line-break.csv")
print(f"line-break.csv: {output.splitlines()[0]}")

#!/usr/bin/env python3
"""Every stable code that engine/ and include/ can emit has a row in the table
of its document, and every code in a table of docs/ is still emitted.

Codes are taken from the string literals of the sources (E0101, R0120, M0106,
...); a documented code is the first cell of a table row (`| R0101 | ...`).
Usage: doc_codes.py SOURCE_DIR
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
code = re.compile(r"\b([EWRPM]0[0-9]{3})\b")
literal = re.compile(r'"(?:[^"\\\n]|\\.)*"')
row = re.compile(r"^\|\s*`?([EWRPM]0[0-9]{3})`?\s*\|", re.MULTILINE)

# The document whose table lists each group of codes.
homes = [
    ("E", "docs/diagnostics.md"),
    ("W", "docs/diagnostics.md"),
    ("M", "docs/diagnostics.md"),
    ("P", "docs/diagnostics.md"),
    ("R01", "docs/events.md"),
    ("R02", "docs/csv-import.md"),
]

emitted = {}
for folder in ("engine", "include"):
    for path in sorted((root / folder).rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        text = path.read_text(encoding="utf-8")
        for lit in literal.findall(text):
            for c in code.findall(lit):
                emitted.setdefault(c, path.relative_to(root).as_posix())

documented = {}
for path in sorted((root / "docs").glob("*.md")):
    for c in row.findall(path.read_text(encoding="utf-8")):
        documented.setdefault(c, set()).add(path.relative_to(root).as_posix())

problems = []
for c, where in sorted(emitted.items()):
    home = next(doc for prefix, doc in homes if c.startswith(prefix))
    if home not in documented.get(c, set()):
        problems.append(f"{c} (emitted in {where}) has no row in the table of {home}")
for c, docs in sorted(documented.items()):
    if c not in emitted:
        problems.append(f"{c} is documented in {', '.join(sorted(docs))} but no source emits it")

for p in problems:
    print(p)
print(f"{len(emitted)} codes emitted, {len(documented)} documented, {len(problems)} problems")
sys.exit(1 if problems else 0)

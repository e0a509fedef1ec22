#!/usr/bin/env python3
"""`patuh impact` on a generated log agrees with a comparison of two audits made here.

    tests/impact_generated.py PATUH SOURCE_DIR WORK_DIR

Generates a log (bench/generate.py, 30,000 lines over 24 regions, with its
malformed lines) and audits it twice as JSON: with the shipped rules and
with the shipped rules and the amendment of examples/draft-impact. Pairs the
two reports' findings as docs/impact.md says (same record, post and sort of
case; same rule id first, then report order) with none of patuh's code, and
requires that `patuh impact --format json` of the same log:

- lists as new and gone exactly the findings left unpaired here, in report
  order, and as changed exactly the pairs found here to differ, with the same
  differences (rule id, severity, opened, closed, requirement as the rule
  files state it, remedy text);
- counts them by rule (rule in force, rule of the draft), most first;
- counts the rest as the same, and adds up: findings with the rules in force
  = gone + changed + same, with the draft = new + changed + same;
- lists the regions whose stage, open findings, open notices or worst open
  severity differ, in the draft report's order;
- writes the same bytes with --threads 1 and 2, and exits 1;
- as CSV, writes one row for each of those findings, new, gone, changed;
and that the shipped rules compared with themselves change nothing (exit 0).
"""

import csv
import json
import os
import re
import subprocess
import sys

patuh, source, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
log = os.path.join(work, "events.jsonl")
rules = os.path.join(source, "rules", "dukcapil")
amendment = os.path.join(source, "examples", "draft-impact", "amendment.patuh")


def run(*command, expect):
    done = subprocess.run(command, capture_output=True)
    if done.returncode != expect:
        sys.exit(f"{' '.join(command)}: exit code {done.returncode}, expected {expect}\n"
                 f"{done.stderr.decode(errors='replace')}")


run(sys.executable, os.path.join(source, "bench", "generate.py"), "30000", "--seed", "5", "--regions", "24", "-o", log,
    expect=0)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


in_force_json = os.path.join(work, "in-force.json")
draft_json = os.path.join(work, "draft.json")
run(patuh, "audit", "--lang", "en", "--format", "json", "--fail-on", "none", "-o", in_force_json, log, expect=0)
run(patuh, "audit", "--lang", "en", "--format", "json", "--fail-on", "none", "--rules", rules, "--rules", amendment,
    "-o", draft_json, log, expect=0)
in_force = load(in_force_json)
draft = load(draft_json)

# What the rule files say of each rule: the sort of case it finds ("change",
# or the check) and its requirement statement.
rule_block = re.compile(r"\b(?:rule|moratorium)\s+(\w+)\s+\"[^\"]*\"[^{\n]*\{(.*?)\n\s*\}", re.S)


def rule_facts(paths):
    facts = {}
    for path in paths:
        files = [os.path.join(path, f) for f in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
        for name in files:
            if not name.endswith(".patuh"):
                continue
            with open(name, encoding="utf-8") as f:
                for rule_id, body in rule_block.findall(f.read()):
                    check = re.search(r"^\s*check\s+(\w+)", body, re.M)
                    needs = re.search(r"^\s*(requires .*|allowed|forbidden)\s*$", body, re.M)
                    facts[rule_id] = (check.group(1) if check else "change",
                                      " ".join(needs.group(1).split()) if needs else "")
    return facts


in_force_rules = rule_facts([rules])
draft_rules = rule_facts([rules, amendment])


def identity(f, facts):
    return (f["source"], f["line"], f["event_id"], f["region"], f["unit"], f["position"], facts[f["rule_id"]][0])


def differences(a, b):
    out = []
    if a["rule_id"] != b["rule_id"]:
        out.append("rule")
    if a["severity"] != b["severity"]:
        out.append("severity")
    if a["opened"] != b["opened"]:
        out.append("opened")
    if (a["closed"], a["closed_because"], a["closed_by"]) != (b["closed"], b["closed_because"], b["closed_by"]):
        out.append("closed")
    required_a = (a["required_authority"], in_force_rules[a["rule_id"]][1])
    required_b = (b["required_authority"], draft_rules[b["rule_id"]][1])
    if required_a != required_b:
        out.append("required")
    if a["remedy"]["text"] != b["remedy"]["text"]:
        out.append("remedy")
    return out


a_findings = in_force["findings"]
b_findings = draft["findings"]
by_identity = {}
for j, f in enumerate(b_findings):
    by_identity.setdefault(identity(f, draft_rules), []).append(j)
paired_a, paired_b = set(), set()
changed, same = [], 0
for same_rule in (True, False):
    for i, f in enumerate(a_findings):
        if i in paired_a:
            continue
        for j in by_identity.get(identity(f, in_force_rules), []):
            if j in paired_b or (same_rule and b_findings[j]["rule_id"] != f["rule_id"]):
                continue
            paired_a.add(i)
            paired_b.add(j)
            d = differences(f, b_findings[j])
            if d:
                changed.append((j, i, d))
            else:
                same += 1
            break
changed.sort()
gone = [a_findings[i] for i in range(len(a_findings)) if i not in paired_a]
new = [b_findings[j] for j in range(len(b_findings)) if j not in paired_b]

reports = []
for threads in ("1", "2"):
    out = os.path.join(work, f"impact-{threads}.json")
    run(patuh, "impact", "--lang", "en", "--format", "json", "--threads", threads, "--draft", rules, "--draft",
        amendment, "-o", out, log, expect=1)
    with open(out, "rb") as f:
        reports.append(f.read())
if reports[0] != reports[1]:
    sys.exit("patuh impact: the report differs between --threads 1 and 2")
impact = json.loads(reports[0])

problems = []
if impact["new"] != new:
    problems.append(f"new: patuh lists {len(impact['new'])}, the pairing here {len(new)}")
if impact["gone"] != gone:
    problems.append(f"gone: patuh lists {len(impact['gone'])}, the pairing here {len(gone)}")
expected_changed = [{"differs": d, "draft": b_findings[j], "in_force": a_findings[i]} for j, i, d in changed]
if impact["changed"] != expected_changed:
    problems.append(f"changed: patuh lists {len(impact['changed'])}, the pairing here {len(expected_changed)}")
    for x, y in zip(impact["changed"], expected_changed):
        if x != y:
            problems.append(f"  first differing: patuh {x['draft']['event_id']} {x['differs']}, "
                            f"here {y['draft']['event_id']} {y['differs']}")
            break
by_rule = {}
for f in new:
    by_rule[("new", None, f["rule_id"])] = by_rule.get(("new", None, f["rule_id"]), 0) + 1
for f in gone:
    by_rule[("gone", f["rule_id"], None)] = by_rule.get(("gone", f["rule_id"], None), 0) + 1
for j, i, _ in changed:
    key = ("changed", a_findings[i]["rule_id"], b_findings[j]["rule_id"])
    by_rule[key] = by_rule.get(key, 0) + 1
listed_by_rule = {(x["status"], x["in_force"], x["draft"]): x["count"] for x in impact["by_rule"]}
if listed_by_rule != by_rule:
    problems.append(f"by_rule: patuh {listed_by_rule}, here {by_rule}")
counts = [x["count"] for x in impact["by_rule"]]
if counts != sorted(counts, reverse=True):
    problems.append("by_rule: not the most first")
summary = impact["summary"]
if summary["same"] != same:
    problems.append(f"same: patuh {summary['same']}, here {same}")
if summary["in_force"]["findings"] != summary["gone"] + summary["changed"] + summary["same"]:
    problems.append("the findings with the rules in force do not add up")
if summary["draft"]["findings"] != summary["new"] + summary["changed"] + summary["same"]:
    problems.append("the findings with the draft do not add up")
for name, count in (("new", len(new)), ("gone", len(gone)), ("changed", len(changed))):
    if count == 0:
        problems.append(f"the generated log gives no {name} finding: the check proves nothing about it")


def standing(region):
    if region is None:
        return (None, 0, 0, None)
    return (region["risk"]["stage"], region["open_findings"], region["open_notices"], region["worst_open_severity"])


a_regions = {r["code"]: r for r in in_force["regions"]}
expected_regions = [r["code"] for r in draft["regions"] if standing(r) != standing(a_regions.get(r["code"]))]
listed_regions = [r["code"] for r in impact["regions"]]
if listed_regions != expected_regions:
    problems.append(f"regions: patuh lists {listed_regions}, here {expected_regions}")
if not expected_regions:
    problems.append("no region's standing changes: the check proves nothing about regions")

run(patuh, "impact", "--lang", "en", "--draft", rules, "-o", os.path.join(work, "itself.txt"), log, expect=0)

# The CSV report: one row for each finding new, gone and changed, in that order, 23 cells each.
csv_path = os.path.join(work, "impact.csv")
run(patuh, "impact", "--lang", "en", "--format", "csv", "--draft", rules, "--draft", amendment, "-o", csv_path, log,
    expect=1)
with open(csv_path, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
statuses = [row[0] for row in rows[1:]]
expected_statuses = ["new"] * len(new) + ["gone"] * len(gone) + ["changed"] * len(changed)
if statuses != expected_statuses:
    problems.append(f"CSV: {len(statuses)} rows, expected {len(expected_statuses)} in the order new, gone, changed")
if any(len(row) != 23 for row in rows):
    problems.append("CSV: a row without 23 cells")

if problems:
    sys.exit("\n".join(problems))
print(f"{len(a_findings)} findings with the rules in force, {len(b_findings)} with the draft: "
      f"{len(new)} new, {len(gone)} gone, {len(changed)} changed, {same} the same; "
      f"{len(expected_regions)} regions change")

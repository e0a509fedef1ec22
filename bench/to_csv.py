#!/usr/bin/env python3
"""Turns a generated change log into a position-history export (riwayat jabatan).

    bench/to_csv.py LOG.jsonl [-o FILE.csv]

One row per appointment, transfer, acting post (`Plt.` before the position)
and dismissal of the log, with the usual Indonesian headers, `;` between
fields and dates as DD-MM-YYYY, as SIMPEG/SIASN spreadsheets are exported.
Lines that are not JSON or not personnel changes are left out; malformed
records the generator planted stay malformed (a bad NIP stays bad). The
approval columns carry a row's first approval. Python 3 standard library.
"""

import argparse
import json
import sys

HEADER = ["No", "NIP", "Nama", "Jabatan", "Eselon", "Unit Kerja", "TMT Jabatan", "Nomor SK", "Tanggal SK",
          "Pejabat Penetap", "Nomor Persetujuan", "Tanggal Persetujuan", "Pemberi Persetujuan", "Kode Wilayah",
          "Alasan"]
UNIT = "Dinas Kependudukan dan Pencatatan Sipil"


def day(iso):
    """2017-08-11 → 11-08-2017; anything else as it is."""
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}" if len(iso) == 10 and iso[4] == "-" else iso


def row(e, number):
    person = e.get("person") or {}
    decree = e.get("decree") or {}
    approval = (e.get("approvals") or [{}])[0]
    position = e.get("position", "")
    if e["kind"] == "acting":
        position = "Plt. " + position
    return [str(number), person.get("nip", ""), person.get("name", ""), position, e.get("rank", ""), UNIT,
            day(e.get("date", "")), decree.get("number", ""), day(decree.get("date", "")), decree.get("issuer", ""),
            approval.get("number", ""), day(approval.get("date", "")), approval.get("authority", ""),
            e.get("region", ""), e.get("reason", "")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", help="a log written by bench/generate.py")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    rows = 0
    with out, open(args.log, encoding="utf-8") as log:
        out.write(";".join(HEADER) + "\n")
        for line in log:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if not isinstance(e, dict) or e.get("kind") not in ("appoint", "transfer", "acting", "dismiss"):
                continue
            rows += 1
            out.write(";".join(field.replace(";", ",") for field in row(e, rows)) + "\n")


if __name__ == "__main__":
    main()

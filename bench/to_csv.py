#!/usr/bin/env python3
"""Turns a generated change log into a position-history export (riwayat jabatan).

    bench/to_csv.py LOG.jsonl [-o FILE.csv]

One row per appointment, transfer, acting post (`Plt.` before the position)
and dismissal of the log, with the usual Indonesian headers, `;` between
fields and dates as DD-MM-YYYY, as SIMPEG/SIASN spreadsheets are exported.
A value holding `;`, a double quote or a line break is quoted as RFC 4180
does (and patuh's CSV reader reads, docs/csv-import.md): in double quotes,
a double quote in it doubled, its line breaks kept.
Lines that are not UTF-8 or not JSON, records that are not personnel changes,
and those whose fields for the row are not strings (or objects for `person`,
`decree`, an array of objects for `approvals`) or hold a lone surrogate are
left out; malformed values the generator planted stay malformed (a bad NIP
stays bad). The
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


def text(obj, key):
    """A string member ("" when absent); None when it is there but not a string."""
    v = obj.get(key, "")
    return v if isinstance(v, str) else None


def cell(value):
    """A value as one CSV field: quoted when it holds the delimiter, a quote or a line break."""
    if any(c in value for c in ';"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def row(e, number):
    """The row of a personnel change, or None when a field the row needs is not
    of its type (a record patuh rejects as JSON: it has no faithful row)."""
    person, decree, approvals = e.get("person", {}), e.get("decree", {}), e.get("approvals", [{}])
    if not (isinstance(person, dict) and isinstance(decree, dict) and isinstance(approvals, list)):
        return None
    approval = approvals[0] if approvals else {}
    if not isinstance(approval, dict):
        return None
    fields = [text(person, "nip"), text(person, "name"), text(e, "position"), text(e, "rank"), text(e, "date"),
              text(decree, "number"), text(decree, "date"), text(decree, "issuer"), text(approval, "number"),
              text(approval, "date"), text(approval, "authority"), text(e, "region"), text(e, "reason")]
    if None in fields:
        return None
    nip, name, position, rank, date, number_sk, date_sk, issuer, number_ok, date_ok, authority, region, reason = fields
    if e["kind"] == "acting":
        position = "Plt. " + position
    return [str(number), nip, name, position, rank, UNIT, day(date), number_sk, day(date_sk), issuer, number_ok,
            day(date_ok), authority, region, reason]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("log", help="a log written by bench/generate.py")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    rows = 0
    with out, open(args.log, "rb") as log:
        out.write(";".join(HEADER) + "\n")
        for line in log:
            try:
                e = json.loads(line.decode("utf-8"))
            except ValueError:  # not UTF-8 (UnicodeDecodeError is a ValueError) or not JSON
                continue
            if not isinstance(e, dict) or e.get("kind") not in ("appoint", "transfer", "acting", "dismiss"):
                continue
            fields = row(e, rows + 1)
            if fields is None:
                continue
            try:
                line = ";".join(cell(field) for field in fields) + "\n"
                line.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: not text patuh reads (R0101)
                continue
            rows += 1
            out.write(line)


if __name__ == "__main__":
    main()

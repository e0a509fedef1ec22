#!/usr/bin/env python3
"""An independent check of patuh's record counts and rejected lines.

    bench/check_counts.py LOG... REPORT.json [--source NAME]... [--input-format auto|jsonl|csv] [--show N]

Reads each LOG (plain or gzip, recognised by its first two bytes; several
gzip members one after the other are one stream) the way docs/events.md and
docs/csv-import.md describe it, without any of patuh's code.

JSON Lines: a UTF-8 byte-order mark at the start of the log or of a record
is not data, a line ends at LF (a CR before it is part of the line end), a
blank line (empty, or only spaces, tabs and carriage returns) is not a
record, every other line is one record named by its line number. Each
record is checked for the problems this script can tell from the documents:

    R0101  not UTF-8, not JSON, a NUL byte, a number beyond a double, a lone surrogate
    R0102  not an object
    R0103  longer than 1 MiB (without its line end), deeper than 64 levels
    R0104  a required field missing or empty      R0105  a field of the wrong type
    R0106  an unknown kind                         R0107  an impossible date
    R0108  a bad NIP                               R0109  a bad region code format
    R0114  an unknown reason                       R0115  an unknown field
    R0116  another schema version

CSV (a LOG named .csv or .csv.gz, or --input-format csv; built-in headers
only): lines end at LF, CRLF or a bare CR; rows and values are split by
this script's own reading of the quoting rules of docs/csv-import.md
(csv_rows), not by Python's csv module, which reads a stray quote
differently; the first row is the header; rows are named by the line they
start on; blank lines are skipped. Checked:
R0201 (another number of values than the header), R0202 (a header without
a required column, or with two for one field), R0203 and R0107 (date forms
and days), R0108 (NIP), R0205 (kind column), R0207 (a quote opened on the
last line never closed), R0208 (not UTF-8), R0209 (a stray quote keeping a
value open past its line, or a quoted value not ending on its line nor
properly later: that line alone, the lines after it read again as rows),
R0210 (a row over 1 MiB).

Both: R0117, gzip data corrupt, cut off, or followed by bytes that are not gzip.
Problems that depend on the rule set (R0110-R0113: region levels, ranks,
authorities, services) or on the records around (R0120, R0121, R0204,
R0206) are not checked: a record patuh rejects for one of them is counted,
not judged.

REPORT.json is `patuh audit --format json` of the same LOGs (in the same
order). The script compares:
  - the summary: events_read is the number of records (+1 for gzip damage),
    events_read = events_evaluated + events_rejected + events_after_as_of;
  - each record the script finds bad must be in the report's `rejected`
    with its source and line, with one of the codes the script found
    (or a code the script does not check);
  - each record the report rejects with a code the script checks must be
    one the script finds bad, and no line may be rejected twice.
It prints what it found and every disagreement (up to --show of each kind),
and exits 0 when the two agree, 1 when they do not, 2 on a usage error or a
log patuh reads as a JSON array. Python 3 standard library only; reads a
log and a report of any size as streams (a JSON report of millions of
findings is scanned line by line).
"""

import argparse
import datetime
import itertools
import json
import math
import re
import sys
import zlib

MAX_RECORD_BYTES = 1 << 20
MAX_DEPTH = 64
SCHEMA = "patuh-event/1"
CHECKED = {"R0101", "R0102", "R0103", "R0104", "R0105", "R0106", "R0107", "R0108", "R0109", "R0114", "R0115",
           "R0116", "R0117"}

KINDS = {"appoint", "dismiss", "transfer", "acting", "inaugurate", "approve", "propose", "warn", "cutoff",
         "restore", "head_inaugurated", "caretaker", "election"}
ON_POST = {"appoint", "dismiss", "transfer", "acting", "inaugurate", "approve", "propose"}
REASONS = {"death", "retirement", "resignation", "arrest", "definitive"}
RECORD_KEYS = {"schema", "id", "kind", "date", "region", "unit", "position", "rank", "person", "decree",
               "approvals", "reason", "concurrent", "deadline", "letter", "issuer", "services", "route", "note",
               "head", "until", "candidates", "term_end"}
PERSON_KEYS = {"nip", "name"}
DECREE_KEYS = {"number", "date", "issuer"}
APPROVAL_KEYS = {"authority", "number", "date", "nip", "position"}
TEXT_FIELDS = ["id", "kind", "region", "unit", "position", "rank", "reason", "letter", "issuer", "note", "head",
               "schema"]
DATE_FIELDS = ["date", "deadline", "until", "candidates", "term_end"]


# ---------------------------------------------------------------------------
# Bytes of a log: plain or gzip, and where gzip data is damaged.

class GzipDamage(Exception):
    pass


def chunks(path, size=1 << 20):
    """The log's bytes, decompressed when they are gzip. Ends with GzipDamage
    (after the bytes decompressed before the damage) when the gzip data is
    corrupt, cut off, or followed by bytes that are not gzip."""
    with (sys.stdin.buffer if path == "-" else open(path, "rb")) as f:
        head = f.read(2)
        if head != b"\x1f\x8b":
            if head:
                yield head
            while True:
                block = f.read(size)
                if not block:
                    return
                yield block
        pending = head
        z = zlib.decompressobj(wbits=31)
        while True:
            block = pending or f.read(size)
            pending = b""
            if not block:
                raise GzipDamage("cut off")
            saved = z.copy()
            try:
                out = z.decompress(block)
            except zlib.error:
                # Fed again byte by byte: what the damaged block held before the damage counts.
                yield byte_by_byte(saved, block)
                raise GzipDamage("corrupt")
            if out:
                yield out
            if z.eof:
                rest = z.unused_data + f.read(max(0, 2 - len(z.unused_data)))
                if not rest:
                    return
                if rest[:2] != b"\x1f\x8b":
                    raise GzipDamage("not gzip after the end of a member")
                pending = rest
                z = zlib.decompressobj(wbits=31)


def byte_by_byte(z, block):
    """What z gives for block fed a byte at a time, up to the byte it refuses."""
    out = []
    for i in range(len(block)):
        try:
            out.append(z.decompress(block[i:i + 1]))
        except zlib.error:
            break
    return b"".join(out)


def blocks_after_mark(path):
    """The log's blocks without a UTF-8 byte-order mark at its start; gzip
    damage comes after the blocks before it."""
    head = b""
    try:
        for block in chunks(path):
            if head is None:
                yield block
                continue
            head += block
            if len(head) >= 3:
                yield head[3:] if head.startswith(b"\xef\xbb\xbf") else head
                head = None
    except GzipDamage:
        if head:
            yield head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        raise
    if head:
        yield head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def lines(path):
    """(line number, line without its LF, ended by LF) for each line of a log.
    Gzip damage is raised after the lines decompressed before it (the last
    one possibly cut)."""
    number = 0
    rest = b""
    blocks = blocks_after_mark(path)
    damage = None
    while True:
        try:
            block = next(blocks)
        except StopIteration:
            break
        except GzipDamage as e:
            damage = e
            break
        data = rest + block if rest else block
        start = 0
        while True:
            nl = data.find(b"\n", start)
            if nl < 0:
                break
            number += 1
            yield number, data[start:nl], True
            start = nl + 1
        rest = data[start:]
    if rest:
        yield number + 1, rest, False
    if damage is not None:
        raise damage


# ---------------------------------------------------------------------------
# One record's problems, as docs/events.md states the rules.

def depth_of(text):
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}" and depth > 0:
            depth -= 1
    return deepest


def depth_over(data, limit):
    """Whether the brackets of a record (outside strings) nest deeper than limit."""
    # Most records hold few brackets: count only where they may be deep.
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    return depth_of(data.decode("utf-8", "replace")) > limit


def no_constants(name):
    raise ValueError(name)


def finite(text):
    value = float(text)
    if math.isinf(value):
        raise ValueError("number too large")
    return value


def finite_int(text):
    if math.isinf(float(text)):
        raise ValueError("number too large")
    return int(text)


SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(value):
    if isinstance(value, str):
        return SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(has_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(has_surrogate(k) or has_surrogate(v) for k, v in value.items())
    return False


def is_blank_text(s):
    return s.strip(" \t\r\n") == ""


def valid_date(value):
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    digits = value[0:4] + value[5:7] + value[8:10]
    if not all("0" <= c <= "9" for c in digits):
        return False
    try:
        datetime.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return "1900" <= value[0:4] <= "2199"


def nip_ok(value):
    digits = value.replace(" ", "")
    if len(digits) != 18 or not all("0" <= c <= "9" for c in digits):
        return False
    try:
        datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    birth, start, month = int(digits[0:4]), int(digits[8:12]), int(digits[12:14])
    return birth >= 1900 and 1 <= month <= 12 and start >= 1950 and start >= birth + 15 and digits[14] in "12"


def region_ok(value):
    d = "0123456789"
    if len(value) == 2:
        return value[0] in d and value[1] in d
    return len(value) == 5 and value[2] == "." and all(value[i] in d for i in (0, 1, 3, 4))


def present(obj, key):
    return obj.get(key) is not None


def problems(data):
    """The codes of the problems of one record (bytes without its line end)."""
    if len(data) > MAX_RECORD_BYTES:
        return {"R0103"}
    found = set()
    if depth_over(data, MAX_DEPTH):
        return {"R0103"}
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_constant=no_constants, parse_float=finite, parse_int=finite_int)
    except (ValueError, RecursionError):
        return {"R0101"}
    if has_surrogate(value):
        return {"R0101"}
    if not isinstance(value, dict):
        return {"R0102"}
    r = value

    def text_field(obj, key):
        """A string member, or None (absent, null, or the wrong type: R0105)."""
        v = obj.get(key)
        if v is not None and not isinstance(v, str):
            found.add("R0105")
            return None
        return v

    def date_field(obj, key):
        v = text_field(obj, key)
        if v is not None and not valid_date(v):
            found.add("R0107")
            return None
        return v

    def object_field(obj, key, keys):
        v = obj.get(key)
        if v is not None and not isinstance(v, dict):
            found.add("R0105")
            return None
        if v is not None and set(v) - keys:
            found.add("R0115")
        return v

    if set(r) - RECORD_KEYS:
        found.add("R0115")
    schema = text_field(r, "schema")
    if schema is not None and schema != SCHEMA:
        found.add("R0116")
    for key in TEXT_FIELDS:
        text_field(r, key)
    dates = {key: date_field(r, key) for key in DATE_FIELDS}
    kind = r.get("kind")
    if kind is None:
        found.add("R0104")
    elif not isinstance(kind, str):
        kind = None
    elif kind not in KINDS:
        found.add("R0106")
    required = ["id", "region"] + (["unit", "position"] if kind in ON_POST else [])
    for key in required:
        v = r.get(key)
        if v is None or (isinstance(v, str) and is_blank_text(v)):
            found.add("R0104")
    if r.get("date") is None:
        found.add("R0104")
    region = r.get("region")
    if isinstance(region, str) and not is_blank_text(region) and not region_ok(region):
        found.add("R0109")
    reason = r.get("reason")
    if isinstance(reason, str) and reason not in REASONS:
        found.add("R0114")
    if present(r, "concurrent") and not isinstance(r["concurrent"], bool):
        found.add("R0105")

    person = object_field(r, "person", PERSON_KEYS)
    if person is not None:
        nip = text_field(person, "nip")
        if person.get("nip") is None:
            found.add("R0104")
        elif nip is not None and not nip_ok(nip):
            found.add("R0108")
        text_field(person, "name")
    elif kind in ON_POST:
        found.add("R0104")
    decree = object_field(r, "decree", DECREE_KEYS)
    if decree is not None:
        text_field(decree, "number")
        date_field(decree, "date")
        text_field(decree, "issuer")

    approvals = r.get("approvals")
    count = 0
    if approvals is not None:
        if not isinstance(approvals, list):
            found.add("R0105")
        else:
            count = len(approvals)
            for a in approvals:
                if not isinstance(a, dict):
                    found.add("R0105")
                    continue
                if set(a) - APPROVAL_KEYS:
                    found.add("R0115")
                if a.get("authority") is None or a.get("date") is None:
                    found.add("R0104")
                text_field(a, "authority")
                date_field(a, "date")
                text_field(a, "number")
                text_field(a, "position")
                nip = text_field(a, "nip")
                if nip is not None and not nip_ok(nip):
                    found.add("R0108")
    if kind == "approve" and count == 0:
        found.add("R0104")
    for key in ("services", "route"):
        v = r.get(key)
        if v is None:
            continue
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            found.add("R0105")
    if kind == "cutoff" and not (isinstance(r.get("services"), list) and r["services"]):
        found.add("R0104")
    if kind == "election":
        if r.get("candidates") is None or r.get("term_end") is None:
            found.add("R0104")
        elif dates["candidates"] and dates["term_end"] and dates["term_end"] < dates["candidates"]:
            found.add("R0107")
    if kind == "caretaker" and dates["until"] and dates["date"] and dates["until"] < dates["date"]:
        found.add("R0107")
    return found


def is_blank_line(line):
    """Blank per docs/events.md: empty, or only spaces, tabs and carriage returns."""
    return line.strip(b" \t\r") == b""


class NotJsonLines(Exception):
    pass


def array_ahead(head):
    """Whether patuh reads a log that starts with these bytes (after the
    byte-order mark) as a JSON array (docs/events.md, Files): its first byte
    that is not blank is '[', the next is '{' or ']', and its first line is not
    a whole value followed by more lines."""
    text = head.lstrip(b" \t\r\n")
    if not text.startswith(b"["):
        return False
    rest = text[1:].lstrip(b" \t\r\n")
    if rest and rest[:1] not in (b"{", b"]"):
        return False
    first, newline, after = text.partition(b"\n")
    depth = 0
    in_string = escaped = False
    closed = False
    for c in first.decode("latin-1"):
        if in_string:
            escaped, in_string = (False, True) if escaped else (c == "\\", c != '"')
            continue
        if c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
        elif c in "]}" and depth > 0:
            depth -= 1
            if depth == 0:
                closed = c == "]"
                break
    return not (closed and newline and after.strip(b" \t\r\n"))


def check_json_lines(path, source, on_record):
    """Calls on_record(source, line, codes) for each record; returns (records,
    damage line or None). Raises NotJsonLines for a log patuh reads as a JSON array."""
    records = 0
    last = 0
    buffered, head = [], b""
    decided = False

    def record(number, line, ended):
        nonlocal records, last
        last = number if ended else number - 1
        if line.endswith(b"\r"):
            line = line[:-1]
        if is_blank_line(line):
            return
        records += 1
        on_record(source, number, problems(line))

    try:
        for item in lines(path):
            if decided:
                record(*item)
                continue
            # The first 64 KiB decide between JSON Lines and a JSON array, as patuh's reader sees them.
            buffered.append(item)
            head += item[1][:1 << 16] + (b"\n" if item[2] else b"")
            if len(head) >= 1 << 16:
                decided = True
                if array_ahead(head[:1 << 16]):
                    raise NotJsonLines()
                for x in buffered:
                    record(*x)
        if not decided:
            if array_ahead(head):
                raise NotJsonLines()
            for x in buffered:
                record(*x)
    except GzipDamage:
        if not decided:
            for x in buffered:
                record(*x)
        return records, last + 1
    return records, None


# ---------------------------------------------------------------------------
# CSV position-history exports, as docs/csv-import.md describes them (built-in
# headers only; a mapping file is not read).

CSV_CHECKED = {"R0107", "R0108", "R0201", "R0202", "R0203", "R0205", "R0207", "R0208", "R0209", "R0210"}
CSV_HEADERS = {
    "person.nip": ["NIP", "NIP Baru"],
    "position": ["Jabatan", "Nama Jabatan", "Position"],
    "unit": ["Unit Kerja", "Unit Organisasi", "Satuan Kerja", "Unit"],
    "date": ["TMT Jabatan", "TMT", "TMT Jab", "Effective Date", "Date"],
    "region": ["Kode Wilayah", "Kode Daerah", "Region", "Region Code"],
    "decree.date": ["Tanggal SK", "Tgl SK", "Decree Date"],
    "approval.date": ["Tanggal Persetujuan", "Tgl Persetujuan", "Approval Date"],
    "kind": ["Jenis", "Jenis Mutasi", "Jenis Perubahan", "Kind"],
    # the other columns patuh knows, for R0202 (two columns for one field)
    "person.name": ["Nama", "Nama Pegawai", "Nama Lengkap", "Name"],
    "rank": ["Eselon", "Eselon Jabatan", "Echelon", "Rank"],
    "decree.number": ["Nomor SK", "No SK", "Decree Number"],
    "decree.issuer": ["Pejabat Penetap", "Penandatangan SK", "Decree Issuer"],
    "approval.authority": ["Pemberi Persetujuan", "Pejabat Pemberi Persetujuan", "Approval Authority"],
    "approval.number": ["Nomor Persetujuan", "No Persetujuan", "Approval Number"],
    "reason": ["Alasan", "Alasan Berhenti", "Reason"],
    "id": ["ID", "Event ID"],
    "note": ["Keterangan", "Catatan", "Note"],
}
CSV_REQUIRED = ["person.nip", "date", "position", "region", "unit"]
CSV_KINDS = {"pengangkatan", "angkat", "diangkat", "appoint", "appointment", "mutasi", "rotasi", "pindah",
             "transfer", "plt", "plh", "pelaksanatugas", "pelaksanaharian", "acting", "pelantikan", "dilantik",
             "inaugurate", "inauguration", "pemberhentian", "berhenti", "diberhentikan", "dismiss", "dismissal"}
MONTHS = {"januari": 1, "january": 1, "jan": 1, "februari": 2, "pebruari": 2, "february": 2, "feb": 2,
          "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "june": 6,
          "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8,
          "september": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11,
          "nov": 11, "desember": 12, "december": 12, "des": 12, "dec": 12}


def normalised(header):
    return "".join(c for c in header.lower() if c.isascii() and c.isalnum())


def csv_date_codes(cell):
    """The problems of a date cell: R0203 (a form not accepted), R0107 (no such day)."""
    text = cell.strip(" \t")
    if " " in text and ":" in text[text.rindex(" "):]:
        text = text[:text.rindex(" ")].strip(" \t")
    digits = lambda s, n: 0 < len(s) <= n and all("0" <= c <= "9" for c in s)
    parts = text.split("-")
    if len(parts) == 3 and len(parts[0]) == 4:
        if not (digits(parts[0], 4) and digits(parts[1], 2) and digits(parts[2], 2)):
            return {"R0203"}
        y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
    else:
        for sep in "-/. ":
            parts = text.split(sep)
            if len(parts) == 3:
                break
        else:
            return {"R0203"}
        if not (digits(parts[0], 2) and digits(parts[2], 4) and len(parts[2]) == 4):
            return {"R0203"}
        m = int(parts[1]) if digits(parts[1], 2) else MONTHS.get(normalised(parts[1]))
        if m is None:
            return {"R0203"}
        y, d = int(parts[2]), int(parts[0])
    return set() if valid_date(f"{y:04}-{m:02}-{d:02}") else {"R0107"}


def physical_lines(path):
    """(line number, text with its line end) of a CSV file: a line ends at LF,
    CRLF or a bare CR, as an editor counts lines."""
    rest = b""
    number = 0
    for block in blocks_after_mark(path):
        data = rest + block
        start = 0
        for m in re.finditer(b"\r\n|\n|\r(?!$)", data):
            number += 1
            yield number, data[start:m.end()]
            start = m.end()
        rest = data[start:]
    if rest:
        yield number + 1, rest


def csv_rows(numbered, delim):
    """The rows of a CSV file's physical lines, read as docs/csv-import.md
    says (RFC 4180, a quote inside an unquoted value is a character, a quote
    that is neither doubled nor the end of its quoted value is a character of
    the value as long as the value ends on its line; blanks around values are
    dropped; blank lines are skipped). Yields (lines, fields, problem): the
    row's (number, bytes) lines, its values, and None, "broken" (a stray
    quote keeps a value open past the end of a line: the row ends there) or
    "open" (the text ends inside a quoted value). A broken or open row of
    several lines, not over the size limit, that does not start before the
    last line read again, is cut to its first line ("broken"), and the lines
    after it are read again as rows of their own."""
    ROW, FIELD, IN, QUOTE = 0, 1, 2, 3  # before a row, before a value, in a value, after a quote in a quoted value
    lines, fields, value = [], [], []
    state, quoted, spaces, stray = ROW, False, 0, False
    blanks = " \t".replace(delim, "")
    pending = []  # lines to read again, before the rest of the file
    replayed_until = 0  # the last line read again so far
    source = iter(numbered)

    def end_value(drop):
        del value[len(value) - drop:]
        fields.append("".join(value))
        value.clear()

    def row(problem=None):
        nonlocal lines, fields, state, quoted, spaces, stray
        out = (lines, fields, problem)
        lines, fields = [], []
        value.clear()
        state, quoted, spaces, stray = ROW, False, 0, False
        return out

    def cut_short():
        """The row's first line as a broken row, its other lines to be read
        again; None when the row cannot be cut short."""
        nonlocal replayed_until
        text = b"".join(r for _, r in lines)
        if len(lines) < 2 or lines[0][0] < replayed_until or len(text.rstrip(b"\r\n")) > MAX_RECORD_BYTES:
            return None
        replayed_until = lines[-1][0]
        first, rest = lines[:1], lines[1:]
        row()
        pending[:0] = rest
        return (first, [], "broken")

    while True:
        if pending:
            number, raw = pending.pop(0)
        else:
            item = next(source, None)
            if item is None:
                if state == IN and quoted:  # the text ends inside a quoted value
                    short = cut_short()
                    if short is not None:
                        yield short
                        continue  # the lines after its first are read again
                    yield row("broken" if stray or len(lines) == 1 else "open")
                    return
                break
            number, raw = item
        lines.append((number, raw))
        done = []
        for c in raw.decode("utf-8", "surrogateescape"):
            if state in (ROW, FIELD):
                if c in blanks:
                    continue
                if c in "\r\n":
                    if state == FIELD:
                        end_value(0)
                        done.append(row())
                    continue
                if c == delim:
                    end_value(0)
                    state = FIELD
                elif c == '"':
                    state, quoted, spaces = IN, True, 0
                else:
                    state, quoted, spaces = IN, False, 0
                    value.append(c)
            elif state == IN:
                if quoted and c == '"':
                    value.append(c)
                    state, spaces = QUOTE, 0
                elif not quoted and (c == delim or c in "\r\n"):
                    end_value(spaces)
                    state = FIELD
                    if c in "\r\n":
                        done.append(row())
                else:
                    value.append(c)
                    spaces = spaces + 1 if not quoted and c in blanks else 0
            else:  # after a quote inside a quoted value
                if c == delim or c in "\r\n":
                    end_value(spaces + 1)
                    state, quoted, spaces = FIELD, False, 0
                    if c in "\r\n":
                        done.append(row())
                elif c in blanks:
                    value.append(c)
                    spaces += 1
                elif c == '"' and not spaces:
                    state = IN  # a doubled quote: one quote in the value
                else:
                    stray = True  # read as a character of the value
                    value.append(c)
                    if c != '"':
                        state = IN
                    spaces = 0
        for r in done:
            yield r
        if done and state == ROW:
            continue
        if state == ROW:
            lines.clear()  # a blank line
        elif state == IN and quoted and stray:
            yield cut_short() or row("broken")
    if state != ROW:
        if state == QUOTE:
            end_value(spaces + 1)
        elif state == IN:
            end_value(spaces)
        else:
            end_value(0)
        yield row()


def check_csv(path, source, on_record):
    """Calls on_record(source, line, codes) for each row; returns (rows, damage line or None)."""
    rows = 0
    header = None
    columns = {}
    last = 0
    try:
        numbered = physical_lines(path)
        skipped = []
        for number, raw in numbered:
            skipped.append((number, raw))
            last = number
            if raw.strip(b" \t\r\n"):
                break
        else:
            return 0, None
        # The delimiter the header line uses most (outside quotes): comma, semicolon or tab.
        head = skipped[-1][1].decode("utf-8", "surrogateescape")
        counts = [re.sub('"[^"]*"', "", head).count(d) for d in ",;\t"]
        delim = ",;\t"[counts.index(max(counts))]
        for row_lines, fields, problem in csv_rows(itertools.chain(skipped, numbered), delim):
            start = row_lines[0][0]
            last = row_lines[-1][0]
            text = b"".join(r for _, r in row_lines)
            broken, still_open = problem == "broken", problem == "open"
            if len(text.rstrip(b"\r\n")) > MAX_RECORD_BYTES:
                rows += 1
                on_record(source, start, {"R0210"})
                if header is None:
                    return rows, None
                continue
            if still_open:
                rows += 1
                on_record(source, start, {"R0207"})
                return rows, None
            fields = [f.strip(" \t") for f in fields]
            if broken:
                rows += 1
                on_record(source, start, {"R0209"})
                if header is None:
                    return rows, None
                continue
            if header is None:
                header = fields
                try:
                    text.decode("utf-8")
                except UnicodeDecodeError:
                    rows += 1
                    on_record(source, start, {"R0208"})
                    return rows, None
                known = {normalised(h): field for field, hs in CSV_HEADERS.items() for h in hs}
                seen = {}
                for i, h in enumerate(header):
                    field = known.get(normalised(h))
                    if field is None:
                        continue
                    if field in seen:
                        rows += 1
                        on_record(source, start, {"R0202"})
                        return rows, None
                    seen[field] = i
                if any(f not in seen for f in CSV_REQUIRED):
                    rows += 1
                    on_record(source, start, {"R0202"})
                    return rows, None
                columns = seen
                continue
            rows += 1
            found = set()
            try:
                text.decode("utf-8")
            except UnicodeDecodeError:
                found.add("R0208")
            if len(fields) != len(header):
                found.add("R0201")
            else:
                nip = fields[columns["person.nip"]].lstrip("'").replace(" ", "")
                if nip and not nip_ok(nip):
                    found.add("R0108")
                for field in ("date", "decree.date", "approval.date"):
                    if field in columns and fields[columns[field]]:
                        found |= csv_date_codes(fields[columns[field]])
                if "kind" in columns and fields[columns["kind"]] and normalised(fields[columns["kind"]]) not in CSV_KINDS:
                    found.add("R0205")
            on_record(source, start, found)
    except GzipDamage:
        return rows, last + 1
    return rows, None


def is_csv(path):
    name = path.lower()
    return name.endswith(".csv") or name.endswith(".csv.gz")


# ---------------------------------------------------------------------------
# The report: its summary and rejected records.

def report_parts(path):
    """summary, inputs and rejected of a patuh-audit/1 JSON report. A
    pretty-printed report is scanned line by line (findings are skipped), so
    that a report of any size can be read."""
    with open(path, "rb") as f:
        first = f.readline()
        if first.strip() != b"{":
            f.seek(0)
            doc = json.load(f)
            return doc["summary"], doc.get("inputs", []), doc.get("rejected", [])
        parts = {}
        key, kept = None, None
        for line in f:
            if line.startswith(b'  "'):
                key = line[3:line.index(b'"', 3)].decode()
                kept = [line[line.index(b":") + 1:]] if key in ("summary", "inputs", "rejected") else None
            elif kept is not None:
                kept.append(line)
            else:
                continue
            if kept is not None and (line.startswith(b"  ]") or line.startswith(b"  }") or
                                     line.startswith(b'  "') and not line.rstrip().endswith((b"[", b"{"))):
                text = b"".join(kept).strip().rstrip(b",")
                parts[key] = json.loads(text)
                kept = None
        return parts["summary"], parts.get("inputs", []), parts.get("rejected", [])


def main():
    parser = argparse.ArgumentParser(usage="%(prog)s [options] LOG... REPORT.json", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="the logs, then the report")
    parser.add_argument("--source", action="append",
                        help="the name the report gives a LOG (default: as written), once per LOG; "
                             "'-' for a log piped to patuh audit -")
    parser.add_argument("--input-format", choices=["auto", "jsonl", "csv"], default="auto",
                        help="how to read the LOGs: auto (default) reads a name ending in .csv or .csv.gz as CSV")
    parser.add_argument("--show", type=int, default=10, help="disagreements shown of each kind (default 10)")
    args = parser.parse_args()
    if len(args.files) < 2:
        parser.error("give at least one LOG and the REPORT")
    logs, report = args.files[:-1], args.files[-1]
    sources = args.source or logs
    if len(sources) != len(logs):
        parser.error("give --source once for each LOG")

    summary, inputs, rejected = report_parts(report)
    by_place = {}
    twice = []
    for r in rejected:
        place = (r.get("source"), r.get("line"))
        # Gzip damage may share its line with the record cut by it.
        if r.get("code") != "R0117" and any(c != "R0117" for c in by_place.get(place, [])):
            twice.append((place, r.get("code")))
        by_place.setdefault(place, []).append(r.get("code"))

    missed, wrong_code, unfounded, damage_missed = [], [], [], []
    bad = {}
    tally = {}

    def on_record(source, line, codes):
        if codes:
            bad[(source, line)] = codes
            for c in codes:
                tally[c] = tally.get(c, 0) + 1

    records = 0
    damaged = 0
    checked = {}  # source: the codes checked here
    for path, source in zip(logs, sources):
        csv_log = args.input_format == "csv" or (args.input_format == "auto" and is_csv(path))
        checked[source] = CSV_CHECKED if csv_log else CHECKED
        try:
            n, damage = (check_csv if csv_log else check_json_lines)(path, source, on_record)
        except NotJsonLines:
            print(f"{path}: patuh reads this log as a JSON array (docs/events.md, Files); this script checks "
                  "JSON Lines and CSV only", file=sys.stderr)
            return 2
        records += n
        if damage is not None:
            damaged += 1
            codes = by_place.get((source, damage), [])
            if "R0117" not in codes:
                damage_missed.append((source, damage))

    for place, codes in bad.items():
        got = by_place.get(place)
        if not got:
            missed.append((place, sorted(codes)))
        elif not any(c in codes or c not in checked[place[0]] for c in got):
            wrong_code.append((place, sorted(codes), got))
    unchecked = {}
    for place, codes in by_place.items():
        for c in codes:
            if c == "R0117":
                continue
            if c not in checked.get(place[0], ()):
                unchecked[c] = unchecked.get(c, 0) + 1
            elif place not in bad:
                unfounded.append((place, c))

    read = summary.get("events_read")
    evaluated = summary.get("events_evaluated")
    rejected_n = summary.get("events_rejected")
    after = summary.get("events_after_as_of", 0)
    count_problems = []
    if read != records + damaged:
        count_problems.append(f"events_read is {read}; the logs hold {records} records"
                              + (f" and {damaged} gzip damage" if damaged else ""))
    if read != evaluated + rejected_n + after:
        count_problems.append(f"events_read {read} != events_evaluated {evaluated} + events_rejected "
                              f"{rejected_n} + events_after_as_of {after}")
    if rejected_n != len(rejected):
        count_problems.append(f"events_rejected is {rejected_n}, but the report lists {len(rejected)} rejected")

    print(f"records: {records} in {len(logs)} log(s); report: read {read} = {evaluated} evaluated + "
          f"{rejected_n} rejected + {after} after as_of")
    print(f"bad records found here: {len(bad)} "
          + "(" + ", ".join(f"{c} {n}" for c, n in sorted(tally.items())) + ")")
    if unchecked:
        print("rejected by patuh for reasons not checked here: "
              + ", ".join(f"{c} {n}" for c, n in sorted(unchecked.items())))
    ok = True

    def show(title, items):
        nonlocal ok
        if not items:
            return
        ok = False
        print(f"DISAGREE: {title}: {len(items)}")
        for item in items[:args.show]:
            print("   ", item)

    show("count", count_problems)
    show("bad here, not rejected by patuh ((source, line), codes)", missed)
    show("rejected by patuh with another code ((source, line), codes here, patuh's)", wrong_code)
    show("rejected by patuh with a checked code, fine here ((source, line), code)", unfounded)
    show("rejected twice ((source, line), code)", twice)
    show("gzip damage not reported as R0117 at (source, line)", damage_missed)
    print("agree" if ok else "DISAGREE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

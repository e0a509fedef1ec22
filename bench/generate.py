#!/usr/bin/env python3
"""Deterministic generator of realistic patuh-event/1 change logs (JSON Lines).

    bench/generate.py EVENTS [--seed N] [--regions N] [-o FILE]

552 regions (38 provinces "PP", 514 kabupaten/kota "PP.KK"), about 20 covered
Disdukcapil posts each, 2015-01-01 to 2025-12-31, events in date order. Most
changes carry the approval the shipped rules require; 10-20 % do not (findings),
some of those get a late `approve`, regions with open findings get warnings,
some are cut off and restored later. People move between posts and regions,
some hold two posts at once (concurrent), some posts fall vacant. About 0.1 %
of the lines are malformed (broken JSON, bad NIP, unknown kind or rank, bad
date). The same arguments always give the same bytes (Python 3 standard library
only).
"""

import argparse
import datetime
import random
import sys

# Posts of one agency: (position, rank text, rank).
POSTS = [
    ("Kepala Dinas", "II", "II"),
    ("Sekretaris", "III", "III"),
    ("Kepala Bidang Pelayanan Pendaftaran Penduduk", "III", "III"),
    ("Kepala Bidang Pelayanan Pencatatan Sipil", "III", "III"),
    ("Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan", "III", "III"),
    ("Kepala Bidang Pemanfaatan Data dan Inovasi Pelayanan", "III", "III"),
    ("Kepala Subbagian Umum dan Kepegawaian", "IV", "IV"),
    ("Kepala Subbagian Keuangan", "IV", "IV"),
    ("Kepala Subbagian Perencanaan", "IV", "IV"),
    ("Kepala Seksi Identitas Penduduk", "IV", "IV"),
    ("Kepala Seksi Pindah Datang Penduduk", "IV", "IV"),
    ("Kepala Seksi Pendataan Penduduk", "IV", "IV"),
    ("Kepala Seksi Kelahiran", "IV", "IV"),
    ("Kepala Seksi Perkawinan dan Perceraian", "IV", "IV"),
    ("Kepala Seksi Perubahan Status Anak dan Kewarganegaraan", "IV", "IV"),
    ("Kepala Seksi Kematian", "IV", "IV"),
    ("Kepala Seksi Sistem Informasi Administrasi Kependudukan", "IV", "IV"),
    ("Kepala Seksi Pengolahan dan Penyajian Data", "IV", "IV"),
    ("Kepala Seksi Kerja Sama", "IV", "IV"),
    ("Kepala Seksi Inovasi Pelayanan", "IV", "IV"),
]
RANK_TEXTS = {"II": ["II.b", "IIb", "JPT Pratama", "eselon II"], "III": ["III.a", "III.b", "Administrator"],
              "IV": ["IV.a", "IV.b", "Pengawas"]}
PROVINCE_RANK_TEXT = {"II": "II.a"}
AUTHORITY = {"II": "Mendagri", "III": "Dirjen Dukcapil", "IV": "Direktur"}
SERVICES = ["ktp_el", "siak", "tte"]
FIRST = ["Andi", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lukman",
         "Maya", "Nur", "Putu", "Rahmat", "Sari", "Taufik", "Umar", "Wahyu", "Yusuf", "Zainal"]
LAST = ["Mangopo", "Risa", "Siregar", "Nasution", "Wijaya", "Pratama", "Saputra", "Hidayat", "Lestari", "Kusuma",
        "Harahap", "Simanjuntak", "Tanjung", "Pane", "Lubis", "Rangkuti", "Manurung", "Sinaga"]

START = datetime.date(2015, 1, 1)
END = datetime.date(2025, 12, 31)
D = datetime.date.fromisoformat
# Simultaneous regional elections (pilkada serentak) by wave: the day candidates
# are determined, the end of the outgoing term, the new head's inauguration.
WAVES = [
    [("2015-08-24", "2016-02-16", "2016-02-17"), ("2020-09-23", "2021-02-16", "2021-02-26")],
    [("2016-10-24", "2017-05-21", "2017-05-22"), ("2024-09-22", "2024-12-31", "2025-02-20")],
    [("2018-02-12", "2018-09-19", "2018-09-20"), ("2024-09-22", "2024-12-31", "2025-02-20")],
]
# Wave 2 and 3 regions were led by caretakers (Pj) between terms, 2022-2025.
CARETAKER = {1: ("2022-05-22", "2025-02-19"), 2: ("2023-09-20", "2025-02-19")}
MORATORIUM = (D("2022-04-07"), D("2024-11-30"))  # no change of agency heads (rank II)


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return datetime.date(year, month, min(day.day, last))


def region_codes(count):
    """38 provinces and their kabupaten (01-..) and kota (71-..), `count` in all."""
    provinces = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
                 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]
    codes = [f"{p:02d}" for p in provinces]
    regencies = []
    for k in range(1, 30):
        for p in provinces:
            regencies.append(f"{p:02d}.{k:02d}")
            if k <= 4:
                regencies.append(f"{p:02d}.{70 + k:02d}")
    codes += regencies[: max(0, count - len(codes))]
    return codes[:count]


def nip(i):
    """An 18-digit NIP that the reader accepts, distinct for each i < 8.4 million."""
    serial = i % 1000
    day = 1 + (i // 1000) % 28
    month = 1 + (i // 28000) % 12
    year = 1960 + (i // 336000) % 25
    start_year = year + 23 + i % 7
    start_month = 1 + i % 12
    sex = 1 + i % 2
    return f"{year:04d}{month:02d}{day:02d}{start_year:04d}{start_month:02d}{sex}{serial:03d}"


class Generator:
    def __init__(self, total, seed, regions):
        self.rng = random.Random(seed)
        self.total = total
        self.regions = region_codes(regions)
        self.people = 0
        # per post: [region index, post index, holder (person index) or None]
        self.posts = []
        for r in range(len(self.regions)):
            for k in range(len(POSTS)):
                self.posts.append([r, k, None])
        self.held = {}  # person -> post index (definitive)
        self.unapproved = []  # (post index, person, rank): changes that lacked approval, for late approvals
        self.open_regions = {}  # region index -> count of unapproved changes not yet answered
        self.cut = set()
        self.count = 0
        self.out = []
        # per region: periods in which the shipped rules want the Minister's approval
        self.windows = []
        for r in range(len(self.regions)):
            periods = []
            for candidates, term_end, inaugurated in WAVES[r % 3]:
                periods.append((add_months(D(candidates), -6), D(term_end)))
                periods.append((D(inaugurated), add_months(D(inaugurated), 6)))
            if r % 3 in CARETAKER:
                start, until = CARETAKER[r % 3]
                periods.append((D(start), D(until)))
            self.windows.append(periods)

    def calendar(self):
        """The regions' elections, inaugurations and caretakers, known from the start."""
        day = START.isoformat()
        for r, region in enumerate(self.regions):
            for candidates, term_end, inaugurated in WAVES[r % 3]:
                self.emit(f'{{"id":"ev-{self.count}","kind":"election","date":"{day}","region":"{region}",'
                          f'"candidates":"{candidates}","term_end":"{term_end}"}}')
                self.emit(f'{{"id":"ev-{self.count}","kind":"head_inaugurated","date":"{inaugurated}",'
                          f'"region":"{region}","head":"{self.name(self.person())}"}}')
            if r % 3 in CARETAKER:
                start, until = CARETAKER[r % 3]
                self.emit(f'{{"id":"ev-{self.count}","kind":"caretaker","date":"{start}","region":"{region}",'
                          f'"until":"{until}","head":"{self.name(self.person())}"}}')

    def minister_needed(self, region_i, day):
        return any(start <= day <= until for start, until in self.windows[region_i])

    def person(self):
        self.people += 1
        return self.people

    def name(self, p):
        return f"{FIRST[p % len(FIRST)]} {LAST[(p // len(FIRST)) % len(LAST)]}"

    def emit(self, text):
        self.out.append(text)
        self.count += 1

    def rank_text(self, region, rank):
        if "." not in region and rank in PROVINCE_RANK_TEXT:
            return PROVINCE_RANK_TEXT[rank]
        texts = RANK_TEXTS[rank]
        return texts[self.rng.randrange(len(texts))]

    def change(self, day, kind, post_i, who, approved, late=False, extra=""):
        region_i, k, _ = self.posts[post_i]
        region = self.regions[region_i]
        position, _, rank = POSTS[k]
        iso = day.isoformat()
        approvals = ""
        if approved:
            signed = day - datetime.timedelta(days=self.rng.randrange(1, 60))
            authority = "Mendagri" if self.minister_needed(region_i, day) else AUTHORITY[rank]
            approvals = (f',"approvals":[{{"authority":"{authority}","number":"800.1.3.3/{self.count}/SJ",'
                         f'"date":"{signed.isoformat()}","nip":"{nip(who)}"}}]')
        issuer = "Gubernur" if "." not in region else ("Wali Kota" if int(region[3:]) > 70 else "Bupati")
        self.emit(f'{{"id":"ev-{self.count}","kind":"{kind}","date":"{iso}","region":"{region}",'
                  f'"unit":"disdukcapil","position":"{position}","rank":"{self.rank_text(region, rank)}",'
                  f'"person":{{"nip":"{nip(who)}","name":"{self.name(who)}"}},'
                  f'"decree":{{"number":"821.2/{self.count}/BKPSDM","date":"{iso}","issuer":"{issuer}"}}'
                  f'{approvals}{extra}}}')
        if not approved and not late:
            self.unapproved.append((post_i, who, self.posts[post_i][2]))
            self.open_regions[region_i] = self.open_regions.get(region_i, 0) + 1

    def set_holder(self, post_i, who):
        old = self.posts[post_i][2]
        if old is not None and self.held.get(old) == post_i:
            del self.held[old]
        self.posts[post_i][2] = who
        if who is not None:
            self.held[who] = post_i

    def violation(self):
        return self.rng.random() < 0.12

    def personnel(self, day):
        post_i = self.rng.randrange(len(self.posts))
        if self.posts[post_i][1] == 0 and MORATORIUM[0] <= day <= MORATORIUM[1] and self.rng.random() < 0.9:
            post_i += 1  # agency heads are rarely changed during the moratorium
        holder = self.posts[post_i][2]
        roll = self.rng.random()
        if holder is None or roll < 0.40:
            who = self.person()
            self.change(day, "appoint", post_i, who, not self.violation())
            self.set_holder(post_i, who)
        elif roll < 0.55:
            # someone holding another post moves here (often from another region)
            others = [p for p in self.rng.sample(range(len(self.posts)), 4) if self.posts[p][2] is not None and p != post_i]
            if not others:
                return
            mover = self.posts[others[0]][2]
            self.change(day, "transfer", post_i, mover, not self.violation())
            self.set_holder(others[0], None)
            self.set_holder(post_i, mover)
        elif roll < 0.62:
            self.change(day, "dismiss", post_i, holder, True, extra=',"reason":"retirement"')
            self.set_holder(post_i, None)
        elif roll < 0.70:
            who = self.person()
            self.change(day, "acting", post_i, who, not self.violation())
            self.posts[post_i][2] = None
        elif roll < 0.74:
            # a second post at once (rangkap)
            others = [p for p in self.rng.sample(range(len(self.posts)), 4) if self.posts[p][2] is not None and p != post_i]
            if not others:
                return
            who = self.posts[others[0]][2]
            self.change(day, "appoint", post_i, who, True, extra=',"concurrent":true')
            self.posts[post_i][2] = who
        elif roll < 0.80:
            # the answer to a change without approval: the recognised holder is
            # reinstated, or the approval arrives late
            if not self.unapproved:
                return
            post_i, who, previous = self.unapproved.pop(self.rng.randrange(len(self.unapproved)))
            region_i, k, current = self.posts[post_i]
            self.open_regions[region_i] = max(0, self.open_regions.get(region_i, 0) - 1)
            if current != who:
                return
            if previous is not None and self.rng.random() < 0.4:
                if previous in self.held:
                    self.set_holder(self.held[previous], None)
                self.change(day, "appoint", post_i, previous, False, late=True)
                self.set_holder(post_i, previous)
                return
            position, _, rank = POSTS[k]
            region = self.regions[region_i]
            self.emit(f'{{"id":"ev-{self.count}","kind":"approve","date":"{day.isoformat()}","region":"{region}",'
                      f'"unit":"disdukcapil","position":"{position}","rank":"{self.rank_text(region, rank)}",'
                      f'"person":{{"nip":"{nip(who)}"}},"approvals":[{{"authority":"{AUTHORITY[rank]}",'
                      f'"number":"800.1.3.3/{self.count}/SJ","date":"{day.isoformat()}","nip":"{nip(who)}"}}]}}')
        else:
            # a proposal sent for the current holder
            region_i, k, _ = self.posts[post_i]
            position, _, rank = POSTS[k]
            region = self.regions[region_i]
            route = '["Bupati","Gubernur"]' if "." in region else '["Gubernur"]'
            self.emit(f'{{"id":"ev-{self.count}","kind":"propose","date":"{day.isoformat()}","region":"{region}",'
                      f'"unit":"disdukcapil","position":"{position}","rank":"{self.rank_text(region, rank)}",'
                      f'"person":{{"nip":"{nip(holder)}"}},"route":{route}}}')

    def region_event(self, day):
        flagged = [r for r, n in self.open_regions.items() if n > 0]
        roll = self.rng.random()
        iso = day.isoformat()
        if roll < 0.55 and flagged:
            r = flagged[self.rng.randrange(len(flagged))]
            deadline = (day + datetime.timedelta(days=self.rng.choice([3, 10, 14]))).isoformat()
            self.emit(f'{{"id":"ev-{self.count}","kind":"warn","date":"{iso}","region":"{self.regions[r]}",'
                      f'"deadline":"{deadline}","letter":"470/{self.count}/Dukcapil","issuer":"Dirjen Dukcapil"}}')
        elif roll < 0.75 and flagged:
            r = flagged[self.rng.randrange(len(flagged))]
            services = self.rng.choice(['["ktp_el"]', '["siak","tte"]', '["ktp_el","siak","tte"]'])
            self.emit(f'{{"id":"ev-{self.count}","kind":"cutoff","date":"{iso}","region":"{self.regions[r]}",'
                      f'"services":{services},"issuer":"Ditjen Dukcapil"}}')
            self.cut.add(r)
        elif roll < 0.90 and self.cut:
            r = sorted(self.cut)[self.rng.randrange(len(self.cut))]
            self.cut.discard(r)
            self.emit(f'{{"id":"ev-{self.count}","kind":"restore","date":"{iso}","region":"{self.regions[r]}",'
                      f'"note":"akses dipulihkan"}}')
        else:
            # a warning repeated after its deadline
            r = self.rng.randrange(len(self.regions))
            self.emit(f'{{"id":"ev-{self.count}","kind":"warn","date":"{iso}","region":"{self.regions[r]}",'
                      f'"deadline":"{iso}","letter":"470/{self.count}/Dukcapil","issuer":"Dirjen Dukcapil"}}')

    def malformed(self, day):
        iso = day.isoformat()
        region = self.regions[self.rng.randrange(len(self.regions))]
        choice = self.rng.randrange(6)
        if choice == 0:
            self.emit(f'{{"id":"bad-{self.count}","kind":"appoint","date":"{iso}","region":"{region}",')
        elif choice == 1:
            self.emit(f'{{"id":"bad-{self.count}","kind":"appoint","date":"{iso}","region":"{region}",'
                      f'"unit":"disdukcapil","position":"Sekretaris","rank":"III.a","person":{{"nip":"19700101"}}}}')
        elif choice == 2:
            self.emit(f'{{"id":"bad-{self.count}","kind":"apoint","date":"{iso}","region":"{region}"}}')
        elif choice == 3:
            self.emit(f'{{"id":"bad-{self.count}","kind":"warn","date":"{day.year}-13-01","region":"{region}"}}')
        elif choice == 4:
            self.emit(f'{{"id":"bad-{self.count}","kind":"appoint","date":"{iso}","region":"{region}",'
                      f'"unit":"disdukcapil","position":"Sekretaris","rank":"V","person":{{"nip":"{nip(1)}"}}}}')
        else:
            self.emit("not json at all")

    def run(self, write):
        days = (END - START).days + 1
        flushed = 0
        self.calendar()
        for d in range(days):
            day = START + datetime.timedelta(days=d)
            target = self.total * (d + 1) // days
            while self.count < target:
                roll = self.rng.random()
                if roll < 0.001:
                    self.malformed(day)
                elif roll < 0.04:
                    self.region_event(day)
                else:
                    self.personnel(day)
            if len(self.out) >= 65536 or d == days - 1:
                write("\n".join(self.out) + "\n")
                flushed += len(self.out)
                self.out = []
        return flushed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", type=int, help="number of lines to write")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--regions", type=int, default=552)
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    args = parser.parse_args()
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    with out:
        Generator(args.events, args.seed, args.regions).run(out.write)


if __name__ == "__main__":
    main()

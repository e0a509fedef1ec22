// CSV import of position-history exports: headers, dates, the events the
// rows of one person become, and every rejection code of a row.

#include "golden.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>
#include <patuh/csv_import.hpp>

#include <sstream>

using namespace patuh;
using patuh::testing::shipped;

namespace {

struct imported {
    read_counts counts;
    std::vector<event> events;
    std::vector<rejection> rejected;
};

const std::string header = "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah;Alasan\n";

imported import(const std::string& text, const csv_mapping* mapping = nullptr, const reader_limits& limits = {}) {
    imported out;
    std::istringstream in(text);
    csv_import_options options;
    options.mapping = mapping;
    options.limits = limits;
    out.counts = import_csv(
        in, "data/riwayat.csv", shipped(), [&](const event& e) { out.events.push_back(e); },
        [&](rejection&& r) { out.rejected.push_back(std::move(r)); }, options);
    CHECK(out.counts.read == out.counts.accepted + out.counts.rejected);
    CHECK(out.counts.accepted == out.events.size());
    CHECK(out.counts.rejected == out.rejected.size());
    for (const rejection& r : out.rejected) {
        CHECK(r.source == "data/riwayat.csv");
        CHECK(r.line >= 1);
        CHECK_FALSE(r.reason.id.empty());
        CHECK_FALSE(r.reason.en.empty());
    }
    return out;
}

// The one rejection of a file holding the header and `row`.
rejection rejected_row(const std::string& row) {
    const imported r = import(header + row + "\n");
    INFO(row);
    REQUIRE(r.rejected.size() == 1);
    REQUIRE(r.events.empty());
    CHECK(r.rejected[0].line == 2);
    CHECK(r.rejected[0].raw == row);
    return r.rejected[0];
}

}  // namespace

TEST_CASE("Dates as Indonesian spreadsheets write them", "[csv-import]") {
    CHECK(csv_date("2017-08-11") == "2017-08-11");
    CHECK(csv_date(" 11-08-2017 ") == "2017-08-11");
    CHECK(csv_date("11/08/2017") == "2017-08-11");
    CHECK(csv_date("1/8/2017") == "2017-08-01");
    CHECK(csv_date("11.08.2017") == "2017-08-11");
    CHECK(csv_date("12 Januari 2017") == "2017-01-12");
    CHECK(csv_date("12 januari 2017") == "2017-01-12");
    CHECK(csv_date("3 Agu 2017") == "2017-08-03");
    CHECK(csv_date("3 Agt 2017") == "2017-08-03");
    CHECK(csv_date("9 Mei 2018") == "2018-05-09");
    CHECK(csv_date("31 Desember 2020") == "2020-12-31");
    CHECK(csv_date("12-Okt-2017") == "2017-10-12");
    CHECK(csv_date("12 October 2017") == "2017-10-12");
    CHECK(csv_date("2017-08-11 00:00:00") == "2017-08-11");
    CHECK(csv_date("31/02/2017") == "2017-02-31");  // the form is known; the day is checked after (R0107)
    CHECK_FALSE(csv_date(""));
    CHECK_FALSE(csv_date("42958"));          // a spreadsheet's serial number
    CHECK_FALSE(csv_date("2017/08/11"));
    CHECK_FALSE(csv_date("08-11-17"));       // two-digit year
    CHECK_FALSE(csv_date("12 Jannuari 2017"));
    CHECK_FALSE(csv_date("11-08-2017-1"));
}

TEST_CASE("Headers are matched without case, spaces or punctuation", "[csv-import]") {
    CHECK(normalise_header("TMT Jabatan") == "tmtjabatan");
    CHECK(normalise_header(" tmt_JABATAN ") == "tmtjabatan");
    CHECK(normalise_header("No. SK") == "nosk");
    const imported r = import("nip,NAMA PEGAWAI,nama_jabatan,ESELON,unit kerja,Tmt.Jabatan,kode wilayah\n"
                              "196504121990031007,Asir,Kepala Dinas,II.b,Disdukcapil,2016-02-01,7373\n");
    REQUIRE(r.events.size() == 1);
    const event& e = r.events[0];
    CHECK(e.who.name == "Asir");
    CHECK(e.region == "73.73");  // four digits as a spreadsheet keeps them
    CHECK(e.position == "Kepala Dinas");
    CHECK(e.effective.iso() == "2016-02-01");
    CHECK(e.id == "riwayat.csv:2");
    CHECK(e.source == "data/riwayat.csv");
}

TEST_CASE("The rows of one person become appointments, transfers, acting posts and dismissals", "[csv-import]") {
    const imported r = import(
        "No;NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Nomor SK;Tanggal SK;Pejabat Penetap;Nomor Persetujuan;"
        "Tanggal Persetujuan;Pemberi Persetujuan;Kode Wilayah;Alasan;Keterangan\n"
        "1;'196504121990031007;Asir Mangopo;Kepala Dinas;II.b;Disdukcapil;01-02-2016;821/1/2016;28-01-2016;Walikota "
        "Palopo;SK-1/2016;20-01-2016;Mendagri;73.73;;\n"
        "2;197002151995031002;Akram Risa;Sekretaris;III.a;Disdukcapil;01-03-2016;;;;;;;73.73;;\n"
        "3;197002151995031002;Akram Risa;Plt. Kepala Dinas;II.b;Disdukcapil;2 Januari 2017;;;;;;;73.73;;sementara\n"
        "4;197002151995031002;Akram Risa;Kepala Dinas;II.b;Disdukcapil;11/08/2017;;;;;;;73.73;;\n"
        "5;196504121990031007;Asir Mangopo;Staf Ahli;II.b;Sekretariat Daerah;11/08/2017;;;;;;;73.73;;\n"
        "6;197002151995031002;Akram Risa;Kepala Dinas;II.b;Disdukcapil;01/09/2017;;;;;;;73.73;;SK perbaikan\n"
        "7;196504121990031007;Asir Mangopo;;;;01/05/2019;;;;;;;;Pensiun;\n"
        "8;198001302005011002;Kasi Baru;Kepala Seksi;IV.a;Disdukcapil;01/05/2019;;;;;;;73.73;Meninggal Dunia;\n");
    REQUIRE(r.rejected.empty());
    REQUIRE(r.events.size() == 8);
    const auto& e = r.events;
    CHECK(e[0].kind == event_kind::appoint);  // a person's first row
    CHECK(e[0].who.nip == "196504121990031007");
    CHECK(e[0].regional_decree.number == "821/1/2016");
    CHECK(e[0].regional_decree.issued->iso() == "2016-01-28");
    CHECK(e[0].regional_decree.issuer == "Walikota Palopo");
    REQUIRE(e[0].approvals.size() == 1);
    CHECK(e[0].approvals[0].issued.iso() == "2016-01-20");
    CHECK(e[0].approvals[0].number == "SK-1/2016");
    CHECK(e[0].approvals[0].authority == shipped().find_authority("menteri"));
    CHECK(e[1].kind == event_kind::appoint);
    CHECK(e[2].kind == event_kind::acting);    // "Plt." prefix: acting, keeps the own post
    CHECK(e[2].position == "Kepala Dinas");
    CHECK(e[3].kind == event_kind::transfer);  // from Sekretaris (the definitive post) to Kepala Dinas
    CHECK(e[4].kind == event_kind::transfer);  // out of Kepala Dinas into an uncovered post
    CHECK(e[4].unit == no_index);
    CHECK(e[5].kind == event_kind::appoint);   // the post already held: a renewed decree
    CHECK(e[6].kind == event_kind::dismiss);   // a vacancy reason without a post: the post held
    CHECK(e[6].position == "Staf Ahli");
    CHECK(e[6].unit_text == "Sekretariat Daerah");
    CHECK(e[6].region == "73.73");
    CHECK(e[6].why == reason::retirement);
    CHECK(e[7].kind == event_kind::dismiss);   // a vacancy reason with a post: leaves it
    CHECK(e[7].why == reason::death);
    CHECK(e[7].position == "Kepala Seksi");
}

TEST_CASE("Thousands of people and hundreds of posts are followed through their rows", "[csv-import]") {
    // Enough people and posts that the import's tables grow several times.
    constexpr int people = 3000, posts = 200;
    const auto nip = [](int i) {
        return fmt::format("1960{:02}{:02}1986101{:03}", i % 12 + 1, i / 12 % 28 + 1, i / 336);
    };
    std::string text = header;
    for (int i = 0; i < people; ++i)  // first rows: appointments
        text += fmt::format("{};N;Kepala Seksi {};IV.a;Disdukcapil;01-01-2017;73.73;\n", nip(i), i % posts);
    for (int i = 0; i < people; ++i)  // the same post written otherwise: a renewed decree
        text += fmt::format("{};N;KEPALA  SEKSI {};IV.a;Disdukcapil;01-02-2017;73.73;\n", nip(i), i % posts);
    for (int i = 0; i < people; ++i)  // another post: a transfer
        text += fmt::format("{};N;Kepala Seksi {};IV.a;Disdukcapil;01-03-2017;73.73;\n", nip(i), (i + 1) % posts);
    for (int i = 0; i < people; ++i)  // retirement without a post: the post held
        text += fmt::format("{};N;;;;01-04-2017;;Pensiun\n", nip(i));
    const imported r = import(text);
    REQUIRE(r.rejected.empty());
    REQUIRE(r.events.size() == 4 * people);
    for (int i = 0; i < people; ++i) {
        INFO(i);
        CHECK(r.events[i].kind == event_kind::appoint);
        CHECK(r.events[people + i].kind == event_kind::appoint);
        CHECK(r.events[2 * people + i].kind == event_kind::transfer);
        const event& last = r.events[3 * people + i];
        CHECK(last.kind == event_kind::dismiss);
        CHECK(last.position == fmt::format("Kepala Seksi {}", (i + 1) % posts));
        CHECK(last.rank_text == "IV.a");
        CHECK(last.region == "73.73");
    }
}

TEST_CASE("Repeated date cells read as the first time whether good or bad", "[csv-import]") {
    const std::string row = ";N;Kepala Seksi;IV.a;Disdukcapil;{};73.73;\n";
    std::string text = header;
    int person = 10;
    for (const char* d : {"01-02-2016", "01-02-2016", "31/06/2016", "31/06/2016", "2016-02-03", "01-02-2016", "Feb 2016",
                          "Feb 2016", "04 Feb 2016"})
        text += fmt::format("1960010219861024{:02}", person++) + fmt::format(fmt::runtime(row), d);
    const imported r = import(text);
    REQUIRE(r.events.size() == 5);
    CHECK(r.events[0].effective.iso() == "2016-02-01");
    CHECK(r.events[1].effective.iso() == "2016-02-01");
    CHECK(r.events[2].effective.iso() == "2016-02-03");
    CHECK(r.events[3].effective.iso() == "2016-02-01");
    CHECK(r.events[4].effective.iso() == "2016-02-04");
    REQUIRE(r.rejected.size() == 4);
    CHECK(r.rejected[0].code == "R0107");
    CHECK(r.rejected[1].code == "R0107");
    CHECK(r.rejected[2].code == "R0203");
    CHECK(r.rejected[3].code == "R0203");
    CHECK(r.rejected[3].line == 9);
}

TEST_CASE("A kind column decides the kind", "[csv-import]") {
    const imported r = import(
        "NIP;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah;Jenis Mutasi\n"
        "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-02-01;73.73;Pelantikan\n"
        "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-03-01;73.73;PLH\n"
        "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-04-01;73.73;pemberhentian\n"
        "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-05-01;73.73;Mutasi\n"
        "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-06-01;73.73;Pengangkatan\n");
    REQUIRE(r.events.size() == 5);
    CHECK(r.events[0].kind == event_kind::inaugurate);
    CHECK(r.events[1].kind == event_kind::acting);
    CHECK(r.events[2].kind == event_kind::dismiss);
    CHECK(r.events[3].kind == event_kind::transfer);
    CHECK(r.events[4].kind == event_kind::appoint);
}

TEST_CASE("Every malformed row is rejected with its line, code and reason", "[csv-import]") {
    const std::string ok = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;";
    CHECK(import(header + ok + "\n").events.size() == 1);

    rejection r = rejected_row("196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73");
    CHECK(r.code == "R0201");
    CHECK(r.reason.en == "the row has 7 fields but the header has 8 (a delimiter ';' inside an unquoted value?)");

    r = rejected_row("196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;2017.13;73.73;");
    CHECK(r.code == "R0203");
    CHECK(r.field == "TMT Jabatan");
    CHECK(r.reason.en == "'2017.13' in column 'TMT Jabatan' is not a date in a known form: write 2017-08-11, "
                         "11-08-2017, 11/08/2017 or 11 Agustus 2017");

    r = rejected_row("1965041219900310;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;");
    CHECK(r.code == "R0108");
    CHECK(r.field == "NIP");
    CHECK(r.reason.en == "NIP '1965041219900310' has 16 digits; 18 expected (column 'NIP')");
    CHECK(r.reason.id == "NIP '1965041219900310' terdiri atas 16 angka; seharusnya 18 (kolom 'NIP')");

    r = rejected_row("196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;30/02/2016;73.73;");
    CHECK(r.code == "R0107");
    CHECK(r.field == "TMT Jabatan");
    CHECK(r.reason.en == "'30/02/2016' in column 'TMT Jabatan' is not a real calendar day");

    // The checks of JSON records, with their codes, naming the column.
    struct json_check {
        const char* row;
        const char* code;
        const char* column;
    };
    for (const json_check& c : {
             json_check{"196504121990031007;Asir;Kepala Dinas;V.a;Disdukcapil;01-02-2016;73.73;", "R0111", "Eselon"},
             json_check{"196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;7370;", "R0110",
                        "Kode Wilayah"},
             json_check{"196504121990031007;Asir;;II.b;Disdukcapil;01-02-2016;73.73;", "R0104", "Jabatan"},
             json_check{"196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;sakit", "R0114",
                        "Alasan"},
         }) {
        r = rejected_row(c.row);
        CHECK(r.code == c.code);
        CHECK(r.field == c.column);
    }

    r = rejected_row("196504121990031007;Asir;;;;01-02-2016;;Pensiun");
    CHECK(r.code == "R0206");

    const imported order = import(header + ok + "\n" +
                                  "196504121990031007;Asir;Sekretaris;III.a;Disdukcapil;01-01-2016;73.73;\n");
    REQUIRE(order.rejected.size() == 1);
    CHECK(order.rejected[0].code == "R0204");
    CHECK(order.rejected[0].line == 3);
    CHECK(order.rejected[0].reason.en ==
          "TMT 2016-01-01 is earlier than line 2 of the same person (2016-02-01); sort each person's rows by TMT date");

    const imported kinds = import("NIP;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah;Jenis\n"
                                  "196504121990031007;Kepala Dinas;II.b;Disdukcapil;2016-02-01;73.73;naik pangkat\n");
    REQUIRE(kinds.rejected.size() == 1);
    CHECK(kinds.rejected[0].code == "R0205");
    CHECK(kinds.rejected[0].field == "Jenis");

    const imported quote = import(header + ok + "\n" + "196504121990031007;\"Asir;Kepala Dinas\n");
    CHECK(quote.events.size() == 1);
    REQUIRE(quote.rejected.size() == 1);
    CHECK(quote.rejected[0].code == "R0209");
    CHECK(quote.rejected[0].line == 3);
    CHECK_FALSE(quote.rejected[0].ends_input);
    // A quote never closed on an earlier row: that row alone, the rows after it are read.
    const imported early = import(header + "196504121990031007;\"Asir;Kepala Dinas\n" + ok + "\n");
    CHECK(early.events.size() == 1);
    REQUIRE(early.rejected.size() == 1);
    CHECK(early.rejected[0].code == "R0209");
    CHECK(early.rejected[0].line == 2);
    CHECK(early.rejected[0].raw == "196504121990031007;\"Asir;Kepala Dinas");
}

TEST_CASE("A row that is not UTF-8 is rejected, a header that is not stops the file", "[csv-import]") {
    // "Asir \xE9" is Windows-1252 for "Asir é": an export saved in another encoding.
    const imported r = import(header + "196504121990031007;Asir \xE9;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n" +
                              "197002151995031002;Akram;Kepala Dinas \xC3;II.b;Disdukcapil;01-03-2016;73.73;\n" +
                              "197002151995031002;Akram;Sekretaris;III.a;Disdukcapil;01-03-2016;73.73;\xFF\xFE\n" +
                              "196504121990031007;Asir \xC3\xA9;Kepala Dinas;II.b;Disdukcapil;01-04-2016;73.73;\n");
    REQUIRE(r.rejected.size() == 3);
    CHECK(r.rejected[0].code == "R0208");
    CHECK(r.rejected[0].line == 2);
    CHECK(r.rejected[0].field == "Nama");
    CHECK(r.rejected[0].reason.en == "the value in column 'Nama' is not UTF-8 text; save the export as UTF-8");
    CHECK(r.rejected[0].reason.id == "nilai kolom 'Nama' bukan teks UTF-8; simpan ekspor sebagai UTF-8");
    CHECK(r.rejected[1].line == 3);
    CHECK(r.rejected[1].field == "Jabatan");
    CHECK(r.rejected[2].line == 4);
    CHECK(r.rejected[2].field == "Alasan");
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].who.name == "Asir \xC3\xA9");

    const imported bad_header = import("NIP;Nama \xE9;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah;Alasan\n"
                                       "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n");
    REQUIRE(bad_header.rejected.size() == 1);
    CHECK(bad_header.events.empty());
    CHECK(bad_header.rejected[0].code == "R0208");
    CHECK(bad_header.rejected[0].line == 1);
    CHECK(bad_header.rejected[0].reason.en ==
          "the header line is not UTF-8 text (column 2); save the export as UTF-8; the rest of the file is not read");
}

TEST_CASE("A stray quote rejects its row (R0209), not the rows after it", "[csv-import]") {
    const std::string ok = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;";
    const imported r = import(header + "197002151995031002;\"Ak\"ram;Sekretaris;III.a;Disdukcapil;01-03-2016;73.73;\n" +
                              ok + "\n" + "198001302005011002;\"Kasi \"Baru\" Lama\";Sekretaris;III.a;Disdukcapil;01-03-2016;73.73;\n");
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].code == "R0209");
    CHECK(r.rejected[0].line == 2);
    CHECK(r.rejected[0].raw == "197002151995031002;\"Ak\"ram;Sekretaris;III.a;Disdukcapil;01-03-2016;73.73;");
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].line == 3);
    CHECK(r.events[1].who.name == "Kasi \"Baru\" Lama");

    const imported broken_header = import("NIP;\"Nama\"x;Jabatan\n" + ok + "\n");
    REQUIRE(broken_header.rejected.size() == 1);
    CHECK(broken_header.events.empty());
    CHECK(broken_header.rejected[0].code == "R0209");
    CHECK(broken_header.rejected[0].reason.en.find("the header line: a quote inside a quoted value") == 0);
}

TEST_CASE("A header without the columns the events need stops the file", "[csv-import]") {
    const imported r = import("NIP;Nama;Jabatan\n196504121990031007;Asir;Kepala Dinas\n");
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.events.empty());
    CHECK(r.rejected[0].code == "R0202");
    CHECK(r.rejected[0].line == 1);
    CHECK(r.rejected[0].reason.en.find("the header has no column for: date, region, unit") == 0);

    const imported twice = import("NIP;Jabatan;Nama Jabatan;Unit Kerja;TMT;Kode Wilayah\n");
    REQUIRE(twice.rejected.size() == 1);
    CHECK(twice.rejected[0].code == "R0202");
    CHECK(twice.rejected[0].reason.en.find("columns 'Jabatan' and 'Nama Jabatan' both map to position") == 0);

    CHECK(import("").counts.read == 0);
}

TEST_CASE("A rejected row carries the id its event would have had", "[csv-import]") {
    // Without an id column: FILE:LINE, the file's name as in the events' ids.
    const std::string ok = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;";
    const imported plain = import(header + ok + "\n" +
                                  "1965041219900310;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n" +
                                  "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016\n");
    REQUIRE(plain.events.size() == 1);
    CHECK(plain.events[0].id == "riwayat.csv:2");
    REQUIRE(plain.rejected.size() == 2);
    CHECK(plain.rejected[0].code == "R0108");
    CHECK(plain.rejected[0].id == "riwayat.csv:3");
    CHECK(plain.rejected[1].code == "R0201");
    CHECK(plain.rejected[1].id == "riwayat.csv:4");  // the id does not depend on the values

    // With an id column: the cell, or FILE:LINE when it is empty; nothing from
    // a row whose values cannot be told apart.
    const imported with_id = import("ID;" + header + "EV-1;" + ok + "\n" +
                                    "EV-2;1965041219900310;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n" +
                                    " ;1965041219900310;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n" +
                                    "EV-4;196504121990031007;Andi; Baso;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;\n" +
                                    "EV-5;196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;2016/02/01;73.73;\n");
    REQUIRE(with_id.events.size() == 1);
    CHECK(with_id.events[0].id == "EV-1");
    REQUIRE(with_id.rejected.size() == 4);
    CHECK(with_id.rejected[0].id == "EV-2");
    CHECK(with_id.rejected[1].id == "riwayat.csv:4");
    CHECK(with_id.rejected[2].code == "R0201");
    CHECK(with_id.rejected[2].id.empty());
    CHECK(with_id.rejected[3].code == "R0203");
    CHECK(with_id.rejected[3].id == "EV-5");

    // The header line is not a record: it has no id.
    const imported no_columns = import("ID;NIP;Nama\nEV-1;196504121990031007;Asir\n");
    REQUIRE(no_columns.rejected.size() == 1);
    CHECK(no_columns.rejected[0].code == "R0202");
    CHECK(no_columns.rejected[0].id.empty());
}

TEST_CASE("A mapping file names other columns and gives default values", "[csv-import]") {
    mapping_error why;
    const std::optional<csv_mapping> m = parse_csv_mapping(R"({
        "format": "patuh-csv-mapping/1",
        "delimiter": ",",
        "columns": {"NIP Pegawai": "person.nip", "Jabatan Baru": "position", "TMT SK": "date", "Jabatan": null},
        "defaults": {"region": "73.73", "unit": "Disdukcapil"}
    })",
                                                          why);
    REQUIRE(m);
    const imported r = import("NIP Pegawai,Jabatan,Jabatan Baru,Eselon,TMT SK\n"
                              "196504121990031007,Staf,Kepala Dinas,II.b,01-02-2016\n"
                              "197002151995031002,Staf,Sekretaris,III.a,01-02-2016\n",
                              &*m);
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].position == "Kepala Dinas");
    CHECK(r.events[0].region == "73.73");
    CHECK(r.events[0].unit_text == "Disdukcapil");
    CHECK(r.events[1].who.nip == "197002151995031002");

    // Refused: the code, line:column and the English reason.
    const auto refused = [](const std::string& text) {
        mapping_error error;
        CHECK_FALSE(parse_csv_mapping(text, error));
        CHECK_FALSE(error.reason.id.empty());
        return fmt::format("{}:{}: {}: {}", error.line, error.column, error.code, error.reason.en);
    };
    CHECK(refused("[]") == "1:1: M0101: the mapping file must be a JSON object");
    CHECK(refused("\n  [1, 2]") == "2:3: M0101: the mapping file must be a JSON object");
    CHECK(refused("{\n  \"columns\": {\n    \"NIP\": \"person.nip\",\n  }\n}") ==
          "4:3: M0101: the mapping file is not valid JSON");
    CHECK(refused("") == "1:1: M0101: the mapping file is not valid JSON");
    CHECK(refused("{\n  \"columns\": {\"Nama\": \"person.name\", \"NIP\": \"person.nipp\"}\n}") ==
          "2:38: M0104: mapping file, 'columns.NIP': 'person.nipp' is not an event field; did you mean 'person.nip'?");
    CHECK(refused(R"({"defaults": {"regio": "73.73"}})") ==
          "1:15: M0104: mapping file, 'defaults.regio': 'regio' is not an event field; did you mean 'region'?");
    CHECK(refused(R"({"defaults": {"region": 73}})") == "1:15: M0103: mapping file, 'defaults.region': must be a string");
    CHECK(refused(R"({"columns": {"NIP": 1}})") ==
          "1:14: M0103: mapping file, 'columns.NIP': must be the name of an event field or null");
    CHECK(refused("{\"format\": \"patuh-csv-mapping/1\",\n \"colums\": {}}") ==
          "2:2: M0102: mapping file, 'colums': unknown key; did you mean 'columns'?");
    CHECK(refused(R"({"delimiter": "|"})") == R"(1:2: M0103: mapping file, 'delimiter': must be ",", ";" or "\t")");
    CHECK(refused(R"({"format": "patuh-csv-mapping/2"})") ==
          R"(1:2: M0103: mapping file, 'format': must be "patuh-csv-mapping/1")");
    // Of repeated keys JSON keeps the last: the place is the last one's.
    CHECK(refused("{\"delimiter\": \",\",\n \"delimiter\": \"|\"}") ==
          R"(2:2: M0103: mapping file, 'delimiter': must be ",", ";" or "\t")");
    // A key written with an escape is found as JSON reads it.
    CHECK(refused(R"({"columns": {"N\u0049P": "person.nipp"}})") ==
          "1:14: M0104: mapping file, 'columns.NIP': 'person.nipp' is not an event field; did you mean 'person.nip'?");

    // The codes are documented (M0105, a file over 1 MiB, comes from the
    // command line's reading: examples/csv-import/big-mapping.err.txt).
    const std::string doc = patuh::testing::read_text(std::string(PATUH_SOURCE_DIR) + "/docs/diagnostics.md");
    for (const char* code : {"M0101", "M0102", "M0103", "M0104", "M0105"}) {
        INFO(code);
        CHECK(doc.find(fmt::format("| {} |", code)) != std::string::npos);
    }
}

TEST_CASE("An imported row over the record size limit is rejected with its line and the rows after it are read", "[csv-import]") {
    const std::string ok = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73;";
    const std::string memo = "\"" + std::string(300, 'm') + "\n" + std::string(300, 'n') + "\"";
    const std::string long_row = "197002151995031002;Akram;Sekretaris;III.a;Disdukcapil;01-03-2016;73.73;" + memo;
    const std::string after = "197805202003122001;Nur;Kepala Bidang;III.b;Disdukcapil;01-04-2016;73.73;";
    const std::string text = header + ok + "\n" + long_row + "\n" + after + "\n";
    reader_limits limits;
    limits.max_record_bytes = 500;
    const imported r = import(text, nullptr, limits);
    CHECK(r.counts.read == 3);
    CHECK(r.events.size() == 2);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].code == "R0210");
    CHECK(r.rejected[0].line == 3);
    CHECK(r.rejected[0].reason.en == "the row is longer than 500 bytes (without its line end); the row is not read");
    CHECK(r.rejected[0].record.empty());
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[1].line == 5);  // the memo's line break counts

    // For a rejects file, the whole row as written.
    limits.keep_records = true;
    const imported kept = import(text, nullptr, limits);
    REQUIRE(kept.rejected.size() == 1);
    CHECK(kept.rejected[0].record == long_row);

    // A header over the limit stops the file.
    limits.max_record_bytes = 20;
    const imported head = import(text, nullptr, limits);
    CHECK(head.events.empty());
    REQUIRE(head.rejected.size() == 1);
    CHECK(head.rejected[0].code == "R0210");
    CHECK(head.rejected[0].line == 1);
}

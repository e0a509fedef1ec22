// Bulk input: gzip data read directly (whole, concatenated, cut off,
// corrupt), the choice of reader, the rejects file and the progress line.

#include "shipped.hpp"

#include <catch2/catch.hpp>
#include <patuh/csv_import.hpp>
#include <patuh/engine.hpp>
#include <patuh/gzip.hpp>
#include <patuh/input.hpp>
#include <patuh/progress.hpp>
#include <patuh/rejects.hpp>

#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

using namespace patuh;
using patuh::testing::shipped;

namespace {

// `text` as one gzip member, made with zlib's deflate.
std::string gzip(const std::string& text) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// A source that hands out at most 7 bytes per read, to cross every buffer boundary.
class trickle : public std::streambuf {
public:
    explicit trickle(std::string data) : data_(std::move(data)) {}

protected:
    int_type underflow() override {
        if (pos_ >= data_.size()) return traits_type::eof();
        const std::size_t n = std::min<std::size_t>(7, data_.size() - pos_);
        setg(data_.data() + pos_, data_.data() + pos_, data_.data() + pos_ + n);
        pos_ += n;
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string data_;
    std::size_t pos_ = 0;
};

// A pipe whose writer is slow: every read, of one byte or of many, gives at
// most `per_read` bytes, as read(2) gives what has arrived.
class slow_pipe : public std::streambuf {
public:
    slow_pipe(std::string data, std::size_t per_read) : data_(std::move(data)), per_read_(per_read) {}

protected:
    int_type underflow() override {
        if (pos_ >= data_.size()) return traits_type::eof();
        const std::size_t n = std::min(per_read_, data_.size() - pos_);
        setg(data_.data() + pos_, data_.data() + pos_, data_.data() + pos_ + n);
        pos_ += n;
        return traits_type::to_int_type(*gptr());
    }
    std::streamsize xsgetn(char_type* s, std::streamsize n) override {
        if (gptr() == egptr() && traits_type::eq_int_type(underflow(), traits_type::eof())) return 0;
        const std::streamsize k = std::min<std::streamsize>(n, egptr() - gptr());
        std::memcpy(s, gptr(), static_cast<std::size_t>(k));
        gbump(static_cast<int>(k));
        return k;
    }

private:
    std::string data_;
    std::size_t per_read_;
    std::size_t pos_ = 0;
};

std::string everything(std::streambuf& source) {
    input_streambuf in(source);
    std::istream s(&in);
    std::ostringstream out;
    out << s.rdbuf();
    return out.str();
}

// Numbered JSON Lines records: a warning per line, each valid with the shipped rules.
std::string log_of(int records) {
    std::string text;
    for (int i = 1; i <= records; ++i)
        text += R"({"id": "w)" + std::to_string(i) + R"(", "kind": "warn", "date": "2017-02-08", "region": "73.73"})" + "\n";
    return text;
}

struct read_result {
    read_counts counts;
    std::vector<event> events;
    std::vector<rejection> rejected;
};

read_result read_all(const std::string& bytes, const std::string& name, input_settings settings = {}) {
    read_result out;
    std::istringstream in(bytes);
    out.counts = read_input(
        in, name, bytes.size(), shipped(), [&](const event& e) { out.events.push_back(e); },
        [&](rejection&& r) { out.rejected.push_back(std::move(r)); }, settings);
    CHECK(out.counts.read == out.counts.accepted + out.counts.rejected);
    CHECK(out.counts.accepted == out.events.size());
    CHECK(out.counts.rejected == out.rejected.size());
    return out;
}

}  // namespace

TEST_CASE("gzip data is decompressed as a stream, other bytes pass unchanged", "[gzip]") {
    const std::string text = log_of(2000);
    std::stringbuf packed(gzip(text));
    CHECK(everything(packed) == text);
    trickle slow(gzip(text));
    CHECK(everything(slow) == text);
    // Members one after the other, as `cat a.gz b.gz` writes them.
    std::stringbuf two(gzip("first\n") + gzip("second\n"));
    CHECK(everything(two) == "first\nsecond\n");
    for (const std::string& plain : {std::string(), std::string("\x1f"), std::string("\x1f" "a"), log_of(3)}) {
        std::stringbuf b(plain);
        input_streambuf in(b);
        CHECK_FALSE(in.compressed());
        std::istream s(&in);
        std::ostringstream out;
        if (!plain.empty()) out << s.rdbuf();
        CHECK(out.str() == plain);
        CHECK_FALSE(in.error());
    }
    trickle slow_plain(text);
    CHECK(everything(slow_plain) == text);
}

TEST_CASE("Cut off or corrupt gzip data: an error, and what came before is good", "[gzip]") {
    const std::string text = log_of(3000);
    const std::string packed = gzip(text);
    SECTION("cut off") {
        for (const std::size_t keep : {std::size_t{2}, std::size_t{10}, packed.size() / 2, packed.size() - 4}) {
            std::stringbuf b(packed.substr(0, keep));
            input_streambuf in(b);
            std::istream s(&in);
            std::ostringstream out;
            out << s.rdbuf();
            INFO(keep);
            REQUIRE(in.error());
            CHECK(in.error()->en.find("cut off") != std::string::npos);
            const std::string got = out.str();
            CHECK(text.substr(0, got.size()) == got);
            CHECK(in.lines() == static_cast<std::uint64_t>(std::count(got.begin(), got.end(), '\n')));
        }
    }
    SECTION("a wrong checksum: every byte handed out, then the error") {
        std::string bad = packed;
        bad[bad.size() - 6] = static_cast<char>(bad[bad.size() - 6] ^ 0x55);  // the CRC-32 in the trailer
        std::stringbuf b(bad);
        CHECK(everything(b) == text);
        std::stringbuf again(bad);
        input_streambuf in(again);
        std::istream s(&in);
        std::ostringstream out;
        out << s.rdbuf();
        REQUIRE(in.error());
        CHECK(in.error()->en.find("corrupt") != std::string::npos);
    }
    SECTION("damage inside the compressed data") {
        std::string bad = packed;
        for (std::size_t i = 20; i < 40; ++i) bad[i] = static_cast<char>(0xff);
        std::stringbuf b(bad);
        input_streambuf in(b);
        std::istream s(&in);
        std::ostringstream out;
        out << s.rdbuf();
        CHECK(in.error());
    }
    SECTION("bytes that are not gzip after the end") {
        std::stringbuf b(packed + "trailing");
        input_streambuf in(b);
        std::istream s(&in);
        std::ostringstream out;
        out << s.rdbuf();
        CHECK(out.str() == text);
        REQUIRE(in.error());
        CHECK(in.error()->en.find("not gzip") != std::string::npos);
    }
}

TEST_CASE("A gzip log is read like the plain one, a cut-off one is a rejection after the good records", "[gzip]") {
    const std::string text = log_of(500);
    const read_result plain = read_all(text, "log.jsonl");
    const read_result packed = read_all(gzip(text), "log.jsonl.gz");
    REQUIRE(packed.events.size() == 500);
    CHECK(packed.rejected.empty());
    for (std::size_t i = 0; i < plain.events.size(); ++i) {
        CHECK(packed.events[i].id == plain.events[i].id);
        CHECK(packed.events[i].line == plain.events[i].line);
    }

    const std::string whole = gzip(text);
    const read_result cut = read_all(whole.substr(0, whole.size() / 2), "log.jsonl.gz");
    REQUIRE_FALSE(cut.rejected.empty());
    const rejection& last = cut.rejected.back();
    CHECK(last.code == "R0117");
    CHECK(last.source == "log.jsonl.gz");
    CHECK_FALSE(last.reason.id.empty());
    // Every complete line before the damage is an event; the line where reading stopped is named.
    CHECK(cut.events.size() >= 1);
    CHECK(last.line >= cut.events.back().line + 1);
    for (std::size_t i = 0; i < cut.events.size(); ++i) CHECK(cut.events[i].line == i + 1);
}

TEST_CASE("The reader follows the name and the content", "[input]") {
    CHECK(input_format_for("a.csv", input_format::automatic) == input_format::csv);
    CHECK(input_format_for("A.CSV.GZ", input_format::automatic) == input_format::csv);
    CHECK(input_format_for("a.jsonl.gz", input_format::automatic) == input_format::automatic);
    CHECK(input_format_for("a.json", input_format::automatic) == input_format::automatic);
    CHECK(input_format_for("a.csv", input_format::jsonl) == input_format::jsonl);
    CHECK(input_format_for("<stdin>", input_format::csv) == input_format::csv);

    const std::string csv = "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                            "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73\n";
    const read_result r = read_all(gzip(csv), "riwayat.csv.gz");
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].kind == event_kind::appoint);
    CHECK(r.events[0].line == 2);
}

TEST_CASE("An export under another name is read as CSV by its header line, JSON stays JSON", "[input]") {
    const std::string rows = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73\n";
    for (const std::string& header : {std::string("NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"),
                                      std::string("\xEF\xBB\xBF\r\n\"No\";\"NIP Baru\";Nama;Jabatan;Eselon;Unit Kerja;TMT;"
                                                  "Kode Wilayah\r\n")}) {
        const std::string text = header.find("No") != std::string::npos
                                     ? header + "1;" + rows
                                     : header + rows;
        for (const char* name : {"riwayat.txt", "riwayat.xls", "<stdin>"}) {
            const read_result r = read_all(text, name);
            REQUIRE(r.events.size() == 1);
            CHECK(r.events[0].kind == event_kind::appoint);
            CHECK(r.rejected.empty());
        }
        CHECK(read_all(gzip(text), "riwayat.txt.gz").events.size() == 1);
        // Asked for as JSON Lines, it is read as such: every line rejected.
        input_settings as_jsonl;
        as_jsonl.format = input_format::jsonl;
        CHECK(read_all(text, "riwayat.txt", as_jsonl).events.empty());
    }
    // A mapping's own name for the NIP column is a header too.
    csv_mapping mapping;
    mapping.columns.emplace_back("nomorinduk", csv_field::nip);
    input_settings mapped;
    mapped.mapping = &mapping;
    const std::string own = "Nomor Induk,Nama,Jabatan,Eselon,Unit Kerja,TMT Jabatan,Kode Wilayah\n"
                            "196504121990031007,Asir,Kepala Dinas,II.b,Disdukcapil,01-02-2016,73.73\n";
    CHECK(read_all(own, "ekspor.dat", mapped).events.size() == 1);
    CHECK(read_all(own, "ekspor.dat").events.empty());  // without the mapping: JSON Lines, rejected

    CHECK(export_header("No;NIP;Nama", nullptr));
    CHECK(export_header("nama\tnip baru", nullptr));
    CHECK_FALSE(export_header("Nama;Jabatan", nullptr));
    CHECK_FALSE(export_header("[\"nip\", \"nama\"]", nullptr));
    CHECK_FALSE(export_header("{\"nip\": 1}", nullptr));
    CHECK_FALSE(export_header("", nullptr));
    // JSON Lines and arrays whose first record names a NIP are JSON.
    CHECK(read_all(log_of(2), "events.txt").events.size() == 2);
    CHECK(read_all("[" + log_of(1).substr(0, log_of(1).size() - 1) + "]", "events.txt").events.size() == 1);
}

TEST_CASE("A file of another kind is refused by what its first bytes are, before any record", "[input]") {
    using namespace std::string_literals;
    // The English reason's start: the kind of file it names.
    const auto kind = [](std::string_view bytes, std::string_view name = "x") -> std::string {
        const std::optional<bilingual> why = foreign_file(bytes, name);
        if (!why) return "";
        CHECK_FALSE(why->id.empty());
        return why->en.substr(0, why->en.find(':'));
    };
    const std::string zip_head = "PK\x03\x04\x14\x00\x00\x00\x08\x00"s;
    CHECK(kind(zip_head + "[Content_Types].xml...xl/workbook.xml") == "this is an Excel workbook (.xlsx)");
    CHECK(kind(zip_head + "[Content_Types].xml", "Riwayat.XLSX") == "this is an Excel workbook (.xlsx)");
    CHECK(kind(zip_head + "mimetypeapplication/vnd.oasis.opendocument.spreadsheet") ==
          "this is an OpenDocument spreadsheet (.ods)");
    CHECK(kind(zip_head + "events.jsonl", "logs.zip") == "this is a ZIP archive");
    CHECK(kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"s) ==
          "this is an Excel 97-2003 workbook (.xls) or another Microsoft Office file");
    CHECK(kind("%PDF-1.7\n") == "this is a PDF document");
    CHECK(kind("\xFF\xFEN\x00I\x00P\x00"s) == "this is UTF-16 text (as Excel's \"Unicode Text\" saves it)");
    CHECK(kind("\xFE\xFF\x00N\x00I"s) == "this is UTF-16 text (as Excel's \"Unicode Text\" saves it)");
    CHECK(kind("\xFD" "7zXZ\x00\x00\x04"s) == "this is data compressed with xz");
    CHECK(kind("BZh91AY&SY\x12") == "this is data compressed with bzip2");
    CHECK(kind("\x28\xB5\x2F\xFD\x04"s) == "this is data compressed with zstd");
    CHECK(kind("\xEF\xBB\xBF \r\n<!DOCTYPE HTML><html>") ==
          "this is a web page (HTML), as some systems save a table under a spreadsheet's name");
    CHECK(kind("<table border=1><tr><td>NIP</td>") ==
          "this is a web page (HTML), as some systems save a table under a spreadsheet's name");
    CHECK(kind("<?xml version=\"1.0\"?><Workbook>") == "this is an XML document (such as an Excel 2003 XML spreadsheet)");

    // Logs and exports, whatever their first characters, are read as usual.
    for (const std::string& ordinary :
         {"{\"id\": \"a\"}\n"s, "[\n"s, "\xEF\xBB\xBF{\"id\": 1}"s, "No;NIP;Nama\n"s, "\xEF\xBB\xBFNIP,Nama\n"s,
          "BZh;NIP\n"s, "<NIP>;Nama\n"s, "PK;NIP\n"s, "%PD;x\n"s, ""s, "\xFF"s, "not JSON at all\n"s})
        CHECK(kind(ordinary).empty());

    // read_input refuses such a file, compressed or not, before any record.
    const std::string workbook = zip_head + "xl/workbook.xml" + std::string(100, '\0');
    for (const std::string& bytes : {workbook, gzip(workbook)}) {
        std::istringstream in(bytes);
        std::size_t records = 0;
        CHECK_THROWS_AS(read_input(
                            in, "riwayat.csv", bytes.size(), shipped(), [&](const event&) { ++records; },
                            [&](rejection&&) { ++records; }),
                        foreign_input);
        CHECK(records == 0);
    }
    // Looking at the first bytes takes none of them: a log reads whole.
    const read_result r = read_all(log_of(3), "events.jsonl");
    CHECK(r.events.size() == 3);
    const read_result packed = read_all(gzip(log_of(3)), "events.jsonl.gz");
    CHECK(packed.events.size() == 3);
}

TEST_CASE("The first bytes are gathered over as many reads as a slow pipe takes to deliver them", "[input][gzip]") {
    using namespace std::string_literals;
    // Read from a pipe giving 3 bytes a read, as "<stdin>": only the content tells what it is.
    const auto read_slowly = [](const std::string& bytes, read_result& out) {
        slow_pipe source(bytes, 3);
        std::istream in(&source);
        out.counts = read_input(
            in, "<stdin>", std::nullopt, shipped(), [&](const event& e) { out.events.push_back(e); },
            [&](rejection&& r) { out.rejected.push_back(std::move(r)); });
    };
    // A workbook's sheets are named a few hundred bytes in.
    const std::string workbook = "PK\x03\x04\x14\x00\x00\x00\x08\x00"s + "[Content_Types].xml" +
                                 std::string(300, '\x01') + "xl/workbook.xml" + std::string(100, '\0');
    for (const std::string& bytes : {workbook, gzip(workbook)}) {
        read_result r;
        try {
            read_slowly(bytes, r);
            FAIL("read as a log");
        } catch (const foreign_input& e) {
            CHECK(e.reason.en.starts_with("this is an Excel workbook (.xlsx):"));
        }
        CHECK(r.events.empty());
        CHECK(r.rejected.empty());
    }
    // An export's header line, after blank lines filling more than the first 4 KiB.
    const std::string rows = "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73\n";
    const std::string header = "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n";
    for (const std::string& text : {header + rows, std::string(3000, '\n') + header + rows}) {
        for (const std::string& bytes : {text, gzip(text)}) {
            read_result r;
            read_slowly(bytes, r);
            REQUIRE(r.events.size() == 1);
            CHECK(r.events[0].kind == event_kind::appoint);
            CHECK(r.rejected.empty());
        }
    }
    // Looking takes nothing: the bytes read are the input, whole.
    const std::string log = log_of(200);
    REQUIRE(log.size() > 3 * input_streambuf::first_bytes_looked_at);
    for (const std::string& bytes : {log, gzip(log)}) {
        slow_pipe source(bytes, 3);
        input_streambuf in(source);
        CHECK(in.first_bytes(5) == log.substr(0, 5));
        CHECK(in.first_bytes() == log.substr(0, input_streambuf::first_bytes_looked_at));
        CHECK(in.first_bytes(10'000) == log.substr(0, 10'000));
        std::istream s(&in);
        std::ostringstream out;
        out << s.rdbuf();
        CHECK(out.str() == log);
    }
    slow_pipe short_input("{}\n", 1);
    input_streambuf in(short_input);
    CHECK(in.first_bytes() == "{}\n");
}

namespace {

// Reads `bytes` keeping whole records, writes the rejects file; returns it and the rejections.
std::pair<std::string, std::vector<rejection>> rejects_of(const std::string& bytes, const std::string& name) {
    std::ostringstream file;
    rejects_writer writer(file);
    input_settings settings;
    settings.limits.keep_records = true;
    settings.rejects = &writer;
    std::vector<rejection> all;
    std::istringstream in(bytes);
    engine eng(shipped());
    read_input(
        in, name, std::nullopt, shipped(),
        [&](const event& e) {
            rejection why;
            if (eng.add(e, why)) return;
            why.record = e.record;
            writer.write(why);
            all.push_back(std::move(why));
        },
        [&](rejection&& r) {
            writer.write(r);
            all.push_back(std::move(r));
        },
        settings);
    CHECK_FALSE(writer.error());
    return {file.str(), all};
}

std::vector<std::string> codes(const std::vector<rejection>& rs) {
    std::vector<std::string> out;
    for (const rejection& r : rs) out.push_back(r.code);
    return out;
}

}  // namespace

TEST_CASE("The rejects file holds every rejected record unchanged, read again it is rejected the same way",
          "[rejects]") {
    SECTION("JSON Lines: the exact lines, also one longer than 4 KiB") {
        const std::string long_note(6000, 'x');
        const std::string log =
            R"({"id": "a", "kind": "warn", "date": "2017-02-08", "region": "73.73"})" "\n"
            R"({"id": "b", "kind": "warn", "date": "2017-02-30", "region": "73.73"})" "\n"
            "\n"
            R"({"id": "c", "kind": "warn", "date": "2017-02-08", "region": "73.73", "note": ")" + long_note +
            R"(", "x": 1})" "\r\n"
            R"({"id": "d", "kind": )" "\n"
            R"({"id": "e", "kind": "warn", "date": "2017-02-08", "region": "73.73"})" "\n";
        const auto [file, rejected] = rejects_of(log, "log.jsonl");
        CHECK(codes(rejected) == std::vector<std::string>{"R0107", "R0115", "R0101"});
        CHECK(rejected[1].raw.size() == 4096);
        const std::string expected =
            R"({"id": "b", "kind": "warn", "date": "2017-02-30", "region": "73.73"})" "\n"
            R"({"id": "c", "kind": "warn", "date": "2017-02-08", "region": "73.73", "note": ")" + long_note +
            R"(", "x": 1})" "\n"
            R"({"id": "d", "kind": )" "\n";
        CHECK(file == expected);
        const auto [again, rejected_again] = rejects_of(file, "rejects.jsonl");
        CHECK(again == file);
        CHECK(codes(rejected_again) == codes(rejected));
    }
    SECTION("JSON Lines: a record that ends in a carriage return keeps it") {
        // "\r\r\n": the line end is the last CR and the LF; the record ends in a CR.
        const std::string big = R"({"id": "r", "kind": "warn", "date": "2017-02-08", "region": "73.73", "note": ")" +
                                std::string(60, 'n') + R"("})";
        const std::string log = big + "\r\r\n" + "x\r\r\n" + big + "\r\n";
        std::ostringstream file;
        rejects_writer writer(file);
        input_settings settings;
        settings.limits.keep_records = true;
        settings.limits.max_record_bytes = big.size();
        settings.rejects = &writer;
        const read_result r = read_all(log, "cr.jsonl", settings);
        for (const rejection& x : r.rejected) writer.write(x);
        CHECK(codes(r.rejected) == std::vector<std::string>{"R0103", "R0101"});
        CHECK(r.events.size() == 1);
        CHECK(file.str() == big + "\r\r\n" + "x\r\r\n");
        const read_result again = read_all(file.str(), "rejects.jsonl", settings);
        CHECK(codes(again.rejected) == codes(r.rejected));
    }
    SECTION("JSON Lines: a first rejected record that starts with a byte-order mark keeps it") {
        // Read again, a mark at the start of the file is not the record's: the
        // file starts with one more. A mark alone is a record (R0101) past line 1.
        const std::string bom = "\xEF\xBB\xBF";
        const std::string warn = R"({"id": "a", "kind": "warn", "date": "2017-02-08", "region": "73.73"})";
        const std::string bad = R"({"id": "b", "kind": "wran", "date": "2017-02-08", "region": "73.73"})";
        const std::string log = warn + "\n" + bom + "\r\n" + bom + "  " + bad + "\n" + bom + "\n";
        const auto [file, rejected] = rejects_of(log, "joined.jsonl");
        CHECK(codes(rejected) == std::vector<std::string>{"R0101", "R0106", "R0101"});
        CHECK(file == bom + bom + "\n" + bom + "  " + bad + "\n" + bom + "\n");
        const auto [again, rejected_again] = rejects_of(file, "rejects.jsonl");
        CHECK(again == file);
        CHECK(codes(rejected_again) == codes(rejected));
        // A first record without a mark: the file starts with the record.
        const auto [plain, plain_rejected] = rejects_of(bad + "\n" + bom + "\n", "log.jsonl");
        CHECK(plain == bad + "\n" + bom + "\n");
    }
    SECTION("a record over the size limit is written whole") {
        const std::string line = R"({"id": "big", "note": ")" + std::string(3000, 'y') + R"("})";
        std::ostringstream file;
        rejects_writer writer(file);
        input_settings settings;
        settings.limits.keep_records = true;
        settings.limits.max_record_bytes = 1000;
        const read_result r = read_all(line + "\n", "big.jsonl", settings);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0103");
        CHECK(r.rejected[0].record == line);
    }
    SECTION("a JSON array: each element on one line") {
        const std::string log = "[\n"
                                "  {\"id\": \"a\",\n   \"kind\": \"warn\", \"date\": \"2017-02-31\", \"region\": \"73.73\"},\n"
                                "  {\"id\": \"b\", \"kind\": \"warn\", \"date\": \"2017-02-08\", \"region\": \"73.73\"}\n"
                                "]\n";
        const auto [file, rejected] = rejects_of(log, "log.json");
        CHECK(codes(rejected) == std::vector<std::string>{"R0107"});
        CHECK(file == "{\"id\": \"a\",    \"kind\": \"warn\", \"date\": \"2017-02-31\", \"region\": \"73.73\"}\n");
        const auto [again, rejected_again] = rejects_of(file, "rejects.jsonl");
        CHECK(codes(rejected_again) == codes(rejected));
    }
    SECTION("CSV: the header line, then the rejected rows as read") {
        const std::string csv = "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\r\n"
                                "196504121990031007;Asir;Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73\r\n"
                                "1965041219900310;\"Nama; dengan titik koma\";Sekretaris;III.a;Disdukcapil;01-02-2016;73.73\r\n"
                                "197002151995031002;Akram;Sekretaris;III.a;Disdukcapil;31/02/2016;73.73\r\n"
                                "197002151995031002;\"Akram\nRisa\";Sekretaris;III.a;Disdukcapil;2016-03-01;73.73;x\r\n";
        const auto [file, rejected] = rejects_of(csv, "riwayat.csv");
        CHECK(codes(rejected) == std::vector<std::string>{"R0108", "R0107", "R0201"});
        CHECK(file == "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                      "1965041219900310;\"Nama; dengan titik koma\";Sekretaris;III.a;Disdukcapil;01-02-2016;73.73\n"
                      "197002151995031002;Akram;Sekretaris;III.a;Disdukcapil;31/02/2016;73.73\n"
                      "197002151995031002;\"Akram\nRisa\";Sekretaris;III.a;Disdukcapil;2016-03-01;73.73;x\n");
        const auto [again, rejected_again] = rejects_of(file, "rejects.csv");
        CHECK(again == file);
        CHECK(codes(rejected_again) == codes(rejected));
    }
    SECTION("CSV whose header cannot be used: the header line alone, refused again") {
        const auto [file, rejected] = rejects_of("NIP;Nama;Jabatan\n196504121990031007;Asir;Kepala Dinas\n", "x.csv");
        CHECK(codes(rejected) == std::vector<std::string>{"R0202"});
        CHECK(file == "NIP;Nama;Jabatan\n");
        const auto [again, rejected_again] = rejects_of(file, "rejects.csv");
        CHECK(again == file);
        CHECK(codes(rejected_again) == codes(rejected));
    }
    SECTION("an event the engine refuses (R0120) is written too") {
        const std::string log =
            R"({"id": "a", "kind": "appoint", "date": "2017-06-01", "region": "73.73", "unit": "disdukcapil", "position": "Kepala Dinas", "rank": "II", "person": {"nip": "196504121990031007"}})" "\n"
            R"({"id": "b", "kind": "appoint", "date": "2017-01-01", "region": "73.73", "unit": "disdukcapil", "position": "Kepala Dinas", "rank": "II", "person": {"nip": "197002151995031002"}})" "\n";
        const auto [file, rejected] = rejects_of(log, "log.jsonl");
        CHECK(codes(rejected) == std::vector<std::string>{"R0120"});
        CHECK(file == log.substr(log.find('\n') + 1));

        const std::string csv = "NIP;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                                "196504121990031007;Kepala Dinas;II.b;Disdukcapil;01-06-2017;73.73\n"
                                "197002151995031002;Kepala Dinas;II.b;Disdukcapil;01-01-2017;73.73\n";
        const auto [csv_file, csv_rejected] = rejects_of(csv, "riwayat.csv");
        CHECK(codes(csv_rejected) == std::vector<std::string>{"R0120"});
        CHECK(csv_file == "NIP;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                          "197002151995031002;Kepala Dinas;II.b;Disdukcapil;01-01-2017;73.73\n");
    }
    SECTION("one file, one form") {
        const auto record = [](std::string source, std::uint64_t line, std::string text) {
            rejection r;
            r.source = std::move(source);
            r.line = line;
            r.record = std::move(text);
            return r;
        };
        std::ostringstream file;
        rejects_writer writer(file);
        writer.write(record("a.jsonl", 3, "{}"));
        writer.csv_header("b.csv", "NIP;Jabatan");
        writer.write(record("b.csv", 2, "1;x"));
        REQUIRE(writer.error());
        CHECK(writer.error()->en.find("b.csv:2") == 0);
        CHECK(file.str() == "{}\n");
        CHECK(writer.written() == 1);

        std::ostringstream csv_file;
        rejects_writer csv_writer(csv_file);
        csv_writer.csv_header("a.csv", "NIP;Jabatan");
        csv_writer.csv_header("b.csv", "NIP;Nama");
        csv_writer.write(record("a.csv", 2, "1;x"));
        CHECK_FALSE(csv_writer.error());
        csv_writer.write(record("b.csv", 2, "1;x"));
        REQUIRE(csv_writer.error());
        CHECK(csv_writer.error()->en.find("header") != std::string::npos);
        CHECK(csv_file.str() == "NIP;Jabatan\n1;x\n");
    }
}

TEST_CASE("The progress line", "[progress]") {
    progress_sample s;
    s.input = "events.jsonl.gz";
    s.records = 1234567;
    s.seconds = 3.0;
    s.bytes = 370;
    s.total = 1000;
    s.input_seconds = 37.0;
    CHECK(format_progress(s, lang::en) == "patuh: 1,234,567 records, 411,522/s, 37% of events.jsonl.gz, 1:03 left");
    CHECK(format_progress(s, lang::id) == "patuh: 1.234.567 rekaman, 411.522/dtk, 37% dari events.jsonl.gz, sisa 1:03");
    s.input_seconds = 3700.0;
    CHECK(format_progress(s, lang::en) == "patuh: 1,234,567 records, 411,522/s, 37% of events.jsonl.gz, 1:45:00 left");
    s.total.reset();
    CHECK(format_progress(s, lang::en) == "patuh: 1,234,567 records, 411,522/s, events.jsonl.gz");
    s.records = 12;
    s.seconds = 0;
    CHECK(format_progress(s, lang::id) == "patuh: 12 rekaman, events.jsonl.gz");
}

namespace {

// What was written to `file` so far; the file is rewound for writing again.
std::string written(std::FILE* file) {
    std::fflush(file);
    const long size = std::ftell(file);
    std::rewind(file);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (size > 0) CHECK(std::fread(text.data(), 1, text.size(), file) == text.size());
    std::rewind(file);
    return text;
}

// Reads half of "log.jsonl" (100 bytes), 2,048 records in more than the half
// second before the first line is drawn, then erases the line.
void half_of_log(progress_meter& meter) {
    meter.start("log.jsonl", 100, [] { return std::uint64_t{50}; });
    for (int i = 0; i < 1024; ++i) meter.record();
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    for (int i = 0; i < 1024; ++i) meter.record();
    meter.finish();
}

}  // namespace

TEST_CASE("Progress is shown only on a terminal, or when asked, never on a file", "[progress]") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    CHECK_FALSE(progress_wanted(fileno(file), std::nullopt));
    CHECK(progress_wanted(fileno(file), true));
    CHECK_FALSE(progress_wanted(fileno(file), false));

    const auto run = [&](bool enabled) {
        progress_meter meter(file, enabled, lang::en);
        half_of_log(meter);
        return written(file);
    };
    CHECK(run(false).empty());
    const std::string shown = run(true);
    CHECK(shown.find("\rpatuh: 2,048 records") == 0);
    CHECK(shown.find("50% of log.jsonl") != std::string::npos);
    CHECK(shown.substr(shown.size() - 4) == "\r\x1b[K");  // erased at the end
    std::fclose(file);
}

TEST_CASE("A second pass (the events --sort judges) counts again, as a share of all", "[progress]") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    {
        progress_meter meter(file, true, lang::en);
        meter.start("log.jsonl", 100, [] { return std::uint64_t{100}; });
        for (int i = 0; i < 4096; ++i) meter.record();
        meter.restart("the sorted events (--sort)", 4096);
        for (int i = 0; i < 1024; ++i) meter.record();
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        for (int i = 0; i < 1024; ++i) meter.record();
        meter.finish();
    }
    const std::string shown = written(file);
    std::fclose(file);
    CHECK(shown.find("\rpatuh: 2,048 records") == 0);
    CHECK(shown.find("50% of the sorted events (--sort)") != std::string::npos);
}

TEST_CASE("A note after the input's name tells which pass reads it", "[progress]") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    {
        progress_meter meter(file, true, lang::en);
        meter.note(" (draft)");
        half_of_log(meter);
    }
    const std::string shown = written(file);
    std::fclose(file);
    CHECK(shown.find("50% of log.jsonl (draft),") != std::string::npos);
}

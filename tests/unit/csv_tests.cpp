#include <patuh/csv.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace patuh;

namespace {

std::vector<csv_row> rows_of(const std::string& text, char delimiter = 0, csv_limits limits = {}) {
    std::istringstream in(text);
    csv_reader reader(in, delimiter, limits);
    std::vector<csv_row> rows;
    csv_row row;
    while (reader.next(row)) rows.push_back(row);
    return rows;
}

// The kind of the row's problem; nothing when it can be read.
std::optional<csv_problem_kind> problem_of(const csv_row& row) {
    if (!row.problem) return std::nullopt;
    return row.problem->kind;
}

constexpr csv_problem_kind too_long = csv_problem_kind::too_long;
constexpr csv_problem_kind stray_quote = csv_problem_kind::stray_quote;

}  // namespace

TEST_CASE("CSV rows know the line they start on, across quoted line breaks and blank lines") {
    const auto rows = rows_of("NIP,Nama\n\"1\",\"Asir\nMangopo\"\n\n2,\"Sa\"\"di\"\n3,x");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].line == 1);
    CHECK(rows[1].line == 2);
    CHECK(rows[1].fields == std::vector<std::string>{"1", "Asir\nMangopo"});
    CHECK(rows[2].line == 5);
    CHECK(rows[2].fields == std::vector<std::string>{"2", "Sa\"di"});
    CHECK(rows[3].line == 6);
    CHECK(rows[3].fields == std::vector<std::string>{"3", "x"});
}

TEST_CASE("CSV with bare carriage returns (Excel's \"CSV (Macintosh)\"): each ends a line, as an editor counts") {
    const auto rows = rows_of("NIP;Nama\r1;\"Asir\rMangopo\"\r\r2;Sadi\r\n3;x\r");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].line == 2);
    CHECK(rows[1].fields == std::vector<std::string>{"1", "Asir\rMangopo"});
    CHECK(rows[1].text == "1;\"Asir\rMangopo\"");
    CHECK(rows[2].line == 5);
    CHECK(rows[2].fields == std::vector<std::string>{"2", "Sadi"});
    CHECK(rows[3].line == 6);
    CHECK(rows[3].text == "3;x");

    // A line end whose CR is the last byte of one read: with the LF of the next read one line end, alone one too.
    for (const std::string end : {"\r\n", "\r"}) {
        for (const std::size_t chunk : {std::size_t{1} << 16, std::size_t{1} << 17}) {
            const std::string head = "a;b" + end + "1;";
            const std::string text = head + std::string(chunk - head.size() - 1, 'x') + end + "2;y" + end;
            const auto split = rows_of(text, 0, csv_limits{1 << 20});
            REQUIRE(split.size() == 3);
            CHECK(split[2].line == 3);
            CHECK(split[2].fields == std::vector<std::string>{"2", "y"});
        }
    }

    // A file of many short rows is not one long line: the row size limit holds per row.
    std::string many = "a;b\r";
    for (int i = 0; i < 100; ++i) many += std::to_string(i) + ";x\r";
    const auto limited = rows_of(many, 0, csv_limits{50});
    CHECK(limited.size() == 101);
    CHECK(limited.back().line == 101);
}

TEST_CASE("CSV delimiter comes from the header line, a byte-order mark and CRLF are handled") {
    std::istringstream in("\xEF\xBB\xBFNIP;Nama;Unit\r\n1;\"a;b\";c\r\n");
    csv_reader reader(in);
    csv_row row;
    REQUIRE(reader.next(row));
    CHECK(reader.delimiter() == ';');
    CHECK(row.fields == std::vector<std::string>{"NIP", "Nama", "Unit"});
    REQUIRE(reader.next(row));
    CHECK(row.fields == std::vector<std::string>{"1", "a;b", "c"});
    CHECK_FALSE(reader.next(row));
    CHECK_FALSE(reader.error());

    CHECK(rows_of("a\tb\n1\t2\n")[1].fields == std::vector<std::string>{"1", "2"});
    // blank lines before the header do not choose the delimiter
    const auto after_blanks = rows_of("\r\n  \na;b\n1;2\n");
    REQUIRE(after_blanks.size() == 2);
    CHECK(after_blanks[0].line == 3);
    CHECK(after_blanks[1].fields == std::vector<std::string>{"1", "2"});
}

TEST_CASE("CSV: a quote not closed by the end of the file makes only its line a broken row") {
    // On the last line.
    auto last = rows_of("a,b\n2,3\n1,\"never closed\n");
    REQUIRE(last.size() == 3);
    CHECK(last[1].fields == std::vector<std::string>{"2", "3"});
    CHECK(last[2].line == 3);
    CHECK(problem_of(last[2]) == stray_quote);
    CHECK(last[2].text == "1,\"never closed");

    // On an earlier line: that line alone is a broken row, and the lines after it are read.
    const auto rows = rows_of("a,b\n1,\"never closed\n2,3\n4,5");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].line == 2);
    CHECK(problem_of(rows[1]) == stray_quote);
    CHECK(rows[1].text == "1,\"never closed");
    REQUIRE(rows[1].problem);
    CHECK(rows[1].problem->reason.en.find("a quoted value starts on this line and does not end on it") == 0);
    CHECK(rows[2].line == 3);
    CHECK(rows[2].fields == std::vector<std::string>{"2", "3"});
    CHECK(rows[3].line == 4);
    CHECK(rows[3].fields == std::vector<std::string>{"4", "5"});
}

TEST_CASE("A CSV row over the size limit is handed out as too long and reading goes on after it") {
    const std::string too_long_reason = "the row is longer than 100 bytes (without its line end); the row is not read";
    auto rows = rows_of("a,b\n1,2\n" + std::string(200, 'x') + "\n3,4\n", 0, csv_limits{100});
    REQUIRE(rows.size() == 4);
    CHECK(rows[2].line == 3);
    CHECK(problem_of(rows[2]) == too_long);
    REQUIRE(rows[2].problem);
    CHECK(rows[2].problem->reason.en == too_long_reason);
    CHECK(rows[2].fields.empty());
    CHECK(rows[3].line == 4);
    CHECK(rows[3].fields == std::vector<std::string>{"3", "4"});
    CHECK_FALSE(rows[3].problem);

    // The limit is on the row without its line end, whichever line end it has.
    CHECK(rows_of("a,b\n1," + std::string(98, 'y'), 0, csv_limits{100}).size() == 2);  // no line end at all
    for (const std::string end : {"\n", "\r\n", "\r"}) {
        INFO("line end " << end.size());
        const std::string row_of_limit = "1," + std::string(98, 'y');
        // a row of 100 bytes with a line break inside its quoted value
        const std::string quoted_of_limit = "2,\"" + std::string(95, 'z') + "\n\"";
        rows = rows_of("a,b\n" + row_of_limit + end + quoted_of_limit + end, 0, csv_limits{100});
        REQUIRE(rows.size() == 3);
        CHECK(rows[1].text == row_of_limit);
        CHECK(rows[2].text == quoted_of_limit);
        for (const csv_row& r : rows) CHECK_FALSE(r.problem);

        // One byte more; a quoted value over the limit across lines, with a
        // delimiter, a doubled quote and the line end inside; then good rows
        // on the lines they are on.
        const std::string over = row_of_limit + "y";
        const std::string spread = "2,\"" + std::string(60, 'q') + "," + end + "\"\"" + std::string(60, 'r') + end + "s\"";
        rows = rows_of("a,b\n" + over + end + "3,4" + end + spread + end + "5,6" + end, 0, csv_limits{100});
        REQUIRE(rows.size() == 5);
        CHECK(problem_of(rows[1]) == too_long);
        CHECK(rows[1].line == 2);
        CHECK(rows[1].text == over.substr(0, 100));  // its first 100 bytes
        CHECK(rows[2].fields == std::vector<std::string>{"3", "4"});
        CHECK(rows[2].line == 3);
        CHECK(problem_of(rows[3]) == too_long);
        CHECK(rows[3].line == 4);
        CHECK(rows[4].fields == std::vector<std::string>{"5", "6"});
        CHECK(rows[4].line == 7);
    }
}

TEST_CASE("A CSV row of megabytes is read in pieces: memory stays bounded, lines are counted once") {
    // A value of 3 MiB in one line, then one of 2 MiB and 1 MiB on two CRLF
    // lines inside quotes, a stray quote that keeps a long value open past its
    // line, and the last row without a line end: each row is found where it is.
    const std::string text = "a;b\r\n1;" + std::string(3 << 20, 'w') + "\r\n" + "2;\"" + std::string(2 << 20, 'v') +
                             "\r\n" + std::string(1 << 20, 'u') + "\"\r\n3;x\r\n4;\"ab\"cd" +
                             std::string(3 << 20, 'z') + "\r\n5;y\r\n6;" + std::string(2 << 20, 't');
    const auto rows = rows_of(text, 0, csv_limits{1 << 20});
    REQUIRE(rows.size() == 7);
    const std::vector<std::uint64_t> lines = {1, 2, 3, 5, 6, 7, 8};
    const std::vector<std::optional<csv_problem_kind>> problems = {std::nullopt, too_long,     too_long,    std::nullopt,
                                                                   too_long,     std::nullopt, too_long};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("row " << i);
        CHECK(rows[i].line == lines[i]);
        CHECK(problem_of(rows[i]) == problems[i]);
        // Without keep_long_rows a long row keeps its first bytes up to the limit.
        CHECK(rows[i].text.size() <= std::size_t{1} << 20);
    }
    CHECK(rows[1].text == "1;" + std::string((1 << 20) - 2, 'w'));
    CHECK(rows[3].fields == std::vector<std::string>{"3", "x"});
    CHECK(rows[5].fields == std::vector<std::string>{"5", "y"});

    // With keep_long_rows (a rejects file), the whole row as written.
    csv_limits keep{1 << 20};
    keep.keep_long_rows = true;
    const auto kept = rows_of(text, 0, keep);
    REQUIRE(kept.size() == 7);
    CHECK(kept[1].text == "1;" + std::string(3 << 20, 'w'));
    CHECK(kept[2].text == "2;\"" + std::string(2 << 20, 'v') + "\r\n" + std::string(1 << 20, 'u') + "\"");
    CHECK(kept[6].text == "6;" + std::string(2 << 20, 't'));
}

TEST_CASE("CSV quotes that break RFC 4180: read as characters on their line, never past it") {
    // A quote inside an unquoted value, and undoubled quotes inside a quoted value that ends on its line.
    auto rows = rows_of("a;b\n1;Andi \"Ucok\" Siregar\n2;\"Kepala \"Dinas\" Kota\"\n3;\"x\" \"y\"\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].fields == std::vector<std::string>{"1", "Andi \"Ucok\" Siregar"});
    CHECK(rows[2].fields == std::vector<std::string>{"2", "Kepala \"Dinas\" Kota"});
    CHECK(rows[3].fields == std::vector<std::string>{"3", "x\" \"y"});
    for (const csv_row& r : rows) CHECK_FALSE(r.problem);

    // A quoted value that a stray quote keeps open at the end of its line: that row alone cannot be read.
    rows = rows_of("a;b\n1;\"Ak\"ram;x\n2;\"y\"\n3;\"multi\nline\"\n4;\"p\nq\"r\ns\"\n5;z\n6;\"Ak\"ram");
    REQUIRE(rows.size() == 9);
    CHECK(rows[1].line == 2);
    CHECK(problem_of(rows[1]) == stray_quote);
    REQUIRE(rows[1].problem);
    CHECK(rows[1].problem->reason.en.find("a quote inside a quoted value is neither doubled") == 0);
    CHECK(rows[1].fields.empty());
    CHECK(rows[1].text == "1;\"Ak\"ram;x");
    CHECK(rows[2].line == 3);
    CHECK(rows[2].fields == std::vector<std::string>{"2", "y"});
    CHECK(rows[3].line == 4);
    CHECK(rows[3].fields == std::vector<std::string>{"3", "multi\nline"});
    // Its value would span lines 6 and 7, then a stray quote keeps it open:
    // line 6 alone is the broken row, and line 7 is read again as a row.
    CHECK(rows[4].line == 6);
    CHECK(problem_of(rows[4]) == stray_quote);
    CHECK(rows[4].text == "4;\"p");
    CHECK(rows[5].line == 7);
    CHECK(rows[5].fields == std::vector<std::string>{"q\"r"});
    CHECK(rows[6].line == 8);
    CHECK(rows[6].fields == std::vector<std::string>{"s\""});
    CHECK(rows[7].line == 9);
    CHECK(rows[7].fields == std::vector<std::string>{"5", "z"});
    CHECK(rows[8].line == 10);  // at the end of the file, without a line end
    CHECK(problem_of(rows[8]) == stray_quote);
}

TEST_CASE("CSV: a quoted value that ends the file without a line end is a value") {
    const auto rows = rows_of("a,b\n1,\"x\"");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == std::vector<std::string>{"1", "x"});
    CHECK(rows_of("a,b\n1,\"x\"  ").back().fields == std::vector<std::string>{"1", "x"});
}

TEST_CASE("CSV fields are quoted only when they must be") {
    CHECK(csv_quote("plain") == "plain");
    CHECK(csv_quote("a,b") == "\"a,b\"");
    CHECK(csv_quote("a;b", ';') == "\"a;b\"");
    CHECK(csv_quote("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_quote("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("CSV rows read into one row object keep only their own fields and text", "[csv]") {
    // Rows longer and shorter than the one before, and quoted values: the
    // reader hands out each row in the caller's row object, whose buffers it reuses.
    std::istringstream in("a,b,c\n1,2,3,4,5\n6\n\"7\nx\",8\r\ny,z\n9,\"\",10\n");
    csv_reader reader(in);
    csv_row row;
    const std::vector<std::pair<std::uint64_t, std::vector<std::string>>> expected = {
        {1, {"a", "b", "c"}}, {2, {"1", "2", "3", "4", "5"}}, {3, {"6"}},
        {4, {"7\nx", "8"}},   {6, {"y", "z"}},                {7, {"9", "", "10"}}};
    const std::vector<std::string> texts = {"a,b,c", "1,2,3,4,5", "6", "\"7\nx\",8", "y,z", "9,\"\",10"};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(i);
        REQUIRE(reader.next(row));
        CHECK(row.line == expected[i].first);
        CHECK(row.fields == expected[i].second);
        CHECK(row.text == texts[i]);
    }
    CHECK_FALSE(reader.next(row));
    CHECK_FALSE(reader.error());
}

// Audit reports: the summary identity, CSV, JSON Lines and HTML, and the
// engine's timeline history behind the HTML report.

#include "audit_run.hpp"
#include "csv_rows.hpp"
#include "golden.hpp"
#include "rules_text.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <patuh/engine.hpp>
#include <patuh/event.hpp>
#include <patuh/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

using namespace patuh;
using patuh::testing::audit;
using patuh::testing::audit_inputs;
using patuh::testing::check_golden;
using patuh::testing::shipped;

namespace {

using json = nlohmann::json;

std::string post_event(const char* id, const char* kind, const char* on, const char* position, const char* rank,
                       const char* nip, const std::string& name, const char* region = "73.73",
                       const char* extra = "") {
    return fmt::format(R"({{"id":"{}","kind":"{}","date":"{}","region":"{}","unit":"disdukcapil","position":"{}",)"
                       R"("rank":"{}","person":{{"nip":"{}","name":{}}}{}}})"
                       "\n",
                       id, kind, on, region, position, rank, nip, json(name).dump(), extra);
}

constexpr const char* asir = "196504121990031007";
constexpr const char* akram = "197002151995031002";
constexpr const char* third = "197506062000031001";

std::string approved_by_minister(const char* nip, const char* on) {
    return fmt::format(R"(,"approvals":[{{"authority":"menteri","date":"{}","nip":"{}"}}])", on, nip);
}

// Palopo with an extra region, two malformed records, one out of order and
// two events after 2018-01-01.
std::string mixed_log() {
    std::string log;
    log += post_event("a1", "appoint", "2016-02-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo", "73.73",
                      approved_by_minister(asir, "2016-01-20").c_str());
    log += "{not json\n";
    log += post_event("a2", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa");
    log += post_event("a3", "appoint", "2017-01-01", "Kepala Dinas", "II.b", third, "Too Early");  // R0120
    log += post_event("a4", "appoint", "2017-09-01", "Sekretaris", "III.a", "1234", "Bad NIP");        // R0108
    log += "\n";  // a blank line is no record
    log += R"({"id":"w1","kind":"warn","date":"2017-10-01","region":"73.73","deadline":"2017-10-15"})" "\n";
    log += post_event("b1", "appoint", "2018-03-01", "Kepala Dinas", "II.b", third, "Later", "74.71");
    log += R"({"id":"c1","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["ktp_el"]})" "\n";
    return log;
}

}  // namespace

TEST_CASE("read = evaluated + rejected (+ after the report date), in text and JSON", "[report]") {
    const audit_report all = audit(mixed_log());
    CHECK(all.read == 8);
    CHECK(all.rejected_count == 3);
    CHECK(all.result.evaluated == 5);
    CHECK(all.result.after_as_of == 0);
    CHECK(all.read == all.result.evaluated + all.rejected_count + all.result.after_as_of);
    const std::string text = render_text(all, shipped(), {lang::en, false});
    CHECK(text.find("Read 8 records = 5 evaluated + 3 rejected.\n") != std::string::npos);

    engine_options before;
    before.as_of = date::parse("2018-01-01");
    const audit_report cut = audit(mixed_log(), before);
    CHECK(cut.read == 8);
    CHECK(cut.rejected_count == 3);
    CHECK(cut.result.after_as_of == 2);
    CHECK(cut.result.evaluated == 3);
    CHECK(render_text(cut, shipped(), {lang::en, false})
              .find("Read 8 records = 3 evaluated + 3 rejected + 2 after the report date (not judged).\n") !=
          std::string::npos);
    CHECK(render_text(cut, shipped(), {lang::id, false})
              .find("Dibaca 8 rekaman = 3 dievaluasi + 3 ditolak + 2 setelah tanggal laporan (tidak dinilai).\n") !=
          std::string::npos);
    const json summary = summary_json(cut);
    CHECK(summary.at("events_read").get<std::uint64_t>() ==
          summary.at("events_evaluated").get<std::uint64_t>() + summary.at("events_rejected").get<std::uint64_t>() +
              summary.at("events_after_as_of").get<std::uint64_t>());
    CHECK(render_json(cut, shipped(), lang::en).at("summary") == summary);
}

TEST_CASE("per input: each adds up and they sum to the totals, in text, JSON and HTML", "[report]") {
    // A JSON array whose second element is not followed by a comma: the third, on line 4, and
    // everything after it is not read.
    std::string broken = "[\n";
    broken += post_event("b1", "appoint", "2017-05-02", "Kepala Dinas", "II.b", asir, "Asir", "73.22",
                         approved_by_minister(asir, "2017-05-01").c_str());
    broken.back() = ',';
    broken += "\n" + post_event("b2", "appoint", "2017-06-01", "Sekretaris", "III.a", akram, "Akram", "73.22");
    broken += post_event("b3", "appoint", "2017-07-01", "Sekretaris", "III.a", third, "Never read", "73.22");
    broken += "]\n";
    engine_options before;
    before.as_of = date::parse("2018-01-01");
    const audit_report report = audit_inputs({{"a.jsonl", mixed_log()}, {"b.json", broken}}, before);
    REQUIRE(report.per_input.size() == 2);
    const input_summary& a = report.per_input[0];
    const input_summary& b = report.per_input[1];
    CHECK(a.name == "a.jsonl");
    CHECK(a.read == 8);
    CHECK(a.evaluated == 3);
    CHECK(a.rejected == 3);  // two malformed records and one the engine refused (R0120)
    CHECK(a.after_as_of == 2);
    CHECK(!a.stopped());
    CHECK(b.name == "b.json");
    CHECK(b.read == 3);
    CHECK(b.evaluated == 2);
    CHECK(b.rejected == 1);
    CHECK(b.after_as_of == 0);
    CHECK(b.stopped());
    CHECK(b.stopped_code == "R0101");
    CHECK(b.stopped_line == 4);
    CHECK(report.read == a.read + b.read);
    CHECK(report.result.evaluated == a.evaluated + b.evaluated);
    CHECK(report.rejected_count == a.rejected + b.rejected);
    CHECK(report.result.after_as_of == a.after_as_of + b.after_as_of);

    const std::string text = render_text(report, shipped(), {lang::en, false});
    CHECK(text.find("By input:\n"
                    "   a.jsonl: 8 records = 3 evaluated + 3 rejected + 2 after the report date (not judged).\n"
                    "   b.json: 3 records = 2 evaluated + 1 rejected; stopped at line 4 (R0101), nothing after it was "
                    "read.\n") != std::string::npos);
    CHECK(render_text(report, shipped(), {lang::id, false})
              .find("Per masukan:\n"
                    "   a.jsonl: 8 rekaman = 3 dievaluasi + 3 ditolak + 2 setelah tanggal laporan (tidak dinilai).\n") !=
          std::string::npos);

    const json inputs = summary_json(report).at("inputs");
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].at("name") == "a.jsonl");
    CHECK(inputs[0].at("events_after_as_of") == 2);
    CHECK(inputs[0].at("stopped").is_null());
    CHECK(inputs[1].at("stopped") == json{{"line", 4}, {"code", "R0101"}});
    for (const json& in : inputs)
        CHECK(in.at("events_read").get<std::uint64_t>() ==
              in.at("events_evaluated").get<std::uint64_t>() + in.at("events_rejected").get<std::uint64_t>() +
                  in.at("events_after_as_of").get<std::uint64_t>());
    CHECK(render_json(report, shipped(), lang::en).at("summary").at("inputs") == inputs);

    html_options html;
    const std::string page = render_html(report, shipped(), html);
    CHECK(page.find("<h3>Records by input</h3>") != std::string::npos);
    CHECK(page.find("<td>line 4 (R0101)</td>") != std::string::npos);

    // One input read to its end: the total is its count, and only JSON lists it.
    const audit_report one = audit(mixed_log());
    CHECK(render_text(one, shipped(), {lang::en, false}).find("By input:") == std::string::npos);
    CHECK(render_html(one, shipped(), html).find("Records by input") == std::string::npos);
    CHECK(summary_json(one).at("inputs").size() == 1);
    // One input that stopped before its end: the line says where.
    const audit_report stopped = audit(broken, {}, "b.json");
    CHECK(render_text(stopped, shipped(), {lang::en, false}).find("By input:\n   b.json: ") != std::string::npos);
}

TEST_CASE("JSON Lines: the JSON report's findings one a line, then its summary", "[report]") {
    const audit_report report = audit(mixed_log());
    REQUIRE(report.result.findings.size() >= 2);
    const json whole = render_json(report, shipped(), lang::en);
    std::istringstream lines(render_jsonl(report, shipped(), lang::en));
    std::vector<json> parsed;
    for (std::string line; std::getline(lines, line);) parsed.push_back(json::parse(line));
    REQUIRE(parsed.size() == report.result.findings.size() + 1);
    for (std::size_t i = 0; i + 1 < parsed.size(); ++i) {
        CHECK(parsed[i] == whole.at("findings").at(i));
        CHECK_FALSE(parsed[i].contains("schema"));
    }
    CHECK(parsed.back().at("schema") == whole.at("schema"));
    CHECK(parsed.back().at("summary") == whole.at("summary"));
    CHECK(parsed.back().at("as_of") == whole.at("as_of"));
}

TEST_CASE("CSV: quoting, text kept as text, formula injection", "[report]") {
    std::string log;
    log += post_event("=HYPERLINK(\\\"x\\\")", "appoint", "2016-02-01", "Kepala Dinas", "II.b", asir,
                      "=HYPERLINK(\"http://x\";\"y\")", "73.73", approved_by_minister(asir, "2016-01-20").c_str());
    log += post_event("+62", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram, "Andi \"Ancu\" Baso, S.H.");
    log += post_event("s1", "appoint", "2017-08-12", "-Sekretaris", "III.a", third, "@SUM(A1)\nsecond line");
    log += post_event("k1", "appoint", "2017-08-13", R"(Kepala Seksi \"Data 2\")", "IV.a", "198001012005011001", "True");
    const audit_report report = audit(log);
    REQUIRE(report.rejected.empty());
    const std::string en = render_csv(report, shipped(), lang::en);
    CHECK(en.rfind("\xEF\xBB\xBFRegion code,Region level,", 0) == 0);
    CHECK(en.find(",Region stage\r\n") != std::string::npos);  // CRLF ends every row
    CHECK(en.size() >= 2);
    CHECK(en.substr(en.size() - 2) == "\r\n");
    // a NIP, a date and a region code stay text
    CHECK(en.find(R"("=""197002151995031002""")") != std::string::npos);
    CHECK(en.find(R"("=""2017-08-11""")") != std::string::npos);
    CHECK(en.find(R"("=""73.73""")") != std::string::npos);
    // text with a digit and quotes: the formula's quotes doubled, then the field's
    CHECK(en.find(R"("=""Kepala Seksi """"Data 2""""""")") != std::string::npos);
    CHECK(en.find(R"("=""True""")") != std::string::npos);  // a truth value stays text
    // quotes doubled, commas quoted
    CHECK(en.find(R"("Andi ""Ancu"" Baso, S.H.")") != std::string::npos);
    // text a spreadsheet would run as a formula is neutralised
    CHECK(en.find(",=") == std::string::npos);
    CHECK(en.find(",+") == std::string::npos);
    CHECK(en.find(",@") == std::string::npos);
    CHECK(en.find(",-") == std::string::npos);
    check_golden("reports/hostile.en.csv", en);
    check_golden("reports/hostile.id.csv", render_csv(report, shipped(), lang::id));
}

TEST_CASE("CSV with a semicolon or a tab between cells: a cell holding the delimiter is quoted, a comma is not", "[report]") {
    std::string log;
    log += post_event("a1", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram, "Andi Baso, S.H.; M.Si.");
    log += post_event("a2", "appoint", "2017-08-12", "Sekretaris", "III.a", third, "Tab\there");
    const audit_report report = audit(log);
    REQUIRE(report.rejected.empty());
    const std::string comma = render_csv(report, shipped(), lang::en);
    const std::string semicolon = render_csv(report, shipped(), lang::en, ';');
    const std::string tab = render_csv(report, shipped(), lang::en, '\t');
    CHECK(semicolon.rfind("\xEF\xBB\xBFRegion code;Region level;Unit;", 0) == 0);
    CHECK(tab.rfind("\xEF\xBB\xBFRegion code\tRegion level\tUnit\t", 0) == 0);
    CHECK(comma.find(R"(,"Andi Baso, S.H.; M.Si.",)") != std::string::npos);
    CHECK(semicolon.find(R"(;"Andi Baso, S.H.; M.Si.";)") != std::string::npos);
    CHECK(tab.find("\tAndi Baso, S.H.; M.Si.\t") != std::string::npos);
    CHECK(comma.find(",Tab\there,") != std::string::npos);
    CHECK(semicolon.find(";Tab\there;") != std::string::npos);
    CHECK(tab.find("\t\"Tab\there\"\t") != std::string::npos);
    // Every row has the header's number of cells, split at the file's delimiter outside quotes.
    const auto cells_per_row = [](const std::string& csv, char delimiter) {
        std::vector<std::size_t> counts;
        std::size_t n = 1;
        bool quoted = false;
        for (std::size_t i = 3; i < csv.size(); ++i) {  // after the byte-order mark
            const char c = csv[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == delimiter) ++n;
            else if (!quoted && c == '\n') {
                counts.push_back(n);
                n = 1;
            }
        }
        return counts;
    };
    for (const auto& [csv, delimiter] : {std::pair{comma, ','}, std::pair{semicolon, ';'}, std::pair{tab, '\t'}}) {
        const std::vector<std::size_t> counts = cells_per_row(csv, delimiter);
        REQUIRE(counts.size() == report.result.findings.size() + 1);
        for (const std::size_t n : counts) CHECK(n == 27);
    }
}

TEST_CASE("CSV in parts: each file has the header and its findings, and the line a row starts on counts line breaks "
          "in cells", "[report]") {
    std::string log;
    log += post_event("a1", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram, "Andi Baso");
    log += post_event("s1", "appoint", "2017-08-12", "Sekretaris", "III.a", third, "@SUM(A1)\nsecond line\r\nthird");
    log += post_event("k1", "appoint", "2017-08-13", "Kepala Seksi Data", "IV.a", "198001012005011001", "Wa Ode");
    log += post_event("k2", "appoint", "2017-08-14", "Kepala Bidang", "III.b", asir, "Line\nbreak");
    log += post_event("k3", "appoint", "2017-08-15", "Kepala Seksi Arsip", "IV.a", "198202022006041002", "Last");
    const audit_report report = audit(log);
    REQUIRE(report.rejected.empty());
    const std::size_t rows = report.result.findings.size();
    REQUIRE(rows >= 5);
    const std::string whole = render_csv(report, shipped(), lang::en);
    const patuh::testing::csv_rows found = patuh::testing::rows_of(whole);
    const std::string header = whole.substr(0, found.header_end);
    REQUIRE(found.count() == rows);
    REQUIRE(found.line.back() > rows + 1);  // the cells' line breaks moved the last rows down
    const auto part = [&](finding_range range, unsigned threads, csv_row_place* place = nullptr) {
        std::ostringstream out;
        write_csv(out, report, shipped(), lang::en, threads, ',', range, place);
        return out.str();
    };
    for (const unsigned threads : {1u, 2u}) {
        for (std::size_t per_file = 1; per_file <= rows + 1; ++per_file) {
            std::string joined = header;
            for (std::size_t first = 0; first < rows; first += per_file) {
                const std::string file = part({first, per_file}, threads);
                REQUIRE(file.rfind(header, 0) == 0);
                const std::size_t last = std::min(rows, first + per_file);
                CHECK(file.substr(header.size()) == found.rows(whole, first, last));
                joined += file.substr(header.size());
            }
            CHECK(joined == whole);
        }
        CHECK(part({rows, 3}, threads) == header);  // past the last finding: the header alone
        for (std::uint64_t row = 1; row <= rows + 1; ++row) {
            csv_row_place place{row, 99};
            CHECK(part({}, threads, &place) == whole);
            CHECK(place.line == (row <= rows ? found.line[row - 1] : 0));
        }
        // In a part the rows are counted from its first.
        csv_row_place second{2, 0};
        part({1, 3}, threads, &second);
        CHECK(second.line == 3 + (found.line[2] - found.line[1] - 1));
    }
}

TEST_CASE("W0603: a CSV report of more findings than a spreadsheet shows", "[report]") {
    CHECK(describe_spreadsheet_overflow(0, lang::en).empty());
    CHECK(describe_spreadsheet_overflow(spreadsheet_rows - 1, lang::en).empty());
    CHECK(!describe_spreadsheet_overflow(spreadsheet_rows, lang::en).empty());
    check_golden("reports/spreadsheet-overflow.en.txt", describe_spreadsheet_overflow(1659429, lang::en) + "\n");
    check_golden("reports/spreadsheet-overflow.id.txt", describe_spreadsheet_overflow(1659429, lang::id) + "\n");
}

TEST_CASE("Text: control characters from the input are shown as escapes, never sent to the terminal", "[report]") {
    std::string log;
    log += post_event("a\\u001b[2J1", "appoint", "2017-08-11", "Kepala\\u001b[31m Dinas", "II.b", akram,
                      "Akram\u0007\nRisa\rHIGH kadis \u00c2\u009b fake");
    log += R"({"id":"x","kind":"bogus\u001b]0;title\u0007","date":"2016-03-01","region":"73.73"})" "\n";
    const audit_report report = audit(log);
    for (const lang l : {lang::en, lang::id}) {
        for (const bool color : {false, true}) {
            const std::string text = render_text(report, shipped(), {l, color});
            patuh::testing::check_no_control_characters_but_colours(text);
            CHECK(text.find("Kepala\\u001B[31m Dinas") != std::string::npos);
            CHECK(text.find("Akram\\u0007\\nRisa\\rHIGH kadis \xC3\x82\\u009B fake (NIP 197002151995031002)") !=
                  std::string::npos);
            CHECK(text.find(" a\\u001B[2J1 ") != std::string::npos);
            CHECK(text.find("'bogus\\u001B]0;title\\u0007'") != std::string::npos);
        }
    }
}

TEST_CASE("Text: control characters in the rule set's texts are shown as escapes too", "[report]") {
    // Every string of the rule file holds an escape sequence: titles, stage
    // labels, the citation and the messages.
    const std::string rules_text = "authority menteri \"Menteri\x1b[2J Dalam Negeri\"\n"
                                   "authority gubernur \"Gubernur\x1b]0;x\x07\"\n"
                                   "authority kepala_daerah \"Wali Kota\x1b[31m\"\n"
                                   "rank II \"Eselon II\x1b[1m\"\n"
                                   "unit dinas \"Dinas\x1b[5m Dukcapil\" aliases \"disdukcapil\"\n"
                                   "level kota \"Kota\x1b[7m\" codes \"PP.71-99\"\n"
                                   "service ktp_el \"KTP-el\x1b[8m\"\n"
                                   "escalation {\n"
                                   "  stage diawasi on finding message id \"Diawasi\x1b[0m\" message en \"Watched\x1b[0m\"\n"
                                   "  stage diputus on cutoff message id \"Diputus\x1b[0m\" message en \"Cut\x1b[0m\"\n"
                                   "}\n"
                                   "policy p1 \"Permendagri\x1b[33m 76/2015\" {\n"
                                   "  in force from 2015-12-01\n"
                                   "  rule kepala_dinas \"Kepala\x1b[2K Dinas\" {\n"
                                   "    when rank II\n"
                                   "    when unit dinas\n"
                                   "    requires menteri on or before effective date\n"
                                   "    route kepala_daerah, gubernur, menteri when level kota\n"
                                   "    severity high\n"
                                   "    cite \"UU 24/2013\x1b[6n\"\n"
                                   "    message id \"Kepala Dinas\x1b[H diganti\"\n"
                                   "    message en \"Head of agency\x1b[H changed\"\n"
                                   "  }\n"
                                   "}\n";
    const compile_result c = patuh::testing::compile_text(rules_text);
    REQUIRE(c.rules);
    const rule_set& rules = *c.rules;
    REQUIRE(rules.authorities.at(0).title == "Menteri\x1b[2J Dalam Negeri");
    std::string log = post_event("a1", "appoint", "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa");
    log += R"({"id":"c1","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["ktp_el"]})" "\n";
    audit_report report;
    engine eng(rules);
    std::istringstream in(log);
    report.read = read_events(
                      in, "log.jsonl", rules,
                      [&](const event& e) {
                          rejection why;
                          REQUIRE(eng.add(e, why));
                      },
                      [&](rejection&& x) { FAIL("rejected: " << x.code << " " << x.reason.en); })
                      .read;
    report.result = eng.finish();
    REQUIRE(report.result.findings.size() == 1);
    for (const lang l : {lang::en, lang::id}) {
        const std::string text = render_text(report, rules, {l, false});
        patuh::testing::check_no_control_characters(text);
        for (const char* shown_as : {"Menteri\\u001B[2J Dalam Negeri", "Kota\\u001B[7m", "KTP-el\\u001B[8m",
                                     "Dinas\\u001B[5m Dukcapil", "Permendagri\\u001B[33m 76/2015",
                                     "UU 24/2013\\u001B[6n", "\\u001B[H", "Gubernur\\u001B]0;x\\u0007",
                                     l == lang::en ? "Cut\\u001B[0m" : "Diputus\\u001B[0m"})
            CHECK(text.find(shown_as) != std::string::npos);
    }
}

TEST_CASE("HTML: every text from the input is escaped, the page is deterministic", "[report]") {
    engine_options with_history;
    with_history.history = true;
    std::string log;
    log += post_event("a1", "appoint", "2016-02-01", "Kepala Dinas", "II.b", asir, "Asir <b>Mangopo</b>", "73.73",
                      approved_by_minister(asir, "2016-01-20").c_str());
    log += post_event("a2<script>", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram,
                      "<script>alert(\"x\")</script> & Co");
    log += "{\"id\":\"<img src=x>\"\n";
    const audit_report report = audit(log, with_history);
    const std::string html = render_html(report, shipped(), {.language = lang::en});
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<b>") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co") != std::string::npos);
    // nothing to fetch: the only address is the SVG namespace
    std::size_t addresses = 0;
    for (std::size_t at = html.find("http"); at != std::string::npos; at = html.find("http", at + 1)) {
        CHECK(html.compare(at, 26, "http://www.w3.org/2000/svg") == 0);
        ++addresses;
    }
    CHECK(addresses == 1);  // one flagged post, one timeline
    for (const char* fetching : {"src=", "url(", "@import"}) CHECK(html.find(fetching) == std::string::npos);
    // links only lead to the page's own sections
    std::size_t links = 0;
    for (std::size_t at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
        CHECK(html.compare(at, 12, "href=\"#post-") == 0);
        ++links;
    }
    CHECK(links == 1);
    CHECK(html == render_html(audit(log, with_history), shipped(), {.language = lang::en}));
    CHECK(html.find("#8c8c8c") == std::string::npos);  // nothing grey drawn, nothing grey in the legend
    check_golden("reports/escaped.en.html", html);
}

TEST_CASE("HTML: holdings and marks too close together to tell apart are drawn as one, and a post's rules and routes are said once",
          "[report]") {
    engine_options with_history;
    with_history.history = true;
    std::string log;
    log += post_event("a1", "appoint", "2016-02-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo", "73.73",
                      approved_by_minister(asir, "2016-01-20").c_str());
    // six holders a day apart: on a timeline of three years each is less than a pixel wide
    const char* const holders[] = {akram, third, akram, third, akram, third};
    for (int d = 0; d < 6; ++d)
        log += post_event(fmt::format("b{}", d).c_str(), "appoint", fmt::format("2017-03-0{}", d + 1).c_str(),
                          "Kepala Dinas", "II.b", holders[d], holders[d] == akram ? "Akram Risa" : "Third Person");
    log += post_event("c1", "appoint", "2017-06-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo", "73.73",
                      approved_by_minister(asir, "2017-05-20").c_str());
    log += post_event("d1", "appoint", "2018-09-01", "Kepala Dinas", "II.b", akram, "Akram Risa");  // the rule again
    // two warnings and a cutoff on three days in a row: one mark; a warning months later: its own
    log += R"({"id":"w1","kind":"warn","date":"2017-10-01","region":"73.73","deadline":"2017-10-15"})" "\n";
    log += R"({"id":"k1","kind":"cutoff","date":"2017-10-02","region":"73.73","services":["ktp_el"]})" "\n";
    log += R"({"id":"w2","kind":"warn","date":"2017-10-03","region":"73.73","deadline":"2017-10-17"})" "\n";
    log += R"({"id":"w3","kind":"warn","date":"2018-06-01","region":"73.73","deadline":"2018-06-15"})" "\n";
    // seven warnings on one day: one mark listing five of them
    for (int d = 1; d <= 7; ++d)
        log += fmt::format(R"({{"id":"v{0}","kind":"warn","date":"2018-11-01","region":"73.73","deadline":"2018-12-0{0}"}})"
                           "\n",
                           d);
    log += R"({"id":"r1","kind":"restore","date":"2019-01-10","region":"73.73"})" "\n";
    const audit_report report = audit(log, with_history);
    REQUIRE(report.rejected.empty());
    REQUIRE(report.result.histories.size() == 1);
    const std::string html = render_html(report, shipped(), {.language = lang::en});
    const auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (std::size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
        return n;
    };
    // the six holders of March 2017, in each view that changed with them, are one grey shape
    CHECK(count("<title>5 changes from 2017-03-01 to 2017-03-06</title>") == 1);  // de facto: the sixth lasts to June
    CHECK(count("fill=\"#8c8c8c\"><title>") >= 1);
    CHECK(html.find("Akram Risa (NIP 197002151995031002): 2017-03-01") == std::string::npos);
    // the wide holdings keep their own shape and name
    CHECK(html.find("<title>Asir Mangopo (NIP 196504121990031007): 2016-02-01 to 2017-03-01</title>") !=
          std::string::npos);
    // a merged mark's title says each mark on a line, as its own title would
    CHECK(count("<title>3 marks from 2017-10-01 to 2017-10-03: 2 warnings, 1 cutoff&#10;"
                "Warning 2017-10-01 (deadline 2017-10-15)&#10;Cutoff 2017-10-02: Otorisasi KTP-el&#10;"
                "Warning 2017-10-03 (deadline 2017-10-17)</title>") == 1);
    CHECK(count("<title>7 marks on 2018-11-01: 7 warnings&#10;Warning 2018-11-01 (deadline 2018-12-01)"
                "&#10;Warning 2018-11-01 (deadline 2018-12-02)&#10;Warning 2018-11-01 (deadline 2018-12-03)&#10;"
                "Warning 2018-11-01 (deadline 2018-12-04)&#10;Warning 2018-11-01 (deadline 2018-12-05)&#10;"
                "and 2 more</title>") == 1);
    CHECK(count("<title>Warning 2018-06-01 (deadline 2018-06-15)</title>") == 1);
    CHECK(count("<title>Restore 2019-01-10: every service</title>") == 1);
    CHECK(html.find("<title>Warning 2017-10-01") == std::string::npos);
    // the grey shapes are in the legend under their timeline, and only there
    CHECK(count("changes too close together to tell apart") == 1);
    CHECK(html.find("changes too close together to tell apart") > html.find("</svg>"));
    // each finding names its rule; the rule's text is in the table above them, once
    CHECK(count("<td>kadis</td>") == 3);
    CHECK(count("changed without the Minister of Home Affairs' decree") == 1);
    // and so is the route of the proposal both remedies name
    CHECK(count("Gubernur → Direktur Jenderal Kependudukan dan Pencatatan Sipil → Menteri Dalam Negeri") == 1);
    CHECK(count("or obtain the approval of Menteri Dalam Negeri for Akram Risa (NIP 197002151995031002)</td>") == 2);
    CHECK(html == render_html(audit(log, with_history), shipped(), {.language = lang::en}));
    check_golden("reports/crowded.en.html", html);
    check_golden("reports/crowded.id.html", render_html(report, shipped(), {.language = lang::id}));
}

TEST_CASE("the engine records each post's two views only when asked", "[report][engine]") {
    std::string log;
    log += post_event("a1", "appoint", "2016-02-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo", "73.73",
                      approved_by_minister(asir, "2016-01-20").c_str());
    log += post_event("a2", "appoint", "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa");
    // the same day: a third person is installed and removed again; only the day's end counts
    log += post_event("a3", "acting", "2017-09-01", "Kepala Dinas", "II.b", third, "Plt");
    log += post_event("a4", "appoint", "2017-09-01", "Kepala Dinas", "II.b", akram, "Akram Risa");
    log += post_event("a5", "appoint", "2018-08-20", "Kepala Dinas", "II.b", asir, "Asir Mangopo");
    // a post without a finding keeps no history in the result
    log += post_event("b1", "appoint", "2016-02-01", "Kepala Dinas", "II.b", third, "Elsewhere", "74.71",
                      approved_by_minister(third, "2016-01-20").c_str());
    log += R"({"id":"w1","kind":"warn","date":"2018-03-01","region":"73.73","deadline":"2018-03-15"})" "\n";
    log += R"({"id":"c1","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["ktp_el"]})" "\n";
    log += R"({"id":"r1","kind":"restore","date":"2018-09-03","region":"73.73"})" "\n";

    CHECK(audit(log).result.histories.empty());
    for (const region_state& s : audit(log).result.regions) CHECK(s.marks.empty());

    engine_options with_history;
    with_history.history = true;
    const audit_report report = audit(log, with_history);
    REQUIRE(report.rejected.empty());
    REQUIRE(report.result.histories.size() == 1);
    const post_history& h = report.result.histories[0];
    CHECK(h.region == "73.73");
    CHECK(h.position == "Kepala Dinas");
    REQUIRE(h.changes.size() == 3);
    CHECK(h.changes[0].on == *date::parse("2016-02-01"));
    CHECK(h.changes[0].facto->who.nip == asir);
    CHECK(h.changes[0].jure->who.nip == asir);
    CHECK(h.changes[1].on == *date::parse("2017-08-11"));
    CHECK(h.changes[1].facto->who.nip == akram);
    CHECK(h.changes[1].jure->who.nip == asir);
    CHECK(h.changes[1].jure->since == *date::parse("2016-02-01"));
    CHECK(h.changes[2].on == *date::parse("2018-08-20"));
    CHECK(h.changes[2].facto->who.nip == asir);
    const region_state* palopo = nullptr;
    for (const region_state& s : report.result.regions)
        if (s.code == "73.73") palopo = &s;
    REQUIRE(palopo != nullptr);
    REQUIRE(palopo->marks.size() == 3);
    CHECK(palopo->marks[0].kind == mark_kind::warning);
    CHECK(palopo->marks[0].deadline == date::parse("2018-03-15"));
    CHECK(palopo->marks[1].kind == mark_kind::cutoff);
    CHECK(palopo->marks[2].kind == mark_kind::restore);
    // the findings are the same with or without the history
    CHECK(render_json(report, shipped(), lang::en) == render_json(audit(log), shipped(), lang::en));
}

TEST_CASE("every example log gives all five reports, a timeline for each flagged post, and counts that add up",
          "[report]") {
    const auto logs = testing::example_logs();
    CHECK(logs.size() >= 5);
    for (const auto& file : logs) {
        INFO(file);
        engine_options with_history;
        with_history.history = true;
        const audit_report report = audit(patuh::testing::read_text(file.string()), with_history);
        const audit_result& r = report.result;
        CHECK(report.read == r.evaluated + report.rejected_count + r.after_as_of);
        CHECK(report.rejected.size() == report.rejected_count);
        // one history per flagged post, each starting no later than the post's first finding
        std::set<std::tuple<std::string, index_t, std::string>> flagged;
        for (const finding& f : r.findings) flagged.emplace(f.region, f.unit, f.position);
        REQUIRE(r.histories.size() == flagged.size());
        for (const post_history& h : r.histories) {
            CHECK(flagged.count({h.region, h.unit, h.position}) == 1);
            REQUIRE_FALSE(h.changes.empty());
            for (std::size_t i = 1; i < h.changes.size(); ++i) CHECK(h.changes[i - 1].on < h.changes[i].on);
            for (const finding& f : r.findings)
                if (f.region == h.region && f.unit == h.unit && f.position == h.position)
                    CHECK(h.changes.front().on <= f.opened);
        }
        for (const lang l : {lang::en, lang::id}) {
            const std::string html = render_html(report, shipped(), {.language = l});
            CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
            std::size_t svgs = 0;
            for (std::size_t at = html.find("<svg "); at != std::string::npos; at = html.find("<svg ", at + 1)) ++svgs;
            CHECK(svgs == flagged.size());
            const std::string csv = render_csv(report, shipped(), l);
            CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) >= r.findings.size() + 1);
            const std::string lines = render_jsonl(report, shipped(), l);
            CHECK(static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')) == r.findings.size() + 1);
            // the text report is the same when its findings are formatted on threads,
            // region headings (also of regions without findings) in their places
            for (const bool color : {false, true}) {
                const std::string one = render_text(report, shipped(), {l, color, 1});
                CHECK(one == render_text(report, shipped(), {l, color, 3}));
            }
        }
    }
}

TEST_CASE("markup_escape replaces exactly & < > \" and control characters, wherever they sit in the text",
          "[report]") {
    const auto expected = [](std::string_view s) {
        std::string out;
        for (const char c : s) {
            if (c == '&') out += "&amp;";
            else if (c == '<') out += "&lt;";
            else if (c == '>') out += "&gt;";
            else if (c == '"') out += "&quot;";
            else if (c == '\n') out += "&#10;";
            else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') out += ' ';
            else out += c;
        }
        return out;
    };
    CHECK(markup_escape("") == "");
    CHECK(markup_escape("Kepala Dinas Kependudukan") == "Kepala Dinas Kependudukan");
    CHECK(markup_escape("a<b>&\"c\"\n\td\x01") == "a&lt;b&gt;&amp;&quot;c&quot;&#10;\td ");
    // Every byte value, alone and at each place of texts around a word's length.
    const std::string plain = "Drs. H. Ahmad Ñ 名 Sulaiman";
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        for (std::size_t length = 1; length <= 20; ++length) {
            for (std::size_t at = 0; at < length; ++at) {
                std::string s = plain.substr(0, length);
                s[at] = c;
                INFO(b << " at " << at << " of " << length);
                REQUIRE(markup_escape(s) == expected(s));
            }
        }
    }
}

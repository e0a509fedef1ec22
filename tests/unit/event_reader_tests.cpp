// Event records: validation, the two readers, line numbers and rejections.

#include "golden.hpp"
#include "shipped.hpp"

#include <nlohmann/json.hpp>
#include <patuh/event.hpp>
#include <patuh/parse.hpp>

#include <filesystem>
#include <sstream>
#include <stdexcept>

using namespace patuh;
using patuh::testing::shipped;

namespace {

struct read_result {
    read_counts counts;
    std::vector<event> events;
    std::vector<rejection> rejected;
};

read_result read(const std::string& text, input_format format = input_format::automatic, reader_limits limits = {}) {
    read_result out;
    std::istringstream in(text);
    out.counts = read_events(
        in, "test.jsonl", shipped(), [&](event&& e) { out.events.push_back(std::move(e)); },
        [&](rejection&& r) { out.rejected.push_back(std::move(r)); }, format, limits);
    return out;
}

// The rejection of one record, or a failed test when it is accepted.
rejection reject_one(const std::string& record) {
    const read_result r = read(record + "\n");
    INFO(record);
    REQUIRE(r.rejected.size() == 1);
    REQUIRE(r.events.empty());
    return r.rejected.front();
}

const std::string appoint =
    R"({"id":"a1","kind":"appoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","rank":"II.b","person":{"nip":"197002151995031002","name":"Akram Risa"}})";

// `appoint` with one field replaced (or removed, when value is empty).
std::string with(const std::string& field, const std::string& value) {
    nlohmann::json j = nlohmann::json::parse(appoint);
    if (value.empty()) j.erase(field);
    else j[field] = nlohmann::json::parse(value);
    return j.dump();
}

}  // namespace

TEST_CASE("NIP: 18 digits with a real birth date", "[events]") {
    CHECK(normalise_nip("196504121990031007") == "196504121990031007");
    CHECK(normalise_nip("19650412 199003 1 007") == "196504121990031007");
    CHECK_FALSE(normalise_nip("19650412199003100"));    // 17 digits
    CHECK_FALSE(normalise_nip("19650412199003100x"));   // not a digit
    CHECK_FALSE(normalise_nip("196502301990031007"));   // 30 February
    CHECK_FALSE(normalise_nip("196504121990131007"));   // month 13 of service
    CHECK_FALSE(normalise_nip("196504121975031007"));   // service at age 10
    CHECK_FALSE(normalise_nip("196504121990033007"));   // sex digit 3
    CHECK_FALSE(normalise_nip(""));
}

TEST_CASE("region codes: PP or PP.KK", "[events]") {
    CHECK(valid_region_code("73"));
    CHECK(valid_region_code("73.73"));
    CHECK_FALSE(valid_region_code("7373"));
    CHECK_FALSE(valid_region_code("73.7"));
    CHECK_FALSE(valid_region_code("73.73.01"));
    CHECK_FALSE(valid_region_code("ab.cd"));
}

TEST_CASE("a valid appointment is decoded with its vocabulary resolved", "[events]") {
    const read_result r = read(appoint + "\n");
    REQUIRE(r.events.size() == 1);
    const event& e = r.events[0];
    CHECK(e.kind == event_kind::appoint);
    CHECK(e.effective.iso() == "2017-08-11");
    CHECK(e.level == shipped().find_level("kota"));
    CHECK(e.rank == shipped().find_rank("II"));
    CHECK(e.unit == shipped().find_unit("disdukcapil"));
    CHECK(e.who.nip == "197002151995031002");
    CHECK(e.line == 1);
    CHECK(e.source == "test.jsonl");
    CHECK(r.counts.read == 1);
    CHECK(r.counts.accepted == 1);
}

TEST_CASE("every rejection code, with its field", "[events]") {
    struct row {
        std::string record;
        std::string code;
        std::string field;
    };
    const std::vector<row> rows = {
        {R"({"id":"x","kind":})", "R0101", ""},
        {"42", "R0102", ""},
        {with("person", ""), "R0104", "person.nip"},
        {with("position", ""), "R0104", "position"},
        {with("date", "20170811"), "R0105", "date"},
        {with("kind", R"("apoint")"), "R0106", "kind"},
        {with("date", R"("2017-02-30")"), "R0107", "date"},
        {with("person", R"({"nip":"1965041219900310"})"), "R0108", "person.nip"},
        {with("region", R"("7373")"), "R0109", "region"},
        {with("region", R"("73.70")"), "R0110", "region"},
        {with("rank", R"("V.a")"), "R0111", "rank"},
        {with("approvals", R"([{"authority":"Sekda","date":"2017-08-01"}])"), "R0112", "approvals[0].authority"},
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["e-ktp"]})", "R0113",
         "services[0]"},
        {with("reason", R"("sick")"), "R0114", "reason"},
        {with("aprovals", "[]"), "R0115", "aprovals"},
        {with("schema", R"("patuh-event/2")"), "R0116", "schema"},
        {with("approvals", R"([{"authority":"menteri"}])"), "R0104", "approvals[0].date"},
        {with("approvals", R"([{"authority":"menteri","date":"2017-08-01","nip":"123"}])"), "R0108",
         "approvals[0].nip"},
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73"})", "R0104", "services"},
        {R"({"id":"p","kind":"approve","date":"2018-07-12","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","person":{"nip":"197002151995031002"}})",
         "R0104", "approvals"},
        {with("concurrent", R"("yes")"), "R0105", "concurrent"},
    };
    for (const row& r : rows) {
        const rejection x = reject_one(r.record);
        INFO(r.record << "\n" << x.reason.en);
        CHECK(x.code == r.code);
        CHECK(x.field == r.field);
        CHECK(x.line == 1);
        CHECK_FALSE(x.reason.en.empty());
        CHECK_FALSE(x.reason.id.empty());
        CHECK(x.raw == r.record);
    }
}

TEST_CASE("rejection reasons say what is wrong", "[events]") {
    CHECK(reject_one(with("aprovals", "[]")).reason.en == "unknown field 'aprovals'; did you mean 'approvals'?");
    CHECK(reject_one(with("kind", R"("apoint")")).reason.en == "unknown event kind 'apoint'; did you mean 'appoint'?");
    CHECK(reject_one(with("person", R"({"nip":"1965041219900310"})")).reason.en ==
          "NIP '1965041219900310' has 16 digits; 18 expected");
    CHECK(reject_one(with("person", R"({"nip":"196502301990031007"})")).reason.en ==
          "NIP '196502301990031007': birth date 19650230 is not a real date");
    CHECK(reject_one(with("person", R"({"nip":"196504121990033007"})")).reason.en ==
          "NIP '196504121990033007': the sex digit must be 1 or 2");
    CHECK(reject_one(with("person", R"({"nip":"196504121975031007"})")).reason.en ==
          "NIP '196504121975031007': service start 197503 is not plausible");
    CHECK(reject_one(with("person", R"({"nip":"19650412199003100x"})")).reason.id ==
          "NIP '19650412199003100x' hanya boleh berisi angka");
}

TEST_CASE("JSON Lines: malformed lines are listed by line and the rest is read", "[events]") {
    const std::string text = appoint + "\n" +                     // 1
                             "\n" +                               // 2 blank: not a record
                             "{not json\n" +                      // 3
                             with("id", R"("a2")") + "\n" +       // 4
                             with("rank", R"("VI")") + "\r\n" +   // 5 (CRLF)
                             "   \n" +                            // 6 blank
                             with("id", R"("a3")");               // 7, no final newline
    const read_result r = read(text);
    CHECK(r.counts.read == 5);
    CHECK(r.counts.accepted == 3);
    CHECK(r.counts.rejected == 2);
    CHECK(r.counts.read == r.counts.accepted + r.counts.rejected);
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].line == 3);
    CHECK(r.rejected[0].code == "R0101");
    CHECK(r.rejected[1].line == 5);
    CHECK(r.rejected[1].code == "R0111");
    REQUIRE(r.events.size() == 3);
    CHECK(r.events[1].line == 4);
    CHECK(r.events[2].line == 7);
    CHECK(r.events[2].id == "a3");
}

TEST_CASE("a byte-order mark and leading blank lines keep line numbers right", "[events]") {
    const read_result r = read("\xEF\xBB\xBF\n\n" + appoint + "\n");
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].line == 3);
}

TEST_CASE("a JSON array is read element by element with the line of each", "[events]") {
    const std::string text = "\n[\n  " + appoint + ",\n  {\"id\": \"b\",\n   \"kind\": \"nope\"},\n  42,\n  " +
                             with("id", R"("a4")") + "\n]\n";
    const read_result r = read(text);
    CHECK(r.counts.read == 4);
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].line == 3);
    CHECK(r.events[1].line == 7);
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].line == 4);
    CHECK(r.rejected[0].code == "R0106");
    CHECK(r.rejected[1].line == 6);
    CHECK(r.rejected[1].code == "R0102");
}

TEST_CASE("a broken JSON array is reported, not a crash", "[events]") {
    SECTION("unterminated") {
        const read_result r = read("[\n" + appoint + ",\n" + appoint.substr(0, 40));
        CHECK(r.events.size() == 1);
        REQUIRE_FALSE(r.rejected.empty());
        CHECK(r.rejected.back().code == "R0101");
        CHECK(r.counts.read == r.counts.accepted + r.counts.rejected);
    }
    SECTION("empty") {
        const read_result r = read("[ ]");
        CHECK(r.counts.read == 0);
        CHECK(r.rejected.empty());
    }
    SECTION("forced array on JSON Lines input") {
        const read_result r = read(appoint + "\n", input_format::json);
        CHECK(r.events.empty());
        CHECK(r.counts.read == r.counts.accepted + r.counts.rejected);
    }
}

TEST_CASE("limits: record size and nesting depth", "[events][limits]") {
    reader_limits limits;
    limits.max_record_bytes = 300;
    limits.max_depth = 3;
    const std::string long_line = with("position", "\"" + std::string(400, 'x') + "\"");
    const std::string deep = R"({"id":"d","kind":"warn","date":"2017-01-01","region":"73.73","note":[[[["x"]]]]})";
    const read_result r = read(appoint + "\n" + long_line + "\n" + deep + "\n" + appoint + "\n",
                               input_format::automatic, limits);
    CHECK(r.events.size() == 2);
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].code == "R0103");
    CHECK(r.rejected[0].line == 2);
    CHECK(r.rejected[1].code == "R0103");
    CHECK(r.rejected[1].line == 3);
    CHECK(r.events[1].line == 4);
}

TEST_CASE("every example in docs/events.md and in examples/ is accepted", "[events][docs]") {
    const std::string doc = patuh::testing::read_text(std::string(PATUH_SOURCE_DIR) + "/docs/events.md");
    std::size_t at = 0;
    std::size_t examples = 0;
    std::vector<std::string> kinds_seen;
    while ((at = doc.find("```json\n", at)) != std::string::npos) {
        at += 8;
        const std::size_t end = doc.find("```", at);
        const std::string block = doc.substr(at, end - at);
        at = end + 3;
        const nlohmann::json value = nlohmann::json::parse(block);
        if (!value.contains("kind")) continue;  // the report's outline
        rejection why;
        INFO(block << "\n" << why.reason.en);
        const auto e = decode_event(value, shipped(), why);
        CHECK(e);
        if (e) kinds_seen.emplace_back(to_string(e->kind));
        ++examples;
    }
    CHECK(examples >= 10);
    for (const char* kind :
         {"appoint", "dismiss", "transfer", "acting", "inaugurate", "approve", "propose", "warn", "cutoff", "restore"}) {
        INFO(kind);
        CHECK(std::find(kinds_seen.begin(), kinds_seen.end(), kind) != kinds_seen.end());
    }
    for (const auto& entry : std::filesystem::directory_iterator(std::string(PATUH_SOURCE_DIR) + "/examples")) {
        const auto file = entry.path() / "events.jsonl";
        if (!std::filesystem::exists(file)) continue;
        const read_result r = read(patuh::testing::read_text(file.string()));
        INFO(file);
        // one example shows rejected records on purpose
        const bool on_purpose = entry.path().filename() == "rejected-records";
        CHECK(r.rejected.size() == (on_purpose ? 5U : 0U));
        CHECK(r.counts.read > 0);
    }
}

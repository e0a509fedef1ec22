// Event records: validation, the two readers, line numbers and rejections.

#include "golden.hpp"
#include "shipped.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <patuh/event.hpp>
#include <patuh/parse.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
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

read_result read(const std::string& text, input_format format = input_format::automatic, reader_limits limits = {},
                 const std::string& source = "test.jsonl") {
    read_result out;
    std::istringstream in(text);
    out.counts = read_events(
        in, source, shipped(), [&](const event& e) { out.events.push_back(e); },
        [&](rejection&& r) { out.rejected.push_back(std::move(r)); }, format, limits);
    // The counts always agree with the callbacks and add up.
    CHECK(out.counts.accepted == out.events.size());
    CHECK(out.counts.rejected == out.rejected.size());
    CHECK(out.counts.read == out.counts.accepted + out.counts.rejected);
    for (const rejection& r : out.rejected) {
        CHECK(r.line >= 1);
        CHECK(r.source == source);
        CHECK_FALSE(r.code.empty());
        CHECK_FALSE(r.reason.en.empty());
        CHECK_FALSE(r.reason.id.empty());
        CHECK(r.raw.size() <= 4096);
    }
    for (const event& e : out.events) {
        CHECK(e.line >= 1);
        CHECK(e.source == source);
    }
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

// The event of one record, or a failed test when it is rejected.
event accept_one(const std::string& record) {
    const read_result r = read(record + "\n");
    INFO(record << "\n" << (r.rejected.empty() ? "" : r.rejected[0].reason.en));
    REQUIRE(r.rejected.empty());
    REQUIRE(r.events.size() == 1);
    return r.events.front();
}

const std::string appoint =
    R"({"id":"a1","kind":"appoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","rank":"II.b","person":{"nip":"197002151995031002","name":"Akram Risa"}})";

// `record` with one field replaced (or removed, when value is empty).
std::string edit(const std::string& record, const std::string& field, const std::string& value) {
    nlohmann::json j = nlohmann::json::parse(record);
    if (value.empty()) j.erase(field);
    else j[field] = nlohmann::json::parse(value);
    return j.dump();
}

// `appoint` with one field replaced (or removed, when value is empty).
std::string with(const std::string& field, const std::string& value) { return edit(appoint, field, value); }

// The ways to read a JSON Lines text that must agree: on one thread and on
// two, keeping whole records for a rejects file or not.
std::vector<reader_limits> every_reading(reader_limits limits) {
    std::vector<reader_limits> out;
    for (const bool keep : {false, true}) {
        for (const unsigned threads : {1u, 2u}) {
            limits.keep_records = keep;
            limits.threads = threads;
            out.push_back(limits);
        }
    }
    return out;
}

std::string nip_reason(const std::string& nip) {
    return reject_one(with("person", nlohmann::json{{"nip", nip}}.dump())).reason.en;
}

}  // namespace

TEST_CASE("NIP: 18 digits with a real birth date", "[events]") {
    CHECK(normalise_nip("196504121990031007") == "196504121990031007");
    CHECK(normalise_nip("19650412 199003 1 007") == "196504121990031007");
    CHECK(normalise_nip("198001302005012002") == "198001302005012002");  // sex digit 2
    CHECK(normalise_nip("190001011950011001") == "190001011950011001");  // earliest birth year and service start
    CHECK(normalise_nip("200002292015121001") == "200002292015121001");  // 29 February of a leap year
    CHECK_FALSE(normalise_nip("19650412199003100"));    // 17 digits
    CHECK_FALSE(normalise_nip("1965041219900310071"));  // 19 digits
    CHECK_FALSE(normalise_nip("19650412199003100x"));   // not a digit
    CHECK_FALSE(normalise_nip("19650412-199003-1-007"));
    CHECK_FALSE(normalise_nip("196502301990031007"));   // 30 February
    CHECK_FALSE(normalise_nip("190002291990031007"));   // 1900 is not a leap year
    CHECK_FALSE(normalise_nip("189912311950011001"));   // born before 1900
    CHECK_FALSE(normalise_nip("196504121990131007"));   // month 13 of service
    CHECK_FALSE(normalise_nip("196504121990001007"));   // month 0 of service
    CHECK_FALSE(normalise_nip("193001011949011001"));   // service before 1950
    CHECK_FALSE(normalise_nip("196504121975031007"));   // service at age 10
    CHECK_FALSE(normalise_nip("196504121990033007"));   // sex digit 3
    CHECK_FALSE(normalise_nip("196504121990030007"));   // sex digit 0
    CHECK_FALSE(normalise_nip(""));
    CHECK_FALSE(normalise_nip("      "));
    // the bytes either side of the digits, and bytes above ASCII
    CHECK_FALSE(normalise_nip("19650412199003100/"));
    CHECK_FALSE(normalise_nip("19650412199003100:"));
    CHECK_FALSE(normalise_nip("/96504121990031007"));
    CHECK_FALSE(normalise_nip("19650412199003100\xB7"));
    CHECK_FALSE(normalise_nip(std::string_view("1965041219900310\0""7", 18)));
}

TEST_CASE("dates read again and again give what each text says", "[events]") {
    // Every day of 1950-2049 twice (more texts than the reader keeps at once),
    // first in order, then from the last day back, and texts that are not
    // valid dates before and after them.
    std::string text;
    std::vector<std::string> days;
    for (date d = date::from_ymd(1950, 1, 1); d < date::from_ymd(2050, 1, 1); d = d + 1) days.push_back(d.iso());
    const auto record = [](std::size_t i, const std::string& day) {
        return fmt::format(R"({{"id":"w{}","kind":"warn","date":"{}","region":"73.73","deadline":"{}"}})", i, day, day);
    };
    const std::vector<std::string> invalid = {"2017-02-29", "2017-08-1x", "2017-08-32", "2017-13-11", "2017/08/11",
                                              "12017-08-1", "2017-08-110", "\\u0000\\u0000\\u0000\\u0000-\\u0000\\u0000-\\u0000\\u0000",
                                              "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000"};
    // the invalid texts first (when the reader has read no date yet) and last
    for (const std::string& bad : invalid) text += record(0, bad) + "\n";
    for (std::size_t i = 0; i < days.size(); ++i) text += record(i, days[i]) + "\n";
    for (std::size_t i = days.size(); i-- > 0;) text += record(i, days[i]) + "\n";
    for (const std::string& bad : invalid) text += record(0, bad) + "\n";
    const read_result r = read(text);
    REQUIRE(r.events.size() == 2 * days.size());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const event& forward = r.events[i];
        const event& back = r.events[2 * days.size() - 1 - i];
        if (forward.effective.iso() != days[i] || back.effective.iso() != days[i] || forward.deadline != forward.effective ||
            back.deadline != back.effective)
            FAIL("day " << days[i] << " read as " << forward.effective.iso() << " and " << back.effective.iso());
    }
    REQUIRE(r.rejected.size() == 2 * invalid.size());
    for (const rejection& x : r.rejected) {
        CHECK(x.code == "R0107");
        CHECK(x.field == "date");
    }
}

TEST_CASE("NIPs read again and again: each record's own NIP is checked", "[events]") {
    // 6,000 valid NIPs (more than the reader remembers), each followed by a
    // copy with one digit changed that makes it invalid and one written with
    // spaces; then all of them again from the last back.
    const auto nip_of = [](std::size_t i) {
        return fmt::format("19{:02}{:02}{:02}{:04}{:02}1{:03}", 50 + i % 20, 1 + i % 12, 1 + i % 28, 1990 + i % 30,
                           1 + (i / 7) % 12, i % 1000);
    };
    const auto record = [](const std::string& nip) {
        return with("person", nlohmann::json{{"nip", nip}}.dump()) + "\n";
    };
    constexpr std::size_t people = 6000;
    std::string forward;
    std::string back;
    for (std::size_t i = 0; i < people; ++i) {
        const std::string nip = nip_of(i);
        std::string bad = nip;
        bad[12] = '1';  // month 1x of service
        bad[13] = '3';
        const std::string spaced = nip.substr(0, 8) + " " + nip.substr(8, 6) + " " + nip.substr(14, 1) + " " + nip.substr(15);
        forward += record(nip) + record(bad) + record(spaced);
        back = record(nip) + record(bad) + back;
    }
    const read_result r = read(forward + back);
    REQUIRE(r.events.size() == 3 * people);
    REQUIRE(r.rejected.size() == 2 * people);
    for (std::size_t i = 0; i < people; ++i) {
        const std::string nip = nip_of(i);
        const event& first = r.events[2 * i];
        const event& spaced = r.events[2 * i + 1];
        const event& again = r.events[3 * people - 1 - i];
        if (first.who.nip != nip || spaced.who.nip != nip || again.who.nip != nip)
            FAIL("NIP " << nip << " read as " << first.who.nip << ", " << spaced.who.nip << " and " << again.who.nip);
    }
    for (const rejection& x : r.rejected) {
        CHECK(x.code == "R0108");
        CHECK(x.field == "person.nip");
    }
}

TEST_CASE("approvals of one record do not carry over to the next", "[events]") {
    const nlohmann::json full = {{"authority", "Direktur Jenderal Kependudukan dan Pencatatan Sipil"}, {"number", "800/1-Dukcapil"},
                                 {"date", "2017-08-01"}, {"nip", "197002151995031002"},
                                 {"position", "Kepala Dinas"}};
    const nlohmann::json bare = {{"authority", "Mendagri"}, {"date", "2018-01-02"}};
    const std::vector<nlohmann::json> lists = {nlohmann::json::array({full, full}), nlohmann::json::array(),
                                               nlohmann::json::array({bare}), nlohmann::json::array({full}),
                                               nlohmann::json::array({bare, full, bare}), nlohmann::json::array({bare})};
    std::string text;
    for (int round = 0; round < 3; ++round)
        for (const nlohmann::json& list : lists) text += with("approvals", list.dump()) + "\n";
    const read_result r = read(text);
    REQUIRE(r.rejected.empty());
    REQUIRE(r.events.size() == 3 * lists.size());
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const nlohmann::json& list = lists[i % lists.size()];
        const std::vector<approval>& read_back = r.events[i].approvals;
        REQUIRE(read_back.size() == list.size());
        for (std::size_t k = 0; k < list.size(); ++k) {
            const nlohmann::json& want = list[k];
            const approval& got = read_back[k];
            INFO("record " << i + 1 << ", approval " << k);
            CHECK(got.authority_text == want["authority"]);
            CHECK(got.authority == shipped().find_authority(want["authority"].get<std::string>()));
            CHECK(got.issued.iso() == want["date"]);
            CHECK(got.number == want.value("number", ""));
            CHECK(got.nip == want.value("nip", ""));
            CHECK(got.position == want.value("position", ""));
        }
    }
}

TEST_CASE("NIP: the reason says what is wrong", "[events]") {
    CHECK(nip_reason("1965") == "NIP '1965' has 4 digits; 18 expected");
    CHECK(nip_reason("1965041219900310") == "NIP '1965041219900310' has 16 digits; 18 expected");
    CHECK(nip_reason("19650412199003100x") ==
          "NIP '19650412199003100x' must hold digits only (character 18 is not a digit)");
    CHECK(nip_reason("196502301990031007") ==
          "NIP '196502301990031007': birth date 19650230 (digits 1-8) is not a real date");
    CHECK(nip_reason("189912311950011001") == "NIP '189912311950011001': birth year 1899 is before 1900");
    CHECK(nip_reason("196504121990131007") ==
          "NIP '196504121990131007': service start 199013 (digits 9-14) has month 13; 01-12 expected");
    CHECK(nip_reason("193001011949011001") == "NIP '193001011949011001': service start 194901 is before 1950");
    CHECK(nip_reason("196504121975031007") ==
          "NIP '196504121975031007': service start 197503 is less than 15 years after the birth year 1965");
    CHECK(nip_reason("196504121990033007") ==
          "NIP '196504121990033007': the sex digit (digit 15) is 3; 1 or 2 expected");
    const rejection id = reject_one(with("person", R"({"nip":"1965"})"));
    CHECK(id.reason.id == "NIP '1965' terdiri atas 4 angka; seharusnya 18");
    // spaces are allowed and removed; the NIP is stored without them
    CHECK(accept_one(with("person", R"({"nip":"19650412 199003 1 007"})")).who.nip == "196504121990031007");
    // a NIP written as a number is the wrong type (leading zeros and precision would be lost)
    const rejection number = reject_one(with("person", R"({"nip":196504121990031007})"));
    CHECK(number.code == "R0105");
    CHECK(number.field == "person.nip");
}

TEST_CASE("region codes: PP or PP.KK", "[events]") {
    CHECK(valid_region_code("73"));
    CHECK(valid_region_code("73.73"));
    CHECK(valid_region_code("74.07"));
    CHECK_FALSE(valid_region_code(""));
    CHECK_FALSE(valid_region_code("7"));
    CHECK_FALSE(valid_region_code("7373"));
    CHECK_FALSE(valid_region_code("73.7"));
    CHECK_FALSE(valid_region_code("73-73"));
    CHECK_FALSE(valid_region_code("73.73.01"));
    CHECK_FALSE(valid_region_code("ab.cd"));
    CHECK_FALSE(valid_region_code(" 73"));
    // the level comes from the rules' level declarations
    CHECK(accept_one(with("region", R"("73")")).level == shipped().find_level("provinsi"));
    CHECK(accept_one(with("region", R"("74.07")")).level == shipped().find_level("kabupaten"));
    CHECK(accept_one(with("region", R"("73.73")")).level == shipped().find_level("kota"));
    const rejection none = reject_one(with("region", R"("73.70")"));
    CHECK(none.code == "R0110");
    CHECK(none.reason.en == "region code '73.70' belongs to no region level of the rules");
}

TEST_CASE("event kinds: names both ways", "[events]") {
    for (const char* name :
         {"appoint", "dismiss", "transfer", "acting", "inaugurate", "approve", "propose", "warn", "cutoff", "restore"}) {
        const auto k = parse_event_kind(name);
        REQUIRE(k);
        CHECK(to_string(*k) == name);
    }
    CHECK(is_personnel(event_kind::inaugurate));
    CHECK_FALSE(is_personnel(event_kind::approve));
    CHECK(to_action(event_kind::transfer) == action::transfer);
    CHECK_FALSE(parse_event_kind("Appoint"));
    CHECK_FALSE(parse_event_kind(""));
}

TEST_CASE("a valid appointment is decoded with its vocabulary resolved", "[events]") {
    const read_result r = read(appoint + "\n");
    REQUIRE(r.events.size() == 1);
    const event& e = r.events[0];
    CHECK(e.id == "a1");
    CHECK(e.kind == event_kind::appoint);
    CHECK(e.effective.iso() == "2017-08-11");
    CHECK(e.region == "73.73");
    CHECK(e.level == shipped().find_level("kota"));
    CHECK(e.rank == shipped().find_rank("II"));
    CHECK(e.rank_text == "II.b");
    CHECK(e.unit == shipped().find_unit("disdukcapil"));
    CHECK(e.unit_text == "disdukcapil");
    CHECK(e.position == "Kepala Dinas");
    CHECK(e.who.nip == "197002151995031002");
    CHECK(e.who.name == "Akram Risa");
    CHECK_FALSE(e.concurrent);
    CHECK_FALSE(e.why);
    CHECK(e.approvals.empty());
    CHECK(e.line == 1);
    CHECK(e.source == "test.jsonl");
    CHECK(r.counts.read == 1);
    CHECK(r.counts.accepted == 1);
}

TEST_CASE("every field is decoded", "[events]") {
    const event e = accept_one(
        R"({"schema":"patuh-event/1","id":"x","kind":"appoint","date":"2016-02-01","region":"73.73","unit":"Dinas Dukcapil",)"
        R"("position":"Kepala Dinas","rank":"eselon II.b","person":{"nip":"196504121990031007","name":"Asir"},)"
        R"("decree":{"number":"821.2/1/2016","date":"2016-01-30","issuer":"Walikota Palopo"},)"
        R"("approvals":[{"authority":"Mendagri","number":"SK-1","date":"2016-01-20","nip":"19650412 199003 1 007","position":"Kepala Dinas"},)"
        R"({"authority":"dirjen","date":"2016-01-21"}],"reason":"definitive","concurrent":true,"note":"free text"})");
    CHECK(e.unit == shipped().find_unit("disdukcapil"));
    CHECK(e.unit_text == "Dinas Dukcapil");
    CHECK(e.rank == shipped().find_rank("II"));
    CHECK(e.regional_decree.number == "821.2/1/2016");
    REQUIRE(e.regional_decree.issued);
    CHECK(e.regional_decree.issued->iso() == "2016-01-30");
    CHECK(e.regional_decree.issuer == "Walikota Palopo");
    REQUIRE(e.approvals.size() == 2);
    CHECK(e.approvals[0].authority == shipped().find_authority("menteri"));
    CHECK(e.approvals[0].authority_text == "Mendagri");
    CHECK(e.approvals[0].number == "SK-1");
    CHECK(e.approvals[0].issued.iso() == "2016-01-20");
    CHECK(e.approvals[0].nip == "196504121990031007");
    CHECK(e.approvals[0].position == "Kepala Dinas");
    CHECK(e.approvals[1].authority == shipped().find_authority("dirjen"));
    CHECK(e.approvals[1].nip.empty());
    CHECK(e.approvals[1].position.empty());
    CHECK(e.why == reason::definitive);
    CHECK(e.concurrent);

    const event w = accept_one(
        R"({"id":"w","kind":"warn","date":"2017-02-08","region":"74.71","deadline":"2017-02-15","letter":"L-1","issuer":"Kemendagri"})");
    REQUIRE(w.deadline);
    CHECK(w.deadline->iso() == "2017-02-15");
    CHECK(w.letter == "L-1");
    CHECK(w.issuer == "Kemendagri");
    CHECK(w.unit == no_index);

    const event c = accept_one(
        R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["ktp_el","siak","ktp_el"]})");
    CHECK(c.services == std::vector<index_t>{shipped().find_service("ktp_el"), shipped().find_service("siak")});

    const event p = accept_one(
        R"({"id":"p","kind":"propose","date":"2017-09-01","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","person":{"nip":"197002151995031002"},"route":["Walikota","gubernur","Dirjen Dukcapil","menteri"]})");
    CHECK(p.route == std::vector<index_t>{shipped().find_authority("kepala_daerah"), shipped().find_authority("gubernur"),
                                          shipped().find_authority("dirjen"), shipped().find_authority("menteri")});
    CHECK(p.rank == no_index);

    // a unit the rules do not know is not an error: the post is simply not tracked
    const event other = accept_one(with("unit", R"("Dinas Pendidikan")"));
    CHECK(other.unit == no_index);
    CHECK(other.unit_text == "Dinas Pendidikan");
    // null counts as absent
    CHECK(accept_one(with("rank", "null")).rank == no_index);
}

TEST_CASE("every rejection code, with its field", "[events]") {
    struct row {
        std::string record;
        std::string code;
        std::string field;
    };
    const std::vector<row> rows = {
        {R"({"id":"x","kind":})", "R0101", ""},
        {R"({"id":"x","kind":"appoint","date":1E400})", "R0101", ""},  // number overflow (fuzz reproducer)
        {"42", "R0102", ""},
        {R"("appoint")", "R0102", ""},
        {with("person", ""), "R0104", "person.nip"},
        {with("person", R"({"name":"x"})"), "R0104", "person.nip"},
        {with("position", ""), "R0104", "position"},
        {with("position", R"("  ")"), "R0104", "position"},
        {with("kind", ""), "R0104", "kind"},
        {with("id", R"("")"), "R0104", "id"},
        {with("date", "20170811"), "R0105", "date"},
        {with("id", "7"), "R0105", "id"},
        {with("person", R"("197002151995031002")"), "R0105", "person"},
        {with("approvals", R"({"authority":"menteri"})"), "R0105", "approvals"},
        {with("approvals", R"(["menteri"])"), "R0105", "approvals[0]"},
        {with("services", R"("ktp_el")"), "R0105", "services"},
        {with("decree", R"({"number":821})"), "R0105", "decree.number"},
        {with("concurrent", R"("yes")"), "R0105", "concurrent"},
        {with("note", "{}"), "R0105", "note"},
        {with("kind", R"("apoint")"), "R0106", "kind"},
        {with("date", R"("2017-02-30")"), "R0107", "date"},
        {with("date", R"("11/08/2017")"), "R0107", "date"},
        {with("decree", R"({"date":"2017-8-1"})"), "R0107", "decree.date"},
        {with("approvals", R"([{"authority":"menteri","date":"2017-13-01"}])"), "R0107", "approvals[0].date"},
        {with("person", R"({"nip":"1965041219900310"})"), "R0108", "person.nip"},
        {with("approvals", R"([{"authority":"menteri","date":"2017-08-01","nip":"123"}])"), "R0108",
         "approvals[0].nip"},
        {with("region", R"("7373")"), "R0109", "region"},
        {with("region", R"("73.70")"), "R0110", "region"},
        {with("rank", R"("V.a")"), "R0111", "rank"},
        {with("approvals", R"([{"authority":"Sekda","date":"2017-08-01"}])"), "R0112", "approvals[0].authority"},
        {with("approvals", R"([{"authority":"menteri","date":"2017-08-01"},{"authority":"mentri","date":"2017-08-01"}])"),
         "R0112", "approvals[1].authority"},
        {with("route", R"(["gubernur","sekda"])"), "R0112", "route[1]"},
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["e-ktp"]})", "R0113",
         "services[0]"},
        {with("reason", R"("sick")"), "R0114", "reason"},
        {with("aprovals", "[]"), "R0115", "aprovals"},
        {with("person", R"({"nip":"197002151995031002","nmae":"x"})"), "R0115", "person.nmae"},
        {with("approvals", R"([{"autority":"menteri","date":"2017-08-01"}])"), "R0115", "approvals[0].autority"},
        {with("decree", R"({"nomor":"1"})"), "R0115", "decree.nomor"},
        {with("schema", R"("patuh-event/2")"), "R0116", "schema"},
        {with("approvals", R"([{"authority":"menteri"}])"), "R0104", "approvals[0].date"},
        {with("approvals", R"([{"date":"2017-08-01"}])"), "R0104", "approvals[0].authority"},
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73"})", "R0104", "services"},
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":[]})", "R0104", "services"},
        {R"({"id":"p","kind":"approve","date":"2018-07-12","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","person":{"nip":"197002151995031002"}})",
         "R0104", "approvals"},
    };
    std::map<std::string, int> seen;
    for (const row& r : rows) {
        const rejection x = reject_one(r.record);
        INFO(r.record << "\n" << x.reason.en);
        CHECK(x.code == r.code);
        CHECK(x.field == r.field);
        CHECK(x.line == 1);
        CHECK(x.source == "test.jsonl");
        CHECK_FALSE(x.reason.en.empty());
        CHECK_FALSE(x.reason.id.empty());
        CHECK(x.reason.en != x.reason.id);
        CHECK(x.raw == r.record);
        ++seen[x.code];
    }
    // R0103 is a reader limit: see "limits" below
    for (int code = 1; code <= 16; ++code) {
        if (code == 3) continue;
        const std::string name = fmt::format("R01{:02}", code);
        INFO(name);
        CHECK(seen[name] > 0);
    }
}

TEST_CASE("a record with several faults is rejected for the first the rules check, and the next record is read whole",
          "[events]") {
    struct row {
        std::string record;
        std::string code;
        std::string field;
    };
    const std::string bad_date = R"("2017-02-30")";
    const std::vector<row> rows = {
        // The members are gathered first: an unknown one before any value.
        {edit(with("aprovals", "[]"), "date", bad_date), "R0115", "aprovals"},
        // Then the kind, the id, the date, the region.
        {edit(with("kind", R"("apoint")"), "date", bad_date), "R0106", "kind"},
        {edit(with("date", bad_date), "region", R"("7373")"), "R0107", "date"},
        {edit(with("region", R"("7373")"), "rank", R"("V.a")"), "R0109", "region"},
        // The person before the approvals.
        {edit(with("person", R"({"nip":"123"})"), "approvals", R"([{"authority":"Sekda","date":"2017-08-01"}])"),
         "R0108", "person.nip"},
        // Approvals in order, each whole before the next.
        {with("approvals", R"([{"authority":"menteri","date":"2017-13-01"},{"authority":"Sekda","date":"2017-08-01"}])"),
         "R0107", "approvals[0].date"},
        {with("approvals", R"([{"authority":"Sekda","date":"2017-13-01"}])"), "R0112", "approvals[0].authority"},
        // Services and route elements in order.
        {R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["e-ktp",7]})", "R0113",
         "services[0]"},
        {with("route", R"([7,"sekda"])"), "R0105", "route[0]"},
    };
    for (const row& r : rows) {
        for (const bool as_array : {false, true}) {
            // The faulty record, then a good one: what the first left behind must not reach the second.
            const std::string text =
                as_array ? "[" + r.record + ",\n" + appoint + "]\n" : r.record + "\n" + appoint + "\n";
            INFO(r.record << (as_array ? " (in a JSON array)" : " (JSON Lines)"));
            const read_result got = read(text);
            REQUIRE(got.rejected.size() == 1);
            CHECK(got.rejected[0].code == r.code);
            CHECK(got.rejected[0].field == r.field);
            REQUIRE(got.events.size() == 1);
            CHECK(got.events[0].id == "a1");
            CHECK(got.events[0].approvals.empty());
            CHECK(got.events[0].route.empty());
            CHECK(got.events[0].who.nip == "197002151995031002");
        }
    }
}

TEST_CASE("decode_event validates one JSON value", "[events]") {
    rejection why;
    const auto e = decode_event(nlohmann::json::parse(appoint), shipped(), why);
    REQUIRE(e);
    CHECK(e->id == "a1");
    CHECK(e->line == 0);  // the reader fills line and source
    const auto bad = decode_event(nlohmann::json::parse(with("rank", R"("IIII")")), shipped(), why);
    CHECK_FALSE(bad);
    CHECK(why.code == "R0111");
    CHECK(why.field == "rank");
    CHECK(why.reason.en == "rank 'IIII' is not known to the rules; did you mean 'III'?");
    CHECK_FALSE(decode_event(nlohmann::json::parse(with("rank", R"("eselon V")")), shipped(), why));
    CHECK(why.reason.en == "rank 'eselon V' is not known to the rules");
    CHECK_FALSE(decode_event(nlohmann::json(), shipped(), why));
    CHECK(why.code == "R0102");
}

TEST_CASE("required fields of each kind", "[events]") {
    const std::string post = R"("region":"73.73","unit":"disdukcapil","position":"Kepala Dinas","person":{"nip":"197002151995031002"})";
    struct kind_case {
        std::string record;                 // the smallest valid record of the kind
        std::vector<std::string> required;  // each removed in turn: R0104 with this field
        std::vector<std::string> optional;  // each removed in turn: still accepted
    };
    const std::vector<std::string> personnel_required = {"id", "kind", "date", "region", "unit", "position", "person"};
    std::vector<kind_case> cases;
    for (const char* kind : {"appoint", "dismiss", "transfer", "acting", "inaugurate"})
        cases.push_back({fmt::format(R"({{"id":"k","kind":"{}","date":"2017-01-02",{},"rank":"II"}})", kind, post),
                         personnel_required,
                         {"rank"}});
    cases.push_back({R"({"id":"k","kind":"approve","date":"2017-01-02",)" + post +
                         R"(,"approvals":[{"authority":"menteri","date":"2017-01-01"}]})",
                     {"id", "kind", "date", "region", "unit", "position", "person", "approvals"},
                     {}});
    cases.push_back({R"({"id":"k","kind":"propose","date":"2017-01-02",)" + post + R"(,"route":["gubernur"]})",
                     personnel_required,
                     {"route"}});
    cases.push_back({R"({"id":"k","kind":"warn","date":"2017-01-02","region":"73.73","deadline":"2017-01-09","letter":"x","issuer":"y"})",
                     {"id", "kind", "date", "region"},
                     {"deadline", "letter", "issuer"}});
    cases.push_back({R"({"id":"k","kind":"cutoff","date":"2017-01-02","region":"73.73","services":["siak"]})",
                     {"id", "kind", "date", "region", "services"},
                     {}});
    cases.push_back({R"({"id":"k","kind":"restore","date":"2017-01-02","region":"73.73","services":["siak"]})",
                     {"id", "kind", "date", "region"},
                     {"services"}});
    for (const kind_case& c : cases) {
        const event e = accept_one(c.record);
        for (const std::string& field : c.required) {
            const rejection x = reject_one(edit(c.record, field, ""));
            INFO(c.record << " without " << field << ": " << x.reason.en);
            CHECK(x.code == "R0104");
            CHECK(x.field == (field == "person" ? "person.nip" : field));
        }
        for (const std::string& field : c.optional) {
            INFO(c.record << " without " << field);
            accept_one(edit(c.record, field, ""));
        }
        (void)e;
    }
    // restore without services means every service
    CHECK(accept_one(R"({"id":"k","kind":"restore","date":"2017-01-02","region":"73.73"})").services.empty());
    // region events may name a unit and a position, but need not
    CHECK(accept_one(R"({"id":"k","kind":"warn","date":"2017-01-02","region":"73","unit":"disdukcapil"})").unit ==
          shipped().find_unit("disdukcapil"));
}

TEST_CASE("rejection reasons say what is wrong", "[events]") {
    CHECK(reject_one(with("aprovals", "[]")).reason.en == "unknown field 'aprovals'; did you mean 'approvals'?");
    CHECK(reject_one(with("aprovals", "[]")).reason.id == "kolom 'aprovals' tidak dikenal; maksudnya 'approvals'?");
    CHECK(reject_one(with("xyzzy", "1")).reason.en == "unknown field 'xyzzy'");
    CHECK(reject_one(with("person", R"({"nip":"197002151995031002","nmae":"x"})")).reason.en ==
          "unknown field 'person.nmae'; did you mean 'person.name'?");
    CHECK(reject_one(with("kind", R"("apoint")")).reason.en == "unknown event kind 'apoint'; did you mean 'appoint'?");
    CHECK(reject_one(with("kind", R"("apoint")")).reason.id == "jenis peristiwa 'apoint' tidak dikenal; maksudnya 'appoint'?");
    CHECK(reject_one(with("approvals", R"([{"authority":"mentri","date":"2017-08-01"}])")).reason.en ==
          "authority 'mentri' is not known to the rules; did you mean 'menteri'?");
    CHECK(reject_one(with("date", R"("2017-09-31")")).reason.en ==
          "'2017-09-31' in 'date' is not a valid YYYY-MM-DD date");
    CHECK(reject_one(with("date", "20170811")).reason.en == "'date' must be a string, not number");
    CHECK(reject_one(with("date", "20170811")).reason.id == "'date' harus berupa teks, bukan number");
    CHECK(reject_one(R"({"id":"c","kind":"cutoff","date":"2018-07-12","region":"73.73","services":["e-ktp"]})")
              .reason.en == "unknown service 'e-ktp'; known: ktp_el, siak, tte");
    CHECK(reject_one(with("schema", R"("patuh-event/2")")).reason.en ==
          "schema version 'patuh-event/2' is not supported; use 'patuh-event/1'");
    CHECK(reject_one(R"({"id":"x","kind":})").reason.en.starts_with("malformed JSON"));
    // a long value is shortened in the reason, not in raw
    const std::string long_rank(500, 'Z');
    const rejection x = reject_one(with("rank", "\"" + long_rank + "\""));
    CHECK(x.reason.en.size() < 200);
    CHECK(x.raw.find(long_rank) != std::string::npos);
}

TEST_CASE("malformed JSON: the reason says what to mend, in both languages", "[events]") {
    struct syntax_case {
        std::string record;
        std::string en;
    };
    const std::string a = appoint.substr(0, appoint.size() - 1);  // without its closing brace
    for (const syntax_case& c : std::vector<syntax_case>{
             {appoint + appoint, "malformed JSON: text follows the end of the record's JSON; one record per line"},
             {appoint + " x", "malformed JSON: text follows the end of the record's JSON; one record per line"},
             {a, "malformed JSON: the record ends before it is complete; a closing '}' or ']' is missing"},
             {a + R"(,"note":"open)", "malformed JSON: a string is not closed with a quote (\")"},
             {"{'id':'x'}", "malformed JSON: names and strings are written in double quotes (\"), not single ones"},
             {"{id:1}", "malformed JSON: a field name must be a string in double quotes"},
             {a + ",}", "malformed JSON: a comma before '}'"},
             {a + R"(,"note" "x"})", "malformed JSON: a ':' is missing after a field name"},
             {a + R"( "note":"x"})", "malformed JSON: a ',' between fields or the closing '}' is missing"},
             {a + R"(,"services":["a" "b"]})", "malformed JSON: a ',' between elements or the closing ']' is missing"},
             {a + R"(,"concurrent":ture})",
              "malformed JSON: an unknown word; JSON values are \"strings\", numbers, true, false or null"},
             {a + R"(,"note":"a	b"})", "malformed JSON: a tab or line break inside a string must be written \\t or \\n"},
             {a + R"(,"note":"a\qb"})", "malformed JSON: a backslash inside a string is written \\\\"},
             {a + R"(,"note":"\ud800"})", "malformed JSON: a \\u escape names half a character (an unpaired surrogate)"},
             {a + R"(,"concurrent":-})", "malformed JSON: a malformed number"},
             {a + ",\"note\":\"\xc3\x28\"}", "malformed JSON: invalid UTF-8"},
         }) {
        CAPTURE(c.record);
        const rejection r = reject_one(c.record);
        CHECK(r.code == "R0101");
        CHECK(r.reason.en.substr(0, r.reason.en.find(" (near byte ")) == c.en);
        CHECK(r.reason.id.starts_with("JSON tidak sah: "));
        CHECK(r.reason.id.find(" (sekitar bita ke-") != std::string::npos);
    }
    // Where the reason points: the byte of the second record's '{'.
    CHECK(reject_one(appoint + appoint).reason.en.ends_with(fmt::format("(near byte {} of the record)", appoint.size() + 1)));
}

TEST_CASE("JSON Lines: malformed lines are listed by line and the rest is read", "[events]") {
    const std::string text = appoint + "\n" +                     // 1
                             "\n" +                               // 2 blank: not a record
                             "{not json\n" +                      // 3
                             with("id", R"("a2")") + "\n" +       // 4
                             with("rank", R"("VI")") + "\r\n" +   // 5 (CRLF)
                             "   \t\n" +                          // 6 blank
                             R"({"id":1E400})" + "\n" +           // 7 number overflow
                             with("id", R"("a3")");               // 8, no final newline
    const read_result r = read(text);
    CHECK(r.counts.read == 6);
    CHECK(r.counts.accepted == 3);
    CHECK(r.counts.rejected == 3);
    REQUIRE(r.rejected.size() == 3);
    CHECK(r.rejected[0].line == 3);
    CHECK(r.rejected[0].code == "R0101");
    CHECK(r.rejected[0].raw == "{not json");
    CHECK(r.rejected[1].line == 5);
    CHECK(r.rejected[1].code == "R0111");
    CHECK(r.rejected[1].raw == with("rank", R"("VI")"));  // without the CR
    CHECK(r.rejected[2].line == 7);
    CHECK(r.rejected[2].code == "R0101");
    REQUIRE(r.events.size() == 3);
    CHECK(r.events[0].line == 1);
    CHECK(r.events[1].line == 4);
    CHECK(r.events[2].line == 8);
    CHECK(r.events[2].id == "a3");
}

TEST_CASE("a rejected record keeps its string id when it parsed as an object", "[events]") {
    // Each record with the id it is rejected with (empty: none).
    const std::vector<std::pair<std::string, std::string>> records = {
        {with("rank", R"("VI")"), "a1"},                           // R0111
        {R"({"kind":"appoint","id":"PLP\/2017\u002F3"})", "PLP/2017/3"},  // R0104, the id as JSON decodes it
        {with("id", "7"), ""},                                      // not a string
        {with("id", ""), ""},                                       // no id
        {R"({"id":"a5","kind":"apoint"})", "a5"},                   // R0106, found before the id is read
        {R"(["a6"])", ""},                                          // not an object
        {R"({"id":"a7","id":null,"kind":"appoint"})", ""},          // the last "id" counts
    };
    std::string lines, array = "[";
    for (const auto& [record, id] : records) {
        lines += record + "\n";
        array += (array.size() > 1 ? ",\n" : "\n") + record;
    }
    lines += "{\"id\":\"a8\",\"kind\":\n";  // does not parse: no id
    lines += with("id", R"("a9")") + "\n";  // accepted
    array += ",\n" + with("id", R"("a9")") + "\n]\n";
    for (const reader_limits& limits : every_reading({})) {
        for (const bool as_array : {false, true}) {
            INFO((as_array ? "JSON array" : "JSON Lines") << ", threads " << limits.threads);
            const read_result r = read(as_array ? array : lines, as_array ? input_format::json : input_format::jsonl, limits);
            REQUIRE(r.rejected.size() == records.size() + (as_array ? 0 : 1));
            for (std::size_t i = 0; i < records.size(); ++i) {
                INFO(records[i].first);
                CHECK(r.rejected[i].id == records[i].second);
            }
            if (!as_array) CHECK(r.rejected.back().id.empty());
            REQUIRE(r.events.size() == 1);
        }
    }
}

TEST_CASE("JSON Lines: CRLF, a byte-order mark and leading blank lines keep line numbers right", "[events]") {
    const read_result r = read("\xEF\xBB\xBF\r\n\r\n" + appoint + "\r\n\r\n" + with("id", R"("b")") + "\r\n");
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].line == 3);
    CHECK(r.events[1].line == 5);
    CHECK(r.events[1].id == "b");
    // a forced format with a mark
    const read_result forced = read("\xEF\xBB\xBF" + appoint + "\n", input_format::jsonl);
    REQUIRE(forced.events.size() == 1);
    // only part of a mark is data, not skipped: that line is malformed
    const read_result partial = read("\xEF\xBB" + appoint + "\n" + appoint + "\n");
    REQUIRE(partial.rejected.size() == 1);
    CHECK(partial.rejected[0].code == "R0101");
    CHECK(partial.rejected[0].line == 1);
    CHECK(partial.rejected[0].raw.starts_with("\xEF\xBB{"));
    CHECK(partial.events.size() == 1);
}

TEST_CASE("empty input has no records", "[events]") {
    for (const char* text : {"", "\n\n", "  \r\n\t\n", "\xEF\xBB\xBF"}) {
        INFO(text);
        CHECK(read(text).counts.read == 0);
        CHECK(read(text, input_format::json).counts.read == 0);
        CHECK(read(text, input_format::jsonl).counts.read == 0);
    }
}

TEST_CASE("a JSON array is read element by element with the line of each", "[events]") {
    const std::string text = "\n[\n  " + appoint + ",\n  {\"id\": \"b\",\n   \"kind\": \"nope\"},\n  42,\n  " +
                             with("id", R"("a4")") + "\n]\n";
    const read_result r = read(text);
    CHECK(r.counts.read == 4);
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].line == 3);
    CHECK(r.events[1].line == 7);
    CHECK(r.events[1].id == "a4");
    REQUIRE(r.rejected.size() == 2);
    CHECK(r.rejected[0].line == 4);
    CHECK(r.rejected[0].code == "R0106");
    CHECK(r.rejected[0].raw == "{\"id\": \"b\",\n   \"kind\": \"nope\"}");
    CHECK(r.rejected[1].line == 6);
    CHECK(r.rejected[1].code == "R0102");
    CHECK(r.rejected[1].raw == "42");
}

TEST_CASE("JSON Lines whose first record starts with a bracket are read as JSON Lines, not as an array", "[events]") {
    // A malformed first line must not turn the whole log into one broken array.
    struct log_case {
        std::string first;  // the first line
        const char* code;   // its rejection
    };
    for (const log_case& c : {log_case{std::string(100000, '['), "R0103"}, log_case{"[1, 2]", "R0102"},
                              log_case{"[\"appoint\"]", "R0102"}, log_case{"[]", "R0102"},
                              log_case{"[" + appoint + "]", "R0102"}, log_case{" [ {} , {} ] ", "R0102"},
                              log_case{"[[" + appoint + "]", "R0101"}}) {
        INFO(c.first.substr(0, 40));
        const read_result r = read("\n" + c.first + "\r\n" + appoint + "\n\n" + with("id", R"("a2")"));
        CHECK(r.counts.read == 3);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].line == 2);
        CHECK(r.rejected[0].code == c.code);
        REQUIRE(r.events.size() == 2);
        CHECK(r.events[0].line == 3);
        CHECK(r.events[1].line == 5);
    }
    // Arrays: one that goes on after its first line, one on a single line, an empty one.
    CHECK(read("[" + appoint + ",\n" + with("id", R"("a2")") + "]\n").events.size() == 2);
    CHECK(read("[" + appoint + ", " + with("id", R"("a2")") + "]\n\n").events.size() == 2);
    CHECK(read("\n [\n\n  " + appoint + "\n]").events.size() == 1);
    CHECK(read("[]\n").counts.read == 0);
    const read_result trailing = read("[" + appoint + "] x\n");
    CHECK(trailing.events.size() == 1);
    CHECK(trailing.rejected.size() == 1);
}

TEST_CASE("a JSON array file with a byte-order mark and CRLF", "[events]") {
    const std::string file = std::string(PATUH_SOURCE_DIR) + "/tests/data/events/array-bom-crlf.json";
    const read_result r = read(patuh::testing::read_text(file), input_format::automatic, {}, file);
    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0].id == "arr-1");
    CHECK(r.events[0].line == 2);
    CHECK(r.events[0].approvals.size() == 1);
    CHECK(r.events[1].id == "arr-2");
    CHECK(r.events[1].line == 6);
    CHECK(r.events[2].services.size() == 2);
    CHECK(r.events[1].letter == "brackets ] and } and \" inside a string, [ { too");
    CHECK(r.events[2].line == 8);
    CHECK(r.events[3].id == "arr-5");
    CHECK(r.events[3].line == 10);
    CHECK(r.events[3].level == shipped().find_level("provinsi"));
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].line == 9);
    CHECK(r.rejected[0].code == "R0113");
    CHECK(r.rejected[0].field == "services[0]");
}

TEST_CASE("a broken JSON array is reported, not a crash", "[events]") {
    const std::string a2 = with("id", R"("a2")");
    SECTION("unterminated inside an element") {
        const read_result r = read("[\n" + appoint + ",\n" + appoint.substr(0, 40));
        CHECK(r.events.size() == 1);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[0].raw == appoint.substr(0, 40));
    }
    SECTION("no closing bracket") {
        const read_result r = read("[\n" + appoint + ",\n" + a2 + "\n\n");
        CHECK(r.events.size() == 2);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 5);
        CHECK(r.rejected[0].reason.en == "the JSON array is not closed with ']'");
    }
    SECTION("a missing comma stops reading at that line") {
        const read_result r = read("[\n" + appoint + "\n" + a2 + "\n]\n");
        REQUIRE(r.events.size() == 1);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[0].reason.en ==
              "broken JSON array: expected ',' or ']', found '{'; the rest of the file is not read");
    }
    SECTION("an unmatched closing brace") {
        const read_result r = read("[" + appoint + "},\n" + a2 + "]");
        CHECK(r.events.size() == 1);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].line == 1);
    }
    SECTION("stray text between elements is one malformed element") {
        const read_result r = read("[\n" + appoint + ",\nxyz,\n" + a2 + "]");
        CHECK(r.events.size() == 2);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[0].raw == "xyz");
    }
    SECTION("two commas") {
        const read_result r = read("[" + appoint + ",\n," + a2 + "]");
        CHECK(r.events.size() == 1);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].line == 2);
    }
    SECTION("text after the array") {
        // (An array closed on its first line with more lines after it is JSON Lines.)
        const read_result r = read("[" + appoint + ",\n" + a2 + "]\n\ntrailing");
        CHECK(r.events.size() == 2);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 4);
        CHECK(r.rejected[0].raw == "trailing");
    }
    SECTION("a comma after the last element is tolerated") {
        const read_result r = read("[" + appoint + ",\n]");
        CHECK(r.events.size() == 1);
        CHECK(r.rejected.empty());
    }
    SECTION("empty") {
        const read_result r = read("[ ]");
        CHECK(r.counts.read == 0);
        CHECK(r.rejected.empty());
    }
    SECTION("forced array on JSON Lines input") {
        const read_result r = read("\n" + appoint + "\n" + appoint + "\n", input_format::json);
        CHECK(r.events.empty());
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[0].line == 2);
        CHECK(r.rejected[0].raw == appoint);
    }
    SECTION("forced JSON Lines on an array") {
        const read_result r = read("[\n" + appoint + "\n]\n", input_format::jsonl);
        CHECK(r.events.size() == 1);  // the object alone on its line is a record
        REQUIRE(r.rejected.size() == 2);
        CHECK(r.rejected[0].line == 1);
        CHECK(r.rejected[1].line == 3);
    }
}

TEST_CASE("limits of one: the reasons read as English (1 byte, 1 level)", "[events][limits]") {
    reader_limits limits;
    limits.max_record_bytes = 1;
    read_result r = read(appoint + "\n", input_format::automatic, limits);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.en == "the record is longer than 1 byte");
    CHECK(r.rejected[0].reason.id == "rekaman lebih panjang dari 1 bita");
    limits = {};
    limits.max_depth = 1;
    r = read(appoint + "\n", input_format::automatic, limits);
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].reason.en == "the record nests deeper than 1 level");
}

TEST_CASE("limits: record size and nesting depth", "[events][limits]") {
    reader_limits limits;
    limits.max_record_bytes = 300;
    limits.max_depth = 3;
    const std::string long_line = with("position", "\"" + std::string(5000, 'x') + "\"");
    const std::string deep = R"({"id":"d","kind":"warn","date":"2017-01-01","region":"73.73","note":[[[["x"]]]]})";
    SECTION("JSON Lines") {
        const read_result r = read(appoint + "\n" + long_line + "\n" + deep + "\n" + appoint + "\n",
                                   input_format::automatic, limits);
        CHECK(r.events.size() == 2);
        REQUIRE(r.rejected.size() == 2);
        CHECK(r.rejected[0].code == "R0103");
        CHECK(r.rejected[0].line == 2);
        CHECK(r.rejected[0].reason.en == "the record is longer than 300 bytes");
        CHECK(r.rejected[0].raw == long_line.substr(0, 300));
        CHECK(r.rejected[1].code == "R0103");
        CHECK(r.rejected[1].line == 3);
        CHECK(r.rejected[1].reason.en == "the record nests deeper than 3 levels");
        CHECK(r.events[1].line == 4);
    }
    SECTION("JSON array") {
        const read_result r = read("[\n" + appoint + ",\n" + long_line + ",\n" + deep + ",\n" + appoint + "\n]",
                                   input_format::automatic, limits);
        CHECK(r.events.size() == 2);
        REQUIRE(r.rejected.size() == 2);
        CHECK(r.rejected[0].code == "R0103");
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[1].code == "R0103");
        CHECK(r.rejected[1].line == 4);
        CHECK(r.events[1].line == 5);
    }
    SECTION("brackets inside strings do not count") {
        limits.max_depth = 2;
        CHECK(read(with("position", R"("[[[[{{{{")") + "\n", input_format::automatic, limits).events.size() == 1);
    }
    SECTION("the raw text of a rejection is at most 4 KiB") {
        const rejection x = reject_one(with("rank", "\"" + std::string(10000, 'y') + "\""));
        CHECK(x.raw.size() == 4096);
    }
}

TEST_CASE("JSON Lines: a record of exactly the size limit is read, one byte more is not, a line end is not counted",
          "[events][limits]") {
    reader_limits limits;
    limits.max_record_bytes = appoint.size();
    // The CRLF of line 2 is its line end: the same record as line 1.
    const std::string text =
        appoint + "\n" + appoint + "\r\n" + appoint + " \n\n" + appoint + "\r\r\n" + appoint;  // the last without '\n'
    for (const reader_limits& way : every_reading(limits)) {
        const bool keep = way.keep_records;
        INFO("threads " << way.threads << ", records kept " << keep);
        const read_result r = read(text, input_format::jsonl, way);
        REQUIRE(r.events.size() == 3);
        CHECK(r.events[0].line == 1);
        CHECK(r.events[1].line == 2);
        CHECK(r.events[2].line == 6);
        REQUIRE(r.rejected.size() == 2);
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[0].code == "R0103");
        CHECK(r.rejected[0].raw == (keep ? appoint + " " : appoint));  // the first bytes read
        CHECK(r.rejected[0].record == (keep ? appoint + " " : ""));
        CHECK(r.rejected[1].line == 5);  // one CR of line end, one CR of the record
        CHECK(r.rejected[1].code == "R0103");
        CHECK(r.rejected[1].record == (keep ? appoint + "\r" : ""));
    }
}

TEST_CASE("JSON Lines: a line of blanks is blank however long it is", "[events][limits]") {
    reader_limits limits;
    const std::string spaces = std::string(300, ' ') + "\t\r" + std::string(300, ' ');
    const std::string text =
        appoint + "\n" + spaces + "\r\n" + spaces + "\n" + spaces + "x\n" + appoint + "\n" + spaces;
    limits.max_record_bytes = appoint.size();
    for (const reader_limits& way : every_reading(limits)) {
        INFO("threads " << way.threads << ", records kept " << way.keep_records);
        const read_result r = read(text, input_format::jsonl, way);
        CHECK(r.counts.read == 3);
        REQUIRE(r.events.size() == 2);
        CHECK(r.events[0].line == 1);
        CHECK(r.events[1].line == 5);
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].line == 4);
        CHECK(r.rejected[0].code == "R0103");
    }
}

TEST_CASE("JSON Lines: a NUL byte is malformed JSON wherever it is, the text after it is not ignored", "[events]") {
    const std::string nul(1, '\0');
    std::string with_nul_in_position = with("position", R"("Kepala_Dinas")");
    with_nul_in_position[with_nul_in_position.find("Kepala_Dinas") + 6] = '\0';
    const std::string text = appoint + nul + " and more\n" +                                  // 1
                             appoint + nul + "\n" +                                           // 2
                             with_nul_in_position + "\n" +                                   // 3
                             with("position", R"("Kepala\u0000Dinas")") + "\n" +            // 4: escaped, a character
                             nul + appoint + "\n";                                           // 5
    for (const reader_limits& way : every_reading({})) {
        INFO("threads " << way.threads << ", records kept " << way.keep_records);
        const read_result r = read(text, input_format::jsonl, way);
        REQUIRE(r.rejected.size() == 4);
        for (std::size_t i = 0; i < 4; ++i) {
            CHECK(r.rejected[i].line == (i < 3 ? i + 1 : 5));
            CHECK(r.rejected[i].code == "R0101");
        }
        CHECK(r.rejected[0].reason.en ==
              fmt::format("malformed JSON: a NUL byte (byte {} of the record)", appoint.size() + 1));
        REQUIRE(r.events.size() == 1);
        CHECK(r.events[0].line == 4);
        CHECK(r.events[0].position == "Kepala" + nul + "Dinas");
    }
}

TEST_CASE("JSON Lines: lines of spaces, tabs and carriage returns are blank, other white space is not", "[events]") {
    for (const reader_limits& way : every_reading({})) {
        INFO("threads " << way.threads << ", records kept " << way.keep_records);
        const read_result r =
            read(appoint + "\n\r\r\n \r \n\f\n\v\n\xC2\xA0\n" + appoint + "\n", input_format::jsonl, way);
        CHECK(r.counts.read == 5);
        REQUIRE(r.events.size() == 2);
        CHECK(r.events[1].line == 7);
        REQUIRE(r.rejected.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(r.rejected[i].line == i + 4);
            CHECK(r.rejected[i].code == "R0101");
        }
    }
}

TEST_CASE("JSON Lines: a byte-order mark may start any record, as concatenated files have it", "[events]") {
    for (const reader_limits& way : every_reading({})) {
        INFO("threads " << way.threads << ", records kept " << way.keep_records);
        const read_result r =
            read("\xEF\xBB\xBF" + appoint + "\n\xEF\xBB\xBF" + with("id", R"("a2")") + "\r\n" +
                     "\xEF\xBB\xBF\n" + appoint + "\xEF\xBB\xBF\n",
                 input_format::automatic, way);
        REQUIRE(r.events.size() == 2);
        CHECK(r.events[1].line == 2);
        CHECK(r.events[1].id == "a2");
        REQUIRE(r.rejected.size() == 2);  // a mark alone, a mark after the record
        CHECK(r.rejected[0].line == 3);
        CHECK(r.rejected[0].code == "R0101");
        CHECK(r.rejected[1].line == 4);
        CHECK(r.rejected[1].code == "R0101");
    }
}

TEST_CASE("nesting far beyond the limit is rejected without recursion", "[events][limits]") {
    const std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    const read_result lines = read(deep + "\n" + appoint + "\n");
    REQUIRE(lines.rejected.size() == 1);
    CHECK(lines.rejected[0].code == "R0103");
    CHECK(lines.rejected[0].reason.en == "the record nests deeper than 64 levels");
    CHECK(lines.events.size() == 1);
    const read_result array = read("[" + deep + ",\n" + appoint + "]");
    REQUIRE(array.rejected.size() == 1);
    CHECK(array.rejected[0].code == "R0103");
    CHECK(array.events.size() == 1);
    CHECK(array.events[0].line == 2);
    const read_result open = read(std::string(200000, '['));
    CHECK(open.counts.read == 1);
    CHECK(open.rejected.size() == 1);
}

TEST_CASE("every example in docs/events.md and in examples/ is accepted", "[events][docs]") {
    const std::string doc = patuh::testing::read_text(std::string(PATUH_SOURCE_DIR) + "/docs/events.md");
    std::size_t at = 0;
    std::size_t examples = 0;
    std::vector<std::string> kinds_seen;
    // ```json and ```jsonl blocks
    while ((at = doc.find("```json", at)) != std::string::npos) {
        at = doc.find('\n', at);
        REQUIRE(at != std::string::npos);
        ++at;
        const std::size_t end = doc.find("```", at);
        REQUIRE(end != std::string::npos);
        const std::string block = doc.substr(at, end - at);
        at = end + 3;
        // a block is one record, an array of records, or JSON Lines
        const read_result r = read(block);
        INFO(block << "\n" << (r.rejected.empty() ? "" : r.rejected[0].reason.en));
        CHECK(r.rejected.empty());
        CHECK(r.counts.read > 0);
        for (const event& e : r.events) kinds_seen.emplace_back(to_string(e.kind));
        ++examples;
    }
    CHECK(examples >= 10);
    for (const char* kind :
         {"appoint", "dismiss", "transfer", "acting", "inaugurate", "approve", "propose", "warn", "cutoff", "restore"}) {
        INFO(kind);
        CHECK(std::find(kinds_seen.begin(), kinds_seen.end(), kind) != kinds_seen.end());
    }
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(PATUH_SOURCE_DIR) + "/examples")) {
        const auto file = entry.path() / "events.jsonl";
        if (!std::filesystem::exists(file)) continue;
        ++files;
        const read_result r = read(patuh::testing::read_text(file.string()));
        INFO(file);
        // one example shows rejected records on purpose
        const bool on_purpose = entry.path().filename() == "rejected-records";
        CHECK(r.rejected.size() == (on_purpose ? 6U : 0U));
        CHECK(r.counts.read > 0);
    }
    CHECK(files >= 4);
}

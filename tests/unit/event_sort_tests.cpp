// Events put in date order (`--sort`): stable by day, across runs written
// to the temporary file and the run left in memory, every field kept.

#include "io/event_sort.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace patuh;

namespace {

// Every field of an event, for comparing two.
void require_same(const event& a, const event& b) {
    CHECK(a.id == b.id);
    CHECK(a.kind == b.kind);
    CHECK(a.effective == b.effective);
    CHECK(a.region == b.region);
    CHECK(a.level == b.level);
    CHECK(a.unit_text == b.unit_text);
    CHECK(a.unit == b.unit);
    CHECK(a.position == b.position);
    CHECK(a.rank == b.rank);
    CHECK(a.rank_text == b.rank_text);
    CHECK(a.who.nip == b.who.nip);
    CHECK(a.who.name == b.who.name);
    CHECK(a.regional_decree.number == b.regional_decree.number);
    CHECK(a.regional_decree.issued == b.regional_decree.issued);
    CHECK(a.regional_decree.issuer == b.regional_decree.issuer);
    REQUIRE(a.approvals.size() == b.approvals.size());
    for (std::size_t i = 0; i < a.approvals.size(); ++i) {
        CHECK(a.approvals[i].authority == b.approvals[i].authority);
        CHECK(a.approvals[i].authority_text == b.approvals[i].authority_text);
        CHECK(a.approvals[i].number == b.approvals[i].number);
        CHECK(a.approvals[i].issued == b.approvals[i].issued);
        CHECK(a.approvals[i].nip == b.approvals[i].nip);
        CHECK(a.approvals[i].position == b.approvals[i].position);
    }
    CHECK(a.why == b.why);
    CHECK(a.concurrent == b.concurrent);
    CHECK(a.deadline == b.deadline);
    CHECK(a.letter == b.letter);
    CHECK(a.issuer == b.issuer);
    CHECK(a.services == b.services);
    CHECK(a.route == b.route);
    CHECK(a.head == b.head);
    CHECK(a.until == b.until);
    CHECK(a.candidates == b.candidates);
    CHECK(a.term_end == b.term_end);
    CHECK(a.line == b.line);
    CHECK(a.source == b.source);
    CHECK(a.record == b.record);
}

// An event with every field set, on `day`.
event full_event(date day) {
    event e;
    e.id = "ev-full";
    e.kind = event_kind::appoint;
    e.effective = day;
    e.region = "73.73";
    e.level = 1;
    e.unit_text = "Dinas Kependudukan dan Pencatatan Sipil";
    e.unit = 0;
    e.position = "Kepala Dinas";
    e.rank = 2;
    e.rank_text = "II.b";
    e.who = {"197805122005011003", "Andi \"Ancu\" Makkasau; S.Sos"};
    e.regional_decree = {"821/045/BKPSDM/2023", day, "Wali Kota Palopo"};
    e.approvals = {{3, "Mendagri", "800.1.6.1/123", day, "197805122005011003", "Kepala Dinas"},
                   {4, "Dirjen Dukcapil", "", date::from_days(day.days() - 3), "", ""}};
    e.why = reason::retirement;
    e.concurrent = true;
    e.deadline = date::from_days(day.days() + 30);
    e.letter = "470/1234/Dukcapil";
    e.issuer = "Direktur Jenderal";
    e.services = {0, 2, 5};
    e.route = {1, 3};
    e.head = "Naili Trisal";
    e.until = date::from_days(day.days() + 365);
    e.candidates = date::from_days(day.days() - 10);
    e.term_end = date::from_days(day.days() + 1000);
    e.line = 4294967301ULL;  // beyond 32 bits
    e.source = "palopo.jsonl";
    e.record = std::string("{\"id\":\"ev-full\"}\0with a NUL", 27);
    return e;
}

// Events on a few days in a scrambled order, numbered by their `line` in the order added.
std::vector<event> scrambled(std::size_t n) {
    std::vector<event> out;
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1103515245U + 12345U;
        event e;
        e.id = "ev-" + std::to_string(i);
        e.kind = event_kind::transfer;
        e.effective = date::from_days(19000 + static_cast<std::int32_t>((state >> 16) % 40));
        e.region = i % 2 == 0 ? "73.73" : "73.17";
        e.position = std::string(i % 50, 'x');  // records of many sizes
        e.line = i + 1;
        e.source = i < n / 2 ? "a.jsonl" : "b.csv";
        out.push_back(e);
    }
    return out;
}

struct drained {
    std::vector<event> events;
    std::vector<std::uint32_t> inputs;
};

drained sort_all(const std::vector<event>& events, std::size_t memory_bytes, std::uint64_t* file_bytes = nullptr) {
    event_sorter sorter(memory_bytes);
    for (const event& e : events) sorter.add(e, e.source == "a.jsonl" || e.source == "palopo.jsonl" ? 0 : 1);
    CHECK(sorter.size() == events.size());
    if (file_bytes != nullptr) *file_bytes = sorter.file_bytes();
    drained out;
    sorter.drain([&](std::uint32_t input, const event& e) {
        out.events.push_back(e);
        out.inputs.push_back(input);
    });
    CHECK(sorter.size() == 0);
    return out;
}

}  // namespace

TEST_CASE("Sorted events come by date, those of one day in the order added", "[sort]") {
    const std::vector<event> events = scrambled(2000);
    // 1 KiB runs: dozens in the file, one left in memory; 16 MiB: all in memory.
    for (const std::size_t memory : {std::size_t{1} << 10, std::size_t{16} << 20}) {
        CAPTURE(memory);
        std::uint64_t file_bytes = 0;
        const drained out = sort_all(events, memory, &file_bytes);
        CHECK((file_bytes > 0) == (memory < 4096));
        REQUIRE(out.events.size() == events.size());
        std::vector<bool> seen(events.size() + 1, false);
        for (std::size_t i = 0; i < out.events.size(); ++i) {
            const event& e = out.events[i];
            REQUIRE(e.line >= 1);
            REQUIRE(e.line <= events.size());
            CHECK_FALSE(seen[e.line]);
            seen[e.line] = true;
            const event& original = events[e.line - 1];
            CHECK(e.id == original.id);
            CHECK(e.effective == original.effective);
            CHECK(e.position == original.position);
            CHECK(e.source == original.source);
            CHECK(out.inputs[i] == (original.source == "a.jsonl" ? 0U : 1U));
            if (i > 0) {
                const event& before = out.events[i - 1];
                REQUIRE(before.effective <= e.effective);
                if (before.effective == e.effective) REQUIRE(before.line < e.line);
            }
        }
    }
}

TEST_CASE("The regions' calendar records come first, in the order added", "[sort]") {
    // An election record opens a window six months before its candidates are
    // set: judged at its own date it could come after changes inside it (R0121).
    std::vector<event> events = scrambled(300);
    for (std::size_t i = 0; i < events.size(); i += 37) {
        events[i].kind = i % 2 == 0 ? event_kind::election : event_kind::head_inaugurated;
        events[i].effective = date::from_days(19039 - static_cast<std::int32_t>(i % 3));
    }
    for (const std::size_t memory : {std::size_t{1} << 10, std::size_t{1} << 20}) {
        CAPTURE(memory);
        const drained out = sort_all(events, memory);
        REQUIRE(out.events.size() == events.size());
        std::size_t calendar = 0;
        while (calendar < out.events.size() && is_calendar(out.events[calendar].kind)) ++calendar;
        CHECK(calendar == (events.size() + 36) / 37);
        for (std::size_t i = 1; i < out.events.size(); ++i) {
            const event& a = out.events[i - 1];
            const event& b = out.events[i];
            CHECK_FALSE((!is_calendar(a.kind) && is_calendar(b.kind)));
            if (is_calendar(a.kind) && is_calendar(b.kind)) CHECK(a.line < b.line);
            if (!is_calendar(a.kind) && !is_calendar(b.kind)) CHECK(a.effective <= b.effective);
        }
    }
}

TEST_CASE("A log already in date order comes out as it was added", "[sort]") {
    std::vector<event> events = scrambled(500);
    std::stable_sort(events.begin(), events.end(),
                     [](const event& a, const event& b) { return a.effective < b.effective; });
    const drained out = sort_all(events, 512);
    REQUIRE(out.events.size() == events.size());
    for (std::size_t i = 0; i < events.size(); ++i) CHECK(out.events[i].id == events[i].id);
}

namespace {

// An event with its optional fields and lists empty, on `day`, read from `source` at `line`.
event bare_event(date day, const std::string& source, std::uint64_t line) {
    event e;
    e.id = "ev-bare";
    e.kind = event_kind::restore;
    e.effective = day;
    e.region = "73.73";
    e.line = line;
    e.source = source;
    return e;
}

}  // namespace

TEST_CASE("Every field of a sorted event is kept, through the file and in memory", "[sort]") {
    const event full = full_event(date::from_ymd(2023, 5, 2));
    const event bare = bare_event(date::from_ymd(2020, 1, 1), "b.csv", 7);
    for (const std::size_t memory : {std::size_t{64}, std::size_t{1} << 20}) {
        CAPTURE(memory);
        const drained out = sort_all({full, bare}, memory);
        REQUIRE(out.events.size() == 2);
        require_same(out.events[0], bare);
        require_same(out.events[1], full);
        CHECK(out.inputs == std::vector<std::uint32_t>{1, 0});
    }
}

TEST_CASE("Optional fields of one sorted event do not leak into the next", "[sort]") {
    // The sink's event is filled again for each: an empty field must empty it.
    const event bare = bare_event(date::from_ymd(2024, 1, 1), "palopo.jsonl", 2);
    const drained out = sort_all({full_event(date::from_ymd(2023, 5, 2)), bare}, 1 << 20);
    REQUIRE(out.events.size() == 2);
    require_same(out.events[1], bare);
}
TEST_CASE("A sorter that cannot make its temporary file says why", "[sort]") {
    // No file can be made in /proc.
    const char* before = std::getenv("TMPDIR");
    const std::string saved = before != nullptr ? before : "";
    ::setenv("TMPDIR", "/proc", 1);
    event_sorter sorter(64);
    int error = 0;
    try {
        for (const event& e : scrambled(10)) sorter.add(e, 0);
    } catch (const sort_file_error& e) {
        error = e.code().value();
    }
    if (before != nullptr) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
    CHECK(error != 0);
}

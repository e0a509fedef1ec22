// The record rules run behind two JSON parsers: simdjson (JSON Lines) and
// nlohmann (JSON arrays, decode_event). A corpus of good and bad records,
// with every field of every good record replaced by values of every JSON
// type, removed, or joined by unknown fields, must give the same event or the
// same rejection on both paths, and on any number of reading threads.

#include "shipped.hpp"

#include <nlohmann/json.hpp>
#include <patuh/event.hpp>

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace patuh;
using patuh::testing::shipped;
using json = nlohmann::json;

namespace {

std::string show(const std::optional<date>& d) { return d ? d->iso() : "-"; }

// Everything an event holds, as text, so that two events compare field by field.
std::string describe(const event& e) {
    std::string out = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
                                  e.id, to_string(e.kind), e.effective.iso(), e.region, e.level, e.unit_text, e.unit,
                                  e.position, e.rank, e.rank_text, e.who.nip, e.who.name, e.regional_decree.number,
                                  show(e.regional_decree.issued), e.regional_decree.issuer,
                                  e.why ? static_cast<int>(*e.why) : -1, e.concurrent, show(e.deadline), e.letter,
                                  e.issuer, e.head, show(e.until), show(e.candidates), show(e.term_end), e.line);
    for (const approval& a : e.approvals)
        out += fmt::format("|a:{}:{}:{}:{}:{}:{}", a.authority, a.authority_text, a.number, a.issued.iso(), a.nip,
                           a.position);
    for (const index_t s : e.services) out += fmt::format("|s:{}", s);
    for (const index_t r : e.route) out += fmt::format("|r:{}", r);
    return out + "|" + e.source;
}

std::string describe(const rejection& r) {
    return fmt::format("{}:{}:{}:{}:{}:{}:{}", r.source, r.line, r.code, r.field, r.reason.id, r.reason.en, r.raw);
}

// Each record read as JSON Lines, as "E ..." or "R ...", in order.
std::vector<std::string> read_lines(const std::string& text, unsigned threads, input_format format = input_format::jsonl) {
    std::vector<std::string> out;
    std::istringstream in(text);
    reader_limits limits;
    limits.threads = threads;
    const read_counts counts = read_events(
        in, "corpus.jsonl", shipped(), [&](const event& e) { out.push_back("E " + describe(e)); },
        [&](rejection&& r) { out.push_back("R " + describe(r)); }, format, limits);
    CHECK(counts.read == out.size());
    return out;
}

// One record through nlohmann and decode_event, described as read_lines would
// for a record on line `line`.
std::optional<std::string> decode_with_nlohmann(const std::string& text, std::uint64_t line = 1) {
    json value;
    try {
        value = json::parse(text);
    } catch (const json::exception&) {
        return std::nullopt;  // malformed: the reader's own message, checked elsewhere
    }
    rejection why;
    std::optional<event> e = decode_event(value, shipped(), why);
    if (e) {
        e->line = line;
        e->source = "corpus.jsonl";
        return "E " + describe(*e);
    }
    why.source = "corpus.jsonl";
    why.line = line;
    why.raw = text;
    return "R " + describe(why);
}

std::vector<std::string> example_records() {
    std::vector<std::string> out;
    for (const char* name : {"kendari-2017", "palopo-2017", "compliant-rotation", "rejected-records"}) {
        std::ifstream in(std::filesystem::path(PATUH_SOURCE_DIR) / "examples" / name / "events.jsonl");
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(line);
    }
    return out;
}

// Values of every JSON type, and some that the rules know or nearly know.
const std::vector<std::string>& replacements() {
    static const std::vector<std::string> values = {
        "null", "true", "0", "-1.5", "123456789012345678901234567890", "\"\"", "\" \"", "\"x\"",
        "\"2017-02-30\"", "\"2017-08-11\"", "\"73.73\"", "\"7\"", "\"II.b\"", "\"Mendagri\"", "\"ktp_el\"",
        "\"196803101993031004\"", "\"1968 0310 1993 03 1 004\"", "\"19680310199303100\"", "\"\\u00e9\"",
        "[]", "[1]", "[\"siak\",\"siak\"]", "[\"Gubernur\",\"x\"]", "{}", "{\"nip\":\"196803101993031004\"}",
        "[{\"authority\":\"Mendagri\",\"date\":\"2017-01-01\"}]", "[{\"authority\":\"Mendagri\"}]",
        "[{\"authority\":\"Dirjen\",\"date\":\"2017-01-01\",\"nip\":\"1\"}]", "[[[[]]]]"};
    return values;
}

std::vector<std::string> corpus() {
    std::vector<std::string> out = example_records();
    const std::size_t originals = out.size();
    for (std::size_t i = 0; i < originals; ++i) {
        const json record = json::parse(out[i], nullptr, false);
        if (!record.is_object()) continue;
        for (const auto& item : record.items()) {
            json without = record;
            without.erase(item.key());
            out.push_back(without.dump());
            for (const std::string& v : replacements()) {
                json changed = record;
                changed[item.key()] = json::parse(v);
                out.push_back(changed.dump());
            }
        }
        for (const char* extra : {"aaa", "zzz", "Kind", "approval"}) {
            json changed = record;
            changed[extra] = 1;
            out.push_back(changed.dump());
        }
        // A repeated key: the last one counts on both paths.
        std::string text = out[i];
        text.insert(1, "\"kind\":\"nonsense\",");
        out.push_back(text);
    }
    for (const char* raw : {"[]", "1", "\"text\"", "null", "{\"kind\":\"warn\"}", "{\"kind\":null,\"id\":\"x\"}",
                            "{\"id\":\"a\",\"kind\":\"warn\",\"date\":\"2017-01-01\",\"region\":\"74.71\",\"x\":1,\"b\":2}"})
        out.emplace_back(raw);
    return out;
}

}  // namespace

TEST_CASE("simdjson and nlohmann give the same event or rejection for every record of a corpus", "[reader]") {
    const std::vector<std::string> records = corpus();
    REQUIRE(records.size() > 1000);
    std::size_t accepted = 0;
    std::size_t compared = 0;
    for (const std::string& text : records) {
        const std::optional<std::string> expected = decode_with_nlohmann(text);
        if (!expected) continue;
        const std::vector<std::string> got = read_lines(text + "\n", 1);
        INFO(text);
        REQUIRE(got.size() == 1);
        CHECK(got.front() == *expected);
        accepted += got.front().starts_with("E ");
        ++compared;
    }
    // Both sides of the rules are exercised.
    CHECK(accepted > 50);
    CHECK(compared - accepted > 500);
}

TEST_CASE("A reader's events, filled again record after record, hold what a new event would", "[reader]") {
    // The whole corpus as one log: each record's event is the previous record's, emptied and filled again.
    const std::vector<std::string> records = corpus();
    std::string text;
    for (const std::string& record : records) text += record + "\n";
    for (const unsigned threads : {1u, 2u}) {
        INFO("threads " << threads);
        const std::vector<std::string> got = read_lines(text, threads);
        REQUIRE(got.size() == records.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::optional<std::string> expected = decode_with_nlohmann(records[i], i + 1);
            if (!expected || got[i] == *expected) continue;
            INFO(records[i]);
            CHECK(got[i] == *expected);
        }
    }
}

TEST_CASE("JSON Lines read on 1, 2, 3 and 5 threads give the same records in the same order", "[reader]") {
    std::string text;
    const std::vector<std::string> records = corpus();
    for (std::size_t i = 0; i < records.size(); ++i) {
        text += records[i] + (i % 7 == 0 ? "\r\n" : "\n");
        if (i % 11 == 0) text += "   \n";
        if (i % 97 == 0) text += "{\"id\": \"broken\"\n";
        if (i % 131 == 0) text += std::string(3000, ' ') + "{\"id\":1}\n";
    }
    // Enough records for several batches, and for lines across the ends of
    // the reader's buffer: one thread reads lines where they lie in it, more
    // threads copy them into batches.
    std::string big;
    while (big.size() < 3 * text.size() || big.size() < (3u << 20)) big += text;
    big += "{\"last\": no newline";
    const std::vector<std::string> one = read_lines(big, 1);
    REQUIRE(one.size() > 5000);
    for (const unsigned threads : {2u, 3u, 5u}) {
        INFO("threads " << threads);
        const std::vector<std::string> many = read_lines(big, threads);
        REQUIRE(many.size() == one.size());
        for (std::size_t i = 0; i < one.size(); ++i) {
            if (many[i] != one[i]) {
                INFO("record " << i);
                REQUIRE(many[i] == one[i]);
            }
        }
    }
}

TEST_CASE("A record longer than the limit is rejected the same way on several threads", "[reader]") {
    std::string text = "{\"id\":\"" + std::string(2 << 20, 'x') + "\"}\n{\"kind\":\"warn\"}\n";
    CHECK(read_lines(text, 1) == read_lines(text, 2));
    const std::vector<std::string> got = read_lines(text, 2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].find(":R0103:") != std::string::npos);
}

#pragma once
// What the libFuzzer targets share: the shipped rules (compiled once), a way
// to stop with a message, and one input read as `patuh audit` reads it with
// the checks every reader must pass.

#include <patuh/input.hpp>
#include <patuh/parse.hpp>
#include <patuh/rejects.hpp>
#include <patuh/rule_set.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace patuh::fuzz {

// Stops the run: libFuzzer keeps the input as a crash.
[[noreturn]] inline void fail(const char* what, std::uint64_t a, std::uint64_t b) {
    std::fprintf(stderr, "fuzz: %s (%llu, %llu)\n", what, static_cast<unsigned long long>(a),
                 static_cast<unsigned long long>(b));
    std::abort();
}

inline const rule_set& shipped_rules() {
    static const rule_set rules = [] {
        auto c = compile(load_embedded_rules());
        if (!c.rules) {
            std::fputs("fuzz: the shipped rules do not compile\n", stderr);
            std::abort();
        }
        return std::move(*c.rules);
    }();
    return rules;
}

// Reads `bytes` as the input `name` with whole records kept for a rejects
// file. Checks that the counts add up, that every rejection has a line, a
// code and at most 4 KiB of raw text, and that every rejected record with
// text reaches the rejects file.
inline void read_and_check(const std::string& bytes, const char* name, std::size_t max_record_bytes,
                           const csv_mapping* mapping = nullptr) {
    std::istringstream in(bytes);
    std::ostringstream rejects_file;
    rejects_writer rejects(rejects_file);
    input_settings settings;
    settings.limits.keep_records = true;
    settings.limits.max_record_bytes = max_record_bytes;
    settings.mapping = mapping;
    settings.rejects = &rejects;
    std::uint64_t events = 0, rejections = 0, with_text = 0;
    read_counts counts;
    try {
        counts = read_input(
            in, name, bytes.size(), shipped_rules(),
            [&](const event& e) {
                ++events;
                if (e.line < 1) fail("event with line 0", events, 0);
            },
            [&](rejection&& r) {
                ++rejections;
                if (r.line < 1 || r.code.empty()) fail("rejection without a line or a code", r.line, rejections);
                if (r.raw.size() > 4096) fail("raw text over 4 KiB", r.raw.size(), 4096);
                if (!r.record.empty()) ++with_text;
                rejects.write(r);
            },
            settings);
    } catch (const foreign_input&) {
        // A file of another kind (a workbook, UTF-16 text, ...) is refused before any record.
        if (events != 0 || rejections != 0) fail("records read from a file of another kind", events, rejections);
        return;
    }
    if (counts.read != counts.accepted + counts.rejected) fail("read != accepted + rejected", counts.read, counts.rejected);
    if (counts.accepted != events || counts.rejected != rejections) fail("counts differ from callbacks", events, rejections);
    if (rejects.error()) fail("the rejects file refused a record", rejections, 0);
    if (rejects.written() != with_text) fail("rejected records missing from the rejects file", rejects.written(), with_text);
}

}  // namespace patuh::fuzz

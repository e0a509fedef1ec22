// libFuzzer target: the bytes are one input as `patuh audit` reads it: gzip
// data or not, read as a CSV position-history export and as an event file
// (JSON Lines or a JSON array), with whole records kept for a rejects file;
// the CSV also with a record limit of 40 bytes, which most rows exceed.
// Checks that the counts add up, that every rejection has a line and a code,
// and that every rejected record with text reaches the rejects file.

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

namespace {

const patuh::rule_set& shipped_rules() {
    static const patuh::rule_set rules = [] {
        auto c = patuh::compile(patuh::load_embedded_rules());
        if (!c.rules) {
            std::fputs("fuzz_input: the shipped rules do not compile\n", stderr);
            std::abort();
        }
        return std::move(*c.rules);
    }();
    return rules;
}

[[noreturn]] void fail(const char* what, std::uint64_t a, std::uint64_t b) {
    std::fprintf(stderr, "fuzz_input: %s (%llu, %llu)\n", what, static_cast<unsigned long long>(a),
                 static_cast<unsigned long long>(b));
    std::abort();
}

void read_as(const std::string& bytes, const char* name, std::size_t max_record_bytes) {
    std::istringstream in(bytes);
    std::ostringstream rejects_file;
    patuh::rejects_writer rejects(rejects_file);
    patuh::input_settings settings;
    settings.limits.keep_records = true;
    settings.limits.max_record_bytes = max_record_bytes;
    settings.rejects = &rejects;
    std::uint64_t events = 0, rejections = 0, with_text = 0;
    const patuh::read_counts counts = patuh::read_input(
        in, name, bytes.size(), shipped_rules(),
        [&](const patuh::event& e) {
            ++events;
            if (e.line < 1) fail("event with line 0", events, 0);
        },
        [&](patuh::rejection&& r) {
            ++rejections;
            if (r.line < 1 || r.code.empty()) fail("rejection without a line or a code", r.line, rejections);
            if (r.raw.size() > 4096) fail("raw text over 4 KiB", r.raw.size(), 4096);
            if (!r.record.empty()) ++with_text;
            rejects.write(r);
        },
        settings);
    if (counts.read != counts.accepted + counts.rejected) fail("read != accepted + rejected", counts.read, counts.rejected);
    if (counts.accepted != events || counts.rejected != rejections) fail("counts differ from callbacks", events, rejections);
    if (rejects.error()) fail("the rejects file refused a record", rejections, 0);
    if (rejects.written() != with_text) fail("rejected records missing from the rejects file", rejects.written(), with_text);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    read_as(bytes, "fuzz.csv", 4096);
    read_as(bytes, "fuzz.csv", 40);  // rows over the limit, in pieces: the rest of the file is still read
    read_as(bytes, "fuzz.jsonl.gz", 4096);
    return 0;
}

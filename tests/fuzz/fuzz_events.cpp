// libFuzzer target: the bytes are an event file (JSON Lines or a JSON array),
// read against the shipped rules with automatic detection and as a JSON array.
// Checks that the counts add up and that every rejection has a line and a code.
// Every rejection, and the bytes as one rejected record, also go to `patuh
// explain`'s search for a rejected record by its id (a JSON reader of its own).

#include "fuzz_common.hpp"

#include <patuh/event.hpp>
#include <patuh/explain.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

using patuh::fuzz::shipped_rules;

void read_as(const std::string& text, patuh::input_format format) {
    std::istringstream in(text);
    std::uint64_t events = 0, rejections = 0;
    patuh::explainer explain(shipped_rules(), "EV-1");
    auto counts = patuh::read_events(
        in, "fuzz.jsonl", shipped_rules(),
        [&](const patuh::event& e) {
            ++events;
            if (e.line < 1) std::abort();
        },
        [&](patuh::rejection&& r) {
            ++rejections;
            if (r.line < 1) {
                std::fprintf(stderr, "fuzz_events: rejection %s with line 0\n", r.code.c_str());
                std::abort();
            }
            if (r.code.empty()) {
                std::fprintf(stderr, "fuzz_events: rejection on line %llu without a code\n",
                             static_cast<unsigned long long>(r.line));
                std::abort();
            }
            explain.add_rejected(patuh::rejection(r));
        },
        format);
    if (counts.read != counts.accepted + counts.rejected) {
        std::fprintf(stderr, "fuzz_events: read %llu != accepted %llu + rejected %llu\n",
                     static_cast<unsigned long long>(counts.read), static_cast<unsigned long long>(counts.accepted),
                     static_cast<unsigned long long>(counts.rejected));
        std::abort();
    }
    if (counts.accepted != events || counts.rejected != rejections) {
        std::fprintf(stderr, "fuzz_events: counts (%llu accepted, %llu rejected) differ from callbacks (%llu, %llu)\n",
                     static_cast<unsigned long long>(counts.accepted), static_cast<unsigned long long>(counts.rejected),
                     static_cast<unsigned long long>(events), static_cast<unsigned long long>(rejections));
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    read_as(text, patuh::input_format::automatic);
    read_as(text, patuh::input_format::json);
    patuh::explainer explain(shipped_rules(), "EV-1");
    patuh::rejection whole;
    whole.raw = text;
    explain.add_rejected(std::move(whole));
    return 0;
}

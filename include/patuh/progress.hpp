#pragma once
// A progress line on stderr while a large input is read: records read,
// records per second, the share of the input's bytes done and the time left
// (when its size is known). Redrawn a few times a second at most, erased at
// the end; nothing at all when it is not enabled (stderr not a terminal).

#include <patuh/i18n.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace patuh {

struct progress_sample {
    std::string_view input;                  // the input being read
    std::uint64_t records = 0;               // read so far, all inputs
    double seconds = 0;                      // since reading began
    std::uint64_t bytes = 0;                 // of this input done (compressed bytes for gzip)
    std::optional<std::uint64_t> total;      // this input's size, when known
    double input_seconds = 0;                // since this input began
};

// "patuh: 1.234.567 rekaman, 410.522/dtk, 37% dari events.jsonl.gz, sisa 1:20" /
// "patuh: 1,234,567 records, 410,522/s, 37% of events.jsonl.gz, 1:20 left".
std::string format_progress(const progress_sample& s, lang l);

// Whether to show progress on a file descriptor: `forced` decides when given
// (--progress, --no-progress), otherwise whether it is a terminal.
bool progress_wanted(int fd, std::optional<bool> forced);

class progress_meter {
public:
    // Writes to `out` only when `enabled`.
    progress_meter(std::FILE* out, bool enabled, lang l);
    progress_meter(const progress_meter&) = delete;
    progress_meter& operator=(const progress_meter&) = delete;
    ~progress_meter();

    bool enabled() const { return enabled_; }
    // A new input; `bytes_done` tells how much of it was consumed so far.
    void start(std::string_view input, std::optional<std::uint64_t> total, std::function<std::uint64_t()> bytes_done);
    // A second pass over `total` records already counted (the events that
    // --sort judges after reading them all): the count, the rate and the
    // share start again from zero, the share of `label`.
    void restart(std::string_view label, std::uint64_t total);
    // One record read; looks at the clock every 1024 records.
    void record() {
        if ((++records_ & 1023U) == 0) poll();
    }
    // Said after each input's name from now on: which pass of a command that
    // reads its inputs more than once (" (draft)").
    void note(std::string text) { note_ = std::move(text); }
    // Erases the line (also done by the destructor).
    void finish();

private:
    using clock = std::chrono::steady_clock;
    void poll();

    std::FILE* out_;
    bool enabled_;
    lang lang_;
    std::string input_;
    std::string note_;
    std::optional<std::uint64_t> total_;
    std::function<std::uint64_t()> bytes_done_;
    std::uint64_t records_ = 0;
    clock::time_point began_ = clock::now();
    clock::time_point input_began_ = began_;
    clock::time_point drawn_ = began_;
    bool shown_ = false;
};

}  // namespace patuh

// The progress line of a long read.

#include <patuh/progress.hpp>

#include <fmt/core.h>

#include <unistd.h>

namespace patuh {

namespace {

constexpr auto redraw_every = std::chrono::milliseconds(250);
constexpr auto first_after = std::chrono::milliseconds(500);  // short reads show nothing

// 1234567 as "1,234,567" (English) or "1.234.567" (Indonesian).
std::string grouped(std::uint64_t n, lang l) {
    std::string digits = fmt::format("{}", n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += l == lang::id ? '.' : ',';
        out += digits[i];
    }
    return out;
}

// Seconds as "m:ss" or "h:mm:ss".
std::string duration(std::uint64_t seconds) {
    if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
    return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

}  // namespace

std::string format_progress(const progress_sample& s, lang l) {
    std::string out = trf(l, "patuh: {} rekaman", "patuh: {} {}", grouped(s.records, l),
                          plural(s.records, "record", "records"));
    if (s.seconds > 0)
        out += trf(l, ", {}/dtk", ", {}/s", grouped(static_cast<std::uint64_t>(static_cast<double>(s.records) / s.seconds), l));
    if (!s.total || *s.total == 0) return out + fmt::format(", {}", s.input);
    const std::uint64_t done = std::min(s.bytes, *s.total);
    out += trf(l, ", {}% dari {}", ", {}% of {}", done * 100 / *s.total, s.input);
    if (done > 0 && s.input_seconds > 0) {
        const double left = static_cast<double>(*s.total - done) * s.input_seconds / static_cast<double>(done);
        out += trf(l, ", sisa {}", ", {} left", duration(static_cast<std::uint64_t>(left + 0.5)));
    }
    return out;
}

bool progress_wanted(int fd, std::optional<bool> forced) {
    if (forced) return *forced;
    return isatty(fd) == 1;
}

progress_meter::progress_meter(std::FILE* out, bool enabled, lang l) : out_(out), enabled_(enabled), lang_(l) {}

progress_meter::~progress_meter() { finish(); }

void progress_meter::start(std::string_view input, std::optional<std::uint64_t> total,
                           std::function<std::uint64_t()> bytes_done) {
    input_ = std::string(input);
    total_ = total;
    bytes_done_ = std::move(bytes_done);
    input_began_ = clock::now();
}

void progress_meter::restart(std::string_view label, std::uint64_t total) {
    records_ = 0;
    began_ = clock::now();
    start(label, total, [this] { return records_; });
}

void progress_meter::poll() {
    if (!enabled_) return;
    const clock::time_point now = clock::now();
    if (now - (shown_ ? drawn_ : began_) < (shown_ ? redraw_every : first_after)) return;
    progress_sample s;
    const std::string input = input_ + note_;
    s.input = input;
    s.records = records_;
    s.seconds = std::chrono::duration<double>(now - began_).count();
    s.bytes = bytes_done_ ? bytes_done_() : 0;
    s.total = total_;
    s.input_seconds = std::chrono::duration<double>(now - input_began_).count();
    fmt::print(out_, "\r{}\x1b[K", format_progress(s, lang_));
    std::fflush(out_);
    drawn_ = now;
    shown_ = true;
}

void progress_meter::finish() {
    if (!shown_) return;
    fmt::print(out_, "\r\x1b[K");
    std::fflush(out_);
    shown_ = false;
}

}  // namespace patuh

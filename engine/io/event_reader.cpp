// Event records (schema patuh-event/1, docs/events.md): streaming readers for
// JSON Lines and JSON arrays, each record checked by the record rules
// (record_rules.hpp). A bad record becomes a rejection with its line and
// reason; reading goes on.

#include "common/cpus.hpp"
#include "common/support.hpp"
#include "io/pipelined_reader.hpp"
#include "io/record_rules.hpp"

#include <patuh/event.hpp>

#include <nlohmann/json.hpp>

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <streambuf>
#include <string>
#include <thread>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include <utility>
#include <vector>

namespace patuh {

namespace {

using json = nlohmann::json;

using record_text::blank;
using record_text::both;
using record_text::empty;
using record_text::same_text;

constexpr std::size_t raw_limit = rejection_raw_limit;  // rejection::raw

bool is_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Follows JSON text byte by byte: whether a byte belongs to a string
// (quotes included), so that brackets inside strings are not counted.
struct string_tracker {
    bool in_string = false;
    bool escaped = false;
    bool inside(char c) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            return true;
        }
        if (c == '"') in_string = true;
        return in_string;
    }
};

// Nesting depth of JSON text (brackets outside strings).
std::size_t depth_of(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    string_tracker strings;
    for (const char c : text) {
        if (strings.inside(c)) continue;
        if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

// Bytes of a stream through a buffer of our own, with a few bytes of push-back
// (for a byte-order mark that turns out not to be one). Counts lines.
class byte_input {
public:
    static constexpr int end = -1;

    // The buffer has SIMDJSON_PADDING bytes (zeros) beyond its size, so that a
    // line inside it can be parsed in place.
    explicit byte_input(std::istream& in)
        : in_(in), buffer_(std::make_unique<char[]>(size + simdjson::SIMDJSON_PADDING)), done_(in.fail()) {}

    int peek() {
        if (!pushed_.empty()) return static_cast<unsigned char>(pushed_.back());
        if (pos_ == end_ && !fill()) return end;
        return static_cast<unsigned char>(buffer_[pos_]);
    }
    int get() {
        int c;
        if (!pushed_.empty()) {
            c = static_cast<unsigned char>(pushed_.back());
            pushed_.pop_back();
        } else {
            if (pos_ == end_ && !fill()) return end;
            c = static_cast<unsigned char>(buffer_[pos_++]);
        }
        if (c == '\n') ++line;
        return c;
    }
    void unget_byte(char c) {  // not a newline
        pushed_.push_back(c);
    }
    // Appends bytes up to (not including) the next '\n' to `out`, at most
    // `limit` of them, drops the rest of the line; consumes the '\n'.
    // Returns false when the input ended before a '\n'. `cut` tells whether
    // bytes were dropped, `cut_text` whether any of them was not blank.
    bool line_into(std::string& out, std::size_t limit, bool& cut, bool& cut_text) {
        cut = false;
        cut_text = false;
        const std::size_t start = out.size();
        while (!pushed_.empty()) {
            const int c = get();
            if (c == '\n') return true;
            if (out.size() - start < limit) {
                out.push_back(static_cast<char>(c));
            } else {
                cut = true;
                cut_text = cut_text || !is_blank(c);
            }
        }
        while (true) {
            if (pos_ == end_ && !fill()) return false;
            const char* from = buffer_.get() + pos_;
            const std::size_t available = end_ - pos_;
            const void* newline = std::memchr(from, '\n', available);
            const std::size_t n = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - from)
                                          : available;
            const std::size_t kept = out.size() - start;
            const std::size_t room = kept < limit ? limit - kept : 0;
            out.append(from, std::min(n, room));
            if (n > room) {
                cut = true;
                cut_text = cut_text || !std::all_of(from + room, from + n, [](char c) { return is_blank(c); });
            }
            pos_ += n;
            if (newline) {
                ++pos_;
                ++line;
                return true;
            }
        }
    }
    // The next line without its line end ('\n' or "\r\n"), as a view into
    // the buffer, when the whole line is already there and holds at most
    // `limit` bytes; the view stays valid until the next read, and
    // SIMDJSON_PADDING bytes after it may be read. Nothing (and nothing
    // consumed) otherwise.
    std::optional<std::string_view> line_in_buffer(std::size_t limit) {
        if (!pushed_.empty() || pos_ == end_) return std::nullopt;
        const char* from = buffer_.get() + pos_;
        const void* newline = std::memchr(from, '\n', end_ - pos_);
        if (newline == nullptr) return std::nullopt;
        const auto n = static_cast<std::size_t>(static_cast<const char*>(newline) - from);
        const std::size_t size = n > 0 && from[n - 1] == '\r' ? n - 1 : n;
        if (size > limit) return std::nullopt;
        pos_ += n + 1;
        ++line;
        return std::string_view(from, size);
    }
    // Whether the bytes from the next one, a '[', look like the start of a
    // JSON array of records rather than a line of JSON Lines that starts with
    // '[' (a malformed record): after it, past blanks, comes '{' or ']', and
    // the first line is not a whole value with more text on the lines after
    // it. Only the bytes already in the buffer are looked at (64 KiB from the
    // first, or the whole input when it is shorter); what they do not decide
    // is an array.
    bool array_ahead() const {
        if (!pushed_.empty() || pos_ == end_ || buffer_[pos_] != '[') return false;
        const std::string_view ahead(buffer_.get() + pos_, end_ - pos_);
        const std::size_t next = ahead.find_first_not_of(" \t\r\n", 1);
        if (next != std::string_view::npos && ahead[next] != '{' && ahead[next] != ']') return false;
        // Where the first value ends: its brackets balanced, outside strings.
        std::size_t depth = 0;
        string_tracker strings;
        std::size_t i = 0;
        for (; i < ahead.size() && ahead[i] != '\n'; ++i) {
            const char c = ahead[i];
            if (strings.inside(c)) continue;
            if (c == '{' || c == '[') ++depth;
            else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) break;
        }
        // The array goes on after its first line (or its brackets do not match: an array the reader reports).
        if (i == ahead.size() || ahead[i] != ']') return true;
        const std::size_t line_end = ahead.find('\n', i);
        if (line_end == std::string_view::npos) return true;
        // More text on the lines after the first: JSON Lines.
        return ahead.find_first_not_of(" \t\r\n", line_end) == std::string_view::npos;
    }

    // The rest of the current line (at most `limit` bytes kept), for a rejection's raw text.
    std::string rest_of_line(std::size_t limit) {
        std::string out;
        bool cut = false;
        bool cut_text = false;
        line_into(out, limit, cut, cut_text);
        return out;
    }

    std::uint64_t line = 1;  // of the next byte

private:
    static constexpr std::size_t size = 1 << 16;
    bool fill() {
        std::streambuf* buf = in_.rdbuf();
        if (done_ || buf == nullptr) return false;
        const std::streamsize n = buf->sgetn(buffer_.get(), static_cast<std::streamsize>(size));
        if (n <= 0) {
            done_ = true;
            in_.setstate(std::ios::eofbit);
            return false;
        }
        pos_ = 0;
        end_ = static_cast<std::size_t>(n);
        return true;
    }

    std::istream& in_;
    std::unique_ptr<char[]> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool done_ = false;
    std::string pushed_;  // read back to front
};

// Where and why nlohmann's parser refuses a text, found without an exception
// thrown: `byte` is 1-based (past the end when the text ended too soon),
// `what` the parser's own message, `id` its error number (406: a number
// beyond the range of a double).
struct syntax_error {
    std::size_t byte = 0;
    std::string what;
    int id = 0;
};

// The first syntax error in a record, or nothing when it is JSON. No value
// is built: finding the error costs half of parsing a record for its value.
std::optional<syntax_error> find_syntax_error(std::string_view text) {
    struct finder : nlohmann::json_sax<json> {
        std::optional<syntax_error> found;
        bool null() override { return true; }
        bool boolean(bool) override { return true; }
        bool number_integer(number_integer_t) override { return true; }
        bool number_unsigned(number_unsigned_t) override { return true; }
        bool number_float(number_float_t, const string_t&) override { return true; }
        bool string(string_t&) override { return true; }
        bool binary(binary_t&) override { return true; }
        bool start_object(std::size_t) override { return true; }
        bool key(string_t&) override { return true; }
        bool end_object() override { return true; }
        bool start_array(std::size_t) override { return true; }
        bool end_array() override { return true; }
        bool parse_error(std::size_t position, const std::string&, const json::exception& error) override {
            found = syntax_error{position, error.what(), error.id};
            return false;
        }
    } sax;
    json::sax_parse(text, &sax);
    return std::move(sax.found);
}

// What is wrong with a record that is not JSON, from the parser's error: a
// person mending the file learns what to change, not only where.
bilingual json_syntax_reason(std::string_view text, const syntax_error& error) {
    const std::string_view what = error.what;
    const auto says = [&](std::string_view part) { return what.find(part) != std::string_view::npos; };
    const std::size_t at = error.byte;
    if (error.id == 406)  // out_of_range: a number beyond the range of a double, e.g. 1E400
        return both("JSON tidak sah: ada angka yang terlalu besar", "malformed JSON: a number is too large");
    const char here = at >= 1 && at <= text.size() ? text[at - 1] : '\0';
    const auto malformed = [&](std::string_view id, std::string_view en) {
        return both("JSON tidak sah: {0} (sekitar bita ke-{2} rekaman)",
                    "malformed JSON: {1} (near byte {2} of the record)", id, en, at);
    };
    // What the parser says, and what to mend, in this order: "unexpected end
    // of input" before "; expected end of input", a lexer's own error before
    // the single quote it may have met.
    struct cause {
        std::string_view says, id, en;
    };
    static constexpr std::array<cause, 8> lexer_causes{{
        {"UTF-8", "UTF-8 rusak", "invalid UTF-8"},
        {"missing closing quote", "sebuah teks tidak ditutup dengan tanda petik (\")",
         "a string is not closed with a quote (\")"},
        {"unexpected end of input", "rekaman berakhir sebelum lengkap; '}' atau ']' penutup hilang",
         "the record ends before it is complete; a closing '}' or ']' is missing"},
        {"; expected end of input", "ada teks setelah akhir JSON rekaman; satu rekaman per baris",
         "text follows the end of the record's JSON; one record per line"},
        {"control character", "tab atau pindah baris di dalam teks harus ditulis \\t atau \\n",
         "a tab or line break inside a string must be written \\t or \\n"},
        {"after backslash", "garis miring terbalik di dalam teks ditulis \\\\",
         "a backslash inside a string is written \\\\"},
        {"surrogate", "escape \\u menyebut separuh karakter (surrogate tanpa pasangan)",
         "a \\u escape names half a character (an unpaired surrogate)"},
        {"invalid number", "angka tidak sah", "a malformed number"},
    }};
    static constexpr std::array<cause, 4> syntax_causes{{
        {"invalid literal", "kata tidak dikenal; nilai JSON berupa \"teks\", angka, true, false atau null",
         "an unknown word; JSON values are \"strings\", numbers, true, false or null"},
        {"; expected ':'", "':' hilang setelah nama kolom", "a ':' is missing after a field name"},
        {"; expected '}'", "',' di antara kolom atau '}' penutup hilang",
         "a ',' between fields or the closing '}' is missing"},
        {"; expected ']'", "',' di antara elemen atau ']' penutup hilang",
         "a ',' between elements or the closing ']' is missing"},
    }};
    for (const cause& c : lexer_causes)
        if (says(c.says)) return malformed(c.id, c.en);
    if (here == '\'')
        return malformed("nama dan teks ditulis dengan tanda petik ganda (\"), bukan tunggal",
                         "names and strings are written in double quotes (\"), not single ones");
    if (says("; expected string literal"))
        return here == '}' ? malformed("ada koma sebelum '}'", "a comma before '}'")
                           : malformed("nama kolom harus teks dalam tanda petik ganda",
                                       "a field name must be a string in double quotes");
    for (const cause& c : syntax_causes)
        if (says(c.says)) return malformed(c.id, c.en);
    return both("JSON tidak sah (sekitar bita ke-{} rekaman)", "malformed JSON (near byte {} of the record)", at);
}

// Turns one record's text into an event or a rejection. Text is parsed with
// simdjson; text that simdjson refuses (malformed, or nesting near the depth
// limit) is parsed again with nlohmann, whose errors give the byte where the
// text goes wrong. Both values go through the same record rules
// (decode_record). The event is the caller's, reused from record to record.
class record_decoder {
public:
    record_decoder(std::string_view source, const rule_set& rules, const reader_limits& limits)
        : source_(source), words_(rules), limits_(limits) {
        // simdjson refuses any document deeper than max_depth (and some as deep
        // as it): what it accepts is within the limit. Below 2 it may accept
        // an empty object or array that is already too deep, so it is not used.
        // The parser grows with the longest record it meets.
        fast_ = limits.max_depth >= 2 && !parser_.allocate(1 << 12, limits.max_depth);
    }

    rejection reject(std::uint64_t line, const char* code, std::string_view raw, bilingual reason,
                     std::string field = {}) const {
        rejection r;
        r.source = std::string(source_);
        r.line = line;
        r.code = code;
        r.field = std::move(field);
        r.reason = std::move(reason);
        r.raw = clip(raw, raw_limit);
        if (limits_.keep_records) r.record = std::string(raw);
        return r;
    }

    rejection too_long(std::uint64_t line, std::string_view raw) const {
        return reject(line, "R0103", raw,
                      both("rekaman lebih panjang dari {} bita", "the record is longer than {} {}",
                           limits_.max_record_bytes, plural(limits_.max_record_bytes, "byte", "bytes")));
    }

    rejection too_deep(std::uint64_t line, std::string_view raw) const {
        return reject(line, "R0103", raw,
                      both("rekaman bersarang lebih dalam dari {} tingkat", "the record nests deeper than {} {}",
                           limits_.max_depth, plural(limits_.max_depth, "level", "levels")));
    }

    // One complete record text into `e` (true) or `r` (false); `padded`: the
    // SIMDJSON_PADDING bytes after `text` may be read.
    bool record(std::uint64_t line, std::string_view text, bool padded, event& e, rejection& r) {
        if (fast_) {
            const auto parsed = parser_.parse(text.data(), text.size(), !padded);
            if (!parsed.error())
                return finish(line, text, parsed.value_unsafe(), e, r);
        }
        return checked_record(line, text, e, r);
    }

private:
    std::string_view source_;
    record_vocabulary words_;
    const reader_limits& limits_;
    simdjson::dom::parser parser_;
    bool fast_ = false;
    rejection why_;

    // The parsed record through the record rules: into `e` (true) or `r` (false).
    template <typename V>
    bool finish(std::uint64_t line, std::string_view text, const V& value, event& e, rejection& r) {
        if (!decode_record(value, words_, e, why_)) {
            r = reject(line, why_.code.c_str(), text, std::move(why_.reason), std::move(why_.field));
            rejected_record_id(value, r.id);
            return false;
        }
        e.line = line;
        if (!same_text(e.source, source_)) e.source.assign(source_);
        if (limits_.keep_records) {
            empty(e.record, 4096);
            e.record.assign(text);
        }
        return true;
    }

    // The record through nlohmann, with the depth counted first.
    bool checked_record(std::uint64_t line, std::string_view text, event& e, rejection& r) {
        if (depth_of(text) > limits_.max_depth) {
            r = too_deep(line, text);
            return false;
        }
        // nlohmann takes a NUL byte for the end of the text: what follows it
        // would go unread. A NUL byte is never JSON (in a string it is written \u0000).
        if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
            r = reject(line, "R0101", text,
                       both("JSON tidak sah: bita NUL (bita ke-{} rekaman)",
                            "malformed JSON: a NUL byte (byte {} of the record)", nul + 1));
            return false;
        }
        // The syntax first, without building a value, and without exceptions:
        // a log of many malformed lines would spend most of its time
        // unwinding them. The value is parsed by the same parser, which then
        // finds no error.
        if (const std::optional<syntax_error> error = find_syntax_error(text)) {
            r = reject(line, "R0101", text, json_syntax_reason(text, *error));
            return false;
        }
        const json value = json::parse(text, nullptr, false);
        return finish(line, text, value, e, r);
    }
};

// JSON Lines records cut from the input: each record's text, line, and whether
// it was longer than the limit (then `text` holds its first bytes).
struct line_record {
    std::uint64_t line = 0;
    std::size_t offset = 0;
    std::size_t size = 0;
    bool cut = false;
};

// Reads the next JSON Lines record from `in`, skipping blank lines, and
// appends its text to `out`: the record is what follows out's size on entry,
// without its line end ('\n' or "\r\n"). Returns false at the end of the
// input (then `out` is as it was). The text is the record's first `max_bytes`
// bytes when `cut` (it is longer), unless `keep_whole`: then all of it, for
// the rejects file. A line of blanks is blank however long it is.
bool next_line_record(byte_input& in, std::size_t max_bytes, bool keep_whole, std::string& out, std::uint64_t& line,
                      bool& cut) {
    const std::size_t from = out.size();
    const auto text = [&] { return std::string_view(out).substr(from); };
    // One byte more than the limit is kept: it may be the CR of the line end.
    const std::size_t kept = keep_whole || max_bytes >= std::string::npos - 1 ? std::string::npos : max_bytes + 1;
    while (true) {
        out.resize(from);
        line = in.line;
        bool cut_text = false;
        const bool newline = in.line_into(out, kept, cut, cut_text);
        if (!newline && text().empty() && !cut) return false;
        if (!cut && !text().empty() && out.back() == '\r') out.pop_back();
        if (!blank(text()) || cut_text) {
            cut = cut || text().size() > max_bytes;
            if (cut && !keep_whole) out.resize(from + max_bytes);
            return true;
        }
        if (!newline) {
            out.resize(from);
            return false;
        }
    }
}

// A stretch of JSON Lines records, decoded by a worker thread and delivered
// in input order. Batches are used again once delivered, their events with
// them, so that decoding fills strings that already have room.
struct record_batch {
    static constexpr std::size_t max_records = 128;
    static constexpr std::size_t max_bytes = 1 << 18;
    std::string bytes;  // the records' texts one after another, then SIMDJSON_PADDING bytes
    std::vector<line_record> records;
    std::vector<event> events;          // events[i]: record i's event, when accepted[i]
    std::vector<bool> accepted;
    std::vector<rejection> rejections;  // of the records not accepted, in input order
    bool claimed = false;  // a thread decodes it, or has
    bool decoded = false;
    std::exception_ptr failure;

    // Empty again for the next stretch; events keep their buffers.
    void clear() {
        empty(bytes, 2 * max_bytes);
        records.clear();
        accepted.clear();
        rejections.clear();
        claimed = false;
        decoded = false;
        failure = nullptr;
    }
};

// An event decoded on another thread, and soon judged on this one, is in the
// other core's cache: the event itself some records ahead (fetch_event), then
// the texts each change reads, one line each, through the pointers fetched
// so (fetch_texts). (Inlined always: GCC 12 at -O3 can drop the calls of a
// function whose only effect is to prefetch.)
constexpr std::size_t event_ahead = 8;
constexpr std::size_t texts_ahead = 4;
[[gnu::always_inline]] inline void fetch_event(const event& e) {
    for (std::size_t at = 0; at < sizeof e; at += 64) __builtin_prefetch(reinterpret_cast<const char*>(&e) + at);
}
[[gnu::always_inline]] inline void fetch_texts(const event& e) {
    __builtin_prefetch(e.position.data());
    __builtin_prefetch(e.who.nip.data());
    __builtin_prefetch(e.who.name.data());
    __builtin_prefetch(e.approvals.data());
    __builtin_prefetch(e.regional_decree.number.data());
}

// JSON Lines decoded on several threads. Each of `workers` threads in turn
// takes the input and cuts batches of records from it, keeping a couple cut
// ahead, and decodes the oldest batch nobody decodes yet; the calling thread
// delivers the outcomes, batch after batch in input order, so the sinks see
// exactly the sequence a single thread would give them, and while the next
// batch to deliver is not decoded, it decodes a waiting batch itself. With
// one worker, the reading and about half the decoding run on one core, and
// the delivering (judging, in an audit) and the rest on the caller's.
class parallel_lines {
public:
    parallel_lines(byte_input& in, std::string_view source, const rule_set& rules, const reader_limits& limits,
                   unsigned workers)
        : in_(in), source_(source), rules_(rules), limits_(limits), workers_(std::max(1u, workers)),
          spin_(workers_ + 1 <= usable_cpus()) {}

    // deliver(const event&) for an accepted record, deliver(rejection&&) for a rejected one.
    template <typename Deliver>
    void run(Deliver deliver) {
        struct joiner {
            parallel_lines& p;
            ~joiner() {
                {
                    const std::lock_guard<std::mutex> lock(p.mutex_);
                    p.stop_ = true;
                }
                p.signal();
                for (std::thread& t : p.threads_)
                    if (t.joinable()) t.join();
            }
        } join_all{*this};
        for (unsigned i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
        while (std::unique_ptr<record_batch> next = next_decoded()) {
            if (next->failure) std::rethrow_exception(next->failure);
            auto rejected = next->rejections.begin();
            const std::size_t n = next->records.size();
            for (std::size_t i = 0; i < n; ++i) {
                if (i + event_ahead < n) fetch_event(next->events[i + event_ahead]);
                if (i + texts_ahead < n) fetch_texts(next->events[i + texts_ahead]);
                if (next->accepted[i]) deliver(std::as_const(next->events[i]));
                else deliver(std::move(*rejected++));
            }
            next->clear();
            const std::lock_guard<std::mutex> lock(mutex_);
            spare_.push_back(std::move(next));
        }
        if (input_failure_) std::rethrow_exception(input_failure_);
    }

private:
    byte_input& in_;
    std::string_view source_;
    const rule_set& rules_;
    const reader_limits& limits_;
    unsigned workers_;
    // Waits spin only while every thread has a processor of its own (else the
    // spinning would take the time of the thread waited for).
    bool spin_;
    std::vector<std::thread> threads_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::atomic<std::uint64_t> changes_{0};  // counts signal(): what a spinning waiter watches
    std::deque<std::unique_ptr<record_batch>> ordered_;  // cut, in input order, for delivery
    std::size_t unclaimed_ = 0;                          // batches of ordered_ nobody decodes yet
    std::vector<std::unique_ptr<record_batch>> spare_;   // delivered, to be filled again
    bool reading_ = false;     // a worker is cutting a batch from the input
    bool input_done_ = false;  // the input is read to its end (or failed)
    bool stop_ = false;
    std::exception_ptr input_failure_;
    std::unique_ptr<record_decoder> own_;  // the caller's, see next_decoded()
    rejection own_why_;

    // Batches cut and not yet delivered: four per decoding thread, being decoded or
    // ready, while the caller delivers the one it took. With one batch per
    // worker, a batch slower than usual on either side left the other side
    // waiting (the caller waited about a tenth of its time at 1 M events);
    // four absorb that. Memory stays bounded (a batch holds 128 records).
    std::size_t in_flight_limit() const { return static_cast<std::size_t>(workers_ + 1) * 4; }
    // Batches a worker keeps cut ahead, for the caller to decode.
    static constexpr std::size_t cut_ahead = 2;

    // After a change of the shared state, made under the mutex: wakes the
    // threads that wait for one.
    void signal() {
        changes_.fetch_add(1, std::memory_order_release);
        changed_.notify_all();
    }

    // Waits, holding `lock`, until ready() holds. A batch takes about as long
    // to decode as to deliver, so the other side is usually close: the wait
    // first watches for a signal() for some microseconds, and only then
    // sleeps (two system calls and a switch of threads per wait otherwise);
    // with more threads than processors, it sleeps at once.
    template <typename Ready>
    void await(std::unique_lock<std::mutex>& lock, Ready ready) {
        const int rounds = spin_ ? 8 : 0;
        constexpr int pauses = 256;
        for (int round = 0; round < rounds && !ready(); ++round) {
            const std::uint64_t seen = changes_.load(std::memory_order_acquire);
            lock.unlock();
            for (int i = 0; i < pauses && changes_.load(std::memory_order_acquire) == seen; ++i) pause();
            lock.lock();
        }
        changed_.wait(lock, ready);
    }

    static void pause() {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#else
        std::this_thread::yield();
#endif
    }

    // The next batch in input order once decoded; nothing after the last.
    // While that batch is still being decoded, the caller decodes a batch
    // nobody decodes yet: decoding costs more than judging, so a caller that
    // only waited would idle for much of its time.
    std::unique_ptr<record_batch> next_decoded() {
        std::unique_lock<std::mutex> lock(mutex_);
        const auto front_ready = [&] {
            return (!ordered_.empty() && ordered_.front()->decoded) || (ordered_.empty() && input_done_);
        };
        while (!front_ready()) {
            if (record_batch* b = claim()) {
                lock.unlock();
                decode_and_mark(*b, own_decoder(), own_why_);
                lock.lock();
            } else {
                await(lock, [&] { return front_ready() || unclaimed_ > 0; });
            }
        }
        if (ordered_.empty()) return nullptr;
        std::unique_ptr<record_batch> b = std::move(ordered_.front());
        ordered_.pop_front();
        lock.unlock();
        signal();
        return b;
    }

    // A worker thread: cuts batches, keeping `cut_ahead` of them waiting,
    // and decodes the oldest waiting one, until the input ends and every
    // batch is decoded.
    void work() {
        record_decoder decoder(source_, rules_, limits_);
        rejection why;
        std::unique_lock<std::mutex> lock(mutex_);
        const auto cut_more = [&] { return may_cut() && unclaimed_ < cut_ahead; };
        while (true) {
            await(lock, [&] { return stop_ || cut_more() || unclaimed_ > 0 || input_done_; });
            if (stop_) return;
            if (cut_more()) {
                cut_taken(take_input(lock));
                lock.lock();
            } else if (record_batch* b = claim()) {
                lock.unlock();
                decode_and_mark(*b, decoder, why);
                lock.lock();
            } else if (input_done_) {
                return;
            }
        }
    }

    // The oldest batch cut that nobody decodes, now claimed; nullptr when
    // there is none (under the mutex).
    record_batch* claim() {
        if (unclaimed_ == 0) return nullptr;
        for (const std::unique_ptr<record_batch>& b : ordered_) {
            if (!b->claimed) {
                b->claimed = true;
                --unclaimed_;
                return b.get();
            }
        }
        return nullptr;
    }

    void decode_and_mark(record_batch& b, record_decoder& decoder, rejection& why) {
        try {
            decode(b, decoder, why);
        } catch (...) {
            b.failure = std::current_exception();
        }
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            b.decoded = true;
        }
        signal();
    }

    // The caller's decoder, made when the caller first decodes a batch.
    record_decoder& own_decoder() {
        if (!own_) own_ = std::make_unique<record_decoder>(source_, rules_, limits_);
        return *own_;
    }

    // Whether a thread may take the input to cut a batch (under the mutex).
    bool may_cut() const { return !stop_ && !input_done_ && !reading_ && ordered_.size() < in_flight_limit(); }

    // Marks the input as taken (may_cut() holds, `lock` is held, and is
    // released) and returns a batch to fill.
    std::unique_ptr<record_batch> take_input(std::unique_lock<std::mutex>& lock) {
        std::unique_ptr<record_batch> b;
        reading_ = true;
        if (!spare_.empty()) {
            b = std::move(spare_.back());
            spare_.pop_back();
        }
        lock.unlock();
        return b;
    }

    // Cuts the next batch into `b` (made when null), with the input taken,
    // and queues it in input order, unless the input had no more records.
    void cut_taken(std::unique_ptr<record_batch> b) {
        if (!b) b = std::make_unique<record_batch>();
        bool more = false;
        std::exception_ptr failure;
        try {
            more = cut(*b);
        } catch (...) {
            failure = std::current_exception();
        }
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            reading_ = false;
            input_done_ = !more || failure;
            if (failure) input_failure_ = failure;
            if (!failure && !b->records.empty()) {
                ordered_.push_back(std::move(b));
                ++unclaimed_;
            } else {
                b->clear();
                spare_.push_back(std::move(b));
            }
        }
        signal();
    }

    // Fills a batch with the next records; false when the input ended.
    bool cut(record_batch& b) {
        std::uint64_t line = 0;
        bool cut_off = false;
        bool more = true;
        while (b.records.size() < record_batch::max_records && b.bytes.size() < record_batch::max_bytes) {
            const std::size_t offset = b.bytes.size();
            more = next_line_record(in_, limits_.max_record_bytes, limits_.keep_records, b.bytes, line, cut_off);
            if (!more) break;
            b.records.push_back({line, offset, b.bytes.size() - offset, cut_off});
        }
        b.bytes.append(simdjson::SIMDJSON_PADDING, ' ');
        return more;
    }

    // Decodes a batch's records: events[i] or the next rejection for each.
    static void decode(record_batch& b, record_decoder& decoder, rejection& why) {
        if (b.events.size() < b.records.size()) b.events.resize(b.records.size());
        for (std::size_t i = 0; i < b.records.size(); ++i) {
            const line_record& r = b.records[i];
            const std::string_view text(b.bytes.data() + r.offset, r.size);
            const bool accepted = !r.cut && decoder.record(r.line, text, true, b.events[i], why);
            b.accepted.push_back(accepted);
            if (!accepted) b.rejections.push_back(r.cut ? decoder.too_long(r.line, text) : std::move(why));
        }
    }
};

// Turns record texts into events or rejections, and counts them.
class record_reader {
public:
    record_reader(byte_input& in, std::string_view source, const rule_set& rules, const event_sink& on_event,
                  const rejection_sink& on_reject, const reader_limits& limits)
        : in_(in), source_(source), rules_(rules), on_event_(on_event), on_reject_(on_reject), limits_(limits),
          decoder_(source, rules, limits) {}

    read_counts counts;

    void deliver(const event& e) {
        ++counts.read;
        ++counts.accepted;
        on_event_(e);
    }

    void deliver(rejection&& r) {
        ++counts.read;
        ++counts.rejected;
        on_reject_(std::move(r));
    }

    // One complete record text, decoded into the reader's own event.
    void deliver_record(std::uint64_t line, std::string_view text, bool padded) {
        if (decoder_.record(line, text, padded, event_, rejection_)) deliver(std::as_const(event_));
        else deliver(std::move(rejection_));
    }

    void reject(std::uint64_t line, const char* code, std::string_view raw, bilingual reason, std::string field = {}) {
        deliver(decoder_.reject(line, code, raw, std::move(reason), std::move(field)));
    }

    // JSON Lines: one record per line; blank lines are not records.
    void json_lines() {
        if (limits_.threads > 1) {
            parallel_lines lines(in_, source_, rules_, limits_, limits_.threads - 1);
            return lines.run([this](auto&& outcome) { deliver(std::forward<decltype(outcome)>(outcome)); });
        }
        std::string text;
        text.reserve(std::min<std::size_t>(limits_.max_record_bytes, 1 << 16) + simdjson::SIMDJSON_PADDING);
        std::uint64_t line = 0;
        bool cut = false;
        while (true) {
            // A line already in the input's buffer is read where it is.
            line = in_.line;
            if (const auto in_place = in_.line_in_buffer(limits_.max_record_bytes)) {
                if (!blank(*in_place)) deliver_record(line, *in_place, true);
                continue;
            }
            text.clear();
            if (!next_line_record(in_, limits_.max_record_bytes, limits_.keep_records, text, line, cut)) break;
            if (cut) deliver(decoder_.too_long(line, text));
            else deliver_record(line, text, text.capacity() - text.size() >= simdjson::SIMDJSON_PADDING);
        }
    }

    // A JSON array, cut into its elements without holding the whole array.
    void json_array() {
        skip_blanks();
        const std::uint64_t opening = in_.line;
        const int first = in_.get();
        if (first == byte_input::end) return;  // nothing at all
        if (first != '[') {
            std::string raw(1, static_cast<char>(first));
            if (first != '\n') raw += in_.rest_of_line(raw_limit);
            return reject(opening, "R0101", raw,
                          both("larik JSON harus diawali '['", "a JSON array must start with '['"));
        }
        bool after_element = false;
        while (true) {
            skip_blanks();
            const std::uint64_t line = in_.line;
            const int c = in_.peek();
            if (c == byte_input::end)
                return reject(line, "R0101", "",
                              both("larik JSON tidak ditutup dengan ']'", "the JSON array is not closed with ']'"));
            if (c == ']') {
                in_.get();
                return trailing();
            }
            if (after_element) {
                if (c != ',') return unexpected(line, "',' atau ']'", "',' or ']'");
                in_.get();
                skip_blanks();
                if (in_.peek() == ']') continue;  // a comma after the last element is tolerated
            }
            if (!element()) return;
            after_element = true;
        }
    }

private:
    byte_input& in_;
    std::string_view source_;
    const rule_set& rules_;
    const event_sink& on_event_;
    const rejection_sink& on_reject_;
    const reader_limits& limits_;
    record_decoder decoder_;
    event event_;          // the record being delivered, reused for the next
    rejection rejection_;

    void skip_blanks() {
        while (is_blank(in_.peek())) in_.get();
    }

    // Something other than what the array needs here: rejected, and reading stops.
    void unexpected(std::uint64_t line, std::string_view wanted_id, std::string_view wanted_en) {
        const std::string raw = in_.rest_of_line(raw_limit);
        const std::string found = raw.empty() ? std::string("?") : clip(raw, 1);
        rejection r = decoder_.reject(
            line, "R0101", raw,
            both("larik JSON rusak: diharapkan {0}, ditemukan '{2}'; sisa berkas tidak dibaca",
                 "broken JSON array: expected {1}, found '{2}'; the rest of the file is not read", wanted_id, wanted_en,
                 found));
        r.ends_input = true;
        deliver(std::move(r));
    }

    // After the closing ']': only blanks may follow.
    void trailing() {
        skip_blanks();
        if (in_.peek() == byte_input::end) return;
        const std::uint64_t line = in_.line;
        const std::string raw = in_.rest_of_line(raw_limit);
        reject(line, "R0101", raw,
               both("teks setelah akhir larik JSON tidak dibaca", "text after the end of the JSON array is not read"));
    }

    // One element, from its first byte. Returns false when reading must stop.
    bool element() {
        const std::uint64_t start = in_.line;
        std::string text;
        bool cut = false;
        std::size_t depth = 0;
        std::size_t deepest = 0;
        string_tracker strings;
        const auto keep = [&](int c) {
            if (text.size() < limits_.max_record_bytes || limits_.keep_records) text.push_back(static_cast<char>(c));
            else cut = true;
            cut = cut || text.size() > limits_.max_record_bytes;
        };
        const int first = in_.peek();
        if (first == '{' || first == '[' || first == '"') {
            // up to the matching bracket or the closing quote
            while (true) {
                const int c = in_.get();
                if (c == byte_input::end) {
                    reject(start, "R0101", text,
                           both("elemen larik terpotong: berkas berakhir di dalamnya",
                                "the array element is cut off: the file ends inside it"));
                    return false;
                }
                keep(c);
                if (strings.inside(static_cast<char>(c))) {
                    if (first == '"' && !strings.in_string) break;
                    continue;
                }
                if (c == '{' || c == '[') {
                    deepest = std::max(deepest, ++depth);
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) break;
                }
            }
        } else {
            // a number, a literal or stray text: up to a separator
            for (int c = in_.peek(); c != byte_input::end && !is_blank(c) && c != ',' && c != ']' && c != '{' &&
                                     c != '[' && c != '"';
                 c = in_.peek())
                keep(in_.get());
            if (text.empty()) {
                unexpected(in_.line, "elemen", "an element");
                return false;
            }
        }
        if (cut) deliver(decoder_.too_long(start, text));
        else if (deepest > limits_.max_depth) deliver(decoder_.too_deep(start, text));
        else deliver_record(start, text, false);
        return true;
    }
};

}  // namespace

read_counts read_events(std::istream& in, std::string_view source_name, const rule_set& rules,
                        const event_sink& on_event, const rejection_sink& on_reject, input_format format,
                        const reader_limits& limits) {
    byte_input bytes(in);
    // A UTF-8 byte-order mark at the very start is not part of the data.
    if (bytes.peek() == 0xEF) {
        std::string seen;
        for (const int expected : {0xEF, 0xBB, 0xBF}) {
            if (bytes.peek() != expected) break;
            seen.push_back(static_cast<char>(bytes.get()));
        }
        // Not a whole mark: the bytes are data (read again in their order).
        if (seen.size() < 3)
            for (auto c = seen.rbegin(); c != seen.rend(); ++c) bytes.unget_byte(*c);
    }
    if (format == input_format::automatic) {
        // The first byte that is not blank decides, '[' for an array, unless
        // what follows it is plainly a line of JSON Lines; blank lines before
        // it keep their numbers.
        while (is_blank(bytes.peek())) bytes.get();
        format = bytes.peek() == '[' && bytes.array_ahead() ? input_format::json : input_format::jsonl;
    }
    if (format == input_format::json && limits.threads > 1) {
        // The array is read on a thread beside the caller's, which gets its
        // elements' events in batches.
        const auto read_array = [&](const event_sink& to_event, const rejection_sink& to_reject,
                                    const std::function<void(std::string_view)>&) {
            record_reader reader(bytes, source_name, rules, to_event, to_reject, limits);
            reader.json_array();
            return reader.counts;
        };
        input_support::pipelined_reader pipeline;
        return pipeline.run(read_array, on_event, on_reject, [](std::string_view) {});
    }
    record_reader reader(bytes, source_name, rules, on_event, on_reject, limits);
    if (format == input_format::json) reader.json_array();
    else reader.json_lines();
    return reader.counts;
}

}  // namespace patuh

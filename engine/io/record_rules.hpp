#pragma once
// The record rules (record_rules.cpp) as the readers of JSON records use
// them: one parsed record, a value of simdjson's DOM (JSON Lines) or of
// nlohmann::json (JSON arrays, and text simdjson refuses), becomes an event
// or a rejection's code, field and reason. With the small text functions the
// rules and the readers share (record_text).

#include "common/support.hpp"

#include <patuh/event.hpp>

#include <fmt/core.h>
#include <nlohmann/json_fwd.hpp>

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

// The small text functions, in a namespace of their own: the two files name
// them with using-declarations in their unnamed namespaces, where `both`
// hides support.hpp's plain patuh::both (a message without arguments goes
// through fmt too, the same way as one with).
namespace record_text {

// Both wordings of a message, each checked at compile time.
template <typename... Args>
bilingual both(fmt::format_string<const Args&...> id, fmt::format_string<const Args&...> en, const Args&... args) {
    return bilingual{trf<const Args&...>(lang::id, id, en, args...), trf<const Args&...>(lang::en, id, en, args...)};
}

inline bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Whether two texts are equal, compared in place a word at a time: field
// names and spellings are short, and a call to memcmp costs more than they.
[[gnu::always_inline]] inline bool same_text(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    const std::size_t n = a.size();
    const char* x = a.data();
    const char* y = b.data();
    const auto word = [](const char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, sizeof w);
        return w;
    };
    const auto half = [](const char* p) {
        std::uint32_t w;
        std::memcpy(&w, p, sizeof w);
        return w;
    };
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 < n; i += 8)
            if (word(x + i) != word(y + i)) return false;
        return word(x + n - 8) == word(y + n - 8);
    }
    if (n >= 4) return half(x) == half(y) && half(x + n - 4) == half(y + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return false;
    return true;
}

// A string or a list emptied for the next record. It keeps its buffer, unless
// an unusually long value made the buffer large.
inline void empty(std::string& s, std::size_t kept_capacity = 128) {
    if (s.capacity() > kept_capacity) std::string().swap(s);
    else s.clear();
}

template <typename T>
void empty(std::vector<T>& v) {
    if (v.capacity() > 16) std::vector<T>().swap(v);
    else v.clear();
}

}  // namespace record_text

class record_vocabulary;

// Decodes one record into `e` (true), or fills the rejection's code, field
// and reason (false). `e` keeps its buffers from one record to the next; its
// line, source and record are left as they are.
bool decode_record(simdjson::dom::element value, record_vocabulary& words, event& e, rejection& why);
bool decode_record(const nlohmann::json& value, record_vocabulary& words, event& e, rejection& why);

// Sets `id` to a rejected record's top-level "id" when that is a string, as
// decode_record would have read it, else to nothing.
void rejected_record_id(simdjson::dom::element value, std::string& id);
void rejected_record_id(const nlohmann::json& value, std::string& id);

// The rule set as the record rules read it, with what they remember from one
// record to the next (names as spelt before, dates and NIPs met before, spare
// approvals): one for each thread that decodes records.
class record_vocabulary {
public:
    explicit record_vocabulary(const rule_set& rules);
    ~record_vocabulary();
    record_vocabulary(const record_vocabulary&) = delete;
    record_vocabulary& operator=(const record_vocabulary&) = delete;

private:
    friend bool decode_record(simdjson::dom::element value, record_vocabulary& words, event& e, rejection& why);
    friend bool decode_record(const nlohmann::json& value, record_vocabulary& words, event& e, rejection& why);
    struct state;
    std::unique_ptr<state> s_;
};

}  // namespace patuh

// Event records (schema patuh-event/1, docs/events.md): validation of one
// record, and streaming readers for JSON Lines and JSON arrays. A bad record
// becomes a rejection with its line and reason; reading goes on.

#include "common/cpus.hpp"
#include "common/support.hpp"
#include "io/flat_record.hpp"
#include "io/pipelined_reader.hpp"

#include <patuh/diagnostic.hpp>
#include <patuh/event.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <streambuf>
#include <thread>
#include <type_traits>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include <utility>

namespace patuh {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 13> kind_names = {
    "appoint", "dismiss", "transfer", "acting",           "inaugurate", "approve", "propose",
    "warn",    "cutoff",  "restore",  "head_inaugurated", "caretaker",  "election"};

constexpr std::size_t raw_limit = rejection_raw_limit;  // rejection::raw
constexpr std::size_t quote_limit = 80;    // a value quoted in a reason

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A value as quoted in a reason: long values are shortened.
std::string shorten(std::string_view text) {
    return text.size() <= quote_limit ? std::string(text) : clip(text, quote_limit) + "...";
}

// Both wordings of a message, each checked at compile time.
template <typename... Args>
bilingual both(fmt::format_string<const Args&...> id, fmt::format_string<const Args&...> en, const Args&... args) {
    return bilingual{trf<const Args&...>(lang::id, id, en, args...), trf<const Args&...>(lang::en, id, en, args...)};
}

bilingual& operator+=(bilingual& a, const bilingual& b) {
    a.id += b.id;
    a.en += b.en;
    return a;
}

// "; did you mean 'x'?" when something is close, else nothing.
bilingual suggestion(std::string_view name, const std::vector<std::string>& candidates) {
    const std::string hint = did_you_mean(name, candidates);
    if (hint.empty()) return {};
    return both("; maksudnya '{}'?", "; did you mean '{}'?", hint);
}

// The record rules below return false when a record breaks one, with the
// rejection's code, field and reason filled, and their callers return false
// at once: the first rule broken names the record's fault. (Not an
// exception: unwinding one per rejected record took half the time of a log
// of rejected records.)
[[nodiscard]] bool broken(rejection& why, const char* code, std::string field, bilingual reason) {
    why.code = code;
    why.field = std::move(field);
    why.reason = std::move(reason);
    return false;
}

// Read access to one parsed JSON value. The record rules below are written
// once against this interface; one adapter serves nlohmann::json (JSON arrays,
// decode_event), the other simdjson's DOM (JSON Lines).
//   is_object/is_array/is_string/is_boolean/is_null, type_name()
//   text(), boolean(): the value of a string (a view into the parsed value) or a boolean
//   each_element(f): f(index, element) for an array, until f returns false (then false)
//   each_member(f): f(key, value) for an object, in the parser's order
class nlohmann_value {
public:
    explicit nlohmann_value(const json& v) : v_(&v) {}
    bool is_object() const { return v_->is_object(); }
    bool is_array() const { return v_->is_array(); }
    bool is_string() const { return v_->is_string(); }
    bool is_boolean() const { return v_->is_boolean(); }
    bool is_null() const { return v_->is_null(); }
    std::string_view type_name() const {
        switch (v_->type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "boolean";
        case json::value_t::string: return "string";
        case json::value_t::array: return "array";
        case json::value_t::object: return "object";
        default: return "number";
        }
    }
    std::string_view text() const { return v_->get_ref<const std::string&>(); }
    bool boolean() const { return v_->get<bool>(); }
    template <typename F>
    bool each_element(F f) const {
        std::size_t i = 0;
        for (const json& x : *v_)
            if (!f(i++, nlohmann_value(x))) return false;
        return true;
    }
    template <typename F>
    void each_member(F f) const {
        for (const auto& [key, value] : v_->get_ref<const json::object_t&>())
            f(std::string_view(key), nlohmann_value(value));
    }

private:
    const json* v_;
};

class simdjson_value {
public:
    explicit simdjson_value(simdjson::dom::element v) : v_(v) {}
    bool is_object() const { return v_.type() == simdjson::dom::element_type::OBJECT; }
    bool is_array() const { return v_.type() == simdjson::dom::element_type::ARRAY; }
    bool is_string() const { return v_.type() == simdjson::dom::element_type::STRING; }
    bool is_boolean() const { return v_.type() == simdjson::dom::element_type::BOOL; }
    bool is_null() const { return v_.type() == simdjson::dom::element_type::NULL_VALUE; }
    std::string_view type_name() const {
        switch (v_.type()) {
        case simdjson::dom::element_type::NULL_VALUE: return "null";
        case simdjson::dom::element_type::BOOL: return "boolean";
        case simdjson::dom::element_type::STRING: return "string";
        case simdjson::dom::element_type::ARRAY: return "array";
        case simdjson::dom::element_type::OBJECT: return "object";
        default: return "number";
        }
    }
    std::string_view text() const { return v_.get_string().value_unsafe(); }
    bool boolean() const { return v_.get_bool().value_unsafe(); }
    template <typename F>
    bool each_element(F f) const {
        std::size_t i = 0;
        const simdjson::dom::array array = v_.get_array().value_unsafe();
        for (const simdjson::dom::element x : array)
            if (!f(i++, simdjson_value(x))) return false;
        return true;
    }
    template <typename F>
    void each_member(F f) const {
        const simdjson::dom::object object = v_.get_object().value_unsafe();
        for (const simdjson::dom::key_value_pair field : object) f(field.key, simdjson_value(field.value));
    }

private:
    simdjson::dom::element v_;
};

// A flat record (flat_record.hpp): the record, its person, decree and
// approval objects, the approvals array of that one approval, and texts.
// Absent members (empty texts, objects without a present field) are skipped.
class flat_value {
public:
    enum class shape : std::uint8_t { record, person, decree, approval, approvals, text };
    flat_value(const flat_record& r, shape s, std::string_view text = {}) : r_(&r), shape_(s), text_(text) {}
    bool is_object() const { return shape_ != shape::approvals && shape_ != shape::text; }
    bool is_array() const { return shape_ == shape::approvals; }
    bool is_string() const { return shape_ == shape::text; }
    bool is_boolean() const { return false; }
    bool is_null() const { return false; }
    std::string_view type_name() const { return is_string() ? "string" : is_array() ? "array" : "object"; }
    std::string_view text() const { return text_; }
    bool boolean() const { return false; }
    template <typename F>
    bool each_element(F f) const {
        return f(std::size_t{0}, flat_value(*r_, shape::approval));
    }
    template <typename F>
    void each_member(F f) const {
        switch (shape_) {
        case shape::record:
            texts(record_texts, f);
            if (any(person_members)) f("person", flat_value(*r_, shape::person));
            if (any(decree_members)) f("decree", flat_value(*r_, shape::decree));
            if (any(approval_members)) f("approvals", flat_value(*r_, shape::approvals));
            break;
        case shape::person: texts(person_members, f); break;
        case shape::decree: texts(decree_members, f); break;
        case shape::approval: texts(approval_members, f); break;
        default: break;
        }
    }

private:
    struct member {
        std::string_view key;
        csv_field field;
    };
    static constexpr member record_texts[] = {
        {"id", csv_field::id},         {"kind", csv_field::kind}, {"date", csv_field::date},
        {"region", csv_field::region}, {"unit", csv_field::unit}, {"position", csv_field::position},
        {"rank", csv_field::rank},     {"reason", csv_field::reason}, {"note", csv_field::note}};
    static constexpr member person_members[] = {{"nip", csv_field::nip}, {"name", csv_field::name}};
    static constexpr member decree_members[] = {
        {"number", csv_field::decree_number}, {"date", csv_field::decree_date}, {"issuer", csv_field::decree_issuer}};
    static constexpr member approval_members[] = {{"authority", csv_field::approval_authority},
                                                  {"number", csv_field::approval_number},
                                                  {"date", csv_field::approval_date}};

    std::string_view value(csv_field field) const { return (*r_)[static_cast<std::size_t>(field)]; }
    template <typename F>
    void texts(std::span<const member> members, F& f) const {
        for (const member& m : members)
            if (const std::string_view v = value(m.field); !v.empty()) f(m.key, flat_value(*r_, shape::text, v));
    }
    bool any(std::span<const member> members) const {
        return std::any_of(members.begin(), members.end(), [&](const member& m) { return !value(m.field).empty(); });
    }
    const flat_record* r_;
    shape shape_;
    std::string_view text_;
};

// Where a value sits in the record, as a reason names it: "id", "person.nip",
// "approvals[2].date", "services[0]". Put together as text only for a reason.
struct field_path {
    static constexpr std::size_t no_element = static_cast<std::size_t>(-1);
    std::string_view parent;         // "person", "approvals"; empty for the record itself
    std::size_t index = no_element;  // the element of the array `parent`
    std::string_view key;            // empty: `parent` (or its element) itself

    field_path member(std::string_view k) const { return {parent, index, k}; }
    std::string text() const {
        std::string out(parent);
        if (index != no_element) out += fmt::format("[{}]", index);
        if (!out.empty() && !key.empty()) out += '.';
        return out.append(key);
    }
};

field_path top_field(std::string_view key) { return {{}, field_path::no_element, key}; }
field_path object_field(std::string_view name) { return {name, field_path::no_element, {}}; }
field_path element_of(std::string_view array, std::size_t i) { return {array, i, {}}; }

template <typename V>
[[nodiscard]] bool wrong_type(const field_path& field, const V& v, std::string_view wanted_id, std::string_view wanted_en,
                              rejection& why) {
    const std::string name = field.text();
    return broken(why, "R0105", name,
                  both("'{0}' harus berupa {1}, bukan {3}", "'{0}' must be {2}, not {3}", name, wanted_id, wanted_en,
                       v.type_name()));
}

[[nodiscard]] bool missing(const std::string& field, std::string_view kind, rejection& why) {
    return broken(why, "R0104", field,
                  both("kolom '{}' wajib untuk peristiwa jenis '{}'",
                       "field '{}' is required for an event of kind '{}'", field, kind));
}

[[nodiscard]] bool missing_in_approval(const std::string& field, rejection& why) {
    return broken(why, "R0104", field,
                  both("kolom '{}' wajib dalam setiap persetujuan", "field '{}' is required in every approval", field));
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

template <typename V>
[[nodiscard]] bool text_of(const V& v, const field_path& field, std::string_view& out, rejection& why) {
    if (!v.is_string()) return wrong_type(field, v, "teks", "a string", why);
    out = v.text();
    return true;
}

// An optional string member: `out` is nothing when it is absent.
template <typename V>
[[nodiscard]] bool optional_text(const V* v, const field_path& field,
                                 std::optional<std::string_view>& out, rejection& why) {
    out.reset();
    if (!v) return true;
    return text_of(*v, field, out.emplace(), why);
}

// Sets a string to `text` (which must not point into it), keeping its
// buffer: a shorter path than assign, which also handles overlapping text.
void set_text(std::string& out, std::string_view text) {
    out.clear();
    out.append(text.data(), text.size());
}

// An optional string member into `out`, which is empty: it stays empty when
// the member is absent.
template <typename V>
[[nodiscard]] bool assign_text(std::string& out, const V* v, const field_path& field, rejection& why) {
    if (!v) return true;
    std::string_view text;
    if (!text_of(*v, field, text, why)) return false;
    set_text(out, text);
    return true;
}

// A string member that an event of kind `kind` must have, not blank, into `out`.
template <typename V>
[[nodiscard]] bool required_text(std::string& out, const V* v, const field_path& field,
                                 std::string_view kind, rejection& why) {
    std::optional<std::string_view> text;
    if (!optional_text(v, field, text, why)) return false;
    if (!text || blank(*text)) return missing(field.text(), kind, why);
    set_text(out, *text);
    return true;
}

// What fixed-size texts met before turned out to be: a log repeats its
// dates and NIPs, and a text seen before needs no second check. A
// direct-mapped table of the texts of `Size` bytes met last, by a hash of
// their bytes, each with its `Value`; a text not there is checked again.
template <std::size_t Size, typename Value>
class text_memo {
public:
    static_assert(Size >= 8);

    const Value* find(std::string_view text) const {
        if (text.size() != Size) return nullptr;
        const entry& e = slots_[slot(text)];
        return e.used && std::memcmp(e.text.data(), text.data(), Size) == 0 ? &e.value : nullptr;
    }
    void add(std::string_view text, const Value& value) {
        if (text.size() != Size) return;
        entry& e = slots_[slot(text)];
        std::memcpy(e.text.data(), text.data(), Size);
        e.value = value;
        e.used = true;
    }

private:
    static constexpr unsigned bits = 12;
    struct entry {
        std::array<char, Size> text{};
        Value value{};
        bool used = false;
    };
    // A hash of the text's words (the last one overlapping the one before
    // when Size is not a multiple of 8).
    static std::size_t slot(std::string_view text) {
        std::uint64_t h = 0;
        const auto mix = [&](std::size_t at) {
            std::uint64_t w;
            std::memcpy(&w, text.data() + at, sizeof w);
            h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        };
        for (std::size_t at = 0; at + 8 < Size; at += 8) mix(at);
        mix(Size - 8);
        return static_cast<std::size_t>(h >> (64 - bits));
    }
    std::vector<entry> slots_ = std::vector<entry>(std::size_t{1} << bits);
};

// Dates as parsed before: "YYYY-MM-DD" texts seen before need no parsing.
class date_cache {
public:
    std::optional<date> operator()(std::string_view text) {
        if (const std::int32_t* days = seen_.find(text)) return date::from_days(*days);
        const std::optional<date> d = date::parse(text);
        if (d) seen_.add(text, d->days());
        return d;
    }

private:
    text_memo<10, std::int32_t> seen_;
};

template <typename V>
[[nodiscard]] bool date_of(const V& v, const field_path& field, date_cache& dates, date& out, rejection& why) {
    std::string_view text;
    if (!text_of(v, field, text, why)) return false;
    const auto d = dates(text);
    if (!d) {
        const std::string name = field.text();
        return broken(why, "R0107", name,
                      both("'{}' pada '{}' bukan tanggal YYYY-MM-DD yang sah",
                           "'{}' in '{}' is not a valid YYYY-MM-DD date", shorten(text), name));
    }
    out = *d;
    return true;
}

// An optional date member: `out` is nothing when it is absent.
template <typename V>
[[nodiscard]] bool optional_date(const V* v, const field_path& field, date_cache& dates,
                                 std::optional<date>& out, rejection& why) {
    out.reset();
    if (!v) return true;
    return date_of(*v, field, dates, out.emplace(), why);
}

template <typename V>
[[nodiscard]] bool object_of(const V& v, const field_path& field, rejection& why) {
    return v.is_object() || wrong_type(field, v, "objek", "an object", why);
}

template <typename V>
[[nodiscard]] bool array_of(const V& v, const field_path& field, rejection& why) {
    return v.is_array() || wrong_type(field, v, "larik", "an array", why);
}

int number_at(std::string_view digits, std::size_t at, std::size_t n) {
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) value = value * 10 + (digits[i] - '0');
    return value;
}

// Whether every byte is a digit, tested without a branch per byte.
bool all_digits(std::string_view text) {
    unsigned other = 0;
    for (const char c : text) other |= static_cast<unsigned>(static_cast<unsigned char>(c - '0') > 9);
    return other == 0;
}

// What is wrong with a NIP, or nothing; `digits` gets the NIP without spaces.
std::optional<bilingual> nip_problem(std::string_view text, std::string& digits) {
    if (all_digits(text)) {
        set_text(digits, text);
    } else {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] != ' ' && !is_digit(text[i]))
                return both("NIP '{}' hanya boleh berisi angka (karakter ke-{} bukan angka)",
                            "NIP '{}' must hold digits only (character {} is not a digit)", shorten(text), i + 1);
        digits.clear();
        for (const char c : text)
            if (c != ' ') digits.push_back(c);
    }
    if (digits.size() != 18)
        return both("NIP '{}' terdiri atas {} angka; seharusnya 18", "NIP '{}' has {} {}; 18 expected",
                    shorten(text), digits.size(), plural(digits.size(), "digit", "digits"));
    const std::string_view d = digits;
    const int birth_year = number_at(d, 0, 4);
    if (!is_valid_calendar_day(birth_year, static_cast<unsigned>(number_at(d, 4, 2)),
                               static_cast<unsigned>(number_at(d, 6, 2))))
        return both("NIP '{}': tanggal lahir {} (angka 1-8) bukan tanggal yang sah",
                    "NIP '{}': birth date {} (digits 1-8) is not a real date", shorten(text), d.substr(0, 8));
    if (birth_year < 1900)
        return both("NIP '{}': tahun lahir {} sebelum 1900", "NIP '{}': birth year {} is before 1900", shorten(text),
                    birth_year);
    const std::string_view start = d.substr(8, 6);
    const int start_year = number_at(d, 8, 4);
    const int start_month = number_at(d, 12, 2);
    if (start_month < 1 || start_month > 12)
        return both("NIP '{}': TMT CPNS {} (angka 9-14) memuat bulan {}; seharusnya 01-12",
                    "NIP '{}': service start {} (digits 9-14) has month {}; 01-12 expected", shorten(text), start,
                    d.substr(12, 2));
    if (start_year < 1950)
        return both("NIP '{}': TMT CPNS {} sebelum tahun 1950", "NIP '{}': service start {} is before 1950",
                    shorten(text), start);
    if (start_year < birth_year + 15)
        return both("NIP '{}': TMT CPNS {} kurang dari 15 tahun setelah tahun lahir {}",
                    "NIP '{}': service start {} is less than 15 years after the birth year {}", shorten(text), start,
                    birth_year);
    if (d[14] != '1' && d[14] != '2')
        return both("NIP '{}': digit jenis kelamin (angka 15) adalah {}; seharusnya 1 atau 2",
                    "NIP '{}': the sex digit (digit 15) is {}; 1 or 2 expected", shorten(text), d[14]);
    return std::nullopt;
}

// NIPs of 18 digits found valid before.
using nip_memo = text_memo<18, bool>;

// The NIP's digits into `digits`.
template <typename V>
[[nodiscard]] bool nip_of(const V& v, const field_path& field, nip_memo& valid, std::string& digits, rejection& why) {
    std::string_view text;
    if (!text_of(v, field, text, why)) return false;
    if (valid.find(text)) {
        set_text(digits, text);
        return true;
    }
    if (auto problem = nip_problem(text, digits)) return broken(why, "R0108", field.text(), std::move(*problem));
    if (digits.size() == text.size()) valid.add(text, true);  // written without spaces
    return true;
}

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

// The members an object may have, and an index for each. A key is found
// through a 64-entry table indexed by a hash of two of its bytes; the hash
// puts every key of one set in its own entry (checked at compile time), so
// one comparison tells whether a key belongs to the set.
constexpr std::size_t key_hash(std::string_view key) {
    return (2u * static_cast<unsigned char>(key[0]) + 3u * static_cast<unsigned char>(key[key.size() / 2])) & 63u;
}

template <std::size_t N>
struct key_set {
    std::array<std::string_view, N> names;
    std::array<std::uint8_t, 64> slot_of{};  // N: no key hashes there

    constexpr explicit key_set(const std::array<std::string_view, N>& keys) : names(keys) {
        slot_of.fill(static_cast<std::uint8_t>(N));
        for (std::size_t i = 0; i < N; ++i) slot_of[key_hash(names[i])] = static_cast<std::uint8_t>(i);
    }
    // Whether each name has its own entry (no name is empty).
    constexpr bool distinct() const {
        for (std::size_t i = 0; i < N; ++i)
            if (names[i].empty() || slot_of[key_hash(names[i])] != i) return false;
        return true;
    }
    // The index of `key`; N when it is not in the set.
    std::size_t find(std::string_view key) const {
        if (key.empty()) return N;
        const std::size_t i = slot_of[key_hash(key)];
        if (i == N) return N;
        return same_text(names[i], key) ? i : N;
    }
};

enum class record_key : std::uint8_t {
    schema, id, kind, date, region, unit, position, rank, person, decree, approvals, reason,
    concurrent, deadline, letter, issuer, services, route, note, head, until, candidates, term_end
};
constexpr key_set<23> record_keys({"schema", "id", "kind", "date", "region", "unit", "position", "rank",
                                   "person", "decree", "approvals", "reason", "concurrent", "deadline",
                                   "letter", "issuer", "services", "route", "note", "head", "until",
                                   "candidates", "term_end"});
enum class person_key : std::uint8_t { nip, name };
constexpr key_set<2> person_keys({"nip", "name"});
enum class decree_key : std::uint8_t { number, date, issuer };
constexpr key_set<3> decree_keys({"number", "date", "issuer"});
enum class approval_key : std::uint8_t { authority, number, date, nip, position };
constexpr key_set<5> approval_keys({"authority", "number", "date", "nip", "position"});
static_assert(record_keys.distinct() && person_keys.distinct() && decree_keys.distinct() && approval_keys.distinct(),
              "key_hash must give each key of a set its own entry");

// Rejects an object for a key it may not have.
[[nodiscard]] bool unknown_field(std::string_view key, std::span<const std::string_view> allowed,
                                 const field_path& where, rejection& why) {
    std::string prefix = where.text();
    if (!prefix.empty()) prefix += '.';
    const std::string name = prefix + shorten(key);
    bilingual reason = both("kolom '{}' tidak dikenal", "unknown field '{}'", name);
    const std::string hint = did_you_mean(clip(key, 64), allowed);
    if (!hint.empty()) reason += both("; maksudnya '{}{}'?", "; did you mean '{}{}'?", prefix, hint);
    return broken(why, "R0115", name, std::move(reason));
}

// An object's members by key, gathered in one pass over it. A key the object
// may not have rejects the record: the first such key in byte order, the
// order nlohmann keeps keys in. Null counts as absent; of repeated keys the
// last counts, as nlohmann keeps it. Only the members present are stored: a
// record has a few of the keys it may have, and its members are gathered anew
// for each record.
template <typename V, typename Key, std::size_t N>
class members {
    static_assert(N <= 32, "one bit of `present_` a key");
    static_assert(std::is_trivially_copyable_v<V> && std::is_trivially_destructible_v<V>,
                  "a value adapter is a view: stored without construction");

public:
    [[nodiscard]] bool gather(const V& object, const key_set<N>& keys, const field_path& where, rejection& why) {
        std::optional<std::string_view> unknown;
        object.each_member([&](std::string_view key, const V& value) {
            const std::size_t i = keys.find(key);
            if (i == N) {
                if (!unknown || key < *unknown) unknown = key;
            } else if (value.is_null()) {
                present_ &= ~(std::uint32_t{1} << i);
            } else {
                ::new (static_cast<void*>(&storage_[i * sizeof(V)])) V(value);
                present_ |= std::uint32_t{1} << i;
            }
        });
        return !unknown || unknown_field(*unknown, keys.names, where, why);
    }

    // The member, or nullptr when it is absent.
    const V* operator[](Key k) const {
        const auto i = static_cast<std::size_t>(k);
        if ((present_ >> i & 1u) == 0) return nullptr;
        return std::launder(reinterpret_cast<const V*>(&storage_[i * sizeof(V)]));
    }

private:
    std::uint32_t present_ = 0;
    alignas(V) std::byte storage_[N * sizeof(V)];
};

std::vector<std::string> ids_of(const auto& items) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& x : items) out.push_back(x.id);
    return out;
}

std::string list_of(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// A string or a list emptied for the next record. It keeps its buffer, unless
// an unusually long value made the buffer large.
void empty(std::string& s, std::size_t kept_capacity = 128) {
    if (s.capacity() > kept_capacity) std::string().swap(s);
    else s.clear();
}

template <typename T>
void empty(std::vector<T>& v) {
    if (v.capacity() > 16) std::vector<T>().swap(v);
    else v.clear();
}

// One of the rule set's name lookups, remembering the spellings it has seen:
// a log spells its units, ranks, authorities and services in a few ways, and
// the rule set's lookup normalises the name on every call.
class name_lookup {
public:
    using finder = index_t (rule_set::*)(std::string_view) const;
    name_lookup(const rule_set& rules, finder find) : rules_(&rules), find_(find) {}

    index_t operator()(std::string_view name) {
        for (const auto& [spelling, i] : seen_)
            if (same_text(spelling, name)) return i;
        const index_t i = (rules_->*find_)(name);
        if (seen_.size() < max_spellings && name.size() <= max_spelling_bytes) seen_.emplace_back(name, i);
        return i;
    }

private:
    static constexpr std::size_t max_spellings = 32;
    static constexpr std::size_t max_spelling_bytes = 64;
    const rule_set* rules_;
    finder find_;
    std::vector<std::pair<std::string, index_t>> seen_;
};

// The rule set as the record rules read it.
struct vocabulary {
    explicit vocabulary(const rule_set& r)
        : rules(r), unit(r, &rule_set::find_unit), rank(r, &rule_set::find_rank),
          authority(r, &rule_set::find_authority), service(r, &rule_set::find_service) {}
    const rule_set& rules;
    name_lookup unit, rank, authority, service;
    date_cache dates;
    nip_memo nips;
    std::vector<approval> spare_approvals;  // emptied, with their buffers, for the next records
};

template <typename V>
[[nodiscard]] bool authority_of(const V& v, const field_path& field, vocabulary& words, index_t& out,
                                rejection& why) {
    std::string_view text;
    if (!text_of(v, field, text, why)) return false;
    out = words.authority(text);
    if (out == no_index) {
        bilingual reason = both("otoritas '{}' tidak dikenal oleh aturan", "authority '{}' is not known to the rules",
                                shorten(text));
        reason += suggestion(clip(text, 64), ids_of(words.rules.authorities));
        return broken(why, "R0112", field.text(), std::move(reason));
    }
    return true;
}

template <typename V>
[[nodiscard]] bool services_of(const V& v, vocabulary& words, std::vector<index_t>& out, rejection& why) {
    if (!array_of(v, top_field("services"), why)) return false;
    return v.each_element([&](std::size_t i, const V& item) {
        const field_path where = element_of("services", i);
        std::string_view text;
        if (!text_of(item, where, text, why)) return false;
        const index_t s = words.service(text);
        if (s == no_index)
            return broken(why, "R0113", where.text(),
                          both("layanan '{}' tidak dikenal; yang dikenal: {}", "unknown service '{}'; known: {}",
                               shorten(text), list_of(ids_of(words.rules.services))));
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
        return true;
    });
}

template <typename V>
[[nodiscard]] bool approval_of(const V& v, const field_path& where, vocabulary& words, approval& out,
                               rejection& why) {
    members<V, approval_key, approval_keys.names.size()> a;
    if (!object_of(v, where, why) || !a.gather(v, approval_keys, where, why)) return false;
    const auto& authority = a[approval_key::authority];
    if (!authority) return missing_in_approval(where.member("authority").text(), why);
    if (!authority_of(*authority, where.member("authority"), words, out.authority, why)) return false;
    set_text(out.authority_text, authority->text());
    const auto& issued = a[approval_key::date];
    if (!issued) return missing_in_approval(where.member("date").text(), why);
    if (!date_of(*issued, where.member("date"), words.dates, out.issued, why)) return false;
    if (!assign_text(out.number, a[approval_key::number], where.member("number"), why)) return false;
    if (const auto& nip = a[approval_key::nip])
        if (!nip_of(*nip, where.member("nip"), words.nips, out.nip, why)) return false;
    return assign_text(out.position, a[approval_key::position], where.member("position"), why);
}

// An approval emptied, as a new one would be, except for its strings' buffers.
void reset(approval& a) {
    a.authority = no_index;
    empty(a.authority_text);
    empty(a.number);
    a.issued = date();
    empty(a.nip);
    empty(a.position);
}

// A new approval at the end of `list`: one of the spare ones when there is
// one, so that its strings have room already.
approval& add_approval(std::vector<approval>& list, std::vector<approval>& spare) {
    if (spare.empty()) return list.emplace_back();
    approval& a = list.emplace_back(std::move(spare.back()));
    spare.pop_back();
    reset(a);
    return a;
}

// An event emptied for the next record, as a new one would be, except for
// the buffers its strings and lists keep; its approvals go to `spare`, for
// the next records. `line`, `source` and `record` are set after decoding.
void reset(event& e, std::vector<approval>& spare) {
    empty(e.id);
    e.kind = event_kind::appoint;
    e.effective = date();
    empty(e.region);
    e.level = no_index;
    empty(e.unit_text);
    e.unit = no_index;
    empty(e.position);
    e.rank = no_index;
    empty(e.rank_text);
    empty(e.who.nip);
    empty(e.who.name);
    empty(e.regional_decree.number);
    e.regional_decree.issued.reset();
    empty(e.regional_decree.issuer);
    constexpr std::size_t max_spare = 16;
    for (approval& a : e.approvals)
        if (spare.size() < max_spare) spare.push_back(std::move(a));
    empty(e.approvals);
    e.why.reset();
    e.concurrent = false;
    e.deadline.reset();
    empty(e.letter);
    empty(e.issuer);
    empty(e.services);
    empty(e.route);
    empty(e.head);
    e.until.reset();
    e.candidates.reset();
    e.term_end.reset();
}

// Decodes one record into `e` (true), or fills the rejection's code, field
// and reason (false).
template <typename V>
[[nodiscard]] bool decode(const V& value, vocabulary& words, event& e, rejection& why) {
    if (!value.is_object())
        return broken(why, "R0102", "",
                      both("rekaman harus berupa objek JSON, bukan {}", "a record must be a JSON object, not {}",
                           value.type_name()));
    reset(e, words.spare_approvals);
    members<V, record_key, record_keys.names.size()> m;
    if (!m.gather(value, record_keys, {}, why)) return false;
    if (const auto& schema = m[record_key::schema]) {
        std::string_view s;
        if (!text_of(*schema, top_field("schema"), s, why)) return false;
        if (s != event_schema_version)
            return broken(why, "R0116", "schema",
                          both("versi skema '{}' tidak didukung; gunakan '{}'",
                               "schema version '{}' is not supported; use '{}'", shorten(s), event_schema_version));
    }
    const auto& kind = m[record_key::kind];
    if (!kind) return broken(why, "R0104", "kind", both("kolom 'kind' wajib ada", "field 'kind' is required"));
    std::string_view kind_text;
    if (!text_of(*kind, top_field("kind"), kind_text, why)) return false;
    const auto k = parse_event_kind(kind_text);
    if (!k) {
        bilingual reason = both("jenis peristiwa '{}' tidak dikenal", "unknown event kind '{}'", shorten(kind_text));
        reason += suggestion(clip(kind_text, 64), std::vector<std::string>(kind_names.begin(), kind_names.end()));
        return broken(why, "R0106", "kind", std::move(reason));
    }
    e.kind = *k;
    const std::string_view kname = to_string(e.kind);
    if (!required_text(e.id, m[record_key::id], top_field("id"), kname, why)) return false;
    const auto& when = m[record_key::date];
    if (!when) return missing("date", kname, why);
    if (!date_of(*when, top_field("date"), words.dates, e.effective, why)) return false;

    if (!required_text(e.region, m[record_key::region], top_field("region"), kname, why)) return false;
    if (!valid_region_code(e.region))
        return broken(why, "R0109", "region",
                      both("kode wilayah '{}' harus berbentuk PP (provinsi) atau PP.KK (kabupaten/kota)",
                           "region code '{}' must be PP (province) or PP.KK (regency/city)", shorten(e.region)));
    e.level = words.rules.level_of_region(e.region);
    if (e.level == no_index)
        return broken(why, "R0110", "region",
                      both("kode wilayah '{}' tidak termasuk tingkat wilayah mana pun dalam aturan",
                           "region code '{}' belongs to no region level of the rules", e.region));

    // Events about one post: personnel changes, approvals and proposals.
    const bool on_post = is_personnel(e.kind) || e.kind == event_kind::approve || e.kind == event_kind::propose;
    if (on_post) {
        if (!required_text(e.unit_text, m[record_key::unit], top_field("unit"), kname, why)) return false;
        e.unit = words.unit(e.unit_text);
        if (!required_text(e.position, m[record_key::position], top_field("position"), kname, why)) return false;
    } else {
        if (!assign_text(e.unit_text, m[record_key::unit], top_field("unit"), why)) return false;
        e.unit = blank(e.unit_text) ? no_index : words.unit(e.unit_text);
        if (!assign_text(e.position, m[record_key::position], top_field("position"), why)) return false;
    }
    std::optional<std::string_view> rank_text;
    if (!optional_text(m[record_key::rank], top_field("rank"), rank_text, why)) return false;
    if (rank_text) {
        set_text(e.rank_text, *rank_text);
        e.rank = words.rank(*rank_text);
        if (e.rank == no_index) {
            bilingual reason = both("eselon '{}' tidak dikenal oleh aturan", "rank '{}' is not known to the rules",
                                    shorten(*rank_text));
            reason += suggestion(clip(*rank_text, 64), ids_of(words.rules.ranks));
            return broken(why, "R0111", "rank", std::move(reason));
        }
    }
    if (const auto& p = m[record_key::person]) {
        const field_path where = object_field("person");
        members<V, person_key, person_keys.names.size()> o;
        if (!object_of(*p, top_field("person"), why) || !o.gather(*p, person_keys, where, why)) return false;
        const auto& nip = o[person_key::nip];
        if (!nip) return missing("person.nip", kname, why);
        if (!nip_of(*nip, where.member("nip"), words.nips, e.who.nip, why)) return false;
        if (!assign_text(e.who.name, o[person_key::name], where.member("name"), why)) return false;
    } else if (on_post) {
        return missing("person.nip", kname, why);
    }
    if (const auto& d = m[record_key::decree]) {
        const field_path where = object_field("decree");
        members<V, decree_key, decree_keys.names.size()> o;
        if (!object_of(*d, top_field("decree"), why) || !o.gather(*d, decree_keys, where, why)) return false;
        if (!assign_text(e.regional_decree.number, o[decree_key::number], where.member("number"), why) ||
            !optional_date(o[decree_key::date], where.member("date"), words.dates, e.regional_decree.issued, why) ||
            !assign_text(e.regional_decree.issuer, o[decree_key::issuer], where.member("issuer"), why))
            return false;
    }
    if (const auto& list = m[record_key::approvals]) {
        if (!array_of(*list, top_field("approvals"), why)) return false;
        const bool read = list->each_element([&](std::size_t i, const V& a) {
            return approval_of(a, element_of("approvals", i), words, add_approval(e.approvals, words.spare_approvals),
                               why);
        });
        if (!read) return false;
    }
    if (e.kind == event_kind::approve && e.approvals.empty())
        return broken(why, "R0104", "approvals",
                      both("peristiwa approve wajib memuat sedikitnya satu persetujuan dalam 'approvals'",
                           "an approve event needs at least one approval in 'approvals'"));
    std::optional<std::string_view> why_text;
    if (!optional_text(m[record_key::reason], top_field("reason"), why_text, why)) return false;
    if (why_text) {
        e.why = parse_reason(*why_text);
        if (!e.why)
            return broken(why, "R0114", "reason",
                          both("alasan '{}' tidak dikenal; gunakan death, retirement, resignation, arrest atau "
                               "definitive",
                               "unknown reason '{}'; use death, retirement, resignation, arrest or definitive",
                               shorten(*why_text)));
    }
    if (const auto& c = m[record_key::concurrent]) {
        if (!c->is_boolean()) return wrong_type(top_field("concurrent"), *c, "true atau false", "true or false", why);
        e.concurrent = c->boolean();
    }
    if (!optional_date(m[record_key::deadline], top_field("deadline"), words.dates, e.deadline, why) ||
        !assign_text(e.letter, m[record_key::letter], top_field("letter"), why) ||
        !assign_text(e.issuer, m[record_key::issuer], top_field("issuer"), why))
        return false;
    if (const auto& s = m[record_key::services])
        if (!services_of(*s, words, e.services, why)) return false;
    if (e.kind == event_kind::cutoff && e.services.empty())
        return broken(why, "R0104", "services",
                      both("peristiwa cutoff wajib menyebut sedikitnya satu layanan dalam 'services'",
                           "a cutoff event needs at least one service in 'services'"));
    if (const auto& r = m[record_key::route]) {
        if (!array_of(*r, top_field("route"), why)) return false;
        const bool read = r->each_element([&](std::size_t i, const V& item) {
            return authority_of(item, element_of("route", i), words, e.route.emplace_back(), why);
        });
        if (!read) return false;
    }
    if (!assign_text(e.head, m[record_key::head], top_field("head"), why) ||
        !optional_date(m[record_key::until], top_field("until"), words.dates, e.until, why) ||
        !optional_date(m[record_key::candidates], top_field("candidates"), words.dates, e.candidates, why) ||
        !optional_date(m[record_key::term_end], top_field("term_end"), words.dates, e.term_end, why))
        return false;
    if (e.kind == event_kind::election) {
        if (!e.candidates) return missing("candidates", kname, why);
        if (!e.term_end) return missing("term_end", kname, why);
        if (*e.term_end < *e.candidates)
            return broken(why, "R0107", "term_end",
                          both("akhir masa jabatan ({}) lebih awal dari penetapan calon ({})",
                               "the end of the term ({}) is before the determination of candidates ({})",
                               e.term_end->iso(), e.candidates->iso()));
    }
    if (e.kind == event_kind::caretaker && e.until && *e.until < e.effective)
        return broken(why, "R0107", "until",
                      both("'until' ({}) lebih awal dari tanggal peristiwa ({})",
                           "'until' ({}) is before the event's date ({})", e.until->iso(), e.effective.iso()));
    // A note is kept nowhere; it need only be text.
    std::string_view note;
    if (const auto& n = m[record_key::note]) return text_of(*n, top_field("note"), note, why);
    return true;
}

// Decodes one record into `e` (true), or fills the rejection's code, field
// and reason (false).
template <typename V>
bool decode_value(const V& value, vocabulary& words, event& e, rejection& why) {
    try {
        return decode(value, words, e, why);
    } catch (const json::exception& error) {
        // Not expected (every access is checked first); a record still never escapes as an exception.
        return broken(why, "R0105", "",
                      both("rekaman tidak dapat dibaca: {}", "the record cannot be read: {}",
                           std::string(error.what())));
    }
}

// Sets `id` to a rejected record's top-level "id" when that is a string, as
// decode would have read it (of repeated keys the last, null as absent), so
// that the reports and `patuh explain` can name the record by its event's id.
// Called for rejected records only.
template <typename V>
void rejected_record_id(const V& value, std::string& id) {
    id.clear();
    if (!value.is_object()) return;
    value.each_member([&](std::string_view key, const V& member) {
        if (key == "id") id.assign(member.is_string() ? member.text() : std::string_view());
    });
}

}  // namespace

std::string_view to_string(event_kind k) {
    const auto i = static_cast<std::size_t>(k);
    return i < kind_names.size() ? kind_names[i] : std::string_view("?");
}

std::optional<event_kind> parse_event_kind(std::string_view s) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (same_text(kind_names[i], s)) return static_cast<event_kind>(i);
    return std::nullopt;
}

std::optional<std::string> normalise_nip(std::string_view text) {
    std::string digits;
    if (nip_problem(text, digits)) return std::nullopt;
    return digits;
}

std::string place_id(std::string_view source, std::uint64_t line) {
    return fmt::format("{}:{}", std::filesystem::path(source).filename().string(), line);
}

bool valid_region_code(std::string_view code) {
    const auto two_digits = [](std::string_view s) { return s.size() == 2 && is_digit(s[0]) && is_digit(s[1]); };
    if (code.size() == 2) return two_digits(code);
    return code.size() == 5 && code[2] == '.' && two_digits(code.substr(0, 2)) && two_digits(code.substr(3, 2));
}

std::optional<event> decode_event(const json& value, const rule_set& rules, rejection& why) {
    vocabulary words(rules);
    std::optional<event> e(std::in_place);
    if (!decode_value(nlohmann_value(value), words, *e, why)) e.reset();
    return e;
}

struct flat_record_decoder::state {
    explicit state(const rule_set& rules) : words(rules) {}
    vocabulary words;
};

flat_record_decoder::flat_record_decoder(const rule_set& rules) : s_(std::make_unique<state>(rules)) {}
flat_record_decoder::~flat_record_decoder() = default;

bool flat_record_decoder::decode(const flat_record& record, event& e, rejection& why) {
    return decode_value(flat_value(record, flat_value::shape::record), s_->words, e, why);
}

namespace {

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
// text goes wrong. Both values go through the same record rules (decode). The
// event is the caller's, reused from record to record.
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
                return finish(line, text, simdjson_value(parsed.value_unsafe()), e, r);
        }
        return checked_record(line, text, e, r);
    }

private:
    std::string_view source_;
    vocabulary words_;
    const reader_limits& limits_;
    simdjson::dom::parser parser_;
    bool fast_ = false;
    rejection why_;

    // The parsed record through the record rules: into `e` (true) or `r` (false).
    template <typename V>
    bool finish(std::uint64_t line, std::string_view text, const V& value, event& e, rejection& r) {
        if (!decode_value(value, words_, e, why_)) {
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
        return finish(line, text, nlohmann_value(value), e, r);
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
            for (std::size_t i = 0; i < next->records.size(); ++i) {
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

// Event records (schema patuh-event/1, docs/events.md): the record rules,
// which validate one record and turn it into an event, or into a rejection's
// code, field and reason. They are written once against an interface to a
// parsed value, with adapters for simdjson's DOM and nlohmann::json (the
// readers of JSON records, event_reader.cpp) and for flat records (CSV).

#include "io/record_rules.hpp"

#include "common/support.hpp"
#include "io/flat_record.hpp"

#include <patuh/diagnostic.hpp>
#include <patuh/event.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace patuh {

namespace {

using json = nlohmann::json;

using record_text::blank;
using record_text::both;
using record_text::empty;
using record_text::same_text;

constexpr std::array<std::string_view, 13> kind_names = {
    "appoint", "dismiss", "transfer", "acting",           "inaugurate", "approve", "propose",
    "warn",    "cutoff",  "restore",  "head_inaugurated", "caretaker",  "election"};

constexpr std::size_t quote_limit = 80;  // a value quoted in a reason

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A value as quoted in a reason: long values are shortened.
std::string shorten(std::string_view text) {
    return text.size() <= quote_limit ? std::string(text) : clip(text, quote_limit) + "...";
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
        if (record_text::same_text(kind_names[i], s)) return static_cast<event_kind>(i);
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

struct record_vocabulary::state : vocabulary {
    using vocabulary::vocabulary;
};

record_vocabulary::record_vocabulary(const rule_set& rules) : s_(std::make_unique<state>(rules)) {}
record_vocabulary::~record_vocabulary() = default;

bool decode_record(simdjson::dom::element value, record_vocabulary& words, event& e, rejection& why) {
    return decode_value(simdjson_value(value), *words.s_, e, why);
}

bool decode_record(const json& value, record_vocabulary& words, event& e, rejection& why) {
    return decode_value(nlohmann_value(value), *words.s_, e, why);
}

void rejected_record_id(simdjson::dom::element value, std::string& id) { rejected_record_id(simdjson_value(value), id); }

void rejected_record_id(const json& value, std::string& id) { rejected_record_id(nlohmann_value(value), id); }

}  // namespace patuh

// Event records (schema patuh-event/1, docs/events.md): validation of one
// record, and streaming readers for JSON Lines and JSON arrays. A bad record
// becomes a rejection with its line and reason; reading goes on.

#include <patuh/diagnostic.hpp>
#include <patuh/event.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace patuh {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 10> kind_names = {"appoint", "dismiss", "transfer", "acting",  "inaugurate",
                                                         "approve", "propose", "warn",     "cutoff", "restore"};

constexpr std::size_t raw_limit = 4096;

// Thrown inside decode only; turned into a rejection before leaving this file.
struct bad_record {
    const char* code;
    std::string field;
    bilingual reason;
};

[[noreturn]] void fail(const char* code, std::string field, std::string id, std::string en) {
    throw bad_record{code, std::move(field), bilingual{std::move(id), std::move(en)}};
}

std::string_view type_name(const json& v) {
    switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "number";
    }
}

[[noreturn]] void wrong_type(const std::string& field, const json& v, std::string_view wanted_id,
                             std::string_view wanted_en) {
    fail("R0105", field, fmt::format("'{}' harus berupa {}, bukan {}", field, wanted_id, type_name(v)),
         fmt::format("'{}' must be {}, not {}", field, wanted_en, type_name(v)));
}

[[noreturn]] void missing(const std::string& field, std::string_view kind) {
    fail("R0104", field, fmt::format("kolom '{}' wajib untuk peristiwa {}", field, kind),
         fmt::format("field '{}' is required for a {} event", field, kind));
}

const json* member(const json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const json& v, const std::string& field) {
    if (!v.is_string()) wrong_type(field, v, "teks", "a string");
    return v.get<std::string>();
}

std::optional<std::string> optional_text(const json& object, const char* key, const std::string& prefix = "") {
    const json* v = member(object, key);
    if (!v) return std::nullopt;
    return text_of(*v, prefix + key);
}

std::string required_text(const json& object, const char* key, std::string_view kind, const std::string& prefix = "") {
    auto v = optional_text(object, key, prefix);
    if (!v || v->find_first_not_of(" \t") == std::string::npos) missing(prefix + key, kind);
    return std::move(*v);
}

date date_of(const json& v, const std::string& field) {
    const std::string text = text_of(v, field);
    const auto d = date::parse(text);
    if (!d)
        fail("R0107", field, fmt::format("'{}' pada '{}' bukan tanggal YYYY-MM-DD yang sah", text, field),
             fmt::format("'{}' in '{}' is not a valid YYYY-MM-DD date", text, field));
    return *d;
}

std::optional<date> optional_date(const json& object, const char* key, const std::string& prefix = "") {
    const json* v = member(object, key);
    if (!v) return std::nullopt;
    return date_of(*v, prefix + key);
}

const json& object_of(const json& v, const std::string& field) {
    if (!v.is_object()) wrong_type(field, v, "objek", "an object");
    return v;
}

std::string nip_of(const json& v, const std::string& field) {
    const std::string text = text_of(v, field);
    auto nip = normalise_nip(text);
    if (!nip) {
        std::string digits;
        for (const char c : text)
            if (c != ' ') digits.push_back(c);
        const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
        if (!all_digits)
            fail("R0108", field, fmt::format("NIP '{}' hanya boleh berisi angka", text),
                 fmt::format("NIP '{}' must hold digits only", text));
        if (digits.size() != 18)
            fail("R0108", field, fmt::format("NIP '{}' terdiri atas {} angka; seharusnya 18", text, digits.size()),
                 fmt::format("NIP '{}' has {} digits; 18 expected", text, digits.size()));
        const int year = std::stoi(digits.substr(0, 4));
        const unsigned month = static_cast<unsigned>(std::stoi(digits.substr(4, 2)));
        const unsigned day = static_cast<unsigned>(std::stoi(digits.substr(6, 2)));
        if (year < 1900 || !is_valid_calendar_day(year, month, day))
            fail("R0108", field, fmt::format("NIP '{}': tanggal lahir {} tidak sah", text, digits.substr(0, 8)),
                 fmt::format("NIP '{}': birth date {} is not a real date", text, digits.substr(0, 8)));
        if (digits[14] != '1' && digits[14] != '2')
            fail("R0108", field, fmt::format("NIP '{}': digit jenis kelamin harus 1 atau 2", text),
                 fmt::format("NIP '{}': the sex digit must be 1 or 2", text));
        fail("R0108", field, fmt::format("NIP '{}': TMT CPNS {} tidak masuk akal", text, digits.substr(8, 6)),
             fmt::format("NIP '{}': service start {} is not plausible", text, digits.substr(8, 6)));
    }
    return std::move(*nip);
}

const std::vector<std::string>& known_fields() {
    static const std::vector<std::string> fields = {
        "schema", "id",       "kind",       "date",     "region", "unit",   "position", "rank",  "person",
        "decree", "approvals", "reason",    "concurrent", "deadline", "letter", "issuer", "services", "route", "note"};
    return fields;
}

void check_fields(const json& object, const std::vector<std::string>& allowed, const std::string& prefix) {
    for (const auto& [key, value] : object.items()) {
        (void)value;
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        const std::string hint = did_you_mean(key, allowed);
        const std::string name = prefix + key;
        if (hint.empty())
            fail("R0115", name, fmt::format("kolom '{}' tidak dikenal", name), fmt::format("unknown field '{}'", name));
        fail("R0115", name, fmt::format("kolom '{}' tidak dikenal; maksudnya '{}{}'?", name, prefix, hint),
             fmt::format("unknown field '{}'; did you mean '{}{}'?", name, prefix, hint));
    }
}

index_t authority_of(const json& v, const std::string& field, const rule_set& rules) {
    const std::string text = text_of(v, field);
    const index_t a = rules.find_authority(text);
    if (a == no_index) {
        std::vector<std::string> names;
        for (const auto& x : rules.authorities) names.push_back(x.id);
        const std::string hint = did_you_mean(text, names);
        fail("R0112", field,
             fmt::format("otoritas '{}' tidak dikenal oleh aturan{}", text,
                         hint.empty() ? "" : fmt::format("; maksudnya '{}'?", hint)),
             fmt::format("authority '{}' is not known to the rules{}", text,
                         hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
    }
    return a;
}

std::vector<index_t> services_of(const json& v, const std::string& field, const rule_set& rules) {
    if (!v.is_array()) wrong_type(field, v, "larik", "an array");
    std::vector<index_t> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string name = fmt::format("{}[{}]", field, i);
        const std::string text = text_of(v[i], name);
        const index_t s = rules.find_service(text);
        if (s == no_index) {
            std::vector<std::string> names;
            for (const auto& x : rules.services) names.push_back(x.id);
            std::string list;
            for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
            fail("R0113", name, fmt::format("layanan '{}' tidak dikenal; yang dikenal: {}", text, list),
                 fmt::format("unknown service '{}'; known: {}", text, list));
        }
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
}

approval approval_of(const json& v, const std::string& field, const rule_set& rules) {
    const json& a = object_of(v, field);
    check_fields(a, {"authority", "number", "date", "nip", "position"}, field + ".");
    approval out;
    const json* auth = member(a, "authority");
    if (!auth) missing(field + ".authority", "approval");
    out.authority = authority_of(*auth, field + ".authority", rules);
    out.authority_text = auth->get<std::string>();
    const json* issued = member(a, "date");
    if (!issued) missing(field + ".date", "approval");
    out.issued = date_of(*issued, field + ".date");
    out.number = optional_text(a, "number", field + ".").value_or("");
    if (const json* n = member(a, "nip")) out.nip = nip_of(*n, field + ".nip");
    out.position = optional_text(a, "position", field + ".").value_or("");
    return out;
}

}  // namespace

std::string_view to_string(event_kind k) { return kind_names.at(static_cast<std::size_t>(k)); }

std::optional<event_kind> parse_event_kind(std::string_view s) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == s) return static_cast<event_kind>(i);
    return std::nullopt;
}

std::optional<std::string> normalise_nip(std::string_view text) {
    std::string digits;
    for (const char c : text) {
        if (c == ' ') continue;
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        digits.push_back(c);
    }
    if (digits.size() != 18) return std::nullopt;
    const auto number = [&](std::size_t at, std::size_t n) { return std::stoi(digits.substr(at, n)); };
    const int birth_year = number(0, 4);
    if (birth_year < 1900 ||
        !is_valid_calendar_day(birth_year, static_cast<unsigned>(number(4, 2)), static_cast<unsigned>(number(6, 2))))
        return std::nullopt;
    const int start_year = number(8, 4);
    const int start_month = number(12, 2);
    if (start_year < 1950 || start_year < birth_year + 15 || start_month < 1 || start_month > 12) return std::nullopt;
    if (digits[14] != '1' && digits[14] != '2') return std::nullopt;
    return digits;
}

bool valid_region_code(std::string_view code) {
    const auto two_digits = [](std::string_view s) {
        return s.size() == 2 && std::isdigit(static_cast<unsigned char>(s[0])) &&
               std::isdigit(static_cast<unsigned char>(s[1]));
    };
    if (code.size() == 2) return two_digits(code);
    return code.size() == 5 && code[2] == '.' && two_digits(code.substr(0, 2)) && two_digits(code.substr(3, 2));
}

std::optional<event> decode_event(const json& value, const rule_set& rules, rejection& why) {
    try {
        if (!value.is_object())
            fail("R0102", "", fmt::format("rekaman harus berupa objek JSON, bukan {}", type_name(value)),
                 fmt::format("a record must be a JSON object, not {}", type_name(value)));
        check_fields(value, known_fields(), "");
        if (const json* schema = member(value, "schema")) {
            const std::string s = text_of(*schema, "schema");
            if (s != event_schema_version)
                fail("R0116", "schema",
                     fmt::format("versi skema '{}' tidak didukung; gunakan '{}'", s, event_schema_version),
                     fmt::format("schema version '{}' is not supported; use '{}'", s, event_schema_version));
        }
        event e;
        const json* kind = member(value, "kind");
        if (!kind) fail("R0104", "kind", "kolom 'kind' wajib ada", "field 'kind' is required");
        const std::string kind_text = text_of(*kind, "kind");
        const auto k = parse_event_kind(kind_text);
        if (!k) {
            const std::vector<std::string> names(kind_names.begin(), kind_names.end());
            const std::string hint = did_you_mean(kind_text, names);
            fail("R0106", "kind",
                 fmt::format("jenis peristiwa '{}' tidak dikenal{}", kind_text,
                             hint.empty() ? "" : fmt::format("; maksudnya '{}'?", hint)),
                 fmt::format("unknown event kind '{}'{}", kind_text,
                             hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
        }
        e.kind = *k;
        const std::string_view kname = to_string(e.kind);
        e.id = required_text(value, "id", kname);
        const json* when = member(value, "date");
        if (!when) missing("date", kname);
        e.effective = date_of(*when, "date");

        e.region = required_text(value, "region", kname);
        if (!valid_region_code(e.region))
            fail("R0109", "region",
                 fmt::format("kode wilayah '{}' harus berbentuk PP (provinsi) atau PP.KK (kabupaten/kota)", e.region),
                 fmt::format("region code '{}' must be PP (province) or PP.KK (regency/city)", e.region));
        e.level = rules.level_of_region(e.region);
        if (e.level == no_index)
            fail("R0110", "region",
                 fmt::format("kode wilayah '{}' tidak termasuk tingkat wilayah mana pun dalam aturan", e.region),
                 fmt::format("region code '{}' belongs to no region level of the rules", e.region));

        const bool on_post = is_personnel(e.kind) || e.kind == event_kind::approve || e.kind == event_kind::propose;
        if (on_post) {
            e.unit_text = required_text(value, "unit", kname);
            e.unit = rules.find_unit(e.unit_text);
            e.position = required_text(value, "position", kname);
        } else {
            e.unit_text = optional_text(value, "unit").value_or("");
            e.unit = e.unit_text.empty() ? no_index : rules.find_unit(e.unit_text);
            e.position = optional_text(value, "position").value_or("");
        }
        if (auto rank = optional_text(value, "rank")) {
            e.rank_text = *rank;
            e.rank = rules.find_rank(*rank);
            if (e.rank == no_index) {
                std::vector<std::string> names;
                for (const auto& r : rules.ranks) names.push_back(r.id);
                const std::string hint = did_you_mean(*rank, names);
                fail("R0111", "rank",
                     fmt::format("eselon '{}' tidak dikenal oleh aturan{}", *rank,
                                 hint.empty() ? "" : fmt::format("; maksudnya '{}'?", hint)),
                     fmt::format("rank '{}' is not known to the rules{}", *rank,
                                 hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
            }
        }
        if (const json* p = member(value, "person")) {
            const json& o = object_of(*p, "person");
            check_fields(o, {"nip", "name"}, "person.");
            const json* nip = member(o, "nip");
            if (!nip) missing("person.nip", kname);
            e.who.nip = nip_of(*nip, "person.nip");
            e.who.name = optional_text(o, "name", "person.").value_or("");
        } else if (on_post) {
            missing("person.nip", kname);
        }
        if (const json* d = member(value, "decree")) {
            const json& o = object_of(*d, "decree");
            check_fields(o, {"number", "date", "issuer"}, "decree.");
            e.regional_decree.number = optional_text(o, "number", "decree.").value_or("");
            e.regional_decree.issued = optional_date(o, "date", "decree.");
            e.regional_decree.issuer = optional_text(o, "issuer", "decree.").value_or("");
        }
        if (const json* list = member(value, "approvals")) {
            if (!list->is_array()) wrong_type("approvals", *list, "larik", "an array");
            for (std::size_t i = 0; i < list->size(); ++i)
                e.approvals.push_back(approval_of((*list)[i], fmt::format("approvals[{}]", i), rules));
        }
        if (e.kind == event_kind::approve && e.approvals.empty()) missing("approvals", kname);
        if (auto why_text = optional_text(value, "reason")) {
            e.why = parse_reason(*why_text);
            if (!e.why)
                fail("R0114", "reason",
                     fmt::format("alasan '{}' tidak dikenal; gunakan death, retirement, resignation, arrest atau "
                                 "definitive",
                                 *why_text),
                     fmt::format("unknown reason '{}'; use death, retirement, resignation, arrest or definitive",
                                 *why_text));
        }
        if (const json* c = member(value, "concurrent")) {
            if (!c->is_boolean()) wrong_type("concurrent", *c, "true atau false", "true or false");
            e.concurrent = c->get<bool>();
        }
        e.deadline = optional_date(value, "deadline");
        e.letter = optional_text(value, "letter").value_or("");
        e.issuer = optional_text(value, "issuer").value_or("");
        if (const json* s = member(value, "services")) e.services = services_of(*s, "services", rules);
        if (e.kind == event_kind::cutoff && e.services.empty()) missing("services", kname);
        if (const json* r = member(value, "route")) {
            if (!r->is_array()) wrong_type("route", *r, "larik", "an array");
            for (std::size_t i = 0; i < r->size(); ++i)
                e.route.push_back(authority_of((*r)[i], fmt::format("route[{}]", i), rules));
        }
        if (const json* note = member(value, "note")) text_of(*note, "note");
        return e;
    } catch (const bad_record& bad) {
        why.code = bad.code;
        why.field = bad.field;
        why.reason = bad.reason;
        return std::nullopt;
    }
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

// Hands records (text and first line) to `on_record`; lines longer than the
// limit and nesting deeper than the limit are rejected here.
class record_reader {
public:
    record_reader(std::istream& in, std::string_view source, const rule_set& rules, const event_sink& on_event,
                  const rejection_sink& on_reject, const reader_limits& limits)
        : in_(in), source_(source), rules_(rules), on_event_(on_event), on_reject_(on_reject), limits_(limits) {}

    read_counts counts;

    void reject(std::uint64_t line, const char* code, const std::string& raw, std::string field, std::string id,
                std::string en) {
        rejection r;
        r.source = std::string(source_);
        r.line = line;
        r.code = code;
        r.field = std::move(field);
        r.reason = bilingual{std::move(id), std::move(en)};
        r.raw = raw.substr(0, raw_limit);
        ++counts.read;
        ++counts.rejected;
        on_reject_(std::move(r));
    }

    void record(std::uint64_t line, const std::string& text) {
        if (depth_of(text) > limits_.max_depth) {
            reject(line, "R0103", text, "",
                   fmt::format("rekaman bersarang lebih dalam dari {} tingkat", limits_.max_depth),
                   fmt::format("the record nests deeper than {} levels", limits_.max_depth));
            return;
        }
        json value;
        try {
            value = json::parse(text);
        } catch (const json::parse_error& e) {
            reject(line, "R0101", text, "", fmt::format("JSON tidak sah (sekitar bita ke-{} rekaman)", e.byte),
                   fmt::format("malformed JSON (near byte {} of the record)", e.byte));
            return;
        }
        rejection why;
        std::optional<event> e = decode_event(value, rules_, why);
        ++counts.read;
        if (!e) {
            why.source = std::string(source_);
            why.line = line;
            why.raw = text.substr(0, raw_limit);
            ++counts.rejected;
            on_reject_(std::move(why));
            return;
        }
        e->line = line;
        e->source = std::string(source_);
        ++counts.accepted;
        on_event_(std::move(*e));
    }

    // JSON Lines: one record per line; blank lines are not records.
    void json_lines(std::uint64_t first_line) {
        std::string line;
        std::uint64_t number = first_line;
        bool too_long = false;
        char c;
        const auto finish_line = [&] {
            ++number;
            if (too_long) {
                reject(number, "R0103", line, "",
                       fmt::format("baris lebih panjang dari {} bita", limits_.max_record_bytes),
                       fmt::format("the line is longer than {} bytes", limits_.max_record_bytes));
            } else {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                if (line.find_first_not_of(" \t") != std::string::npos) record(number, line);
            }
            line.clear();
            too_long = false;
        };
        while (in_.get(c)) {
            if (c == '\n') {
                finish_line();
                continue;
            }
            if (line.size() < limits_.max_record_bytes) {
                line.push_back(c);
            } else {
                too_long = true;
            }
        }
        if (!line.empty() || too_long) finish_line();
    }

    // A JSON array, cut into its elements without holding the whole array.
    void json_array(std::uint64_t first_line) {
        std::uint64_t line = first_line + 1;
        char c;
        const auto next = [&](char& out) {
            if (!in_.get(out)) return false;
            if (out == '\n') ++line;
            return true;
        };
        // skip to '['
        bool found = false;
        while (next(c)) {
            if (c == '[') {
                found = true;
                break;
            }
        }
        if (!found) return;
        while (true) {
            // skip blanks and one comma between elements
            bool seen_comma = false;
            bool got = false;
            while ((got = next(c))) {
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
                if (c == ',' && !seen_comma) {
                    seen_comma = true;
                    continue;
                }
                break;
            }
            if (!got) {
                reject(line, "R0101", "", "", "larik JSON tidak ditutup dengan ']'",
                       "the JSON array is not closed with ']'");
                return;
            }
            if (c == ']') return;
            // one element: up to the comma or ']' at depth 0
            const std::uint64_t start = line;
            std::string text;
            bool too_long = false;
            int depth = 0;
            string_tracker strings;
            bool ended = false;
            char stop = 0;
            do {
                if (strings.inside(c)) {
                    // part of a string
                } else if (c == '{' || c == '[') {
                    ++depth;
                } else if (c == '}' || c == ']') {
                    if (depth == 0) {
                        stop = c;
                        ended = true;
                        break;
                    }
                    --depth;
                } else if (c == ',' && depth == 0) {
                    stop = c;
                    ended = true;
                    break;
                }
                if (text.size() < limits_.max_record_bytes) text.push_back(c);
                else too_long = true;
            } while (next(c));
            if (too_long) {
                reject(start, "R0103", text, "",
                       fmt::format("elemen lebih panjang dari {} bita", limits_.max_record_bytes),
                       fmt::format("the element is longer than {} bytes", limits_.max_record_bytes));
            } else {
                record(start, text);
            }
            if (!ended) {
                reject(line, "R0101", "", "", "larik JSON tidak ditutup dengan ']'",
                       "the JSON array is not closed with ']'");
                return;
            }
            if (stop == ']') return;
            if (stop == '}') {
                reject(line, "R0101", "", "", "'}' tanpa pasangan dalam larik JSON", "unmatched '}' in the JSON array");
                return;
            }
            in_.unget();  // let the separator loop see the comma
            if (c == '\n') --line;
        }
    }

private:
    std::istream& in_;
    std::string_view source_;
    const rule_set& rules_;
    const event_sink& on_event_;
    const rejection_sink& on_reject_;
    const reader_limits& limits_;

    static std::size_t depth_of(const std::string& text) {
        std::size_t depth = 0;
        std::size_t deepest = 0;
        string_tracker strings;
        for (const char c : text) {
            if (strings.inside(c)) {
                // part of a string
            } else if (c == '{' || c == '[') {
                deepest = std::max(deepest, ++depth);
            } else if ((c == '}' || c == ']') && depth > 0) {
                --depth;
            }
        }
        return deepest;
    }
};

}  // namespace

read_counts read_events(std::istream& in, std::string_view source_name, const rule_set& rules,
                        const event_sink& on_event, const rejection_sink& on_reject, input_format format,
                        const reader_limits& limits) {
    record_reader reader(in, source_name, rules, on_event, on_reject, limits);
    // A UTF-8 byte-order mark at the very start is not part of the data.
    if (in.peek() == 0xEF) {
        for (const int expected : {0xEF, 0xBB, 0xBF}) {
            if (in.peek() != expected) break;
            in.get();
        }
    }
    // Blank lines before the first record; the first other byte decides the format.
    std::uint64_t skipped_lines = 0;
    for (auto c = in.peek(); c == ' ' || c == '\t' || c == '\r' || c == '\n'; c = in.peek()) {
        if (c == '\n') ++skipped_lines;
        in.get();
    }
    if (format == input_format::automatic) format = in.peek() == '[' ? input_format::json : input_format::jsonl;
    if (format == input_format::json) reader.json_array(skipped_lines);
    else reader.json_lines(skipped_lines);
    return reader.counts;
}

}  // namespace patuh

// Rotation plans: CSV with English or Indonesian headers, a JSON array of
// move objects, or JSON Lines. Every row is validated against the rule set's
// vocabulary; a bad row is rejected with its row, a stable code (P01xx) and a
// reason in both languages, and the other rows are still planned.

#include <patuh/csv.hpp>
#include <patuh/csv_import.hpp>
#include <patuh/diagnostic.hpp>
#include <patuh/input.hpp>
#include <patuh/plan.hpp>
#include <patuh/report.hpp>

#include "common/support.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <sstream>

namespace patuh {

namespace {

using json = nlohmann::json;

enum class column : std::uint8_t {
    id, nip, name, from, to, region, unit, from_unit, rank, from_rank, effective, reason, act, approvals, note, concurrent
};
constexpr std::size_t column_count = 16;
constexpr std::size_t max_depth = 16;  // JSON nesting of a plan: an array of moves, each with an array of approvals

// The English name of each column (JSON keys, reports); more spellings in `spellings`.
constexpr std::array<std::string_view, column_count> column_names = {
    "id", "nip", "name", "from", "to", "region", "unit", "from_unit", "rank", "from_rank",
    "effective", "reason", "action", "approvals", "note", "concurrent"};

const std::map<std::string, column>& spellings() {
    static const std::map<std::string, column> table = {
        {"id", column::id},
        {"nip", column::nip},
        {"name", column::name}, {"nama", column::name},
        {"from", column::from}, {"jabatanlama", column::from}, {"dari", column::from},
        {"to", column::to}, {"jabatanbaru", column::to}, {"ke", column::to}, {"menjadi", column::to},
        {"region", column::region}, {"kodewilayah", column::region}, {"wilayah", column::region},
        {"unit", column::unit}, {"unitkerja", column::unit}, {"unitkerjabaru", column::unit},
        {"fromunit", column::from_unit}, {"unitkerjalama", column::from_unit},
        {"rank", column::rank}, {"eselon", column::rank}, {"eselonbaru", column::rank},
        {"fromrank", column::from_rank}, {"eselonlama", column::from_rank},
        {"effective", column::effective}, {"tmt", column::effective}, {"date", column::effective},
        {"tanggal", column::effective},
        {"reason", column::reason}, {"alasan", column::reason},
        {"action", column::act}, {"tindakan", column::act}, {"jenis", column::act},
        {"approvals", column::approvals}, {"persetujuan", column::approvals},
        {"note", column::note}, {"keterangan", column::note}, {"catatan", column::note},
        {"concurrent", column::concurrent}, {"rangkap", column::concurrent},
    };
    return table;
}

std::optional<column> column_of(std::string_view header) {
    const auto it = spellings().find(normalise_header(header));
    if (it == spellings().end()) return std::nullopt;
    return it->second;
}

// Column names as people write them, for suggestions.
std::vector<std::string> known_columns() {
    return {"id",          "nip",         "name",        "Nama",          "from",      "Jabatan Lama", "Dari",
            "to",          "Jabatan Baru", "Ke",         "Menjadi",       "region",    "Kode Wilayah", "Wilayah",
            "unit",        "Unit Kerja",  "Unit Kerja Baru", "from_unit", "Unit Kerja Lama", "rank", "Eselon",
            "Eselon Baru", "from_rank",   "Eselon Lama", "effective",     "TMT",       "Tanggal",      "date",
            "reason",      "Alasan",      "action",      "Tindakan",      "Jenis",     "approvals",    "Persetujuan",
            "note",        "Keterangan",  "Catatan", "concurrent", "Rangkap"};
}

// One row's fields, by column; absent and empty are the same.
using row_fields = std::array<std::optional<std::string>, column_count>;

// Thrown inside a row's validation only; becomes a rejection.
struct bad_row {
    const char* code;
    std::string field;
    bilingual reason;
};

template <typename... Args>
[[noreturn]] void fail(const char* code, column c, fmt::format_string<const Args&...> id,
                       fmt::format_string<const Args&...> en, const Args&... args) {
    throw bad_row{code, std::string(column_names[static_cast<std::size_t>(c)]),
                  both(fmt::format(id, args...), fmt::format(en, args...))};
}

std::string_view name_of(column c) { return column_names[static_cast<std::size_t>(c)]; }

const std::string* field(const row_fields& f, column c) {
    const auto& v = f[static_cast<std::size_t>(c)];
    return v && !v->empty() ? &*v : nullptr;
}

const std::string& required(const row_fields& f, column c) {
    if (const std::string* v = field(f, c)) return *v;
    fail("P0105", c, "kolom '{}' wajib diisi", "column '{}' must not be empty", name_of(c));
}

// A personnel action as written in a plan cell ("mutasi", "Plt", "pemberhentian").
std::optional<action> action_of(std::string_view text) {
    const auto kind = change_word(text);
    if (!kind || !is_personnel(*kind) || *kind == event_kind::inaugurate) return std::nullopt;  // a plan moves people
    return to_action(*kind);
}

// A date as HR spreadsheets write it (csv_date: 2024-10-01, 01-10-2024, 01/10/2024, 1 Oktober 2024).
date date_in(const std::string& text, column c) {
    const std::optional<std::string> iso = csv_date(text);
    const auto d = iso ? date::parse(*iso) : std::nullopt;
    if (!d)
        fail("P0108", c, "'{}' bukan tanggal kalender yang sah (YYYY-MM-DD)", "'{}' is not a real calendar day (YYYY-MM-DD)",
             text);
    return *d;
}

index_t rank_in(const std::string& text, column c, const rule_set& rules) {
    static const std::array<std::string_view, 6> uncovered = {"staf", "staff", "fungsional", "functional", "pelaksana", "jf"};
    if (std::find(uncovered.begin(), uncovered.end(), normalise_header(text)) != uncovered.end()) return no_index;
    const index_t r = rules.find_rank(text);
    if (r == no_index) {
        std::vector<std::string> ids;
        for (const rank& x : rules.ranks) ids.push_back(x.id);
        const std::string hint = did_you_mean(text, ids);
        fail("P0109", c, "eselon '{}' tidak dikenal oleh aturan{}; kosongkan untuk staf dan jabatan fungsional",
             "rank '{}' is not known to the rules{}; leave it empty for staff and functional posts", text,
             hint.empty() ? std::string() : fmt::format(" ('{}'?)", hint));
    }
    return r;
}

plan_post post_in(const row_fields& f, column title, column unit, column rank, const rule_set& rules,
                  const plan_post* fallback) {
    plan_post p;
    if (const std::string* t = field(f, title)) p.title = *t;
    if (const std::string* u = field(f, unit)) p.unit_text = *u;
    else if (fallback) p.unit_text = fallback->unit_text;
    p.unit = p.unit_text.empty() ? no_index : rules.find_unit(p.unit_text);
    if (const std::string* r = field(f, rank)) {
        p.rank_text = *r;
        p.rank = rank_in(*r, rank, rules);
        p.rank_stated = true;
    } else if (fallback) {
        p.rank_text = fallback->rank_text;
        p.rank = fallback->rank;
    }
    p.covered = !p.title.empty() && rules.covers_unit(p.unit) && p.rank != no_index;
    return p;
}

// "menteri:2024-01-20:800/12/SJ; dirjen:2024-02-01"
std::vector<approval> approvals_in(const std::string& text, const rule_set& rules) {
    std::vector<approval> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(';', start), text.size());
        const std::string entry(text.substr(start, end - start));
        start = end + 1;
        if (entry.find_first_not_of(" \t") == std::string::npos) continue;
        std::vector<std::string> parts;
        std::size_t p = 0;
        while (parts.size() < 2) {
            const std::size_t colon = entry.find(':', p);
            if (colon == std::string::npos) break;
            parts.push_back(entry.substr(p, colon - p));
            p = colon + 1;
        }
        parts.push_back(entry.substr(p));
        for (std::string& s : parts) {
            s.erase(0, s.find_first_not_of(" \t"));
            s.erase(s.find_last_not_of(" \t") + 1);
        }
        if (parts.size() < 2)
            fail("P0112", column::approvals, "persetujuan '{}' harus berbentuk otoritas:YYYY-MM-DD[:nomor]",
                 "approval '{}' must read authority:YYYY-MM-DD[:number]", entry);
        approval a;
        a.authority_text = parts[0];
        a.authority = rules.find_authority(parts[0]);
        if (a.authority == no_index)
            fail("P0112", column::approvals, "otoritas '{}' tidak dikenal oleh aturan", "authority '{}' is not known to the rules",
                 parts[0]);
        const auto d = date::parse(parts[1]);
        if (!d)
            fail("P0112", column::approvals, "tanggal persetujuan '{}' bukan tanggal yang sah (YYYY-MM-DD)",
                 "approval date '{}' is not a real calendar day (YYYY-MM-DD)", parts[1]);
        a.issued = *d;
        if (parts.size() > 2) a.number = parts[2];
        out.push_back(std::move(a));
        if (end == text.size()) break;
    }
    return out;
}

plan_move move_of(const row_fields& f, const rule_set& rules) {
    plan_move m;
    const std::string& nip_text = required(f, column::nip);
    const auto nip = normalise_nip(nip_text);
    if (!nip)
        fail("P0106", column::nip, "NIP '{}' tidak sah: 18 angka, tanggal lahir dan TMT PNS yang nyata, jenis kelamin 1 atau 2",
             "NIP '{}' is not valid: 18 digits, a real birth date and service start, sex 1 or 2", nip_text);
    m.who.nip = *nip;
    if (const std::string* n = field(f, column::name)) m.who.name = *n;
    m.region = required(f, column::region);
    if (!valid_region_code(m.region))
        fail("P0107", column::region, "kode wilayah '{}' harus berbentuk PP atau PP.KK",
             "region code '{}' must be PP or PP.KK", m.region);
    m.level = rules.level_of_region(m.region);
    if (m.level == no_index)
        fail("P0107", column::region, "kode wilayah '{}' tidak termasuk tingkat wilayah mana pun dalam aturan",
             "region code '{}' belongs to no region level of the rules", m.region);
    m.effective = date_in(required(f, column::effective), column::effective);
    if (!field(f, column::from) && !field(f, column::to))
        fail("P0105", column::to, "isi jabatan lama, jabatan baru, atau keduanya", "give the post left, the post taken, or both");
    if (!field(f, column::unit) && !field(f, column::from_unit))
        fail("P0105", column::unit, "kolom 'unit' wajib diisi", "column 'unit' must not be empty");
    m.to = post_in(f, column::to, column::unit, column::rank, rules, nullptr);
    if (m.to.unit_text.empty()) {
        m.to.unit_text = required(f, column::from_unit);
        m.to.unit = rules.find_unit(m.to.unit_text);
        m.to.covered = !m.to.title.empty() && rules.covers_unit(m.to.unit) && m.to.rank != no_index;
    }
    m.from = post_in(f, column::from, column::from_unit, column::from_rank, rules, &m.to);
    if (!m.from.title.empty() && !m.to.title.empty() && m.from.unit == m.to.unit && m.from.unit_text == m.to.unit_text &&
        normalise_position(m.from.title) == normalise_position(m.to.title))
        fail("P0113", column::to, "jabatan lama dan jabatan baru sama: '{}'", "the post left and the post taken are the same: '{}'",
             m.to.title);
    if (const std::string* a = field(f, column::act)) {
        const auto act = action_of(*a);
        if (!act)
            fail("P0111", column::act, "tindakan '{}' tidak dikenal; gunakan transfer, appoint, dismiss atau acting",
                 "unknown action '{}'; use transfer, appoint, dismiss or acting", *a);
        m.act = *act;
    } else {
        m.act = m.to.title.empty() ? action::dismiss : m.from.title.empty() ? action::appoint : action::transfer;
    }
    if (m.act == action::dismiss && !m.to.title.empty())
        fail("P0111", column::act, "pemberhentian tidak memiliki jabatan baru; kosongkan kolom 'to'",
             "a dismissal takes no new post; leave 'to' empty");
    if (m.act == action::dismiss && m.from.title.empty())
        fail("P0111", column::from, "pemberhentian memerlukan jabatan lama", "a dismissal needs the post left");
    if (m.act != action::dismiss && m.to.title.empty())
        fail("P0111", column::to, "tindakan {} memerlukan jabatan baru", "action {} needs the post taken", to_string(m.act));
    if (const std::string* r = field(f, column::reason)) {
        m.why = reason_word(*r);
        if (!m.why)
            fail("P0110", column::reason,
                 "alasan '{}' tidak dikenal; gunakan death, retirement, resignation, arrest atau definitive",
                 "unknown reason '{}'; use death, retirement, resignation, arrest or definitive", *r);
        if (*m.why != reason::definitive && m.act != action::dismiss)
            fail("P0110", column::reason, "alasan '{}' berlaku bagi jabatan yang ditinggalkan; kosongkan kolom 'to'",
                 "reason '{}' is for a post left behind; leave 'to' empty", *r);
        if (*m.why == reason::definitive && m.act != action::appoint && m.act != action::transfer)
            fail("P0110", column::reason, "alasan definitive hanya untuk pengangkatan atau mutasi",
                 "reason definitive is only for an appointment or a transfer");
    }
    if (const std::string* c = field(f, column::concurrent)) {
        const std::string v = normalise_header(*c);
        if (v == "yes" || v == "ya" || v == "true" || v == "1") m.concurrent = true;
        else if (v != "no" && v != "tidak" && v != "false" && v != "0")
            fail("P0115", column::concurrent, "nilai '{}' tidak dikenal; gunakan ya atau tidak",
                 "unknown value '{}'; use yes or no", *c);
        if (m.concurrent && m.act != action::appoint && m.act != action::transfer)
            fail("P0115", column::concurrent, "rangkap hanya untuk pengangkatan atau mutasi",
                 "concurrent is only for an appointment or a transfer");
    }
    if (const std::string* a = field(f, column::approvals)) m.approvals = approvals_in(*a, rules);
    for (approval& a : m.approvals) a.nip = m.who.nip;
    if (const std::string* i = field(f, column::id)) m.id = *i;
    return m;
}

struct reader {
    const rule_set& rules;
    std::string source;
    plan_input out;

    void add(std::uint64_t row, const row_fields& f) {
        ++out.rows;
        try {
            plan_move m = move_of(f, rules);
            m.source = source;
            m.row = row;
            if (m.id.empty()) m.id = fmt::format("row {}", row);
            out.moves.push_back(std::move(m));
        } catch (const bad_row& bad) {
            reject(row, bad.code, bad.field, bad.reason);
        }
    }

    void reject(std::uint64_t row, const char* code, std::string field_name, bilingual reason) {
        out.rejected.push_back({source, row, code, std::move(field_name), std::move(reason)});
    }

    void stop(std::uint64_t row, const char* code, bilingual reason) {
        out.fatal = plan_rejection{source, row, code, {}, std::move(reason)};
    }

    // ---- CSV ---------------------------------------------------------------------

    void csv(const std::string& text, const plan_limits& limits) {
        std::istringstream in(text);
        csv_reader rows(in, 0, {limits.max_row_bytes});
        csv_row header;
        if (!rows.next(header)) {
            if (rows.error()) stop(rows.error_line(), "P0103", *rows.error());
            else stop(1, "P0102", both("berkas rencana kosong", "the plan file is empty"));
            return;
        }
        if (header.problem) return stop(header.line, "P0103", header.problem->reason);
        std::vector<column> columns;
        for (const std::string& h : header.fields) {
            const auto c = column_of(h);
            if (!c) {
                const std::string hint = did_you_mean(h, known_columns());
                stop(header.line, "P0101",
                     both(fmt::format("kolom '{}' tidak dikenal{}", h, hint.empty() ? "" : "; maksudnya '" + hint + "'?"),
                          fmt::format("unknown column '{}'{}", h, hint.empty() ? "" : "; did you mean '" + hint + "'?")));
                return;
            }
            if (std::find(columns.begin(), columns.end(), *c) != columns.end()) {
                stop(header.line, "P0101",
                     both(fmt::format("kolom '{}' muncul dua kali", name_of(*c)),
                          fmt::format("column '{}' appears twice", name_of(*c))));
                return;
            }
            columns.push_back(*c);
        }
        for (const column c : {column::nip, column::region, column::effective}) {
            if (std::find(columns.begin(), columns.end(), c) == columns.end()) {
                stop(header.line, "P0102",
                     both(fmt::format("kolom wajib '{}' tidak ada di baris judul", name_of(c)),
                          fmt::format("the required column '{}' is missing from the header", name_of(c))));
                return;
            }
        }
        csv_row r;
        while (rows.next(r)) {
            if (r.problem) {
                ++out.rows;
                reject(r.line, "P0104", "", r.problem->reason);
                continue;
            }
            if (r.fields.size() != columns.size()) {
                ++out.rows;
                reject(r.line, "P0104", "",
                       both(fmt::format("baris memuat {} kolom, baris judul {}", r.fields.size(), columns.size()),
                            fmt::format("the row has {} {}, the header {}", r.fields.size(),
                                        plural(r.fields.size(), "field", "fields"), columns.size())));
                continue;
            }
            row_fields f;
            for (std::size_t i = 0; i < columns.size(); ++i) f[static_cast<std::size_t>(columns[i])] = r.fields[i];
            add(r.line, f);
        }
        if (rows.error()) {
            ++out.rows;
            reject(rows.error_line(), "P0103", "", *rows.error());
        }
    }

    // ---- JSON ----------------------------------------------------------------------

    static std::string text_of(const json& v, column c) {
        if (v.is_string()) return v.get<std::string>();
        if (c == column::nip || !v.is_number_integer()) {
            fail("P0114", c, "kolom '{}' harus berupa teks", "field '{}' must be a string", name_of(c));
        }
        return v.dump();
    }

    void object(std::uint64_t row, const json& v) {
        if (!v.is_object()) {
            ++out.rows;
            reject(row, "P0104", "", both("setiap langkah harus berupa objek JSON", "each move must be a JSON object"));
            return;
        }
        row_fields f;
        try {
            for (const auto& [key, value] : v.items()) {
                const auto c = column_of(key);
                if (!c) {
                    const std::string hint = did_you_mean(key, known_columns());
                    throw bad_row{"P0104", key,
                                  both(fmt::format("kolom '{}' tidak dikenal{}", key, hint.empty() ? "" : "; maksudnya '" + hint + "'?"),
                                       fmt::format("unknown field '{}'{}", key, hint.empty() ? "" : "; did you mean '" + hint + "'?"))};
                }
                if (value.is_null()) continue;
                if (*c == column::approvals) {
                    if (!value.is_array()) fail("P0114", *c, "kolom 'approvals' harus berupa larik", "field 'approvals' must be an array");
                    std::string joined;
                    for (const json& a : value) {
                        if (!a.is_object() || !a.contains("authority") || !a.contains("date") || !a["authority"].is_string() ||
                            !a["date"].is_string())
                            fail("P0112", *c, "setiap persetujuan memerlukan 'authority' dan 'date' berupa teks",
                                 "each approval needs 'authority' and 'date' as strings");
                        if (!joined.empty()) joined += ";";
                        joined += a["authority"].get<std::string>() + ":" + a["date"].get<std::string>();
                        if (a.contains("number") && a["number"].is_string()) joined += ":" + a["number"].get<std::string>();
                    }
                    f[static_cast<std::size_t>(*c)] = joined;
                    continue;
                }
                if (*c == column::concurrent && value.is_boolean()) {
                    f[static_cast<std::size_t>(*c)] = value.get<bool>() ? "yes" : "no";
                    continue;
                }
                f[static_cast<std::size_t>(*c)] = text_of(value, *c);
            }
        } catch (const bad_row& bad) {
            ++out.rows;
            reject(row, bad.code, bad.field, bad.reason);
            return;
        }
        add(row, f);
    }

    // Parses JSON without building what lies deeper than `max_depth`.
    static json parse_bounded(const std::string& text, bool& too_deep) {
        const json::parser_callback_t keep = [&too_deep](int depth, json::parse_event_t, json&) {
            if (depth <= static_cast<int>(max_depth)) return true;
            too_deep = true;
            return false;
        };
        return json::parse(text, keep, false);
    }

    void json_document(const std::string& text) {
        const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
        if (first != std::string::npos && text[first] == '[') {
            bool too_deep = false;
            const json doc = parse_bounded(text, too_deep);
            if (too_deep) {
                stop(1, "P0103",
                     both(fmt::format("JSON bersarang lebih dari {} tingkat", max_depth),
                          fmt::format("the JSON is nested deeper than {} {}", max_depth, plural(max_depth, "level", "levels"))));
                return;
            }
            if (doc.is_discarded() || !doc.is_array()) {
                stop(1, "P0103", both("berkas rencana bukan larik JSON yang sah", "the plan file is not a valid JSON array"));
                return;
            }
            for (std::size_t i = 0; i < doc.size(); ++i) object(i + 1, doc[i]);
            return;
        }
        // JSON Lines: one object per line.
        std::istringstream lines(text);
        std::string line;
        std::uint64_t n = 0;
        while (std::getline(lines, line)) {
            ++n;
            if (line.find_first_not_of(" \t\r\xEF\xBB\xBF") == std::string::npos) continue;
            bool too_deep = false;
            const json v = parse_bounded(line, too_deep);
            if (v.is_discarded() || too_deep) {
                ++out.rows;
                reject(n, "P0103", "", both("baris ini bukan JSON yang sah", "this line is not valid JSON"));
                continue;
            }
            object(n, v);
        }
    }
};

}  // namespace

plan_input read_plan(std::istream& in, std::string_view source, const rule_set& rules, plan_format format,
                     const plan_limits& limits) {
    reader r{rules, std::string(source), {}};
    // A plan is a few hundred rows at most: it is read whole, within a limit (16 MiB).
    const std::string text = read_at_most(in, limits.max_bytes);
    if (text.size() > limits.max_bytes) {
        r.stop(1, "P0103",
               both(fmt::format("berkas rencana lebih besar dari {} bita", limits.max_bytes),
                    fmt::format("the plan file is larger than {} {}", limits.max_bytes,
                                plural(limits.max_bytes, "byte", "bytes"))));
        return std::move(r.out);
    }
    if (std::optional<bilingual> why = foreign_file(text, source)) {
        r.stop(1, "P0103", std::move(*why));
        return std::move(r.out);
    }
    if (format == plan_format::automatic) {
        const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
        const bool json_like = first != std::string::npos && (text[first] == '[' || text[first] == '{');
        format = json_like ? plan_format::json : plan_format::csv;
    }
    if (format == plan_format::json) r.json_document(text);
    else r.csv(text, limits);
    return std::move(r.out);
}

std::string_view to_string(plan_verdict v) {
    switch (v) {
    case plan_verdict::ready: return "ready";
    case plan_verdict::needs_approval: return "needs_approval";
    case plan_verdict::blocked: return "blocked";
    }
    return "?";
}

}  // namespace patuh

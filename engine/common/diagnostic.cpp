#include <patuh/diagnostic.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace patuh {

using enum diag_code;
using enum severity_level;

const std::array<diag_info, static_cast<std::size_t>(diag_code::count_)> diag_table = {{
    {expected_token, "E0101", error, "syntax error", "kesalahan sintaksis"},
    {unterminated_string, "E0102", error, "unterminated string", "string tidak ditutup"},
    {invalid_date, "E0103", error, "invalid date", "tanggal tidak sah"},
    {include_outside_folder, "E0104", error, "include outside the rule folder", "include di luar folder aturan"},
    {include_not_found, "E0105", error, "included file not found", "berkas include tidak ditemukan"},
    {include_cycle, "E0106", error, "include cycle", "include berputar"},
    {limit_exceeded, "E0107", error, "limit exceeded", "batas terlampaui"},
    {unreadable_file, "E0108", error, "file cannot be read", "berkas tidak dapat dibaca"},
    {unknown_name, "E0201", error, "unknown name", "nama tidak dikenal"},
    {duplicate_declaration, "E0202", error, "duplicate declaration", "deklarasi ganda"},
    {overlapping_rule_period, "E0203", error, "rule id in force twice at once", "id aturan berlaku ganda"},
    {authority_cycle, "E0204", error, "cycle in the authority hierarchy", "hierarki otoritas berputar"},
    {empty_period, "E0205", error, "in-force period ends before it starts", "masa berlaku berakhir sebelum mulai"},
    {repeated_statement, "E0206", error, "statement given twice", "pernyataan diberikan dua kali"},
    {missing_requirement, "E0207", error, "rule says nothing about approval", "aturan tidak menyebut persetujuan"},
    {invalid_level_codes, "E0208", error, "invalid region-code pattern", "pola kode wilayah tidak sah"},
    {alias_conflict, "E0209", error, "alias used twice", "alias dipakai dua kali"},
    {conflicting_statements, "E0210", error, "conflicting statements", "pernyataan bertentangan"},
    {test_without_date, "E0501", error, "test without a report date", "uji tanpa tanggal laporan"},
    {rejected_test_event, "E0502", error, "test event cannot be used", "peristiwa uji tidak dapat dipakai"},
    {test_without_expectation, "E0503", error, "test expects nothing", "uji tanpa harapan"},
    {missing_citation, "W0301", warning, "rule without citation", "aturan tanpa rujukan pasal"},
    {missing_message, "W0302", warning, "rule without a message in one language", "aturan tanpa pesan dalam satu bahasa"},
    {missing_severity, "W0303", warning, "rule without severity", "aturan tanpa tingkat keparahan"},
    {coverage_gap, "W0401", warning, "a covered change has no rule", "perubahan yang tercakup tanpa aturan"},
    {rule_overlap, "W0402", warning, "two rules with different requirements apply", "dua aturan dengan syarat berbeda berlaku"},
    {rule_shadowed, "W0403", warning, "a rule that never applies", "aturan yang tidak pernah berlaku"},
    {unused_name, "W0404", warning, "a declared name is never used", "nama yang dideklarasikan tidak dipakai"},
    {ineffective_period, "W0405", warning, "an in-force period that never takes effect",
     "masa berlaku yang tidak pernah efektif"},
    {ineffective_exemption, "W0406", warning, "an exemption that exempts nothing",
     "pengecualian yang tidak mengecualikan apa pun"},
}};

namespace {
constexpr bool table_in_enum_order() {
    for (std::size_t i = 0; i < diag_table.size(); ++i)
        if (static_cast<std::size_t>(diag_table[i].code) != i) return false;
    return true;
}
}  // namespace
static_assert(diag_table.size() == static_cast<std::size_t>(diag_code::count_), "every code needs a table row");

const diag_info& info(diag_code code) {
    static const bool ordered = table_in_enum_order();
    (void)ordered;
    return diag_table.at(static_cast<std::size_t>(code));
}

bool diagnostic_list::has_errors() const { return error_count() > 0; }

std::size_t diagnostic_list::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [](const diagnostic& d) { return d.level() == error; }));
}

std::size_t diagnostic_list::warning_count() const { return items.size() - error_count(); }

namespace {

std::string headline(const diagnostic& d, lang l) {
    const diag_info& i = info(d.code);
    std::string text = d.message.in(l);
    if (text.empty()) text = std::string(l == lang::id ? i.summary_id : i.summary_en);
    if (!d.expected.empty()) text += trf(l, "; diharapkan {}", "; expected {}", d.expected);
    return text;
}

}  // namespace

std::string render_text(const diagnostic& d, const source_set& sources, lang l, bool color) {
    const diag_info& i = info(d.code);
    const bool is_error = i.level == error;
    const char* bold = color ? "\x1b[1m" : "";
    const char* tone = !color ? "" : is_error ? "\x1b[1;31m" : "\x1b[1;33m";
    const char* blue = color ? "\x1b[1;34m" : "";
    const char* reset = color ? "\x1b[0m" : "";
    const char* word = is_error ? (l == lang::id ? "galat" : "error") : (l == lang::id ? "peringatan" : "warning");

    std::string out;
    if (d.where.file >= sources.size()) {
        out = fmt::format("{}{}[{}]{}: {}{}{}\n", tone, word, i.id, reset, bold, headline(d, l), reset);
        return out;
    }
    const source_file& f = sources.at(d.where.file);
    const line_column lc = f.locate(d.where.begin);
    out = fmt::format("{}{}[{}]{}: {}:{}:{}: {}{}{}\n", tone, word, i.id, reset, f.name(), lc.line, lc.column, bold,
                      headline(d, l), reset);
    // A file that could not be read has no line to show.
    if (d.code == diag_code::unreadable_file && f.text().empty()) return out;
    const std::string_view line = f.line_text(d.where.begin);
    const std::string number = std::to_string(lc.line);
    const std::string pad(number.size(), ' ');
    std::size_t width = 1;
    if (d.where.end > d.where.begin) {
        const std::size_t line_left = line.size() >= lc.column - 1 ? line.size() - (lc.column - 1) : 0;
        width = std::max<std::size_t>(1, std::min<std::size_t>(d.where.end - d.where.begin, line_left));
    }
    std::string marker(lc.column - 1, ' ');
    // keep tabs aligned with the source line
    for (std::size_t k = 0; k < marker.size() && k < line.size(); ++k)
        if (line[k] == '\t') marker[k] = '\t';
    out += fmt::format(" {}{} |{} {}\n", blue, number, reset, line);
    std::string note;
    if (!d.suggestion.empty())
        note = trf(l, " apakah maksudnya '{}'?", " did you mean '{}'?", d.suggestion);
    out += fmt::format(" {}{} |{} {}{}{}{}{}\n", blue, pad, reset, marker, tone, std::string(width, '^'), reset, note);
    return out;
}

std::string render_text(const diagnostic_list& list, const source_set& sources, lang l, bool color) {
    std::string out;
    for (const diagnostic& d : list.items) out += render_text(d, sources, l, color);
    return out;
}

nlohmann::json render_json(const diagnostic_list& list, const source_set& sources, lang l) {
    nlohmann::json items = nlohmann::json::array();
    for (const diagnostic& d : list.items) {
        const diag_info& i = info(d.code);
        nlohmann::json j = {
            {"code", i.id},
            {"severity", i.level == error ? "error" : "warning"},
            {"message", headline(d, l)},
        };
        if (d.where.file < sources.size()) {
            const source_file& f = sources.at(d.where.file);
            const line_column b = f.locate(d.where.begin);
            const line_column e = f.locate(d.where.end);
            j["file"] = f.name();
            j["line"] = b.line;
            j["column"] = b.column;
            j["end_line"] = e.line;
            j["end_column"] = e.column;
        }
        if (!d.expected.empty()) j["expected"] = d.expected;
        if (!d.suggestion.empty()) j["suggestion"] = d.suggestion;
        items.push_back(std::move(j));
    }
    return {{"errors", list.error_count()}, {"warnings", list.warning_count()}, {"diagnostics", std::move(items)}};
}

namespace {
// Letters compared without case: ASCII only, as names are (bytes beyond ASCII compare as they are).
void fold(std::string_view s, std::string& out) {
    out.assign(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// Edits that turn `a` into `b`, counted up to `limit` (any more: `limit`);
// `row` is storage reused from call to call.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit, std::vector<std::size_t>& row) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) >= limit) return limit;
    row.resize(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return std::min(row[b.size()], limit);
}

template <typename Names>
std::string closest(std::string_view name, const Names& candidates) {
    std::string_view best;
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    std::string lower;
    std::string other;
    std::vector<std::size_t> row;
    fold(name, lower);
    for (const std::string_view c : candidates) {
        // "kotamadya" → "kota": a longer or shorter form of a known name
        const bool prefix =
            std::min(name.size(), c.size()) >= 3 && (name.substr(0, c.size()) == c || c.substr(0, name.size()) == name);
        std::size_t d = 1;
        if (!prefix) {
            fold(c, other);
            d = edit_distance(lower, other, best_distance, row);
        }
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return std::string(best);
}
}  // namespace

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    return closest(name, candidates);
}

std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates) {
    return closest(name, candidates);
}

}  // namespace patuh

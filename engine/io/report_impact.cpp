// The reports of `patuh impact`: text for the policy writer, JSON for tools.

#include "common/support.hpp"
#include "io/report_support.hpp"

#include <patuh/impact.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace patuh {

using namespace report_support;
using json = nlohmann::json;

namespace {

// "the shipped rules", or the files and folders given.
std::string rules_named(const impact_side& s, lang l) {
    if (s.rule_paths.empty()) return tr(l, "aturan bawaan", "the shipped rules");
    std::string out;
    for (const std::string& p : s.rule_paths) {
        if (!out.empty()) out += ", ";
        out += shown(p);
    }
    return out;
}

// "8 evaluated + 0 rejected" (+ the records after the report date).
std::string counts_of(const audit_report& r, lang l) {
    std::string out = trf(l, "{} dinilai + {} ditolak", "{} evaluated + {} rejected", r.result.evaluated,
                          r.rejected_count);
    if (r.result.after_as_of > 0)
        out += trf(l, " + {} setelah tanggal laporan", " + {} after the report date", r.result.after_as_of);
    return out;
}

// "events.jsonl:5": where the record that opened a finding was read (an
// approval's finding of a person never installed has no place).
std::string place_of(const finding& f) {
    if (f.source.empty() && f.line == 0) return {};
    return fmt::format(", {}:{}", shown(f.source), f.line);
}

// "Open since 2017-01-26 (still open)" or "Open 2017-01-26 to 2017-02-01; closed by ev-9: ..."
std::string span_of(const finding& f, lang l) {
    if (!f.closed) return trf(l, "Terbuka sejak {} (masih terbuka)", "Open since {} (still open)", f.opened.iso());
    return trf(l, "Terbuka {} s.d. {}; ditutup oleh {}: {}", "Open {} to {}; closed by {}: {}", f.opened.iso(),
               f.closed->iso(), shown(f.closed_by), close_label(*f.closed_because, l));
}

// "still open", or "2017-02-01, by ev-9: the central approval arrived"
std::string closing_of(const finding& f, lang l) {
    if (!f.closed) return tr(l, "masih terbuka", "still open");
    return trf(l, "{}, oleh {}: {}", "{}, by {}: {}", f.closed->iso(), shown(f.closed_by),
               close_label(*f.closed_because, l));
}

std::string rule_line(const finding& f, const rule_set& rules) {
    const rule& r = rules.rules.at(f.rule);
    return fmt::format("{} ({})", shown(r.id), shown(rules.policies.at(r.policy).title));
}

std::string required_of(const finding& f, const rule_set& rules, lang l) {
    const rule& r = rules.rules.at(f.rule);
    if (r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium) return "-";
    return shown(describe_requirement(r, rules, l));
}

// The first lines of a finding: severity, rule, post; the record that opened it.
void finding_head(const finding& f, const rule_set& rules, lang l, const palette& c, std::string& out) {
    out += fmt::format("\n   {}{}{} {} — {}, {}, {} ({} {})\n", c.for_severity(f.sev), describe_severity(f.sev, l),
                       c.reset, shown(rules.rules.at(f.rule).id), shown(f.region), shown(f.position),
                       shown(unit_title(f.unit, rules)), tr(l, "eselon", "rank"), shown(rank_title(f.rank, rules)));
    out += trf(l, "      Peristiwa {} ({}){}\n", "      Event {} ({}){}\n", shown(f.event_id), describe_action(f.kind, l),
               place_of(f));
}

void write_finding(const finding& f, const rule_set& rules, lang l, const palette& c, std::string& out) {
    finding_head(f, rules, l, c, out);
    out += fmt::format("      {}\n", span_of(f, l));
    const rule& r = rules.rules.at(f.rule);
    out += fmt::format("      {}: {} — {}\n", tr(l, "Aturan", "Rule"), rule_line(f, rules), shown(r.citation));
}

void write_changed(const finding& a, const rule_set& ra, const finding& b, const rule_set& rb,
                   const changed_finding& x, lang l, const palette& c, std::string& out) {
    finding_head(b, rb, l, c, out);
    const auto line = [&](const char* id, const char* en, const std::string& before, const std::string& after) {
        out += fmt::format("      {}: {} → {}\n", tr(l, id, en), before, after);
    };
    // A long text before and after, each on its own line.
    const auto lines = [&](const char* id, const char* en, const std::string& before, const std::string& after) {
        out += fmt::format("      {}\n         {} {}\n         {} {}\n", tr(l, id, en),
                           tr(l, "berlaku:  ", "in force:"), before, tr(l, "rancangan:", "draft:   "), after);
    };
    if (x.has(finding_difference::severity))
        line("Keparahan", "Severity", std::string(describe_severity(a.sev, l)),
             std::string(describe_severity(b.sev, l)));
    if (x.has(finding_difference::rule)) line("Aturan", "Rule", rule_line(a, ra), rule_line(b, rb));
    if (x.has(finding_difference::opened)) line("Dibuka", "Opened", a.opened.iso(), b.opened.iso());
    if (x.has(finding_difference::closed)) line("Ditutup", "Closed", closing_of(a, l), closing_of(b, l));
    if (x.has(finding_difference::required))
        lines("Syarat", "Required", required_of(a, ra, l), required_of(b, rb, l));
    if (x.has(finding_difference::remedy))
        lines("Pemulihan", "Remedy", shown(describe_remedy(a.fix, ra, l)), shown(describe_remedy(b.fix, rb, l)));
}

// A region as one side sees it; nothing judged there reads as no open risk.
struct standing {
    std::string stage;
    int open_findings = 0;
    int open_notices = 0;
    std::optional<severity> worst;
};

standing standing_of(const region_state* s, const rule_set& rules, lang l) {
    if (s == nullptr) return {describe_stage(-1, rules, l), 0, 0, std::nullopt};
    return {describe_stage(s->stage, rules, l), s->open_findings, s->open_notices,
            s->open_findings > 0 ? std::optional<severity>(s->worst) : std::nullopt};
}

void write_region(const region_change& x, const rule_set& ra, const rule_set& rb, lang l, std::string& out) {
    const region_state& known = x.draft != nullptr ? *x.draft : *x.in_force;
    const standing a = standing_of(x.in_force, ra, l);
    const standing b = standing_of(x.draft, rb, l);
    out += fmt::format("   {} ({}): {}", shown(known.code), shown(level_title(known.level, x.draft != nullptr ? rb : ra)),
                       shown(a.stage));
    if (a.stage != b.stage) out += fmt::format(" → {}", shown(b.stage));
    if (a.open_findings != b.open_findings)
        out += trf(l, "; temuan terbuka {} → {}", "; open findings {} → {}", a.open_findings, b.open_findings);
    if (a.open_notices != b.open_notices)
        out += trf(l, "; catatan terbuka {} → {}", "; open notices {} → {}", a.open_notices, b.open_notices);
    if (a.worst && b.worst && *a.worst != *b.worst)
        out += trf(l, "; temuan terbuka terberat {} → {}", "; worst open finding {} → {}",
                   describe_severity(*a.worst, l), describe_severity(*b.worst, l));
    out += '\n';
}

std::string rejected_as(const std::optional<std::size_t>& index, const audit_report& r, lang l) {
    if (!index) return tr(l, "diterima", "accepted");
    const rejection x = r.rejected[*index];
    return fmt::format("{} {}", x.code, shown(x.reason.in(l)));
}

// The place of a record rejected by one side or both.
rejection place_of(const rejection_change& x, const audit_report& a, const audit_report& b) {
    return x.in_force ? a.rejected[*x.in_force] : b.rejected[*x.draft];
}

}  // namespace

void write_impact_text(std::ostream& os, const impact& found, const impact_side& in_force, const impact_side& draft,
                       const impact_options& options) {
    const lang l = options.language;
    const palette c = options.color ? palette::colored() : palette{};
    const audit_report& ra = in_force.report;
    const audit_report& rb = draft.report;
    std::string out;
    out += fmt::format("{}patuh impact{} — {} {}\n", c.bold, c.reset, tr(l, "per tanggal", "as of"),
                       as_of_text(ra.result, l));
    out += fmt::format("{}: {}\n", tr(l, "Aturan yang berlaku", "Rules in force"), rules_named(in_force, l));
    out += fmt::format("{}: {}\n", tr(l, "Rancangan", "Draft"), rules_named(draft, l));
    if (!ra.regions.empty()) out += selection_line(ra, l) + "\n";
    out += trf(l, "Dibaca {} rekaman: dengan aturan yang berlaku {}; dengan rancangan {}.\n",
               "Read {} records: with the rules in force {}; with the draft {}.\n", ra.read, counts_of(ra, l),
               counts_of(rb, l));
    out += trf(l, "Temuan: {} dengan aturan yang berlaku, {} dengan rancangan: {} baru, {} hilang, {} berubah, {} tetap.\n",
               "Findings: {} with the rules in force, {} with the draft: {} new, {} gone, {} changed, {} the same.\n",
               ra.result.findings.size(), rb.result.findings.size(), found.added.size(), found.removed.size(),
               found.changed.size(), found.same);
    if (!found.by_rule.empty()) {
        out += tr(l, "Menurut aturan:\n", "By rule:\n");
        for (const rule_change& x : found.by_rule) {
            if (x.in_force.empty())
                out += trf(l, "   {}: {} baru\n", "   {}: {} new\n", shown(x.draft), x.count);
            else if (x.draft.empty())
                out += trf(l, "   {}: {} hilang\n", "   {}: {} gone\n", shown(x.in_force), x.count);
            else if (x.in_force == x.draft)
                out += trf(l, "   {}: {} berubah\n", "   {}: {} changed\n", shown(x.draft), x.count);
            else
                out += trf(l, "   {} → {}: {} berubah\n", "   {} → {}: {} changed\n", shown(x.in_force), shown(x.draft),
                           x.count);
        }
    }
    if (!found.any()) {
        out += tr(l, "Rancangan tidak mengubah apa pun pada log ini.\n", "The draft changes nothing in this log.\n");
        os << out;
        return;
    }
    const auto heading = [&](const char* id, const char* en, std::size_t n) {
        out += fmt::format("\n{}{} ({}){}\n", c.bold, tr(l, id, en), n, c.reset);
    };
    finding f, g;
    // The findings of one side only, under their heading.
    const auto unpaired = [&](const char* id, const char* en, const std::vector<std::size_t>& indices,
                              const impact_side& side) {
        if (indices.empty()) return;
        heading(id, en, indices.size());
        for (const std::size_t i : indices) {
            side.report.result.findings.read(i, f);
            write_finding(f, side.rules, l, c, out);
            flush_when_full(os, out);
        }
    };
    unpaired("Baru dengan rancangan", "New with the draft", found.added, draft);
    unpaired("Hilang dengan rancangan", "Gone with the draft", found.removed, in_force);
    if (!found.changed.empty()) {
        heading("Berubah dengan rancangan", "Changed by the draft", found.changed.size());
        for (const changed_finding& x : found.changed) {
            ra.result.findings.read(x.in_force, f);
            rb.result.findings.read(x.draft, g);
            write_changed(f, in_force.rules, g, draft.rules, x, l, c, out);
            flush_when_full(os, out);
        }
    }
    if (!found.regions.empty()) {
        heading("Wilayah yang kedudukannya berubah", "Regions whose standing changes", found.regions.size());
        for (const region_change& x : found.regions) write_region(x, in_force.rules, draft.rules, l, out);
    }
    if (!found.rejections.empty()) {
        heading("Rekaman yang ditolak secara berbeda", "Records rejected differently", found.rejections.size());
        for (const rejection_change& x : found.rejections) {
            const rejection at = place_of(x, ra, rb);
            out += trf(l, "   {}:{}: dengan aturan yang berlaku {}; dengan rancangan {}\n",
                       "   {}:{}: with the rules in force {}; with the draft {}\n", shown(at.source), at.line,
                       rejected_as(x.in_force, ra, l), rejected_as(x.draft, rb, l));
            flush_when_full(os, out);
        }
    }
    os << out;
}

namespace {

json side_counts(const audit_report& r) {
    return {{"evaluated", r.result.evaluated},
            {"rejected", r.rejected_count},
            {"after_as_of", r.result.after_as_of},
            {"findings", r.result.findings.size()}};
}

json standing_json(const region_state* s, const rule_set& rules, lang l) {
    if (s == nullptr) return nullptr;
    return {{"stage", s->stage < 0 ? json(nullptr) : json(rules.ladder.at(static_cast<std::size_t>(s->stage)).id)},
            {"label", describe_stage(s->stage, rules, l)},
            {"open_findings", s->open_findings},
            {"open_notices", s->open_notices},
            {"worst_open_severity", s->open_findings > 0 ? json(to_string(s->worst)) : json(nullptr)}};
}

json rejection_json(const std::optional<std::size_t>& index, const audit_report& r, lang l) {
    if (!index) return nullptr;
    const rejection x = r.rejected[*index];
    return {{"code", x.code}, {"reason", x.reason.in(l)}};
}

// The findings are streamed into the places of these values in the document.
constexpr std::string_view new_placeholder = "\x01new";
constexpr std::string_view gone_placeholder = "\x01gone";
constexpr std::string_view changed_placeholder = "\x01changed";

}  // namespace

void write_impact_json(std::ostream& os, const impact& found, const impact_side& in_force, const impact_side& draft,
                       lang l) {
    const audit_report& ra = in_force.report;
    const audit_report& rb = draft.report;
    const auto paths = [](const impact_side& s) { return s.rule_paths.empty() ? json(nullptr) : json(s.rule_paths); };
    json regions = json::array();
    for (const region_change& x : found.regions) {
        const region_state& known = x.draft != nullptr ? *x.draft : *x.in_force;
        regions.push_back({{"code", known.code},
                           {"in_force", standing_json(x.in_force, in_force.rules, l)},
                           {"draft", standing_json(x.draft, draft.rules, l)}});
    }
    json by_rule = json::array();
    for (const rule_change& x : found.by_rule) {
        const char* status = x.in_force.empty() ? "new" : x.draft.empty() ? "gone" : "changed";
        const auto id = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
        by_rule.push_back({{"status", status}, {"in_force", id(x.in_force)}, {"draft", id(x.draft)}, {"count", x.count}});
    }
    json rejections = json::array();
    for (const rejection_change& x : found.rejections) {
        const rejection at = place_of(x, ra, rb);
        rejections.push_back({{"source", at.source},
                              {"line", at.line},
                              {"in_force", rejection_json(x.in_force, ra, l)},
                              {"draft", rejection_json(x.draft, rb, l)}});
    }
    const json document = {
        {"schema", impact_schema_version},
        {"as_of", ra.result.as_of_known ? json(ra.result.as_of.iso()) : json(nullptr)},
        {"by_rule", std::move(by_rule)},
        {"inputs", ra.inputs},
        {"rules", {{"in_force", paths(in_force)}, {"draft", paths(draft)}}},
        {"summary",
         {{"read", ra.read},
          {"in_force", side_counts(ra)},
          {"draft", side_counts(rb)},
          {"new", found.added.size()},
          {"gone", found.removed.size()},
          {"changed", found.changed.size()},
          {"same", found.same},
          {"regions_changed", found.regions.size()},
          {"rejections_changed", found.rejections.size()}}},
        {"new", new_placeholder},
        {"gone", gone_placeholder},
        {"changed", changed_placeholder},
        {"regions", std::move(regions)},
        {"rejections", std::move(rejections)},
    };
    const std::string text = document.dump(2, ' ', false, json::error_handler_t::replace);
    std::size_t from = 0;
    // Writes the document up to the value of member `name` (`placeholder`), and skips it.
    const auto copy_until = [&](std::string_view name, std::string_view placeholder) {
        const std::string key = fmt::format("\n  \"{}\": ", name), value = json(placeholder).dump();
        const std::size_t at = text.find(key + value, from) + key.size();
        os.write(text.data() + from, static_cast<std::streamsize>(at - from));
        from = at + value.size();
    };
    finding_json_writer in_force_json(ra.result, in_force.rules, l, 2, 3);
    finding_json_writer draft_json(rb.result, draft.rules, l, 2, 3);
    finding_json_writer in_force_list(ra.result, in_force.rules, l, 2, 2);
    finding_json_writer draft_list(rb.result, draft.rules, l, 2, 2);
    finding f, g;
    std::string out;
    // The members in the order dumped (by key): changed, gone, new.
    copy_until("changed", changed_placeholder);
    out = "[";
    for (std::size_t k = 0; k < found.changed.size(); ++k) {
        const changed_finding& x = found.changed[k];
        ra.result.findings.read(x.in_force, f);
        rb.result.findings.read(x.draft, g);
        out += k == 0 ? "\n    {\n      \"differs\": [" : ",\n    {\n      \"differs\": [";
        bool first = true;
        for (std::size_t bit = 0; bit < finding_difference_count; ++bit) {
            const auto d = static_cast<finding_difference>(1u << bit);
            if (!x.has(d)) continue;
            out += first ? "\n        \"" : ",\n        \"";
            out += to_string(d);
            out += '"';
            first = false;
        }
        out += "\n      ],\n      \"draft\": ";
        draft_json.append(out, g);
        out += ",\n      \"in_force\": ";
        in_force_json.append(out, f);
        out += "\n    }";
        flush_when_full(os, out);
    }
    os << out << (found.changed.empty() ? "]" : "\n  ]");
    const auto list = [&](std::string_view name, std::string_view placeholder, const std::vector<std::size_t>& indices,
                          const finding_list& findings, finding_json_writer& writer) {
        copy_until(name, placeholder);
        out = "[";
        for (std::size_t k = 0; k < indices.size(); ++k) {
            findings.read(indices[k], f);
            out += k == 0 ? "\n    " : ",\n    ";
            writer.append(out, f);
            flush_when_full(os, out);
        }
        os << out << (indices.empty() ? "]" : "\n  ]");
    };
    list("gone", gone_placeholder, found.removed, ra.result.findings, in_force_list);
    list("new", new_placeholder, found.added, rb.result.findings, draft_list);
    os.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
    os << '\n';
}

namespace {

constexpr std::size_t impact_columns = 23;

std::array<const char*, impact_columns> impact_header(lang l) {
    if (l == lang::id)
        return {"Status",
                "Kode wilayah",
                "Unit kerja",
                "Jabatan",
                "Eselon",
                "Peristiwa",
                "Sumber",
                "Baris",
                "Perbedaan",
                "Aturan (berlaku)",
                "Aturan (rancangan)",
                "Keparahan (berlaku)",
                "Keparahan (rancangan)",
                "Dibuka (berlaku)",
                "Dibuka (rancangan)",
                "Ditutup (berlaku)",
                "Ditutup (rancangan)",
                "Sebab ditutup (berlaku)",
                "Sebab ditutup (rancangan)",
                "Syarat (berlaku)",
                "Syarat (rancangan)",
                "Pemulihan (berlaku)",
                "Pemulihan (rancangan)"};
    return {"Status",
            "Region code",
            "Unit",
            "Position",
            "Rank",
            "Event",
            "Source",
            "Line",
            "Differences",
            "Rule (in force)",
            "Rule (draft)",
            "Severity (in force)",
            "Severity (draft)",
            "Opened (in force)",
            "Opened (draft)",
            "Closed (in force)",
            "Closed (draft)",
            "Close cause (in force)",
            "Close cause (draft)",
            "Required (in force)",
            "Required (draft)",
            "Remedy (in force)",
            "Remedy (draft)"};
}

// What differs, in the language of the report: "severity, rule".
std::string differences_text(const changed_finding& x, lang l) {
    static constexpr std::array<std::pair<const char*, const char*>, finding_difference_count> names{{
        {"aturan", "rule"},
        {"keparahan", "severity"},
        {"dibuka", "opened"},
        {"ditutup", "closed"},
        {"syarat", "required"},
        {"pemulihan", "remedy"},
    }};
    std::string out;
    for (std::size_t bit = 0; bit < finding_difference_count; ++bit) {
        if (!x.has(static_cast<finding_difference>(1u << bit))) continue;
        if (!out.empty()) out += ", ";
        out += tr(l, names[bit].first, names[bit].second);
    }
    return out;
}

// The cells of one side of a row: rule, severity, opened, closed, close
// cause, required, remedy (each pair of cells takes the in-force side, then
// the draft's); empty without a finding on that side.
struct side_cells {
    std::array<std::string, 7> cells;
    side_cells() = default;
    side_cells(const finding& f, const rule_set& rules, lang l)
        : cells{rules.rules.at(f.rule).id,
                std::string(describe_severity(f.sev, l)),
                f.opened.iso(),
                f.closed ? f.closed->iso() : std::string(),
                f.closed_because ? std::string(close_label(*f.closed_because, l)) : std::string(),
                required_of(f, rules, l),
                describe_remedy(f.fix, rules, l)} {}
};

}  // namespace

void write_impact_csv(std::ostream& os, const impact& found, const impact_side& in_force, const impact_side& draft,
                      lang l, char delimiter, finding_range range, csv_row_place* place) {
    std::string out(csv_byte_order_mark);
    csv_row head(out, delimiter);
    for (const char* h : impact_header(l)) head.text(h);
    head.end();
    // The rows of the range, numbered from 0 in the order written; the line
    // of row place->row counts the line breaks inside the rows before it.
    const std::size_t total = impact_csv_rows(found);
    const std::size_t first = std::min(range.first, total);
    const std::size_t last = first + std::min(range.count, total - first);
    const std::uint64_t wanted = place != nullptr && place->row <= last - first ? place->row : 0;
    std::uint64_t breaks_inside = 0;
    std::size_t number = 0;  // of the next row
    const auto in_range = [&] { return number >= first && number < last; };
    // One row: the status, the post and record of `f` (the draft's finding
    // when there is one), what differs, then each side's cells in pairs.
    const auto row = [&](const char* id, const char* en, const finding& f, const std::string& differs,
                         const side_cells& a, const side_cells& b, const rule_set& rules) {
        const std::size_t row_start = out.size();
        csv_row r(out, delimiter);
        r.text(tr(l, id, en)).text(f.region).text(f.unit == no_index ? std::string() : unit_title(f.unit, rules));
        r.text(f.position).text(f.rank == no_index ? std::string() : rank_title(f.rank, rules)).text(f.event_id);
        r.text(f.source);
        if (f.line == 0) r.empty();
        else r.number(static_cast<std::int64_t>(f.line));
        r.text(differs);
        for (std::size_t k = 0; k < a.cells.size(); ++k) r.text(a.cells[k]).text(b.cells[k]);
        r.end();
        if (number - first + 1 < wanted) breaks_inside += line_breaks_inside(std::string_view(out).substr(row_start));
        flush_when_full(os, out);
    };
    finding f, g;
    for (const std::size_t i : found.added) {
        if (in_range()) {
            draft.report.result.findings.read(i, g);
            row("baru", "new", g, {}, {}, side_cells(g, draft.rules, l), draft.rules);
        }
        ++number;
    }
    for (const std::size_t i : found.removed) {
        if (in_range()) {
            in_force.report.result.findings.read(i, f);
            row("hilang", "gone", f, {}, side_cells(f, in_force.rules, l), {}, in_force.rules);
        }
        ++number;
    }
    for (const changed_finding& x : found.changed) {
        if (in_range()) {
            in_force.report.result.findings.read(x.in_force, f);
            draft.report.result.findings.read(x.draft, g);
            row("berubah", "changed", g, differences_text(x, l), side_cells(f, in_force.rules, l),
                side_cells(g, draft.rules, l), draft.rules);
        }
        ++number;
    }
    os << out;
    if (place != nullptr) place->line = wanted == 0 ? 0 : 1 + wanted + breaks_inside;
}

}  // namespace patuh

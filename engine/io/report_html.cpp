// The audit as one self-contained HTML page for auditors (docs/report.md):
// summary, per-region risk, totals by year, rank and rule, every flagged post
// with a timeline (inline SVG) of its two views, and the rejected records.
// No script, no external resource; the same report gives the same bytes.

#include "io/ordered_batches.hpp"
#include "io/report_support.hpp"

#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

namespace patuh {

namespace {

using namespace report_support;

std::string esc(std::string_view s) { return markup_escape(s); }

std::string severity_class(severity s) { return fmt::format("sev-{}", to_string(s)); }

constexpr std::string_view style = R"(body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; }
h2 { border-bottom: 1px solid #999; margin-top: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; }
table.posts td:nth-child(1), table.posts td:nth-child(6), table.posts td:nth-child(7),
table.findings td:nth-child(6) { text-align: right; }
.sev-critical { background: #7f0000; color: #fff; }
.sev-high { background: #d7301f; color: #fff; }
.sev-medium { background: #fc8d59; }
.sev-low { background: #fdcc8a; }
.sev-info { background: #e0e0e0; }
section.post { border: 1px solid #ccc; padding: 0.5em 1em; margin-bottom: 1.5em; page-break-inside: avoid; }
svg.timeline { display: block; max-width: 100%; height: auto; font-family: sans-serif; font-size: 11px; }
p.legend span { display: inline-block; margin-right: 1.2em; }
p.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: middle; }
@media print { body { margin: 0; font-size: 9pt; } }
)";

// ---- tables --------------------------------------------------------------------

std::string cell(std::string_view text, std::string_view cls = {}) {
    if (cls.empty()) return fmt::format("<td>{}</td>", esc(text));
    return fmt::format("<td class=\"{}\">{}</td>", cls, esc(text));
}

std::string number(std::int64_t n) { return fmt::format("<td class=\"n\">{}</td>", n); }

std::string header_row(std::initializer_list<std::string_view> names) {
    std::string out = "<tr>";
    for (const std::string_view n : names) out += fmt::format("<th>{}</th>", esc(n));
    return out + "</tr>\n";
}

std::string person_text(const std::optional<person>& p, bool acting, const char* none, lang l) {
    return p ? holder_name(*p, acting, l) : std::string(none);
}

// Findings counted under one key (a year, a rank, a rule).
struct tally {
    std::uint64_t all = 0;
    std::uint64_t open = 0;
    std::array<std::uint64_t, 5> by_severity{};
    void add(const finding& f) {
        ++all;
        if (!f.closed) ++open;
        ++by_severity[static_cast<std::size_t>(f.sev)];
    }
};

template <typename Key>
std::string tally_table(std::string_view key_title, const std::map<Key, tally>& rows,
                        const std::function<std::string(const Key&)>& key_text, lang l) {
    std::string out = "<table>\n<tr>";
    out += fmt::format("<th>{}</th><th>{}</th><th>{}</th>", esc(key_title), tr(l, "Temuan", "Findings"),
                       tr(l, "Masih terbuka", "Still open"));
    for (int s = 4; s >= 0; --s)
        out += fmt::format("<th class=\"{}\">{}</th>", severity_class(static_cast<severity>(s)),
                           esc(describe_severity(static_cast<severity>(s), l)));
    out += "</tr>\n";
    for (const auto& [key, t] : rows) {
        out += "<tr>" + cell(key_text(key)) + number(static_cast<std::int64_t>(t.all)) +
               number(static_cast<std::int64_t>(t.open));
        for (int s = 4; s >= 0; --s) out += number(static_cast<std::int64_t>(t.by_severity[static_cast<std::size_t>(s)]));
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

// The records of each input, in the order given, and where one stopped before its end.
std::string inputs_table(const audit_report& report, lang l) {
    const bool after_as_of = report.result.after_as_of > 0;  // a column, as in the records' line
    std::string out = fmt::format("<h3>{}</h3>\n<table>\n<tr>", tr(l, "Rekaman per masukan", "Records by input"));
    for (const char* title : {tr(l, "Masukan", "Input"), tr(l, "Rekaman", "Records"), tr(l, "Dievaluasi", "Evaluated"),
                              tr(l, "Ditolak", "Rejected")})
        out += fmt::format("<th>{}</th>", title);
    if (after_as_of) out += fmt::format("<th>{}</th>", tr(l, "Setelah tanggal laporan", "After the report date"));
    out += fmt::format("<th>{}</th></tr>\n", tr(l, "Berhenti sebelum akhir", "Stopped before its end"));
    for (const input_summary& in : report.per_input) {
        out += "<tr>" + cell(input_name(in)) + number(static_cast<std::int64_t>(in.read)) +
               number(static_cast<std::int64_t>(in.evaluated)) + number(static_cast<std::int64_t>(in.rejected));
        if (after_as_of) out += number(static_cast<std::int64_t>(in.after_as_of));
        out += cell(in.stopped() ? trf(l, "baris {} ({})", "line {} ({})", in.stopped_line, in.stopped_code)
                                 : std::string(tr(l, "tidak", "no")));
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

std::string summary_section(const audit_report& report, lang l) {
    const audit_result& r = report.result;
    std::string out = fmt::format("<h2 id=\"summary\">{}</h2>\n<table>\n", tr(l, "Ringkasan", "Summary"));
    std::string inputs;
    for (const std::string& name : report.inputs) {
        if (!inputs.empty()) inputs += ", ";
        inputs += name == "-" ? std::string("<stdin>") : name;
    }
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Masukan", "Inputs"), cell(inputs));
    if (!report.regions.empty())
        out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Cakupan", "Scope"), cell(selection_line(report, l)));
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Per tanggal", "As of"), cell(as_of_text(r, l)));
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Rekaman", "Records"), cell(records_line(report, l)));
    if (r.out_of_date_order.count > 0)
        out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Urutan tanggal (W0601)", "Date order (W0601)"),
                           cell(date_order_warning(r.out_of_date_order, l), "sev-medium"));
    if (r.duplicates.count > 0)
        out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Rekaman ganda (W0602)", "Duplicates (W0602)"),
                           cell(duplicates_warning(r.duplicates, l), "sev-medium"));
    const severity_counts sc = count(r.findings);
    std::string tally;
    for (int s = 4; s >= 0; --s) {
        const auto i = static_cast<std::size_t>(s);
        if (sc.all[i] == 0) continue;
        if (!tally.empty()) tally += ", ";
        tally += trf(l, "{} {} ({} terbuka)", "{} {} ({} open)", sc.all[i], describe_severity(static_cast<severity>(s), l),
                     sc.open[i]);
    }
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Temuan", "Findings"),
                       cell(tally.empty() ? tr(l, "tidak ada", "none") : tally));
    const auto at_risk = std::count_if(r.regions.begin(), r.regions.end(), [](const region_state& s) { return s.stage >= 0; });
    const auto cut = std::count_if(r.regions.begin(), r.regions.end(), [](const region_state& s) { return !s.cut.empty(); });
    out += fmt::format("<tr><th>{}</th>{}</tr>\n", tr(l, "Wilayah", "Regions"),
                       cell(trf(l, "{0} wilayah, {2} berisiko, {3} diputus", "{0} {1}, {2} at risk, {3} cut off",
                                r.regions.size(), plural(r.regions.size(), "region", "regions"), at_risk, cut)));
    out += "</table>\n";
    if (shows_inputs(report)) out += inputs_table(report, l);
    return out;
}

std::string regions_section(const audit_result& r, const rule_set& rules, lang l) {
    std::string out = fmt::format("<h2 id=\"regions\">{}</h2>\n", tr(l, "Risiko per wilayah", "Risk by region"));
    if (r.regions.empty()) return out + fmt::format("<p>{}</p>\n", tr(l, "Tidak ada wilayah.", "No region."));
    out += "<table>\n";
    out += l == lang::id ? header_row({"Wilayah", "Tingkat", "Tahap", "Temuan terbuka", "Catatan terbuka", "Teguran",
                                       "Tenggat", "Pemutusan", "Diputus", "Keparahan terburuk", "Terbuka terlama (hari)"})
                         : header_row({"Region", "Level", "Stage", "Open findings", "Open notices", "Warnings",
                                       "Deadline", "Cutoffs", "Cut off", "Worst open severity", "Longest open (days)"});
    for (const region_state& reg : r.regions) {
        std::string cut_text;
        if (!reg.cut.empty())
            cut_text = trf(l, "sejak {}: {}", "since {}: {}", reg.cut_since ? reg.cut_since->iso() : "?",
                           services_text(reg.cut, rules));
        else if (reg.restored)
            cut_text = trf(l, "dipulihkan {}", "restored {}", reg.restored->iso());
        const bool worst = reg.open_findings > 0;
        out += "<tr>" + cell(reg.code) + cell(level_title(reg.level, rules)) + cell(describe_stage(reg.stage, rules, l)) +
               number(reg.open_findings) + number(reg.open_notices) + number(reg.warnings) +
               cell(reg.deadline ? reg.deadline->iso() : std::string()) + number(reg.cutoffs) + cell(cut_text, reg.cut.empty() ? "" : "sev-high") +
               cell(worst ? describe_severity(reg.worst, l) : std::string_view("-"), worst ? severity_class(reg.worst) : "") +
               number(reg.longest_open_days) + "</tr>\n";
    }
    return out + "</table>\n";
}

std::string totals_section(const audit_result& r, const rule_set& rules, lang l) {
    std::string out = fmt::format("<h2 id=\"totals\">{}</h2>\n", tr(l, "Jumlah temuan", "Totals"));
    if (r.findings.empty()) return out + fmt::format("<p>{}</p>\n", tr(l, "Tidak ada temuan.", "No finding."));
    std::map<int, tally> by_year;
    std::map<index_t, tally> by_rank;  // no_index (no rank) sorts last
    std::map<std::uint32_t, tally> by_rule;
    for (const finding& f : r.findings) {
        by_year[f.opened.year()].add(f);
        by_rank[f.rank].add(f);
        by_rule[f.rule].add(f);
    }
    out += fmt::format("<h3>{}</h3>\n", tr(l, "Menurut tahun dibuka", "By year opened"));
    out += tally_table<int>(tr(l, "Tahun", "Year"), by_year, [](const int& y) { return std::to_string(y); }, l);
    out += fmt::format("<h3>{}</h3>\n", tr(l, "Menurut eselon", "By rank"));
    out += tally_table<index_t>(tr(l, "Eselon", "Rank"), by_rank,
                                [&](const index_t& k) { return rank_title(k, rules); }, l);
    out += fmt::format("<h3>{}</h3>\n", tr(l, "Menurut aturan", "By rule"));
    out += tally_table<std::uint32_t>(tr(l, "Aturan", "Rule"), by_rule, [&](const std::uint32_t& k) {
        const rule& ru = rules.rules.at(k);
        return fmt::format("{} ({}) — {}", ru.id, rules.policies.at(ru.policy).title, ru.title);
    }, l);
    return out;
}

// ---- timelines ------------------------------------------------------------------

// Who held one of the two views over [from, until).
struct segment {
    date from;
    date until;
    std::optional<holder> who;
    bool known = true;
    bool open_end = false;  // lasts up to the report date
};

bool same_segment(const segment& a, const segment& b) {
    if (a.known != b.known || a.who.has_value() != b.who.has_value()) return false;
    return !a.who || (a.who->who.nip == b.who->who.nip && a.who->acting == b.who->acting);
}

std::vector<segment> segments(const post_history& h, date end, bool jure) {
    std::vector<segment> out;
    for (std::size_t i = 0; i < h.changes.size(); ++i) {
        const view_change& c = h.changes[i];
        segment s{c.on, i + 1 < h.changes.size() ? h.changes[i + 1].on : end, jure ? c.jure : c.facto,
                  !jure || c.jure_known};
        if (!out.empty() && same_segment(out.back(), s)) out.back().until = s.until;
        else out.push_back(std::move(s));
    }
    return out;
}

// Maps days to whole pixels (integer arithmetic: the same bytes on every machine).
struct scale {
    date from;
    date until;
    int left = 0;
    int width = 0;
    int x(date d) const {
        const std::int64_t span = std::max(1, until - from);
        const std::int64_t at = std::clamp<std::int64_t>(d - from, 0, span);
        return left + static_cast<int>(at * width / span);
    }
    bool shows(date d) const { return from <= d && d <= until; }
};

// The first `room` characters (code points) of a name, with "…" when cut.
std::string fit(std::string_view text, int pixels) {
    const int room = (pixels - 6) * 2 / 13;  // about 6.5 px a character at 11 px
    if (room < 3) return {};
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (static_cast<int>(++chars) > room - 1) {
            std::size_t rest = 0;
            for (std::size_t j = i; j < text.size(); ++j)
                if ((static_cast<unsigned char>(text[j]) & 0xC0) != 0x80) ++rest;
            if (rest <= 1) return std::string(text);
            return std::string(text.substr(0, i)) + "…";
        }
    }
    return std::string(text);
}

// A rectangle as path data, shorter than a <rect> and drawn the same
// (outlines start at the top left corner, clockwise).
std::string box(int x, int y, int width, int height) { return fmt::format("M{} {}h{}v{}h-{}z", x, y, width, height, width); }

// The n-th person of a timeline: hues 137 degrees apart (near the golden
// angle) stay apart however many people a post had.
std::string person_colour(std::size_t n) { return fmt::format("hsl({}, 60%, 75%)", (190 + n * 137) % 360); }

std::string_view severity_colour(severity s) {
    static constexpr std::array<std::string_view, 5> colours = {"#bdbdbd", "#fdcc8a", "#fc8d59", "#d7301f", "#7f0000"};
    return colours[static_cast<std::size_t>(s)];
}

struct timeline_layout {
    static constexpr int left = 96;
    static constexpr int width = 824;
    static constexpr int band = 22;
    static constexpr int facto_y = 8;
    static constexpr int jure_y = 36;
    static constexpr int lanes_y = 66;
    static constexpr int lane = 18;
    static constexpr int narrow = 2;  // pixels: narrower shapes side by side cannot be told apart
    static constexpr std::string_view crowded = "#8c8c8c";  // a run of such shapes
};

// The periods in which the region was cut off, from its marks.
std::vector<segment> cut_periods(std::vector<region_mark> marks, date end) {
    std::stable_sort(marks.begin(), marks.end(), [](const region_mark& a, const region_mark& b) { return a.on < b.on; });
    std::vector<segment> out;
    std::vector<index_t> cut;
    for (const region_mark& m : marks) {
        const bool was_cut = !cut.empty();
        if (m.kind == mark_kind::cutoff) {
            for (const index_t s : m.services)
                if (std::find(cut.begin(), cut.end(), s) == cut.end()) cut.push_back(s);
        } else if (m.kind == mark_kind::restore) {
            if (m.services.empty()) cut.clear();
            for (const index_t s : m.services) std::erase(cut, s);
        }
        if (!was_cut && !cut.empty()) out.push_back({m.on, end, std::nullopt, true, true});
        if (was_cut && cut.empty()) {
            out.back().until = m.on;
            out.back().open_end = false;
        }
    }
    return out;
}

class timeline_writer {
public:
    timeline_writer(const post_history& h, const std::vector<const finding*>& found, const region_state* region,
                    const audit_result& r, const rule_set& rules, lang l)
        : history_(h), found_(found), region_(region), result_(r), rules_(rules), l_(l) {}

    std::string svg() {
        date first = r().as_of;
        if (!history_.changes.empty()) first = std::min(first, history_.changes.front().on);
        for (const finding* f : found_) first = std::min(first, f->opened);
        const std::int32_t pad = std::max(7, (r().as_of - first) / 30);
        s_ = {first + -pad, r().as_of + pad, timeline_layout::left, timeline_layout::width};
        axis_y_ = timeline_layout::lanes_y + static_cast<int>(found_.size()) * timeline_layout::lane + 4;
        const int height = axis_y_ + 22;
        out_ = fmt::format("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                           "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">\n",
                           timeline_layout::left + timeline_layout::width + 36, height,
                           esc(tr(l_, "Lini masa jabatan", "Timeline of the post")));
        cutoffs();
        band(segments(history_, r().as_of, false), timeline_layout::facto_y, "De facto");
        band(segments(history_, r().as_of, true), timeline_layout::jure_y, "De jure");
        findings();
        axis();
        marks();
        return out_ + "</svg>\n";
    }

    // Whether svg() drew holdings too close together to tell apart as one grey shape.
    bool drew_crowded() const { return crowded_; }

private:
    const post_history& history_;
    const std::vector<const finding*>& found_;
    const region_state* region_;
    const audit_result& result_;
    const rule_set& rules_;
    lang l_;
    scale s_;
    int axis_y_ = 0;
    bool crowded_ = false;
    std::string out_;
    std::vector<std::string> people_;  // NIPs in order of first appearance: their colours

    const audit_result& r() const { return result_; }

    std::string colour_of(const std::string& nip) {
        auto it = std::find(people_.begin(), people_.end(), nip);
        if (it == people_.end()) it = people_.insert(people_.end(), nip);
        return person_colour(static_cast<std::size_t>(it - people_.begin()));
    }

    std::string period_text(date from, date until, bool open_end) const {
        if (open_end) return trf(l_, "{} s.d. {} (tanggal laporan)", "{} to {} (report date)", from.iso(), until.iso());
        return trf(l_, "{} s.d. {}", "{} to {}", from.iso(), until.iso());
    }

    // A view's holders, one shape each; a run of two or more holdings each
    // narrower than `narrow` pixels (they cannot be told apart on screen) is
    // one grey shape whose title counts them.
    void band(const std::vector<segment>& parts, int y, std::string_view label) {
        out_ += fmt::format("<text x=\"4\" y=\"{}\" font-weight=\"bold\">{}</text>\n", y + 15, esc(label));
        const auto is_narrow = [&](const segment& p) { return s_.x(p.until) - s_.x(p.from) < timeline_layout::narrow; };
        for (std::size_t i = 0; i < parts.size();) {
            std::size_t end = i + 1;
            if (is_narrow(parts[i]))
                while (end < parts.size() && is_narrow(parts[end])) ++end;
            if (end - i >= 2) {
                for (std::size_t k = i; k < end; ++k)  // each person keeps the colour of their first appearance
                    if (parts[k].who) colour_of(parts[k].who->who.nip);
                merged_holdings(parts[i].from, parts[end - 1].until, end - i, end == parts.size(), y);
            } else {
                holding(parts[i], i + 1 == parts.size(), y);
            }
            i = end;
        }
    }

    void holding(const segment& p, bool last, int y) {
        const int x0 = s_.x(p.from);
        const int w = std::max(1, s_.x(p.until) - x0);
        std::string name;
        std::string fill = "#e0e0e0";
        std::string extra;
        if (!p.known) {
            name = tr(l_, "tidak diketahui", "unknown");
            extra = " stroke=\"#999\" stroke-dasharray=\"2 2\"";
        } else if (!p.who) {
            name = tr(l_, "kosong", "vacant");
            fill = "#ffffff";
            extra = " stroke=\"#999\" stroke-dasharray=\"4 2\"";
        } else {
            name = p.who->who.name.empty() ? p.who->who.nip : p.who->who.name;
            if (p.who->acting) name += tr(l_, " (Plt/Plh)", " (acting)");
            fill = colour_of(p.who->who.nip);
            if (p.who->acting) extra = " fill-opacity=\"0.6\" stroke=\"#555\" stroke-dasharray=\"3 2\"";
        }
        std::string tip = p.who ? holder_name(p.who->who, p.who->acting, l_) : name;
        tip += ": " + period_text(p.from, p.until, last);
        out_ += fmt::format("<path d=\"{}\" fill=\"{}\"{}><title>{}</title></path>\n", box(x0, y, w, timeline_layout::band),
                            fill, extra, esc(tip));
        if (const std::string shown = fit(name, w); !shown.empty())
            out_ += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", x0 + 3, y + 15, esc(shown));
    }

    void merged_holdings(date from, date until, std::size_t count, bool last, int y) {
        crowded_ = true;
        const int x0 = s_.x(from);
        const std::string tip = trf(l_, "{} pergantian dari {}", "{} changes from {}", count,
                                    period_text(from, until, last));
        out_ += fmt::format("<path d=\"{}\" fill=\"{}\"><title>{}</title></path>\n",
                            box(x0, y, std::max(1, s_.x(until) - x0), timeline_layout::band), timeline_layout::crowded,
                            esc(tip));
    }

    void findings() {
        int y = timeline_layout::lanes_y;
        out_ += fmt::format("<text x=\"4\" y=\"{}\" font-weight=\"bold\">{}</text>\n", y + 11,
                            esc(tr(l_, "Temuan", "Findings")));
        for (const finding* f : found_) {
            const rule& ru = rules_.rules.at(f->rule);
            const date until = f->closed ? *f->closed : r().as_of;
            const int x0 = s_.x(f->opened);
            const int w = std::max(2, s_.x(until) - x0);
            const std::string tip = fmt::format("{} {}: {}", describe_severity(f->sev, l_), ru.id,
                                                f->closed ? period_text(f->opened, until, false)
                                                          : trf(l_, "sejak {}, masih terbuka", "since {}, still open",
                                                                f->opened.iso()));
            const bool dark = f->sev >= severity::high;
            out_ += fmt::format("<path d=\"{}\" fill=\"{}\"><title>{}</title></path>\n", box(x0, y, w, 14),
                                severity_colour(f->sev), esc(tip));
            if (const std::string shown = fit(ru.id, w); !shown.empty())
                out_ += fmt::format("<text x=\"{}\" y=\"{}\"{}>{}</text>\n", x0 + 3, y + 11,
                                    dark ? " fill=\"#fff\"" : "", esc(shown));
            y += timeline_layout::lane;
        }
    }

    void cutoffs() {
        if (region_ == nullptr) return;
        for (const segment& c : cut_periods(region_->marks, r().as_of)) {
            if (c.until < s_.from || s_.until < c.from) continue;
            const int x0 = s_.x(c.from);
            const std::string tip = trf(l_, "Diputus: {}", "Cut off: {}", period_text(c.from, c.until, c.open_end));
            out_ += fmt::format("<path d=\"{}\" fill=\"#f4a6a6\" fill-opacity=\"0.45\"><title>{}</title></path>\n",
                                box(x0, 2, std::max(2, s_.x(c.until) - x0), axis_y_ - 2), esc(tip));
        }
    }

    void marks() {
        const int as_of_x = s_.x(r().as_of);
        out_ += fmt::format("<line x1=\"{0}\" y1=\"2\" x2=\"{0}\" y2=\"{1}\" stroke=\"#555\" stroke-dasharray=\"1 3\">"
                            "<title>{2}</title></line>\n",
                            as_of_x, axis_y_, esc(trf(l_, "Tanggal laporan {}", "Report date {}", r().as_of.iso())));
        if (region_ == nullptr) return;
        // In date order; a run of marks less than `narrow` pixels from its
        // first cannot be told apart: one mark whose title counts them.
        std::vector<const region_mark*> shown;
        for (const region_mark& m : region_->marks)
            if (s_.shows(m.on)) shown.push_back(&m);
        std::stable_sort(shown.begin(), shown.end(), [](const region_mark* a, const region_mark* b) { return a->on < b->on; });
        for (std::size_t i = 0; i < shown.size();) {
            const int x = s_.x(shown[i]->on);
            std::size_t end = i + 1;
            while (end < shown.size() && s_.x(shown[end]->on) - x < timeline_layout::narrow) ++end;
            if (end - i == 1) mark(*shown[i], x);
            else merged_marks({shown.begin() + static_cast<std::ptrdiff_t>(i), shown.begin() + static_cast<std::ptrdiff_t>(end)}, x);
            i = end;
        }
    }

    static std::string_view mark_colour(mark_kind k) {
        switch (k) {
        case mark_kind::warning: return "#e08214";
        case mark_kind::cutoff: return "#b2182b";
        case mark_kind::restore: break;
        }
        return "#1a9850";
    }

    // The outline of the shape atop a mark's line at `x`; a restore's is a circle.
    static std::optional<std::string> mark_outline(mark_kind k, int x) {
        switch (k) {
        case mark_kind::warning: return fmt::format("M{} 1l-5 8h10z", x);
        case mark_kind::cutoff: return box(x - 4, 1, 9, 9);
        case mark_kind::restore: break;
        }
        return std::nullopt;
    }

    // The shape atop a mark's line; filled with the group's colour unless `fill` is given.
    static std::string mark_shape(mark_kind k, int x, std::string_view fill = {}) {
        const std::string colour = fill.empty() ? std::string() : fmt::format(" fill=\"{}\"", fill);
        if (const auto outline = mark_outline(k, x)) return fmt::format("<path d=\"{}\"{}/>", *outline, colour);
        return fmt::format("<circle cx=\"{}\" cy=\"5\" r=\"4.5\"{}/>", x, colour);
    }

    // A line 2 px wide down to the axis in the colour of the last kind in
    // `kinds`, and the shape of each kind, the last on top (a single shape
    // drawn in the line's outline).
    void mark_group(std::string_view tip, const std::vector<mark_kind>& kinds, int x) {
        const mark_kind top = kinds.back();
        const std::string line = box(x - 1, 2, 2, axis_y_ - 2);
        out_ += fmt::format("<g fill=\"{}\"><title>{}</title>", mark_colour(top), esc(tip));
        if (const auto outline = mark_outline(top, x); outline && kinds.size() == 1) {
            out_ += fmt::format("<path d=\"{}{}\"/></g>\n", line, *outline);
            return;
        }
        out_ += fmt::format("<path d=\"{}\"/>", line);
        for (const mark_kind k : kinds) out_ += mark_shape(k, x, k == top ? std::string_view() : mark_colour(k));
        out_ += "</g>\n";
    }

    // A mark as its title says it: a warning's deadline, the services cut off or restored.
    std::string mark_text(const region_mark& m) const {
        switch (m.kind) {
        case mark_kind::warning:
            return m.deadline ? trf(l_, "Teguran {} (tenggat {})", "Warning {} (deadline {})", m.on.iso(), m.deadline->iso())
                              : trf(l_, "Teguran {}", "Warning {}", m.on.iso());
        case mark_kind::cutoff:
            return trf(l_, "Pemutusan {}: {}", "Cutoff {}: {}", m.on.iso(), services_text(m.services, rules_));
        case mark_kind::restore: break;
        }
        return m.services.empty() ? trf(l_, "Pemulihan {}: semua layanan", "Restore {}: every service", m.on.iso())
                                  : trf(l_, "Pemulihan {}: {}", "Restore {}: {}", m.on.iso(),
                                        services_text(m.services, rules_));
    }

    void mark(const region_mark& m, int x) { mark_group(mark_text(m), {m.kind}, x); }

    // Marks listed one a line in a merged mark's title; the others are counted.
    static constexpr std::size_t marks_listed = 5;

    // Drawn as the marks were, each kind's shape once, the kind of the last mark on top.
    void merged_marks(const std::vector<const region_mark*>& run, int x) {
        std::array<std::size_t, 3> counts{};
        std::vector<mark_kind> order;  // kinds by their last mark
        for (const region_mark* m : run) {
            ++counts[static_cast<std::size_t>(m->kind)];
            std::erase(order, m->kind);
            order.push_back(m->kind);
        }
        std::string what;
        for (const mark_kind k : {mark_kind::warning, mark_kind::cutoff, mark_kind::restore}) {
            const std::size_t n = counts[static_cast<std::size_t>(k)];
            if (n == 0) continue;
            if (!what.empty()) what += ", ";
            switch (k) {
            case mark_kind::warning: what += trf(l_, "{} teguran", "{} {}", n, plural(n, "warning", "warnings")); break;
            case mark_kind::cutoff: what += trf(l_, "{} pemutusan", "{} {}", n, plural(n, "cutoff", "cutoffs")); break;
            case mark_kind::restore: what += trf(l_, "{} pemulihan", "{} {}", n, plural(n, "restore", "restores")); break;
            }
        }
        const date first = run.front()->on;
        const date last = run.back()->on;
        std::string tip = first == last ? trf(l_, "{} tanda pada {}: {}", "{} marks on {}: {}", run.size(), first.iso(), what)
                                        : trf(l_, "{} tanda dari {} s.d. {}: {}", "{} marks from {} to {}: {}",
                                              run.size(), first.iso(), last.iso(), what);
        // Each mark on a line of its own, as its own title would say it.
        for (std::size_t i = 0; i < std::min(run.size(), marks_listed); ++i) tip += "\n" + mark_text(*run[i]);
        if (run.size() > marks_listed)
            tip += "\n" + trf(l_, "dan {} lainnya", "and {} more", run.size() - marks_listed);
        mark_group(tip, order, x);
    }

    void axis() {
        out_ += fmt::format("<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#333\"/>\n", s_.left,
                            s_.left + s_.width, axis_y_);
        const std::int32_t span = s_.until - s_.from;
        const int step = span > 3 * 365 ? 12 : span > 365 ? 3 : 1;  // months between ticks
        const int months_from = s_.from.year() * 12 + static_cast<int>(s_.from.month()) - 1;
        int m = (months_from / step + 1) * step;
        for (; true; m += step) {
            const date tick = date::from_ymd(m / 12, static_cast<unsigned>(m % 12) + 1, 1);
            if (s_.until < tick) break;
            const int x = s_.x(tick);
            const std::string label = step == 12 ? std::to_string(tick.year()) : tick.iso().substr(0, 7);
            out_ += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/>"
                                "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                                x, axis_y_, axis_y_ + 4, axis_y_ + 16, label);
        }
    }
};

// One entry of a legend: a colour and what it stands for.
std::string legend_item(std::string_view colour, std::string_view text) {
    return fmt::format("<span><i style=\"background: {}\"></i>{}</span>", colour, esc(text));
}

// The colours of every timeline, once above the posts' sections.
std::string legend(lang l) {
    return "<p class=\"legend\">" + legend_item("#e08214", tr(l, "teguran", "warning")) +
           legend_item("#b2182b", tr(l, "pemutusan", "cutoff")) + legend_item("#1a9850", tr(l, "pemulihan", "restore")) +
           legend_item("#f4a6a6", tr(l, "masa diputus", "cut off")) +
           legend_item("#e0e0e0", tr(l, "pejabat yang diakui tidak diketahui", "recognised holder unknown")) +
           fmt::format("<span>{}</span>", esc(tr(l, "pudar, bergaris putus: pelaksana tugas (Plt/Plh)",
                                                    "faded with a dashed border: an acting official"))) +
           fmt::format("<span>{}</span>", esc(tr(l, "garis titik: tanggal laporan; satu warna untuk satu orang",
                                                    "dotted line: report date; one colour for each person"))) +
           "</p>\n";
}

// Under a timeline that drew one: what its grey shapes are.
std::string crowded_legend(lang l) {
    return "<p class=\"legend\">" +
           legend_item(timeline_layout::crowded, tr(l, "pergantian yang terlalu rapat untuk dibedakan",
                                                    "changes too close together to tell apart")) +
           "</p>\n";
}

// The rules of a post's findings, once each in order of first use: their
// rows name only the rule, and its policy where two rules of the post share
// an id (a rule replaced by a later regulation).
std::string rules_legend(const std::vector<std::uint32_t>& used, const rule_set& rules, lang l) {
    std::string out = "<table>\n";
    out += l == lang::id ? header_row({"Aturan", "Temuan", "Dasar"}) : header_row({"Rule", "Finding", "Basis"});
    for (const std::uint32_t k : used) {
        const rule& ru = rules.rules.at(k);
        out += "<tr>" + cell(ru.id) + cell(ru.message.in(l)) +
               fmt::format("<td><small>{} — {}</small></td></tr>\n", esc(rules.policies.at(ru.policy).title),
                           esc(ru.citation));
    }
    return out + "</table>\n";
}

std::string finding_rows(const std::vector<const finding*>& found, const audit_result& r, const rule_set& rules, lang l) {
    std::vector<std::uint32_t> used;
    for (const finding* f : found)
        if (std::find(used.begin(), used.end(), f->rule) == used.end()) used.push_back(f->rule);
    std::vector<std::string> rule_cells;  // by place in `used`
    for (const std::uint32_t k : used) {
        const rule& ru = rules.rules.at(k);
        const bool shared = std::count_if(used.begin(), used.end(), [&](std::uint32_t o) { return rules.rules.at(o).id == ru.id; }) > 1;
        rule_cells.push_back(shared ? fmt::format("<td>{}<br><small>{}</small></td>", esc(ru.id),
                                                  esc(rules.policies.at(ru.policy).title))
                                    : cell(ru.id));
    }
    // The route of a proposal to each authority whose approval the remedies
    // name, said once above the rows when the post's findings agree on it.
    const auto names_route = [](const finding& f) {
        return f.fix.kind == remedy_kind::reinstate_or_approve && f.fix.authority != no_index && !f.fix.route.empty();
    };
    std::vector<std::pair<index_t, std::vector<index_t>>> routes;
    std::vector<index_t> differing;
    for (const finding* f : found) {
        if (!names_route(*f)) continue;
        const auto known = std::find_if(routes.begin(), routes.end(), [&](const auto& r) { return r.first == f->fix.authority; });
        if (known == routes.end()) routes.emplace_back(f->fix.authority, f->fix.route);
        else if (known->second != f->fix.route) differing.push_back(f->fix.authority);
    }
    std::erase_if(routes, [&](const auto& r) { return std::find(differing.begin(), differing.end(), r.first) != differing.end(); });
    std::string out = rules_legend(used, rules, l);
    if (!routes.empty()) {
        std::string said;
        for (const auto& [authority, route] : routes) {
            std::string chain;
            for (const index_t a : route) chain += (chain.empty() ? "" : " → ") + rules.authorities.at(a).title;
            said += (said.empty() ? "" : " ") + trf(l, "Usulan persetujuan {} melalui {}.", "A proposal for the approval of {} goes via {}.",
                                                    rules.authorities.at(authority).title, chain);
        }
        out += fmt::format("<p>{}</p>\n", esc(said));
    }
    out += "<table class=\"findings\">\n";  // days right-aligned by the style
    out += l == lang::id ? header_row({"Keparahan", "Aturan", "Peristiwa", "Dibuka", "Ditutup", "Hari", "De facto",
                                       "De jure", "Pemulihan"})
                         : header_row({"Severity", "Rule", "Event", "Opened", "Closed", "Days", "De facto", "De jure",
                                       "Remedy"});
    const auto remedy_text = [&](const finding& f) {
        if (!names_route(f) || std::find(differing.begin(), differing.end(), f.fix.authority) != differing.end())
            return describe_remedy(f.fix, rules, l);
        remedy without_route = f.fix;  // its route is said above the rows
        without_route.route.clear();
        return describe_remedy(without_route, rules, l);
    };
    for (const finding* f : found) {
        const auto rule_at = static_cast<std::size_t>(std::find(used.begin(), used.end(), f->rule) - used.begin());
        const std::string event = f->source.empty()
                                      ? fmt::format("{} ({})", f->event_id, describe_action(f->kind, l))
                                      : fmt::format("{} ({}), {}:{}", f->event_id, describe_action(f->kind, l), f->source,
                                                    f->line);
        const std::string closed =
            f->closed ? fmt::format("{} — {} ({})", f->closed->iso(), close_label(*f->closed_because, l), f->closed_by)
                      : std::string(tr(l, "masih terbuka", "still open"));
        out += "<tr>" + cell(describe_severity(f->sev, l), severity_class(f->sev)) +
               rule_cells[rule_at] +
               cell(event) + cell(f->opened.iso()) + cell(closed) +
               fmt::format("<td>{}</td>", (f->closed ? *f->closed : r.as_of) - f->opened) +
               cell(person_text(f->de_facto, f->de_facto_acting, tr(l, "kosong", "vacant"), l)) +
               cell(person_text(f->de_jure, f->de_jure_acting, tr(l, "tidak diketahui", "unknown"), l)) +
               cell(remedy_text(*f)) +
               "</tr>\n";
    }
    return out + "</table>\n";
}

// A post with findings: what the posts' table says of it, and for a post
// with a section its findings in report order and its timeline when the
// audit kept one.
struct flagged_post {
    std::size_t first = 0;               // its first finding: index into r.findings
    std::size_t count = 0;               // its findings
    std::vector<std::size_t> findings;   // with a section: indices into r.findings
    std::optional<std::size_t> history;  // index into r.histories
    std::size_t open = 0;
    std::optional<severity> worst_open;
};

// The flagged posts in the order of their first finding (regions worst
// first); the first `sections` of them have a section. The others keep no
// list of their findings: a national log has millions.
std::vector<flagged_post> flagged_posts(const audit_result& r, std::size_t sections) {
    const auto key_of = [](const std::string& region, index_t unit, const std::string& position) {
        return fmt::format("{}\x1f{}\x1f{}", region, unit, position);
    };
    std::unordered_map<std::string, std::size_t> histories;  // indices into r.histories, made one at a time
    for (std::size_t h = 0; h < r.histories.size(); ++h)
        histories.emplace(key_of(r.histories.region(h), r.histories.unit(h), r.histories.position(h)), h);
    std::vector<flagged_post> posts;
    std::unordered_map<std::string, std::size_t> index;
    finding f;
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
        r.findings.read(i, f);
        std::string key = key_of(f.region, f.unit, f.position);
        const auto h = histories.find(key);
        const auto [it, fresh] = index.try_emplace(std::move(key), posts.size());
        if (fresh) {
            posts.emplace_back();
            posts.back().first = i;
            if (h != histories.end()) posts.back().history = h->second;
        }
        flagged_post& p = posts[it->second];
        ++p.count;
        if (it->second < sections) p.findings.push_back(i);
        if (f.closed) continue;
        ++p.open;
        if (!p.worst_open || *p.worst_open < f.sev) p.worst_open = f.sev;
    }
    return posts;
}

// One row a flagged post; its number links to its section when it has one.
void write_posts_table(std::ostream& os, std::string& out, const std::vector<flagged_post>& posts, std::size_t sections,
                       const audit_result& r, const rule_set& rules, lang l) {
    out += "<table class=\"posts\">\n";  // numbers right-aligned by the style, not cell by cell
    out += l == lang::id ? header_row({"No.", "Wilayah", "Jabatan", "Unit kerja", "Eselon", "Temuan", "Masih terbuka",
                                       "Keparahan terburuk yang terbuka"})
                         : header_row({"No.", "Region", "Position", "Unit", "Rank", "Findings", "Still open",
                                       "Worst open severity"});
    finding f;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        const flagged_post& p = posts[i];
        r.findings.read(p.first, f);
        out += i < sections ? fmt::format("<tr><td><a href=\"#post-{0}\">{0}</a></td>", i + 1)
                            : fmt::format("<tr><td>{}</td>", i + 1);
        out += cell(f.region) + cell(f.position) + cell(unit_title(f.unit, rules)) + cell(rank_title(f.rank, rules)) +
               fmt::format("<td>{}</td><td>{}</td>", p.count, p.open) +
               (p.worst_open ? cell(describe_severity(*p.worst_open, l), severity_class(*p.worst_open)) : cell("-")) +
               "</tr>\n";
        flush_when_full(os, out);
    }
    out += "</table>\n";
}

// The table of flagged posts, then a section for each of the first
// `sections` of them, written post by post and formatted on `threads`
// threads.
void write_posts_section(std::ostream& os, const audit_result& r, const rule_set& rules, const html_options& o) {
    const lang l = o.language;
    std::string out = fmt::format("<h2 id=\"posts\">{}</h2>\n", tr(l, "Jabatan dengan temuan", "Flagged posts"));
    if (r.findings.empty()) {
        os << out << fmt::format("<p>{}</p>\n", tr(l, "Tidak ada temuan.", "No finding."));
        return;
    }
    const std::vector<flagged_post> posts = flagged_posts(r, o.post_sections);
    const std::size_t sections = std::min(o.post_sections, posts.size());
    write_posts_table(os, out, posts, sections, r, rules, l);
    if (sections < posts.size()) {
        const std::string shown =
            sections == 0 ? std::string(tr(l, "Lini masa dan temuan tiap jabatan tidak ditulis (--html-posts 0).",
                                           "The posts' timelines and findings are not written (--html-posts 0)."))
            : sections == 1 ? std::string(tr(l, "Lini masa dan temuan jabatan pertama di atas menyusul (wilayah "
                                                "terburuk lebih dulu).",
                                             "The timeline and findings of the first post above follow (regions "
                                             "worst first)."))
                          : trf(l, "Lini masa dan temuan {} dari {} jabatan pertama di atas menyusul (wilayah terburuk "
                                   "lebih dulu).",
                                "The timelines and findings of the first {} of the {} posts above follow (regions "
                                "worst first).",
                                sections, posts.size());
        out += fmt::format("<p>{} {}</p>\n", esc(shown),
                           esc(tr(l,
                                  "Untuk jabatan tanpa bagian, audit wilayah atau provinsinya dengan --region KODE, atau "
                                  "tulis bagian setiap jabatan dengan --html-posts all; laporan CSV dan JSON memuat "
                                  "setiap temuan.",
                                  "For a post without a section, audit its region or province with --region CODE, or write every "
                                  "post's section with --html-posts all; the CSV and JSON reports hold every finding.")));
    }
    if (sections > 0) out += legend(l);
    const auto regions = regions_by_code(r);
    // A section's findings and timeline, read where the batches are loaded:
    // the finding list and the timelines are read on one thread at a time.
    struct section_data {
        std::vector<finding> found;
        std::optional<post_history> history;
    };
    batch_work<section_data> work;
    work.count = sections;
    // A section holds its post's timeline: tens of kilobytes, hundreds for a
    // post of a national log of ten years; 2 × threads batches are formatted
    // ahead of the one written.
    work.batch_size = 2;
    work.load = [&](std::size_t first, std::size_t last, std::vector<section_data>& batch) {
        for (std::size_t i = first; i < last; ++i) {
            std::vector<finding>& found = batch[i - first].found;
            found.resize(posts[i].findings.size());
            for (std::size_t k = 0; k < found.size(); ++k) r.findings.read(posts[i].findings[k], found[k]);
            batch[i - first].history.reset();
            if (const auto h = posts[i].history) batch[i - first].history = r.histories[*h];
        }
    };
    const auto format = [&](std::size_t i, const section_data& data, std::string& into) {
        const std::vector<finding>& found = data.found;
        std::vector<const finding*> listed;
        for (const finding& f : found) listed.push_back(&f);
        const finding& first = found.front();
        const auto region = regions.find(first.region);
        const region_state* reg = region == regions.end() ? nullptr : region->second;
        into += fmt::format("<section class=\"post\" id=\"post-{}\">\n<h3>{} ({}) — {}, {} ({} {})</h3>\n", i + 1,
                            esc(first.region), esc(level_title(first.level, rules)), esc(first.position),
                            esc(unit_title(first.unit, rules)), tr(l, "eselon", "rank"), esc(rank_title(first.rank, rules)));
        if (reg != nullptr) into += fmt::format("<p>{}</p>\n", esc(describe_stage(reg->stage, rules, l)));
        if (data.history) {
            timeline_writer timeline(*data.history, listed, reg, r, rules, l);
            into += timeline.svg();
            if (timeline.drew_crowded()) into += crowded_legend(l);
        }
        into += finding_rows(listed, r, rules, l);
        into += "</section>\n";
    };
    work.make_format = [&] { return format; };  // the same on every thread: it keeps nothing
    write_in_batches(os, out, work, o.threads);
}

void write_rejected_section(std::ostream& os, const audit_report& report, lang l) {
    std::string out = fmt::format("<h2 id=\"rejected\">{}</h2>\n", tr(l, "Rekaman ditolak", "Rejected records"));
    if (report.rejected.empty()) {
        os << out << fmt::format("<p>{}</p>\n", tr(l, "Tidak ada rekaman yang ditolak.", "No record was rejected."));
        return;
    }
    out += "<table>\n";
    out += l == lang::id ? header_row({"Sumber", "Baris", "Peristiwa", "Kode", "Kolom", "Alasan"})
                         : header_row({"Source", "Line", "Event", "Code", "Field", "Reason"});
    rejection x;
    for (std::size_t i = 0; i < report.rejected.size(); ++i) {
        report.rejected.read(i, x);
        // The event's id, for `patuh explain`, when the reader knows it.
        out += "<tr>" + cell(x.source) + number(static_cast<std::int64_t>(x.line)) + cell(x.id) + cell(x.code) +
               cell(x.field) +
               cell(x.reason.in(l)) + "</tr>\n";
        flush_when_full(os, out);
    }
    os << out << "</table>\n";
}

}  // namespace

void write_html(std::ostream& os, const audit_report& report, const rule_set& rules, const html_options& o) {
    const lang l = o.language;
    const audit_result& r = report.result;
    const std::string title = fmt::format("patuh audit — {} {}", tr(l, "per tanggal", "as of"), as_of_text(r, l));
    os << fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
                      l == lang::id ? "id" : "en", esc(title), style, esc(title));
    os << summary_section(report, l);
    os << regions_section(r, rules, l);
    os << totals_section(r, rules, l);
    write_posts_section(os, r, rules, o);
    write_rejected_section(os, report, l);
    os << fmt::format("<footer><p><small>{} {}</small></p></footer>\n</body>\n</html>\n",
                      tr(l, "Dibuat oleh patuh, skema laporan", "Made by patuh, report schema"), report_schema_version);
}

std::string render_html(const audit_report& report, const rule_set& rules, const html_options& o) {
    return written([&](std::ostream& os) { write_html(os, report, rules, o); });
}

}  // namespace patuh

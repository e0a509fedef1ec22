// Explanations of single events: the engine's own judgement, taken apart.

#include "common/support.hpp"

#include <patuh/explain.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace patuh {

namespace {

// A record's place as reports print it, FILE:LINE.
struct record_place {
    std::string file;
    std::uint64_t line = 0;
};

// The place `id` names, when it has the form FILE:LINE (a line number from 1).
std::optional<record_place> place_named(std::string_view id) {
    const std::size_t colon = id.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const std::string_view digits = id.substr(colon + 1);
    std::uint64_t line = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || line == 0)
        return std::nullopt;
    return record_place{std::string(id.substr(0, colon)), line};
}

}  // namespace

struct explainer::state {
    const rule_set& rules;
    std::string id;
    std::optional<record_place> place;  // when the id has the form FILE:LINE
    engine eng;
    std::optional<event> target;
    std::optional<rejection> rejected;
    std::vector<rejection> stopped_inputs;  // rejections after which their input was not read (ends_input)
    std::optional<post_view> before;
    std::optional<post_view> after;

    state(const rule_set& r, std::string i) : rules(r), id(std::move(i)), place(place_named(id)), eng(r) {}

    // Whether a record of `source` at `line` is at the place the id names:
    // the file as given or its name (the FILE of a CSV row's id), and the line.
    bool at_place(const std::string& source, std::uint64_t line) const {
        return place && line == place->line &&
               (source == place->file || std::filesystem::path(source).filename().string() == place->file);
    }
};

explainer::explainer(const rule_set& rules, std::string id) : s_(std::make_unique<state>(rules, std::move(id))) {}
explainer::~explainer() = default;

bool explainer::found() const { return s_->target.has_value(); }

void explainer::add(const event& e) {
    if (s_->target) return;
    const bool is_target = e.id == s_->id || s_->at_place(e.source, e.line);
    const bool on_post = is_personnel(e.kind) || e.kind == event_kind::approve;
    if (is_target && on_post) s_->before = s_->eng.post_state(e.region, e.unit, e.position);
    rejection why;
    (void)s_->eng.add(e, why);
    if (!is_target) return;
    s_->target = e;
    if (on_post) s_->after = s_->eng.post_state(e.region, e.unit, e.position);
}

namespace {

// Reads a JSON event record (SAX) up to its top-level "id" member and keeps
// that member's value, decoded, when it is a string. Reading stops there, at
// a value that cannot be the record's id (the record is not an object, its id
// is not a string) and at the first syntax error.
class record_id_reader {
public:
    std::optional<std::string> id;

    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(nlohmann::json::number_integer_t) { return value(); }
    bool number_unsigned(nlohmann::json::number_unsigned_t) { return value(); }
    bool number_float(nlohmann::json::number_float_t, const std::string&) { return value(); }
    bool binary(nlohmann::json::binary_t&) { return value(); }
    bool string(std::string& text) {
        if (at_id_) id = std::move(text);
        return value();
    }
    bool start_object(std::size_t) { return open(); }
    bool start_array(std::size_t) { return depth_ > 0 && open(); }
    bool key(std::string& name) {
        at_id_ = depth_ == 1 && name == "id";
        return true;
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) { return false; }

private:
    int depth_ = 0;      // objects and arrays open
    bool at_id_ = false; // the next value is the top-level "id"'s

    bool value() const { return !at_id_ && depth_ > 0; }
    bool open() {
        if (at_id_) return false;
        ++depth_;
        return true;
    }
    bool close() {
        --depth_;
        return depth_ > 0;
    }
};

std::optional<std::string> record_id(std::string_view text) {
    record_id_reader reader;
    (void)nlohmann::json::sax_parse(text, &reader);
    return std::move(reader.id);
}

}  // namespace

void explainer::add_rejected(rejection&& r) {
    if (s_->rejected) return;
    const bool is_target =
        s_->at_place(r.source, r.line) || (r.id.empty() ? record_id(r.raw) == s_->id : r.id == s_->id);
    if (is_target) s_->rejected = std::move(r);
    else if (r.ends_input) s_->stopped_inputs.push_back(std::move(r));
}

const std::optional<rejection>& explainer::rejected() const { return s_->rejected; }

const std::vector<rejection>& explainer::stopped_inputs() const { return s_->stopped_inputs; }

namespace {

bool same_post(const finding& f, const event& e) {
    return f.region == e.region && f.unit == e.unit && normalise_position(f.position) == normalise_position(e.position);
}

}  // namespace

std::vector<rule_consideration> consider_rules(const rule_set& rules, const event& e,
                                               const std::optional<post_view>& before, const region_calendar& calendar) {
    match_query q;
    q.on = e.effective;
    q.rank = e.rank;
    q.act = e.kind == event_kind::approve ? action::appoint : to_action(e.kind);
    q.level = e.level;
    q.unit = e.unit;
    const std::string position_key = normalise_position(e.position);
    q.position = position_key;
    q.why = judged_reason(e, before ? before->facto : std::nullopt);
    q.vacant = !(before && before->facto);
    q.calendar = &calendar;
    const std::vector<std::uint32_t> found = rules.candidates(q);
    std::vector<rule_consideration> out;
    for (std::uint32_t i = 0; i < rules.rules.size(); ++i) {
        const rule& r = rules.rules[i];
        if (r.kind != rule_kind::requirement && r.kind != rule_kind::moratorium) continue;
        rule_consideration c;
        c.rule = i;
        c.why_not = rules.test(r, q);
        if (c.why_not == mismatch::none) {
            c.overridden_by = rules.overridden_by(i, found);
            if (q.why && r.exempt[static_cast<std::size_t>(*q.why)]) c.exempted = q.why;
        }
        if (c.judged() && r.need == demand::approval)
            for (std::size_t a = 0; a < e.approvals.size(); ++a)
                c.approvals.push_back({a, check_approval(rules, r, e.approvals[a], e.who.nip, position_key, e.effective,
                                                         e.kind == event_kind::approve)});
        out.push_back(std::move(c));
    }
    return out;
}

explanation explainer::finish() {
    const rule_set& rules = s_->rules;
    explanation x;
    x.subject = *s_->target;
    const event& e = x.subject;
    x.before = s_->before;
    x.after = s_->after;
    const audit_result result = s_->eng.finish();
    x.out_of_date_order = result.out_of_date_order;
    x.duplicates = result.duplicates;
    for (const finding& f : result.findings) {
        if (f.event_id == e.id) x.opened.push_back(f);
        if (f.closed && f.closed_by == e.id) x.closed.push_back(f);
    }
    for (const region_state& r : result.regions)
        if (r.code == e.region) x.region = r;

    if (!is_personnel(e.kind) && e.kind != event_kind::approve) return x;
    x.rules = consider_rules(rules, e, x.before, s_->eng.calendar(e.region));
    for (rule_consideration& c : x.rules) {
        if (!c.judged()) continue;
        const rule& r = rules.rules[c.rule];
        if (!r.citation.empty() && std::find(x.citations.begin(), x.citations.end(), r.citation) == x.citations.end())
            x.citations.push_back(r.citation);
        const bool approved = std::any_of(c.approvals.begin(), c.approvals.end(),
                                          [](const approval_check& a) { return a.fault == approval_fault::none; });
        const bool opened = std::any_of(x.opened.begin(), x.opened.end(), [&](const finding& f) {
            return f.rule == c.rule && same_post(f, e);
        });
        const bool recognised = x.before && x.before->jure_known && x.before->jure &&
                                x.before->jure->who.nip == e.who.nip && e.kind != event_kind::dismiss;
        if (opened) c.result = outcome::violated;
        else if (r.need == demand::allowed) c.result = outcome::allowed;
        else if (recognised) c.result = outcome::recognised;
        else if (r.need == demand::forbidden) c.result = outcome::forbidden;
        else if (approved) c.result = outcome::approved;
        else if (r.timing == ast::timing_kind::within_days) c.result = outcome::awaiting;
        else c.result = outcome::continuing;
    }
    return x;
}

// ---- rendering ------------------------------------------------------------------

namespace {

using json = nlohmann::json;

std::string holder_text(const std::optional<holder>& h, lang l) {
    if (!h) return tr(l, "kosong", "vacant");
    std::string out = fmt::format("{} (NIP {})", h->who.name, h->who.nip);
    if (h->acting) out += tr(l, ", Plt/Plh", ", acting");
    return out;
}

std::string view_text(const std::optional<post_view>& v, lang l) {
    if (!v) return tr(l, "belum tercatat", "not on record yet");
    return trf(l, "de facto {}; de jure {}", "de facto {}; de jure {}", holder_text(v->facto, l),
               v->jure_known ? holder_text(v->jure, l) : std::string(tr(l, "tidak diketahui", "unknown")));
}

std::string names(const index_set& set, const auto& items) {
    if (set.any) return "*";
    std::string out;
    for (const index_t i : set.members) out += (out.empty() ? "" : ", ") + items.at(i).id;
    return out;
}

std::string mismatch_text(const rule_consideration& c, const explanation& x, const rule_set& rules, lang l) {
    const rule& r = rules.rules.at(c.rule);
    const event& e = x.subject;
    switch (c.why_not) {
    case mismatch::none: break;
    case mismatch::out_of_force:
        return trf(l, "tidak berlaku pada {} (berlaku {} s.d. {})", "not in force on {} (in force {} to {})",
                   e.effective.iso(), r.in_force.from.iso(),
                   r.in_force.until == date::max() ? std::string("…") : r.in_force.until.iso());
    case mismatch::rank:
        return trf(l, "eselon jabatan ({}) bukan eselon aturan ini ({})", "the post's rank ({}) is not the rule's ({})",
                   e.rank == no_index ? std::string("-") : rules.ranks.at(e.rank).id, names(r.ranks, rules.ranks));
    case mismatch::action:
        return trf(l, "aturan ini tidak mengatur {}", "the rule does not cover {}",
                   describe_action(e.kind == event_kind::approve ? event_kind::appoint : e.kind, l));
    case mismatch::level:
        return trf(l, "tingkat wilayah ({}) bukan tingkat aturan ini ({})",
                   "the region's level ({}) is not the rule's ({})",
                   e.level == no_index ? std::string("-") : rules.levels.at(e.level).id, names(r.levels, rules.levels));
    case mismatch::unit:
        return trf(l, "unit '{}' tidak diatur aturan ini ({})", "unit '{}' is not the rule's ({})", e.unit_text,
                   names(r.units, rules.units));
    case mismatch::reason: return tr(l, "alasan peristiwa tidak sesuai", "the event's reason does not match");
    case mismatch::vacant:
        return tr(l, "jabatan masih dipegang seseorang; aturan hanya untuk jabatan kosong",
                  "the post is held by someone; the rule is only for a vacant post");
    case mismatch::position:
        return trf(l, "jabatan '{}' tidak disebut aturan ini", "the rule does not name the post '{}'", e.position);
    case mismatch::window:
        return trf(l, "{} tidak berada {}", "{} is not {}", e.effective.iso(), describe_window(*r.window, l));
    }
    return {};
}

std::string fault_text(approval_fault f, const approval& a, const rule& r, const rule_set& rules, const event& e,
                       lang l) {
    const std::string& needed = rules.authorities.at(r.authority).title;
    switch (f) {
    case approval_fault::none: return tr(l, "diterima", "accepted");
    case approval_fault::authority:
        return trf(l, "tidak diterima: diterbitkan oleh {}, aturan memerlukan {}{}",
                   "not accepted: issued by {}, the rule needs {}{}", rules.authorities.at(a.authority).title, needed,
                   r.or_higher ? tr(l, " atau yang lebih tinggi", " or higher") : "");
    case approval_fault::person:
        return trf(l, "tidak diterima: untuk NIP {}, bukan {}", "not accepted: it is for NIP {}, not {}", a.nip,
                   e.who.nip);
    case approval_fault::position:
        return trf(l, "tidak diterima: untuk jabatan '{}', bukan '{}'", "not accepted: it is for the post '{}', not '{}'",
                   a.position, e.position);
    case approval_fault::late:
        return trf(l, "tidak diterima: bertanggal {}, setelah {}", "not accepted: dated {}, after {}", a.issued.iso(),
                   (r.timing == ast::timing_kind::within_days ? e.effective + r.days : e.effective).iso());
    }
    return {};
}

std::string outcome_text(const rule_consideration& c, const rule_set& rules, lang l) {
    const rule& r = rules.rules.at(c.rule);
    switch (c.result) {
    case outcome::not_judged: return {};
    case outcome::violated: return tr(l, "dilanggar: temuan dibuka", "violated: a finding opened");
    case outcome::allowed: return tr(l, "dibolehkan tanpa persetujuan", "allowed without approval");
    case outcome::approved: return tr(l, "dipenuhi oleh persetujuan pada peristiwa", "satisfied by an approval on the event");
    case outcome::recognised:
        return tr(l, "dipenuhi: orang ini yang diakui pusat untuk jabatan ini",
                  "satisfied: this is the person the centre recognises for the post");
    case outcome::awaiting:
        return trf(l, "menunggu persetujuan paling lambat {} hari setelah TMT",
                   "awaiting an approval within {} {} of the effective date", r.days, plural(r.days, "day", "days"));
    case outcome::continuing:
        return tr(l, "tidak ada temuan baru: jabatan ini sudah menyimpang dan temuannya masih terbuka",
                  "no new finding: the post already diverged and its finding is still open");
    case outcome::forbidden:
        return tr(l, "dilarang; jabatan ini sudah menyimpang", "forbidden; the post already diverged");
    }
    return {};
}

// "approval #1 from dirjen, no. 470/12, dated 2021-02-20"; the number only when the approval has one.
std::string approval_line(const approval& a, std::size_t index, lang l) {
    std::string out = trf(l, "persetujuan #{} dari {}", "approval #{} from {}", index + 1, shown(a.authority_text));
    if (!a.number.empty()) out += trf(l, ", nomor {}", ", no. {}", shown(a.number));
    return out + trf(l, ", tanggal {}", ", dated {}", a.issued.iso());
}

std::string finding_line(const finding& f, const rule_set& rules, lang l) {
    const rule& r = rules.rules.at(f.rule);
    return fmt::format("{} {} — {}, {} ({}{})", describe_severity(f.sev, l), r.id, f.position, f.region,
                       f.opened.iso(), f.closed ? " → " + f.closed->iso() : std::string());
}

}  // namespace

std::string render_explanation_text(const explanation& x, const rule_set& rules, lang l) {
    const event& e = x.subject;
    std::string out = trf(l, "Peristiwa {} ({}) pada {}, {}:{}\n", "Event {} ({}) on {}, {}:{}\n", shown(e.id),
                          describe_action(e.kind, l), e.effective.iso(), shown(e.source), e.line);
    const std::string level = e.level == no_index ? std::string("?") : rules.levels.at(e.level).title;
    if (!e.position.empty()) {
        out += trf(l, "  Jabatan: {}, {}, wilayah {} ({}), eselon {}\n", "  Post: {}, {}, region {} ({}), rank {}\n",
                   shown(e.position), e.unit == no_index ? shown(e.unit_text) : rules.units.at(e.unit).title,
                   shown(e.region), level,
                   e.rank == no_index ? std::string("-") : rules.ranks.at(e.rank).id);
        out += trf(l, "  Orang: {} (NIP {})\n", "  Person: {} (NIP {})\n", shown(e.who.name), shown(e.who.nip));
    } else {
        out += trf(l, "  Wilayah {} ({})\n", "  Region {} ({})\n", shown(e.region), level);
    }
    if (is_personnel(e.kind) || e.kind == event_kind::approve) {
        if (e.unit == no_index || e.rank == no_index)
            out += tr(l, "  Jabatan ini tidak diatur aturan mana pun (unit atau eselon tidak tercakup).\n",
                      "  No rule covers this post (its unit or rank is not covered).\n");
        out += fmt::format("\n{}\n", tr(l, "Aturan yang ditimbang", "Rules considered"));
        for (const rule_consideration& c : x.rules) {
            const rule& r = rules.rules.at(c.rule);
            const std::string head = fmt::format("  {} ({})", r.id, rules.policies.at(r.policy).title);
            if (c.why_not != mismatch::none) {
                out += fmt::format("{}: {}\n", head, shown(mismatch_text(c, x, rules, l)));
            } else if (c.overridden_by) {
                out += trf(l, "{}: dikesampingkan oleh {}\n", "{}: set aside by {}\n", head,
                           rules.rules.at(*c.overridden_by).id);
            } else if (c.exempted) {
                out += trf(l, "{}: dikecualikan (alasan: {})\n", "{}: exempted (reason: {})\n", head,
                           to_string(*c.exempted));
            } else {
                out += trf(l, "{}: berlaku\n", "{}: applies\n", head);
                out += trf(l, "     syarat: {}\n", "     requires: {}\n", describe_requirement(r, rules, l));
                if (r.need == demand::approval && e.approvals.empty())
                    out += tr(l, "     tidak ada persetujuan pada peristiwa ini\n", "     no approval on this event\n");
                for (const approval_check& a : c.approvals) {
                    const approval& ap = e.approvals.at(a.approval);
                    out += fmt::format("     {}: {}\n", approval_line(ap, a.approval, l),
                                       shown(fault_text(a.fault, ap, r, rules, e, l)));
                }
                out += fmt::format("     → {}\n", outcome_text(c, rules, l));
            }
        }
        out += fmt::format("\n{}\n", tr(l, "Jabatan", "The post"));
        out += trf(l, "  sebelum: {}\n", "  before: {}\n", shown(view_text(x.before, l)));
        out += trf(l, "  sesudah: {}\n", "  after:  {}\n", shown(view_text(x.after, l)));
    }
    out += fmt::format("\n{}\n", tr(l, "Temuan yang dibuka peristiwa ini", "Findings opened by this event"));
    if (x.opened.empty()) out += fmt::format("  {}\n", tr(l, "tidak ada", "none"));
    for (const finding& f : x.opened) out += fmt::format("  {}\n", shown(finding_line(f, rules, l)));
    out += fmt::format("{}\n", tr(l, "Temuan yang ditutup peristiwa ini", "Findings closed by this event"));
    if (x.closed.empty()) out += fmt::format("  {}\n", tr(l, "tidak ada", "none"));
    for (const finding& f : x.closed) out += fmt::format("  {}\n", shown(finding_line(f, rules, l)));
    if (x.region) {
        const region_state& r = *x.region;
        out += trf(l, "\nWilayah {0} sesudahnya: {1} ({2} temuan terbuka, {4} teguran{6})\n",
                   "\nRegion {0} afterwards: {1} ({2} open {3}, {4} {5}{6})\n", shown(r.code),
                   describe_stage(r.stage, rules, l), r.open_findings, plural(r.open_findings, "finding", "findings"),
                   r.warnings, plural(r.warnings, "warning", "warnings"),
                   r.cut.empty() ? std::string() : std::string(tr(l, ", diputus", ", cut off")));
    }
    if (!x.citations.empty()) {
        out += fmt::format("\n{}\n", tr(l, "Dasar hukum", "Citations"));
        for (const std::string& c : x.citations) out += fmt::format("  {}\n", c);
    }
    return out;
}

json render_explanation_json(const explanation& x, const rule_set& rules, lang l) {
    const event& e = x.subject;
    const auto holder_json = [](const std::optional<holder>& h) -> json {
        if (!h) return nullptr;
        return {{"nip", h->who.nip}, {"name", h->who.name}, {"acting", h->acting}, {"since", h->since.iso()}};
    };
    const auto view_json = [&](const std::optional<post_view>& v) -> json {
        if (!v) return nullptr;
        return {{"de_facto", holder_json(v->facto)}, {"de_jure", v->jure_known ? holder_json(v->jure) : json(nullptr)},
                {"de_jure_known", v->jure_known}};
    };
    json considered = json::array();
    for (const rule_consideration& c : x.rules) {
        const rule& r = rules.rules.at(c.rule);
        json approvals = json::array();
        for (const approval_check& a : c.approvals)
            approvals.push_back({{"index", a.approval},
                                 {"accepted", a.fault == approval_fault::none},
                                 {"fault", a.fault == approval_fault::none ? json(nullptr) : json(to_string(a.fault))},
                                 {"reason", fault_text(a.fault, e.approvals.at(a.approval), r, rules, e, l)}});
        considered.push_back({
            {"rule_id", r.id},
            {"policy", rules.policies.at(r.policy).id},
            {"applies", c.judged()},
            {"mismatch", c.why_not == mismatch::none ? json(nullptr) : json(to_string(c.why_not))},
            {"why_not", c.why_not == mismatch::none ? json(nullptr) : json(mismatch_text(c, x, rules, l))},
            {"overridden_by", c.overridden_by ? json(rules.rules.at(*c.overridden_by).id) : json(nullptr)},
            {"exempted", c.exempted ? json(to_string(*c.exempted)) : json(nullptr)},
            {"requires", c.judged() ? json(describe_requirement(r, rules, l)) : json(nullptr)},
            {"approvals", std::move(approvals)},
            {"outcome", c.judged() ? json(outcome_text(c, rules, l)) : json(nullptr)},
        });
    }
    const auto findings_json = [&](const std::vector<finding>& list) {
        json out = json::array();
        for (const finding& f : list)
            out.push_back({{"rule_id", rules.rules.at(f.rule).id},
                           {"severity", to_string(f.sev)},
                           {"region", f.region},
                           {"position", f.position},
                           {"opened", f.opened.iso()},
                           {"closed", f.closed ? json(f.closed->iso()) : json(nullptr)},
                           {"remedy", describe_remedy(f.fix, rules, l)}});
        return out;
    };
    json region = nullptr;
    if (x.region)
        region = {{"code", x.region->code},
                  {"stage", x.region->stage < 0 ? json(nullptr)
                                                 : json(rules.ladder.at(static_cast<std::size_t>(x.region->stage)).id)},
                  {"label", describe_stage(x.region->stage, rules, l)},
                  {"open_findings", x.region->open_findings},
                  {"warnings", x.region->warnings},
                  {"cut_off", !x.region->cut.empty()}};
    return {{"schema", "patuh-explain/1"},
            {"event", {{"id", e.id}, {"kind", to_string(e.kind)}, {"date", e.effective.iso()}, {"source", e.source},
                       {"line", e.line}}},
            {"rules", std::move(considered)},
            {"post_before", view_json(x.before)},
            {"post_after", view_json(x.after)},
            {"opened", findings_json(x.opened)},
            {"closed", findings_json(x.closed)},
            {"region", std::move(region)},
            {"citations", x.citations}};
}

}  // namespace patuh

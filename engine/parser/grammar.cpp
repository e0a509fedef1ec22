// The rule language grammar (Spirit X3) and the statement-by-statement driver
// that recovers from syntax errors. The grammar is line oriented: a statement
// ends at the end of its line, and blocks open with `{` at the end of a header
// line and close with `}` on a line of its own. See docs/language.md.

#include <patuh/parse.hpp>

#include <boost/spirit/home/x3.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>


namespace patuh {
namespace {

namespace x3 = boost::spirit::x3;
using iterator = const char*;

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// ---- parser state shared with semantic actions ----------------------------

struct parse_state {
    const source_file& file;
    std::uint32_t file_index;
    diagnostic_list& diags;

    iterator begin() const { return file.text().data(); }
    iterator end() const { return file.text().data() + file.text().size(); }
    std::uint32_t offset(iterator p) const { return static_cast<std::uint32_t>(p - begin()); }
    span span_of(iterator b, iterator e) const { return span{file_index, offset(b), offset(e)}; }
};
struct state_tag;

// Where a statement's items go: the parser fills one of these per block.
struct item_sink {
    std::vector<ast::top_item>* top = nullptr;
    std::vector<ast::policy_item>* policy = nullptr;
    std::vector<ast::rule_item>* rule = nullptr;
    std::vector<ast::stage_decl>* stages = nullptr;
    std::vector<ast::test_item>* test = nullptr;
};
struct sink_tag;

template <typename Context>
parse_state& state_of(const Context& ctx) {
    return x3::get<state_tag>(ctx).get();
}
template <typename Context>
item_sink& sink_of(const Context& ctx) {
    return x3::get<sink_tag>(ctx).get();
}

// Gives a statement node its span, from its first token to its last.
const auto set_where = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    x3::_val(ctx).where = state_of(ctx).span_of(r.begin(), r.end());
};

// ---- keywords ---------------------------------------------------------------

// A word that is a keyword only where the grammar expects it: `rank IV` is
// the keyword `rank` and the name `IV`.
struct keyword_parser : x3::parser<keyword_parser> {
    using attribute_type = x3::unused_type;

    std::string_view word;
    constexpr explicit keyword_parser(std::string_view w) : word(w) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext&, Attribute&) const {
        x3::skip_over(first, last, ctx);
        Iterator i = first;
        for (const char c : word) {
            if (i == last || *i != c) return false;
            ++i;
        }
        if (i != last && is_name_char(*i)) return false;
        first = i;
        return true;
    }
};
constexpr keyword_parser kw(std::string_view w) { return keyword_parser(w); }

}  // namespace
}  // namespace patuh

namespace boost::spirit::x3 {
// What an action or a raw[] expects is what its subject expects.
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(const action<Subject, Action>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<raw_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(const raw_directive<Subject>& p) const { return what(p.subject); }
};
template <>
struct get_info<patuh::keyword_parser> {
    using result_type = std::string;
    std::string operator()(const patuh::keyword_parser& p) const { return fmt::format("'{}'", p.word); }
};
}  // namespace boost::spirit::x3

namespace patuh {
namespace {

// ---- tokens -------------------------------------------------------------------

const auto comment = x3::lit('#') >> *(x3::char_ - x3::eol);
const auto blank = x3::lit(' ') | x3::lit('\t') | comment;

struct name_class {};
struct text_class {};
struct escape_class {};
struct closing_quote_class {};
struct date_class {};
struct number_class {};
struct line_end_class {};

const x3::rule<name_class, ast::name> name_ = "name";
const x3::rule<text_class, ast::text> text_ = "string";
const x3::rule<escape_class> escape_ = "escape sequence (\\\" \\\\ \\n)";
const x3::rule<closing_quote_class> closing_quote_ = "closing quote";
const x3::rule<date_class, ast::date_lit> date_ = "date (YYYY-MM-DD)";
const x3::rule<number_class, int> number_ = "number";
const x3::rule<line_end_class> line_end_ = "end of line";

const auto name_start = x3::char_("a-zA-Z_");
const auto name_char = x3::char_("a-zA-Z0-9_");

const auto set_name = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    x3::_val(ctx).text.assign(r.begin(), r.end());
    x3::_val(ctx).where = state_of(ctx).span_of(r.begin(), r.end());
};
const auto name__def = x3::raw[x3::lexeme[name_start >> *name_char]][set_name];

std::string unescape(std::string_view quoted) {
    std::string out;
    out.reserve(quoted.size());
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        char c = quoted[i];
        if (c == '\\' && i + 2 < quoted.size()) {
            c = quoted[++i];
            if (c == 'n') c = '\n';
        }
        out.push_back(c);
    }
    return out;
}
const auto set_text = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    x3::_val(ctx).value = unescape(std::string_view(r.begin(), static_cast<std::size_t>(r.end() - r.begin())));
    x3::_val(ctx).where = state_of(ctx).span_of(r.begin(), r.end());
};
const auto escape__def = x3::lit('"') | x3::lit('\\') | x3::lit('n');
const auto closing_quote__def = x3::lit('"');
const auto text__def = x3::raw[x3::lexeme[x3::lit('"') >
                                          *((x3::lit('\\') > escape_) | (x3::char_ - x3::char_("\"\\\r\n"))) >
                                          closing_quote_]][set_text];

const auto set_date = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    parse_state& st = state_of(ctx);
    const std::string_view text(r.begin(), static_cast<std::size_t>(r.end() - r.begin()));
    x3::_val(ctx).where = st.span_of(r.begin(), r.end());
    if (const auto d = date::parse(text)) {
        x3::_val(ctx).value = *d;
    } else {
        st.diags.add({diag_code::invalid_date, x3::_val(ctx).where,
                      bilingual{fmt::format("'{}' bukan tanggal kalender yang sah", text),
                                fmt::format("'{}' is not a real calendar day", text)},
                      "", ""});
    }
};
const auto digit = x3::char_("0-9");
const auto date__def =
    x3::raw[x3::lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >> x3::repeat(2)[digit] >>
                       !name_char]][set_date];

const auto set_number = [](auto& ctx) { x3::_val(ctx) = static_cast<int>(x3::_attr(ctx)); };
const auto number__def = x3::lexeme[x3::uint_parser<unsigned, 10, 1, 6>() >> !name_char][set_number];

const auto line_end__def = x3::eol | x3::eoi;

BOOST_SPIRIT_DEFINE(name_, text_, escape_, closing_quote_, date_, number_, line_end_)

// `p, p, p`: after a comma another item is required.
template <typename P>
auto list_of(const P& p) {
    return p >> *(x3::lit(',') > p);
}

// Helpers for semantic actions that fill the enclosing rule's node.
template <typename F>
auto act(F f) {
    return [f](auto& ctx) { f(x3::_val(ctx), x3::_attr(ctx)); };
}
template <typename F>
auto flag(F f) {
    return [f](auto& ctx) { f(x3::_val(ctx)); };
}

// ---- declarations ---------------------------------------------------------------

struct include_class {};
struct authority_class {};
struct rank_class {};
struct unit_class {};
struct level_class {};
struct service_class {};

const x3::rule<include_class, ast::include_decl> include_ = "include";
const x3::rule<authority_class, ast::authority_decl> authority_ = "authority";
const x3::rule<rank_class, ast::rank_decl> rank_ = "rank";
const x3::rule<unit_class, ast::unit_decl> unit_ = "unit";
const x3::rule<level_class, ast::level_decl> level_ = "level";
const x3::rule<service_class, ast::service_decl> service_ = "service";

const auto set_id = act([](auto& n, const ast::name& v) { n.id = v; });
const auto set_title = act([](auto& n, const ast::text& v) { n.title = v; });
const auto push_alias = act([](auto& n, const ast::text& v) { n.aliases.push_back(v); });
const auto aliases = kw("aliases") > +text_[push_alias];

const auto include__def = x3::raw[kw("include") > text_[act([](ast::include_decl& n, const ast::text& v) { n.path = v; })]][set_where];
const auto authority__def = x3::raw[kw("authority") > name_[set_id] > text_[set_title] >
    -(kw("under") > name_[act([](ast::authority_decl& n, const ast::name& v) { n.under = v; })]) > -aliases][set_where];
const auto rank__def = x3::raw[kw("rank") > name_[set_id] > -text_[set_title] > -aliases][set_where];
const auto unit__def = x3::raw[kw("unit") > name_[set_id] > -text_[set_title] > -aliases][set_where];
const auto level__def = x3::raw[kw("level") > name_[set_id] > -text_[set_title] > kw("codes") >
                        text_[act([](ast::level_decl& n, const ast::text& v) { n.codes = v; })]][set_where];
const auto service__def = x3::raw[kw("service") > name_[set_id] > -text_[set_title]][set_where];

BOOST_SPIRIT_DEFINE(include_, authority_, rank_, unit_, level_, service_)

// ---- statements shared by policies and rules ---------------------------------------

struct in_force_class {};
struct cite_class {};
struct message_class {};

const x3::rule<in_force_class, ast::in_force> in_force_ = "in force";
const x3::rule<cite_class, ast::cite_stmt> cite_ = "cite";
const x3::rule<message_class, ast::message_stmt> message_ = "message";

const auto in_force__def = x3::raw[kw("in") > kw("force") > kw("from") >
                           date_[act([](ast::in_force& n, const ast::date_lit& v) { n.from = v; })] >
                           -(kw("until") > date_[act([](ast::in_force& n, const ast::date_lit& v) { n.until = v; })])][set_where];
const auto cite__def = x3::raw[kw("cite") > text_[act([](ast::cite_stmt& n, const ast::text& v) { n.citation = v; })]][set_where];
const auto message__def = x3::raw[kw("message") > name_[act([](ast::message_stmt& n, const ast::name& v) { n.language = v; })] >
                                     text_[act([](ast::message_stmt& n, const ast::text& v) { n.body = v; })]][set_where];

BOOST_SPIRIT_DEFINE(in_force_, cite_, message_)

// ---- rule statements ---------------------------------------------------------------

struct condition_class {};
struct condition_body_class {};
struct requirement_class {};
struct timing_class {};
struct forbidden_class {};
struct allowed_class {};
struct route_class {};
struct lead_time_class {};
struct severity_class {};
struct exempt_class {};
struct overrides_class {};
struct check_class {};
struct days_word_class {};

const x3::rule<condition_class, ast::condition> condition_ = "when";
const x3::rule<condition_body_class, ast::condition> condition_body_ =
    "rank, action, level, unit, position, reason or during";
struct window_class {};
struct window_body_class {};
struct period_unit_class {};
const x3::rule<window_class, ast::window_stmt> window_ = "when during";
const x3::rule<window_body_class, ast::window_stmt> window_body_ = "caretaker or a number of months or days";
const x3::rule<period_unit_class, ast::window_stmt> period_unit_ = "'months' or 'days'";
const x3::rule<requirement_class, ast::requirement> requirement_ = "requires";
const x3::rule<timing_class, ast::requirement> timing_ = "'on or before effective date' or 'within N days'";
const x3::rule<forbidden_class, ast::forbidden_stmt> forbidden_ = "forbidden";
const x3::rule<allowed_class, ast::allowed_stmt> allowed_ = "allowed";
const x3::rule<route_class, ast::route_stmt> route_ = "route";
const x3::rule<lead_time_class, ast::lead_time_stmt> lead_time_ = "lead time";
const x3::rule<severity_class, ast::severity_stmt> severity_ = "severity";
const x3::rule<exempt_class, ast::exempt_stmt> exempt_ = "exempt";
const x3::rule<overrides_class, ast::overrides_stmt> overrides_ = "overrides";
const x3::rule<check_class, ast::check_stmt> check_ = "check";
struct severity_name_class {};
const x3::rule<severity_name_class, ast::name> severity_name_ = "info, low, medium, high or critical";
const auto severity_name__def = name_;
const x3::rule<days_word_class> days_word_ = "'days'";

const auto days_word__def = kw("days") | kw("day");

template <ast::condition_kind K>
const auto subject = flag([](ast::condition& n) { n.kind = K; });
const auto push_cond_name = act([](ast::condition& n, const ast::name& v) { n.names.push_back(v); });
const auto push_position = act([](ast::condition& n, const ast::text& v) { n.positions.push_back(v); });
const auto condition_body__def = x3::raw[(kw("rank")[subject<ast::condition_kind::rank>] > list_of(name_[push_cond_name])) |
    (kw("action")[subject<ast::condition_kind::action>] > list_of(name_[push_cond_name])) |
    (kw("level")[subject<ast::condition_kind::level>] > list_of(name_[push_cond_name])) |
    (kw("unit")[subject<ast::condition_kind::unit>] > list_of(name_[push_cond_name])) |
    (kw("reason")[subject<ast::condition_kind::reason>] > list_of(name_[push_cond_name])) |
    (kw("position")[subject<ast::condition_kind::position>] > list_of(text_[push_position])) |
    kw("vacant")[subject<ast::condition_kind::vacant>]][set_where];
const auto period_unit__def = (kw("months") | kw("month"))[flag([](ast::window_stmt& n) { n.months = true; })] |
                              (kw("days") | kw("day"))[flag([](ast::window_stmt& n) { n.months = false; })];
const auto set_anchor = act([](ast::window_stmt& n, const ast::name& v) { n.anchor = v; });
const auto window_body__def =
    kw("caretaker")[flag([](ast::window_stmt& n) { n.caretaker = true; })] |
    (number_[act([](ast::window_stmt& n, int v) { n.amount = v; })] >
     period_unit_[act([](ast::window_stmt& n, const ast::window_stmt& v) { n.months = v.months; })] >
     (kw("after") | kw("before")[flag([](ast::window_stmt& n) { n.before = true; })]) > name_[set_anchor] >
     -(kw("until") > name_[act([](ast::window_stmt& n, const ast::name& v) { n.until = v; })]));
const auto window__def = x3::raw[(kw("when") >> kw("during")) > window_body_[act([](ast::window_stmt& n, const ast::window_stmt& v) {
    const span where = n.where;
    n = v;
    n.where = where;
})]][set_where];
const auto condition__def = x3::raw[kw("when") > condition_body_[act([](ast::condition& n, const ast::condition& v) { n = v; })]][set_where];

const auto timing__def =
    (kw("on") > kw("or") > kw("before") > kw("effective") > kw("date"))[flag([](ast::requirement& n) {
        n.timing = ast::timing_kind::on_or_before;
    })] |
    (kw("within") > number_[act([](ast::requirement& n, int d) {
         n.timing = ast::timing_kind::within_days;
         n.days = d;
     })] > days_word_);
const auto requirement__def = x3::raw[kw("requires") > name_[act([](ast::requirement& n, const ast::name& v) { n.authority = v; })] >
    -(kw("or") > kw("higher"))[flag([](ast::requirement& n) { n.or_higher = true; })] >
    -timing_[act([](ast::requirement& n, const ast::requirement& t) {
        n.timing = t.timing;
        n.days = t.days;
    })]][set_where];
const auto forbidden__def = x3::raw[kw("forbidden")][set_where];
const auto allowed__def = x3::raw[kw("allowed")][set_where];
const auto route__def = x3::raw[kw("route") > list_of(name_[act([](ast::route_stmt& n, const ast::name& v) { n.chain.push_back(v); })]) >
    -(kw("when") > kw("level") >
      list_of(name_[act([](ast::route_stmt& n, const ast::name& v) { n.levels.push_back(v); })]))][set_where];
const auto lead_time__def = x3::raw[kw("lead") > kw("time") >
                            number_[act([](ast::lead_time_stmt& n, int d) { n.days = d; })] > days_word_][set_where];
const auto severity__def = x3::raw[kw("severity") > severity_name_[act([](ast::severity_stmt& n, const ast::name& v) { n.level = v; })]][set_where];
const auto exempt__def = x3::raw[kw("exempt") > list_of(name_[act([](ast::exempt_stmt& n, const ast::name& v) { n.reasons.push_back(v); })])][set_where];
const auto overrides__def = x3::raw[kw("overrides") > list_of(name_[act([](ast::overrides_stmt& n, const ast::name& v) { n.rules.push_back(v); })])][set_where];
const auto check__def = x3::raw[kw("check") > name_[act([](ast::check_stmt& n, const ast::name& v) { n.which = v; })] >
    -(kw("within") > number_[act([](ast::check_stmt& n, int d) { n.days = d; })] > days_word_)][set_where];

BOOST_SPIRIT_DEFINE(window_, window_body_, period_unit_)
BOOST_SPIRIT_DEFINE(condition_, condition_body_, requirement_, timing_, forbidden_, allowed_, route_, lead_time_,
                    severity_, severity_name_, exempt_, overrides_, check_, days_word_)

// ---- escalation ---------------------------------------------------------------------

struct stage_class {};
const x3::rule<stage_class, ast::stage_decl> stage_ = "stage";
const auto stage__def = x3::raw[kw("stage") > name_[set_id] > kw("on") >
    name_[act([](ast::stage_decl& n, const ast::name& v) { n.trigger = v; })] >
    -number_[act([](ast::stage_decl& n, int c) { n.count = c; })] >
    *message_[act([](ast::stage_decl& n, const ast::message_stmt& m) { n.labels.push_back(m); })]][set_where];
BOOST_SPIRIT_DEFINE(stage_)

// ---- rule tests ----------------------------------------------------------------------

struct as_of_class {};
struct event_class {};
struct record_class {};
struct events_class {};
struct expect_class {};
struct expect_body_class {};
struct filters_end_class {};
struct stage_or_none_class {};

const x3::rule<as_of_class, ast::as_of_stmt> as_of_ = "as of";
const x3::rule<event_class, ast::event_stmt> event_ = "event";
const x3::rule<record_class, ast::event_stmt> record_ = "event record ({...} to the end of the line)";
const x3::rule<events_class, ast::events_stmt> events_ = "events";
const x3::rule<expect_class, ast::expect_stmt> expect_ = "expect";
const x3::rule<expect_body_class, ast::expect_stmt> expect_body_ = "a rule id, no, none or stage";
const x3::rule<filters_end_class> filters_end_ =
    "info, low, medium, high, critical, opened, open, closed, region, event or end of line";
const x3::rule<stage_or_none_class, ast::name> stage_or_none_ = "a stage name or none";

const auto as_of__def = x3::raw[kw("as") > kw("of") > date_[act([](ast::as_of_stmt& n, const ast::date_lit& v) { n.day = v; })]][set_where];
// The rest of the line is one JSON record, kept as written.
const auto set_record = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    x3::_val(ctx).json.assign(r.begin(), r.end());
    x3::_val(ctx).record = state_of(ctx).span_of(r.begin(), r.end());
};
const auto record__def = x3::raw[x3::lexeme[x3::char_('{') >> *(x3::char_ - x3::eol)]][set_record];
const auto event__def = x3::raw[kw("event") > record_[act([](ast::event_stmt& n, const ast::event_stmt& v) {
    n.json = v.json;
    n.record = v.record;
})]][set_where];
const auto events__def = x3::raw[kw("events") > text_[act([](ast::events_stmt& n, const ast::text& v) { n.path = v; })]][set_where];

// Each filter remembers where it was written, for repeated and conflicting ones.
const auto note_filter = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    const auto word_end = std::find_if(r.begin(), r.end(), [](char c) { return !is_name_char(c); });
    x3::_val(ctx).filters.push_back({std::string(r.begin(), word_end), state_of(ctx).span_of(r.begin(), r.end())});
};
const auto set_severity = [](auto& ctx) {
    const auto& r = x3::_attr(ctx);
    x3::_val(ctx).severity = ast::name{std::string(r.begin(), r.end()), state_of(ctx).span_of(r.begin(), r.end())};
};
const auto severity_word = kw("info") | kw("low") | kw("medium") | kw("high") | kw("critical");
const auto filter = x3::raw[
    x3::raw[severity_word][set_severity] |
    (kw("opened") > date_[act([](ast::expect_stmt& n, const ast::date_lit& v) { n.opened = v; })]) |
    kw("open")[flag([](ast::expect_stmt& n) { n.still_open = true; })] |
    (kw("closed") > date_[act([](ast::expect_stmt& n, const ast::date_lit& v) { n.closed = v; })]) |
    (kw("region") > text_[act([](ast::expect_stmt& n, const ast::text& v) { n.region = v; })]) |
    (kw("event") > text_[act([](ast::expect_stmt& n, const ast::text& v) { n.event_id = v; })])][note_filter];
const auto set_rule = act([](ast::expect_stmt& n, const ast::name& v) { n.rule = v; });
const auto stage_or_none__def = name_;
const auto filters_end__def = &line_end_;
const auto expect_body__def =
    (kw("none") >> &line_end_)[flag([](ast::expect_stmt& n) { n.form = ast::expect_form::none; })] |
    (kw("stage")[flag([](ast::expect_stmt& n) { n.form = ast::expect_form::stage; })] >
     text_[act([](ast::expect_stmt& n, const ast::text& v) { n.region = v; })] >
     stage_or_none_[act([](ast::expect_stmt& n, const ast::name& v) { n.stage = v; })]) |
    (kw("no")[flag([](ast::expect_stmt& n) { n.form = ast::expect_form::absent; })] > name_[set_rule] >
     *filter > filters_end_) |
    (name_[set_rule] > *filter > filters_end_);
const auto expect__def = x3::raw[kw("expect") > expect_body_[act([](ast::expect_stmt& n, const ast::expect_stmt& v) {
    const span where = n.where;
    n = v;
    n.where = where;
})]][set_where];

BOOST_SPIRIT_DEFINE(as_of_, event_, record_, events_, expect_, expect_body_, filters_end_, stage_or_none_)

// ---- block headers -------------------------------------------------------------------

struct policy_header_class {};
struct rule_header_class {};
struct moratorium_header_class {};
struct escalation_header_class {};
struct test_header_class {};

const x3::rule<policy_header_class, ast::policy_decl> policy_header_ = "policy";
const x3::rule<rule_header_class, ast::rule_decl> rule_header_ = "rule";
const x3::rule<moratorium_header_class, ast::rule_decl> moratorium_header_ = "moratorium";
const x3::rule<escalation_header_class, ast::escalation_decl> escalation_header_ = "escalation";
const x3::rule<test_header_class, ast::test_decl> test_header_ = "test";

const auto policy_header__def = x3::raw[kw("policy") > name_[set_id] > -text_[set_title] > x3::lit('{')][set_where];
const auto rule_header__def = x3::raw[kw("rule") > name_[set_id] > text_[set_title] > x3::lit('{')][set_where];
// The window of a moratorium becomes its in-force period.
const auto moratorium_header__def = x3::raw[kw("moratorium")[flag([](ast::rule_decl& n) {
        n.form = ast::rule_form::moratorium;
        n.items.emplace_back(ast::in_force{});
    })] >
    name_[set_id] > text_[set_title] > kw("from") >
    date_[act([](ast::rule_decl& n, const ast::date_lit& v) { std::get<ast::in_force>(n.items.front()).from = v; })] >
    kw("until") > date_[act([](ast::rule_decl& n, const ast::date_lit& v) {
        auto& window = std::get<ast::in_force>(n.items.front());
        window.until = v;
        window.where = span{v.where.file, window.from.where.begin, v.where.end};
    })] >
    x3::lit('{')][set_where];
const auto escalation_header__def = x3::raw[kw("escalation") > x3::lit('{')][set_where];
const auto test_header__def = x3::raw[kw("test") > name_[set_id] > -text_[set_title] > x3::lit('{')][set_where];

BOOST_SPIRIT_DEFINE(policy_header_, rule_header_, moratorium_header_, escalation_header_, test_header_)

// ---- statements per block --------------------------------------------------------------

const auto to_top_decl = [](auto& ctx) { sink_of(ctx).top->emplace_back(ast::declaration{x3::_attr(ctx)}); };
const auto to_top_include = [](auto& ctx) { sink_of(ctx).top->emplace_back(x3::_attr(ctx)); };
const auto to_policy_decl = [](auto& ctx) { sink_of(ctx).policy->emplace_back(ast::declaration{x3::_attr(ctx)}); };
const auto to_policy = [](auto& ctx) { sink_of(ctx).policy->emplace_back(x3::_attr(ctx)); };
const auto to_rule = [](auto& ctx) { sink_of(ctx).rule->emplace_back(x3::_attr(ctx)); };
const auto to_stage = [](auto& ctx) { sink_of(ctx).stages->push_back(x3::_attr(ctx)); };

const auto declarations_to_top = authority_[to_top_decl] | rank_[to_top_decl] |
                                 unit_[to_top_decl] | level_[to_top_decl] |
                                 service_[to_top_decl];
const auto top_statement = include_[to_top_include] | declarations_to_top;
const auto policy_statement = in_force_[to_policy] | cite_[to_policy] | authority_[to_policy_decl] |
                              rank_[to_policy_decl] | unit_[to_policy_decl] | level_[to_policy_decl] |
                              service_[to_policy_decl];
const auto rule_statement = in_force_[to_rule] | window_[to_rule] | condition_[to_rule] | requirement_[to_rule] |
                            forbidden_[to_rule] | allowed_[to_rule] | route_[to_rule] | lead_time_[to_rule] |
                            severity_[to_rule] | cite_[to_rule] | message_[to_rule] | exempt_[to_rule] |
                            overrides_[to_rule] | check_[to_rule];
const auto stage_statement = stage_[to_stage];
const auto to_test = [](auto& ctx) { sink_of(ctx).test->emplace_back(x3::_attr(ctx)); };
const auto test_statement = as_of_[to_test] | event_[to_test] | events_[to_test] | expect_[to_test];

constexpr std::array top_words = {"include", "authority", "rank",       "unit", "level",
                                  "service", "policy",    "escalation", "test"};
constexpr std::array policy_words = {"in",    "cite",    "authority", "rank",       "unit",      "level",
                                     "service", "rule", "moratorium", "escalation"};
constexpr std::array rule_words = {"when",     "requires", "allowed", "forbidden", "route",     "lead",   "severity",
                                   "cite",     "message",  "exempt",  "overrides", "check",     "in"};
constexpr std::array stage_words = {"stage"};
constexpr std::array test_words = {"as", "event", "events", "expect"};

const char* const top_expected = "include, authority, rank, unit, level, service, policy, escalation or test";
const char* const policy_expected =
    "in force, cite, authority, rank, unit, level, service, rule, moratorium, escalation or '}'";
const char* const rule_expected =
    "when, requires, allowed, forbidden, route, lead time, severity, cite, message, exempt, overrides, check, "
    "in force or '}'";
const char* const stage_expected = "stage or '}'";
const char* const test_expected = "as of, event, events, expect or '}'";

// ---- the driver ---------------------------------------------------------------------------

// Indonesian names of what the grammar expects, for the Indonesian message.
std::string expected_in_indonesian(std::string_view what) {
    static const std::array<std::pair<std::string_view, std::string_view>, 6> words = {{
        {"name", "nama"},
        {"string", "teks dalam tanda kutip"},
        {"date (YYYY-MM-DD)", "tanggal (YYYY-MM-DD)"},
        {"number", "angka"},
        {"end of line", "akhir baris"},
        {"'days'", "'days'"},
    }};
    for (const auto& [en, id] : words)
        if (what == en) return std::string(id);
    std::string out(what);
    if (const auto at = out.rfind(" or "); at != std::string::npos) out.replace(at, 4, " atau ");
    return out;
}

enum class block { top, policy, rule, escalation, test };

class driver {
public:
    driver(const source_set& sources, std::uint32_t index, diagnostic_list& diags, const parse_limits& limits)
        : state_{sources.at(index), index, diags}, limits_(limits), it_(state_.begin()), end_(state_.end()) {}

    ast::file run() {
        ast::file out;
        out.source = state_.file_index;
        if (!check_limits()) return out;
        item_sink sink;
        sink.top = &out.items;
        parse_block(block::top, sink, nullptr);
        return out;
    }

private:
    parse_state state_;
    const parse_limits& limits_;
    iterator it_;
    iterator end_;
    std::size_t rules_seen_ = 0;
    bool rule_limit_reported_ = false;

    bool check_limits() {
        const std::string& text = state_.file.text();
        if (text.size() > limits_.max_file_bytes) {
            state_.diags.add({diag_code::limit_exceeded, span{state_.file_index, 0, 0},
                              bilingual{fmt::format("berkas berukuran {} bita; batasnya {} bita", text.size(),
                                                    limits_.max_file_bytes),
                                        fmt::format("the file has {} {}; the limit is {} {}", text.size(),
                                                    plural(text.size(), "byte", "bytes"), limits_.max_file_bytes,
                                                    plural(limits_.max_file_bytes, "byte", "bytes"))},
                              "", ""});
            return false;
        }
        bool ok = true;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t stop = text.find('\n', start);
            if (stop == std::string::npos) stop = text.size();
            if (stop - start > limits_.max_line_bytes) {
                state_.diags.add({diag_code::limit_exceeded,
                                  span{state_.file_index, static_cast<std::uint32_t>(start),
                                       static_cast<std::uint32_t>(start + limits_.max_line_bytes)},
                                  bilingual{fmt::format("baris sepanjang {} bita; batasnya {} bita", stop - start,
                                                        limits_.max_line_bytes),
                                            fmt::format("the line has {} {}; the limit is {} {}", stop - start,
                                                        plural(stop - start, "byte", "bytes"), limits_.max_line_bytes,
                                                        plural(limits_.max_line_bytes, "byte", "bytes"))},
                                  "", ""});
                ok = false;
            }
            start = stop + 1;
        }
        return ok;
    }

    // Skips blanks, comments and line breaks between statements.
    void skip_between() {
        while (it_ != end_) {
            const char c = *it_;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++it_;
            } else if (c == '#') {
                while (it_ != end_ && *it_ != '\n') ++it_;
            } else {
                break;
            }
        }
    }

    // Skips blanks and comments on the current line.
    iterator skip_blanks(iterator p) const {
        while (p != end_ && (*p == ' ' || *p == '\t')) ++p;
        if (p != end_ && *p == '#')
            while (p != end_ && *p != '\n' && *p != '\r') ++p;
        return p;
    }

    iterator token_end(iterator p) const {
        if (p == end_ || *p == '\n' || *p == '\r') return p;
        if (is_name_char(*p)) {
            while (p != end_ && is_name_char(*p)) ++p;
            return p;
        }
        if (*p == '"') {
            ++p;
            while (p != end_ && *p != '"' && *p != '\n' && *p != '\r') p += (*p == '\\' && p + 1 != end_) ? 2 : 1;
            return p == end_ || *p != '"' ? p : p + 1;
        }
        return p + 1;
    }

    std::string describe(iterator p) const {
        if (p == end_) return "end of file";
        if (*p == '\n' || *p == '\r') return "end of line";
        return fmt::format("'{}'", std::string_view(p, static_cast<std::size_t>(token_end(p) - p)));
    }
    std::string describe_id(iterator p) const {
        if (p == end_) return "akhir berkas";
        if (*p == '\n' || *p == '\r') return "akhir baris";
        return describe(p);
    }

    void syntax_error(iterator at, std::string_view expected, std::string suggestion = {}) {
        at = skip_blanks(at);
        const span where = state_.span_of(at, token_end(at));
        if (expected == "closing quote") {
            // find where the string began on this line, for the caret
            iterator open = at;
            while (open != state_.begin() && *(open - 1) != '\n' && *open != '"') --open;
            state_.diags.add({diag_code::unterminated_string, state_.span_of(open, at),
                              bilingual{"teks tidak ditutup dengan tanda kutip sebelum akhir baris",
                                        "string not closed before the end of the line"},
                              "'\"'", ""});
            return;
        }
        state_.diags.add({diag_code::expected_token, where,
                          bilingual{fmt::format("ditemukan {}; diharapkan {}", describe_id(at),
                                                expected_in_indonesian(expected)),
                                    fmt::format("found {}; expected {}", describe(at), expected)},
                          "", std::move(suggestion)});
    }

    // After an error: on to the next line, or to a `}` that closes the block on this line.
    void recover() {
        bool in_string = false;
        while (it_ != end_ && *it_ != '\n') {
            if (*it_ == '"') in_string = !in_string;
            if (!in_string && *it_ == '#') {
                while (it_ != end_ && *it_ != '\n') ++it_;
                break;
            }
            if (!in_string && *it_ == '}') return;
            ++it_;
        }
    }

    // Whether the rest of the line (from the statement start) ends with `{`.
    bool line_opens_block(iterator from) const {
        bool in_string = false;
        char last = 0;
        for (iterator p = from; p != end_ && *p != '\n'; ++p) {
            if (*p == '"') in_string = !in_string;
            if (!in_string && *p == '#') break;
            if (!in_string && *p != ' ' && *p != '\t' && *p != '\r') last = *p;
        }
        return last == '{';
    }

    void skip_to_line_end() {
        while (it_ != end_ && *it_ != '\n') ++it_;
    }

    // Runs one statement parser on the current line. Returns whether it matched;
    // a statement that started but failed is reported and skipped.
    template <typename Parser>
    bool statement(const Parser& p, item_sink& sink, bool& failed) {
        failed = false;
        iterator i = it_;
        try {
            const auto parser = x3::with<state_tag>(std::ref(state_))[x3::with<sink_tag>(std::ref(sink))[p]];
            if (!x3::phrase_parse(i, end_, parser, blank)) return false;
            it_ = i;
            return true;
        } catch (const x3::expectation_failure<iterator>& e) {
            syntax_error(e.where(), e.which());
            failed = true;
            return true;
        }
    }

    // The statement ends with its line.
    void expect_line_end() {
        bool failed = false;
        item_sink none;
        const iterator at = it_;
        if (!statement(x3::eps > line_end_, none, failed)) failed = true;
        if (failed) {
            it_ = at;
            recover();
        }
    }

    template <typename Words>
    void unknown_statement(const char* expected, const Words& words) {
        const iterator at = skip_blanks(it_);
        std::string suggestion;
        if (at != end_ && is_name_char(*at)) {
            const std::string word(at, token_end(at));
            suggestion = did_you_mean(word, std::vector<std::string>(words.begin(), words.end()));
        }
        syntax_error(at, expected, std::move(suggestion));
    }

    // Parses statements until the block's `}` (or the end of the file at top level).
    void parse_block(block kind, item_sink& sink, const iterator* opened_at) {
        while (true) {
            skip_between();
            if (it_ == end_) {
                if (kind != block::top && opened_at) {
                    const iterator opening = skip_blanks(*opened_at);
                    state_.diags.add({diag_code::expected_token, state_.span_of(opening, token_end(opening)),
                                      bilingual{"blok ini tidak ditutup sebelum akhir berkas",
                                                "this block is not closed before the end of the file"},
                                      "'}'", ""});
                }
                return;
            }
            if (*it_ == '}') {
                if (kind == block::top) {
                    syntax_error(it_, top_expected);
                    ++it_;
                    recover();
                    continue;
                }
                ++it_;
                expect_line_end();
                return;
            }
            const iterator start = it_;
            bool failed = false;
            switch (kind) {
            case block::top: top_step(sink, failed); break;
            case block::policy: policy_step(sink, failed); break;
            case block::rule: rule_step(sink, failed); break;
            case block::escalation: escalation_step(sink, failed); break;
            case block::test: test_step(sink, failed); break;
            }
            if (failed) {
                it_ = start;
                skip_failed_statement();
            }
        }
    }

    // A statement that failed: if its line opened a block, its body is still
    // checked but kept nowhere, so that its statements are not mistaken for
    // statements of the enclosing block; else the rest of the line is skipped.
    void skip_failed_statement() {
        const iterator start = it_;
        if (line_opens_block(start)) {
            skip_to_line_end();
            const iterator word_end = token_end(skip_blanks(start));
            const std::string_view word(start, static_cast<std::size_t>(word_end - start));
            block inner = block::rule;
            if (word == "policy") inner = block::policy;
            else if (word == "escalation") inner = block::escalation;
            else if (word == "test") inner = block::test;
            std::vector<ast::policy_item> policy_items;
            std::vector<ast::rule_item> rule_items;
            std::vector<ast::stage_decl> stages;
            std::vector<ast::test_item> test_items;
            item_sink discard;
            discard.policy = &policy_items;
            discard.rule = &rule_items;
            discard.stages = &stages;
            discard.test = &test_items;
            parse_block(inner, discard, &start);
            return;
        }
        recover();
    }

    // A block: its header line, then its statements up to `}`. Returns whether
    // the header matched (`failed` when it matched but had an error).
    template <typename Node, typename Rule, typename Store>
    bool nested(const Rule& header_rule, block kind, bool& failed, Store&& store) {
        const iterator start = it_;
        Node node;
        if (!header(header_rule, node, failed)) return false;
        if (failed) return true;
        item_sink inner;
        if constexpr (std::is_same_v<Node, ast::policy_decl>) inner.policy = &node.items;
        else if constexpr (std::is_same_v<Node, ast::rule_decl>) inner.rule = &node.items;
        else if constexpr (std::is_same_v<Node, ast::test_decl>) inner.test = &node.items;
        else inner.stages = &node.stages;
        parse_block(kind, inner, &start);
        node.where.end = state_.offset(it_);
        store(std::move(node));
        return true;
    }

    // A one-line statement of the block, or an error naming what the block allows.
    template <typename Parser, typename Words>
    void simple(const Parser& p, const char* expected, const Words& words, item_sink& sink, bool& failed) {
        if (statement(p, sink, failed)) {
            if (!failed) expect_line_end();
            return;
        }
        unknown_statement(expected, words);
        failed = true;
    }

    void top_step(item_sink& sink, bool& failed) {
        const auto keep = [&](auto&& node) { sink.top->emplace_back(std::move(node)); };
        if (nested<ast::policy_decl>(policy_header_, block::policy, failed, keep)) return;
        if (nested<ast::escalation_decl>(escalation_header_, block::escalation, failed, keep)) return;
        if (nested<ast::test_decl>(test_header_, block::test, failed, keep)) return;
        simple(top_statement, top_expected, top_words, sink, failed);
    }

    void policy_step(item_sink& sink, bool& failed) {
        const auto keep = [&](auto&& node) { sink.policy->emplace_back(std::move(node)); };
        const auto keep_rule = [&](ast::rule_decl&& rule) {
            if (++rules_seen_ <= limits_.max_rules) {
                sink.policy->emplace_back(std::move(rule));
            } else if (!rule_limit_reported_) {
                state_.diags.add({diag_code::limit_exceeded, rule.id.where,
                                  bilingual{fmt::format("lebih dari {} aturan dalam satu berkas", limits_.max_rules),
                                            fmt::format("more than {} {} in one file", limits_.max_rules,
                                                        plural(limits_.max_rules, "rule", "rules"))},
                                  "", ""});
                rule_limit_reported_ = true;
            }
        };
        if (nested<ast::rule_decl>(rule_header_, block::rule, failed, keep_rule)) return;
        if (nested<ast::rule_decl>(moratorium_header_, block::rule, failed, keep_rule)) return;
        if (nested<ast::escalation_decl>(escalation_header_, block::escalation, failed, keep)) return;
        simple(policy_statement, policy_expected, policy_words, sink, failed);
    }

    void rule_step(item_sink& sink, bool& failed) { simple(rule_statement, rule_expected, rule_words, sink, failed); }

    void escalation_step(item_sink& sink, bool& failed) {
        simple(stage_statement, stage_expected, stage_words, sink, failed);
    }

    void test_step(item_sink& sink, bool& failed) { simple(test_statement, test_expected, test_words, sink, failed); }

    // A block header up to its `{`, which must end the line.
    template <typename Rule, typename Node>
    bool header(const Rule& r, Node& node, bool& failed) {
        failed = false;
        iterator i = it_;
        try {
            item_sink none;
            const auto parser = x3::with<state_tag>(std::ref(state_))[x3::with<sink_tag>(std::ref(none))[r]];
            if (!x3::phrase_parse(i, end_, parser, blank, node)) return false;
        } catch (const x3::expectation_failure<iterator>& e) {
            syntax_error(e.where(), e.which());
            failed = true;
            return true;
        }
        it_ = i;
        const iterator at = it_;
        bool line_failed = false;
        item_sink none;
        statement(x3::eps > line_end_, none, line_failed);
        if (line_failed) {
            // Something after `{`: the block is still opened; the rest of the line is ignored.
            it_ = at;
            skip_to_line_end();
        }
        return true;
    }
};

}  // namespace

ast::file parse_file(const source_set& sources, std::uint32_t index, diagnostic_list& diags,
                     const parse_limits& limits) {
    driver d(sources, index, diags, limits);
    return d.run();
}

}  // namespace patuh

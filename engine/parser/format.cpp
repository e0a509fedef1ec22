// `patuh fmt`: the canonical layout of a rule file. Each line is split into
// tokens (strings, comments, punctuation, words) and laid out again; the
// grammar is line oriented, so lines are kept as they are.

#include <patuh/format.hpp>

#include <boost/spirit/home/x3.hpp>

#include <vector>

namespace patuh {
namespace {

namespace x3 = boost::spirit::x3;

enum class token_kind { word, string, comment, open, close, comma, record };

struct token {
    token_kind kind;
    std::string_view text;
};

// Splits one line into tokens; an unclosed string runs to the end of the line.
// The JSON record of an `event` line is one token, kept as written.
std::vector<token> tokens_of(std::string_view line) {
    std::vector<token> out;
    const std::size_t lead = line.find_first_not_of(" \t");
    if (lead != std::string_view::npos && line.substr(lead).starts_with("event")) {
        const std::size_t record = line.find_first_not_of(" \t", lead + 5);
        if (record != std::string_view::npos && record > lead + 5 && line[record] == '{') {
            const std::size_t last = line.find_last_not_of(" \t\r");
            out.push_back({token_kind::word, line.substr(lead, 5)});
            out.push_back({token_kind::record, line.substr(record, last + 1 - record)});
            return out;
        }
    }
    const auto add = [&out](token_kind k) {
        return [&out, k](auto& ctx) {
            const auto& r = x3::_attr(ctx);
            out.push_back({k, std::string_view(r.begin(), static_cast<std::size_t>(r.end() - r.begin()))});
        };
    };
    const auto string_token =
        x3::raw[x3::lexeme[x3::lit('"') >> *((x3::lit('\\') >> x3::char_) | (x3::char_ - '"')) >> -x3::lit('"')]];
    const auto comment_token = x3::raw[x3::lexeme[x3::lit('#') >> *x3::char_]];
    const auto word_token = x3::raw[x3::lexeme[+(x3::char_ - x3::char_(" \t\r\"#{},"))]];
    const auto line_grammar = *(string_token[add(token_kind::string)] | comment_token[add(token_kind::comment)] |
                                x3::raw[x3::lit('{')][add(token_kind::open)] |
                                x3::raw[x3::lit('}')][add(token_kind::close)] |
                                x3::raw[x3::lit(',')][add(token_kind::comma)] | word_token[add(token_kind::word)]);
    auto first = line.begin();
    x3::phrase_parse(first, line.end(), line_grammar, x3::char_(" \t\r"));
    return out;
}

std::string trim_right(std::string_view s) {
    const auto end = s.find_last_not_of(" \t\r");
    return end == std::string_view::npos ? std::string() : std::string(s.substr(0, end + 1));
}

}  // namespace

std::string format_rules(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::string out;
    int depth = 0;
    bool pending_blank = false;  // a blank line waits until we know what follows
    bool after_open = true;      // start of file or just after `{`: no blank line
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t stop = text.find('\n', start);
        if (stop == std::string_view::npos) stop = text.size();
        const std::vector<token> tokens = tokens_of(text.substr(start, stop - start));
        start = stop + 1;
        if (tokens.empty()) {
            pending_blank = !after_open;
            continue;
        }
        const bool closes = tokens.front().kind == token_kind::close;
        if (closes && depth > 0) --depth;
        if (pending_blank && !closes) out += '\n';
        pending_blank = false;
        std::string line(static_cast<std::size_t>(2 * depth), ' ');
        bool first = true;
        for (const token& t : tokens) {
            if (!first) {
                if (t.kind == token_kind::comment) line += "  ";
                else if (t.kind != token_kind::comma) line += ' ';
            }
            line += t.kind == token_kind::comment ? trim_right(t.text) : std::string(t.text);
            first = false;
        }
        out += line;
        out += '\n';
        // A line opens a block when its last token before any comment is `{`.
        const token* last = &tokens.back();
        if (last->kind == token_kind::comment && tokens.size() > 1) last = &tokens[tokens.size() - 2];
        after_open = last->kind == token_kind::open;
        if (after_open) ++depth;
    }
    return out;
}

}  // namespace patuh

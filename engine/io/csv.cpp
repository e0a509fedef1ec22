// CSV rows over libcsv's push parser: the input is fed one physical line at a
// time, so that every row knows the line it starts on.

#include <patuh/csv.hpp>

#include <csv.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <utility>

namespace patuh {

namespace {

constexpr std::size_t chunk_bytes = 1 << 16;
constexpr std::size_t value_growth = 1 << 16;  // libcsv's buffer for a value grows by at least this much
constexpr int field_begun = 2;  // libcsv's state inside a value
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// The delimiter used most often outside quotes on the header line.
char detect_delimiter(std::string_view line) {
    constexpr std::array<char, 3> candidates = {',', ';', '\t'};
    std::array<std::size_t, 3> counts{};
    bool quoted = false;
    for (const char c : line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (c == candidates[i]) ++counts[i];
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < candidates.size(); ++i)
        if (counts[i] > counts[best]) best = i;
    return candidates[best];
}

}  // namespace

struct csv_reader::state {
    std::istream& in;
    csv_limits limits;
    csv_parser parser{};
    char delim = 0;
    std::string buffer;          // bytes read, not yet fed
    std::size_t consumed = 0;    // of buffer
    bool eof = false;
    bool finished = false;
    std::uint64_t line = 0;      // the line being fed
    std::uint64_t row_start = 0; // line the row in progress starts on
    std::size_t row_bytes = 0;
    // The row in progress: its first `field_count` fields are its own, the
    // strings after them are buffers kept for the next rows.
    std::vector<std::string> fields;
    std::size_t field_count = 0;
    std::string row_text;        // the lines of the row in progress
    // The row in progress holds a quote that breaks RFC 4180 inside a quoted
    // value, read as a character (feed()); the value must end on its line.
    bool stray_quote = false;
    // The row in progress is over the limit: the rest of it is fed to libcsv
    // only to find where it ends, its values dropped (on_field, drop_value()).
    bool skipping = false;
    // A line over the limit comes in pieces (next_line()): the last piece fed
    // did not end its line, or ended in a CR whose '\n' may come next.
    bool mid_line = false;
    bool after_cr = false;
    // Rows complete, from ready[first] to ready[count - 1]. Handing a row out
    // swaps it with the caller's, whose buffers then serve a later row.
    std::vector<csv_row> ready;
    std::size_t first = 0, count = 0;
    std::optional<bilingual> error;
    std::uint64_t error_line = 0;
    // The last line of the lines last read again (replay_rest()): a row
    // starting before it is not cut short again, so that no line is read
    // more than twice.
    std::uint64_t replayed_until = 0;

    state(std::istream& i, char d, csv_limits l) : in(i), limits(l), delim(d) { reset_parser(); }
    ~state() { csv_free(&parser); }

    // A strict parser at the start of a row, splitting at the delimiter once
    // it is known. (csv_free of the zeroed parser of a new state frees nothing.)
    void reset_parser() {
        csv_free(&parser);
        csv_init(&parser, CSV_STRICT);
        if (delim != 0) csv_set_delim(&parser, static_cast<unsigned char>(delim));
    }

    static void on_field(void* text, std::size_t size, void* self) {
        auto& s = *static_cast<state*>(self);
        if (s.skipping) {
            ++s.field_count;
            return;
        }
        const auto* chars = static_cast<const char*>(text);
        if (s.field_count < s.fields.size()) s.fields[s.field_count].assign(chars, size);
        else s.fields.emplace_back(chars, size);
        ++s.field_count;
    }
    static void on_row(int, void* self) {
        auto& s = *static_cast<state*>(self);
        if (s.skipping) s.finish_row(s.too_long_problem());
        else s.finish_row(std::nullopt);
    }

    // Hands the row in progress out as the next ready row, with its lines
    // (without the last line end) and, unless it has a problem, its fields;
    // the next row starts empty.
    void finish_row(std::optional<csv_problem> problem) {
        if (count == ready.size()) ready.emplace_back();
        csv_row& row = ready[count++];
        row.line = row_start;
        if (problem) {
            row.fields.clear();
        } else {
            fields.resize(field_count);
            std::swap(row.fields, fields);
        }
        row.problem = std::move(problem);
        std::swap(row.text, row_text);
        while (!row.text.empty() && (row.text.back() == '\n' || row.text.back() == '\r')) row.text.pop_back();
        field_count = 0;
        row_text.clear();
        row_start = line;  // until advance() feeds the first line of the next row
        row_bytes = 0;
        stray_quote = false;
        skipping = false;
    }

    csv_problem too_long_problem() const {
        return {csv_problem_kind::too_long,
                {fmt::format("baris melebihi {} bita (tanpa akhir barisnya); baris ini tidak dibaca",
                             limits.max_row_bytes),
                 fmt::format("the row is longer than {} {} (without its line end); the row is not read",
                             limits.max_row_bytes, plural(limits.max_row_bytes, "byte", "bytes"))}};
    }

    // The row over the limit ends here (the input ended, or a stray quote
    // keeps a value open past its line); the parser starts again.
    void end_long_row() {
        finish_row(too_long_problem());
        reset_parser();
    }

    // While skipping: what libcsv holds of the value in progress is dropped,
    // so that memory stays bounded however long the value. libcsv takes back
    // at most `spaces` + 1 bytes of it when the value ends (trailing blanks and
    // a closing quote), so that many stay.
    void drop_value() { parser.entry_pos = std::min(parser.entry_pos, parser.spaces + 1); }

    // A row that a quote keeps open past its first line and that cannot be
    // read (a stray quote keeps its value open, or the file ends inside it):
    // its first line alone is the broken row, and the lines after it are read
    // again as rows of their own, so that one missing or stray quote does not
    // take in the rows after it. False, with nothing done, for a row of one
    // line, a row over the limit (its lines are not all kept), and a row that
    // starts in lines already read again.
    bool replay_rest() {
        if (skipping || row_start < replayed_until) return false;
        const std::size_t first_end = first_line_end();
        if (first_end >= row_text.size()) return false;
        const std::uint64_t start = row_start;
        replayed_until = line;
        std::string rest = row_text.substr(first_end);
        row_text.resize(first_end);
        finish_row(unended_value());
        reset_parser();
        // The rest is read before what follows it, from the line after the first.
        buffer.replace(0, consumed, rest);
        consumed = 0;
        line = start;
        mid_line = after_cr = false;
        return true;
    }

    // Where the first line of the row in progress ends, past its line end
    // (the row's size when it has one line).
    std::size_t first_line_end() const {
        const std::size_t at = row_text.find_first_of("\r\n");
        if (at == std::string::npos) return row_text.size();
        return at + (row_text.compare(at, 2, "\r\n") == 0 ? 2 : 1);
    }

    static csv_problem unended_value() {
        return {csv_problem_kind::stray_quote,
                {"nilai berkutip yang dimulai di baris ini tidak berakhir di baris ini (tanda kutipnya hilang atau "
                 "salah tempat); baris ini tidak dibaca, dan pembacaan berlanjut ke baris berikutnya",
                 "a quoted value starts on this line and does not end on it (a quote is missing or out of place); "
                 "this line is not read, and reading goes on with the next line"}};
    }

    // The row in progress as a row that cannot be read: its first line when
    // it spans several (replay_rest()), else its lines so far, no fields; the
    // parser starts again with the next line.
    void broken_row() {
        if (replay_rest()) return;
        finish_row(csv_problem{
            csv_problem_kind::stray_quote,
            {"tanda kutip di dalam nilai berkutip tidak digandakan (\"\") dan bukan akhir nilai itu, sehingga nilai "
             "itu melewati akhir baris; baris ini tidak dibaca",
             "a quote inside a quoted value is neither doubled (\"\") nor the end of the value, so the value runs on "
             "past the end of the line; the row is not read"}});
        reset_parser();
    }

    // Feeds one line to libcsv, which reads strictly: a quote that breaks
    // RFC 4180 stops it, and is then read as its lenient mode reads it, as a
    // character of the value ("Kepala "Dinas" Kota" is Kepala "Dinas" Kota).
    // Inside a quoted value such a quote keeps the value open: the row is
    // broken when the value does not end on the line, rather than taking in
    // the rows after it.
    //
    // libcsv grows its buffer for a value by a fixed step (blk_size): the text
    // goes in pieces of at most that step, and the step follows the buffer's
    // size, so that a value of tens of megabytes (under a raised limit) is
    // copied a few times, not thousands.
    void feed(std::string_view text) {
        while (!text.empty()) {
            csv_set_blk_size(&parser, std::max(value_growth, parser.entry_size));
            const std::size_t piece = std::min(text.size(), parser.blk_size);
            const std::size_t n = csv_parse(&parser, text.data(), piece, on_field, on_row, this);
            if (n == piece) {
                text.remove_prefix(piece);
                continue;
            }
            if (csv_error(&parser) != CSV_EPARSE) throw std::bad_alloc();
            if (parser.quoted != 0) stray_quote = true;
            csv_set_opts(&parser, 0);
            csv_parse(&parser, text.data() + n, 1, on_field, on_row, this);
            csv_set_opts(&parser, CSV_STRICT);
            text.remove_prefix(n + 1);
        }
    }
    bool in_quoted_value() const { return parser.quoted != 0 && parser.pstate == field_begun; }
    bool in_row() const { return field_count != 0 || parser.pstate != 0 || parser.entry_pos != 0; }

    bool fill() {
        if (eof) return false;
        buffer.erase(0, consumed);
        consumed = 0;
        const std::size_t had = buffer.size();
        buffer.resize(had + chunk_bytes);
        in.read(buffer.data() + had, static_cast<std::streamsize>(chunk_bytes));
        buffer.resize(had + static_cast<std::size_t>(in.gcount()));
        if (in.gcount() == 0) eof = true;
        return !eof || buffer.size() > had;
    }

    // Where the line in the buffer ends, just past its line end: "\n",
    // "\r\n", or a bare "\r" (as Excel for Mac's "CSV (Macintosh)" writes
    // them, and as an editor counts them); npos when the buffer does not tell
    // yet. The bytes before `from` are known to hold no line end.
    std::size_t line_end(std::size_t from) const {
        const std::size_t nl = buffer.find('\n', from);
        const std::size_t limit = nl == std::string::npos ? buffer.size() : nl;
        const void* cr = std::memchr(buffer.data() + from, '\r', limit - from);
        if (cr == nullptr) return nl == std::string::npos ? nl : nl + 1;
        const auto at = static_cast<std::size_t>(static_cast<const char*>(cr) - buffer.data());
        if (at + 1 < limit) return at + 1;              // a bare CR: the line goes on after it
        if (nl != std::string::npos) return nl + 1;     // CRLF
        return eof ? at + 1 : std::string::npos;        // the last byte read: is a '\n' next?
    }

    // The next physical line including its line end (the last may lack it), or empty at the end.
    std::string_view next_line() {
        std::size_t searched = 0;  // bytes after `consumed` that hold no line end: a long line is searched once
        for (;;) {
            const std::size_t end = line_end(consumed + searched);
            if (end != std::string::npos) {
                const std::string_view out(buffer.data() + consumed, end - consumed);
                consumed = end;
                return out;
            }
            // All but the last byte, a CR perhaps followed by a '\n' to come.
            searched = std::max(buffer.size() - consumed, std::size_t{1}) - 1;
            // More than the limit and a CR: a line that long is too long whatever follows.
            if (buffer.size() - consumed > limits.max_row_bytes + 1 || !fill()) break;
        }
        const std::string_view out(buffer.data() + consumed, buffer.size() - consumed);
        consumed = buffer.size();
        return out;
    }

    void stop(std::uint64_t at, bilingual why) {
        error = std::move(why);
        error_line = at;
        finished = true;
    }

    // Feeds lines until a row is ready or the input ends.
    void advance() {
        while (first == count && !finished) {
            std::string_view text = next_line();
            if (text.empty()) {
                if (skipping) {
                    end_long_row();
                    finished = true;
                    return;
                }
                if (in_row() && in_quoted_value()) {
                    // The file ends inside a quoted value.
                    if (replay_rest()) continue;  // its first line alone; the lines after it are read again
                    if (stray_quote) {
                        broken_row();
                    } else if (first_line_end() >= row_text.size()) {
                        finish_row(unended_value());  // the last line opens a value that nothing closes
                    } else {
                        stop(row_start, {"tanda kutip tidak ditutup sampai akhir berkas",
                                         "a quote is not closed before the end of the file"});
                        return;
                    }
                    finished = true;
                    return;
                }
                csv_fini(&parser, on_field, on_row, this);
                finished = true;
                return;
            }
            // A piece of a line over the limit, or the '\n' of its CRLF, goes on with the line.
            const bool continued = mid_line || (after_cr && text == "\n");
            mid_line = !text.ends_with('\n') && !text.ends_with('\r');
            after_cr = text.ends_with('\r');
            if (!continued) ++line;
            if (line == 1 && !continued && text.substr(0, utf8_bom.size()) == utf8_bom)
                text.remove_prefix(utf8_bom.size());
            if (delim == 0 && text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
                // The header line: blank lines before it are skipped.
                delim = detect_delimiter(text);
                csv_set_delim(&parser, static_cast<unsigned char>(delim));
            }
            if (skipping) {
                skip(text);
                continue;
            }
            if (!in_row()) {
                row_start = line;
                row_bytes = 0;
                row_text.clear();
            }
            // The line end of a row's last line is not part of the row; one inside a quoted value is.
            const std::size_t line_end_bytes = text.ends_with("\r\n") ? 2 : text.ends_with('\n') || text.ends_with('\r');
            row_bytes += text.size();
            if (row_bytes - line_end_bytes > limits.max_row_bytes) {
                // Its values are not kept; its end is still to be found.
                skipping = true;
                skip(text);
                continue;
            }
            row_text.append(text);
            feed(text);
            if (stray_quote && in_quoted_value()) broken_row();
        }
    }

    // Feeds a piece of a row over the limit, keeping its text up to the limit
    // (all of it with keep_long_rows): the row is handed out (on_row) when
    // libcsv finds its end, or here when a stray quote keeps a value open
    // past the line, as for any row.
    void skip(std::string_view text) {
        if (limits.keep_long_rows) {
            row_text.append(text);
        } else if (row_text.size() < limits.max_row_bytes) {
            row_text.append(text.substr(0, limits.max_row_bytes - row_text.size()));
        }
        feed(text);
        if (!skipping) return;
        drop_value();
        if (!mid_line && stray_quote && in_quoted_value()) end_long_row();
    }
};

csv_reader::csv_reader(std::istream& in, char delimiter, csv_limits limits)
    : s_(std::make_unique<state>(in, delimiter, limits)) {}
csv_reader::~csv_reader() = default;

bool csv_reader::next(csv_row& row) {
    state& s = *s_;
    if (s.first == s.count) s.first = s.count = 0;
    s.advance();
    if (s.first == s.count) return false;
    std::swap(row, s.ready[s.first++]);
    return true;
}

char csv_reader::delimiter() const { return s_->delim == 0 ? ',' : s_->delim; }
const std::optional<bilingual>& csv_reader::error() const { return s_->error; }
std::uint64_t csv_reader::error_line() const { return s_->error_line; }

std::string csv_quote(std::string_view field, char delimiter) {
    if (field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos &&
        (field.empty() || (field.front() != ' ' && field.back() != ' ')))
        return std::string(field);
    std::string out = "\"";
    for (const char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace patuh

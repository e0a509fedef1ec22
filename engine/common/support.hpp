#pragma once
// Small helpers shared by the library's sources (not part of the public API).

#include <patuh/date.hpp>
#include <patuh/i18n.hpp>

#include <cstddef>
#include <exception>
#include <iosfwd>

#include <string>
#include <string_view>
#include <system_error>

namespace patuh {

// Visits a variant with one lambda per alternative.
template <typename... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

inline bilingual both(std::string id, std::string en) { return {std::move(id), std::move(en)}; }

// Why a file could not be opened, read or written, from an errno value: the
// reasons a user can meet with files (no such file, no permission, a folder,
// a full or read-only disk, a name too long, a path through a file, a device
// error, too many open files, ...) in both languages; any other in the
// system's words, in Indonesian as "galat sistem: <words> (<ENAME>, <number>)";
// 0 (no errno known) is "an input/output error".
bilingual io_reason(int error);
// The errno value an I/O exception carries (std::ios_base::failure,
// std::filesystem::filesystem_error), or 0 when it carries none.
int system_errno(const std::error_code& code);
// "cannot read the file: <reason>" and "cannot write the file: <reason>".
bilingual cannot_read(int error);
bilingual cannot_write(int error);
// "cannot write to standard output: <reason>".
bilingual cannot_write_standard_output(int error);

// Why a command stopped on an exception that reached the program's main:
// "not enough memory to finish: <what>" for std::bad_alloc, otherwise
// "internal error: <what>; please report it ...", <what> as shown() writes it.
bilingual unfinished(const std::exception& e);

// Reads the whole file at `path` into `text`; false, with the errno value
// in `error`, when it cannot be opened or read (a folder: EISDIR).
bool read_whole_file(const std::string& path, std::string& text, int& error);

// The text of `in` to its end, but no more than limit + 1 bytes (more than
// `limit`: the input is over the limit), read in pieces so that memory
// follows the input and not the limit.
std::string read_at_most(std::istream& in, std::size_t limit);

// At most `limit` bytes of `text`, not cutting a UTF-8 sequence in two.
inline std::string clip(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    std::size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n));
}

// Text from the input (a name, a post, an id, a file name, a reason quoting a
// value) as the text writers show it: control characters (C0, DEL and C1)
// written out as escapes (\n, \r, \t, \u001B), so that a record cannot move
// the cursor, recolour or clear a terminal, or begin a line of its own.
std::string shown(std::string_view text);

// Text from the input in a Markdown page (a table cell, a heading, a list
// item, a paragraph), shown as written: every character that CommonMark,
// GitHub's tables, strikethrough and math, or HTML would read as markup is
// backslash-escaped ('|' would end a table cell), so is a list marker that
// begins the text ("- ", "+ ", "1. ", "1) "), and control characters are
// written as escapes as by shown(). No text becomes a link in GitHub
// Flavored Markdown: the '.' of "www." and the ':' of "://" are escaped
// (GFM's extended www and URL autolinks), and an empty HTML comment goes
// before every '@' (an email autolink is found within a text node, after
// escapes are undone; the comment splits the node and shows nothing).
std::string markdown_text(std::string_view text);

// An identifier (a rule id) in a Markdown page, as a code span: inside one,
// backslash escapes do not work, so the span is fenced with one backtick
// more than the longest run of backticks in the text (and padded with a
// space when the text begins or ends with one). Control characters are
// written as escapes as by shown(). In a table cell a '|' in the text would
// still end the cell: rule ids have none (letters, digits and '_').
std::string markdown_code(std::string_view text);

// Writes d.iso() at `out`, which has room for iso_room characters, and
// returns the end of what it wrote: ten characters but for years beyond
// 0-9999. For writers that put dates straight into their buffers.
inline constexpr std::size_t iso_room = 16;
char* write_iso(date d, char* out);

// The size of rejection::raw.
inline constexpr std::size_t rejection_raw_limit = 4096;

}  // namespace patuh

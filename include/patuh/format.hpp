#pragma once
// The canonical layout of rule files (`patuh fmt`): two spaces per block
// level, one space between words, ", " in lists, comments kept where they
// stand, at most one blank line in a row. Only whitespace changes: the words,
// strings and comments are kept byte for byte, so the file means the same.

#include <string>
#include <string_view>

namespace patuh {

// Formats a rule file. Meant for files that parse without syntax errors
// (check with parse_file first); other text is laid out line by line as well
// as it can be, never dropped.
std::string format_rules(std::string_view text);

}  // namespace patuh

#pragma once
// Source text and positions. Positions are byte offsets; line and column are
// computed only when something is shown to a person (1-based there).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

// A half-open byte range [begin, end) in one source file.
struct span {
    std::uint32_t file = 0;  // index into source_set
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct line_column {
    std::size_t line = 0;    // 1-based
    std::size_t column = 0;  // 1-based, in bytes
};

class source_file {
public:
    source_file(std::string name, std::string text);
    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }
    line_column locate(std::size_t offset) const;
    // The text of the line holding `offset`, without its line break.
    std::string_view line_text(std::size_t offset) const;

private:
    std::string name_;
    std::string text_;
    std::vector<std::size_t> line_starts_;
};

// All files of one rule set; spans refer to them by index.
class source_set {
public:
    std::uint32_t add(std::string name, std::string text);
    const source_file& at(std::uint32_t index) const { return *files_.at(index); }
    std::size_t size() const { return files_.size(); }
    // "file:line:column" of the start of a span.
    std::string where(const span& s) const;

private:
    std::vector<std::unique_ptr<source_file>> files_;  // stable addresses
};

}  // namespace patuh

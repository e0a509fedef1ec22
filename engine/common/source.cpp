#include <patuh/source.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace patuh {

source_file::source_file(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

line_column source_file::locate(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());  // 1-based
    return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view source_file::line_text(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t begin = *(it - 1);
    std::size_t end = text_.find('\n', begin);
    if (end == std::string::npos) end = text_.size();
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

std::uint32_t source_set::add(std::string name, std::string text) {
    files_.push_back(std::make_unique<source_file>(std::move(name), std::move(text)));
    return static_cast<std::uint32_t>(files_.size() - 1);
}

std::string source_set::where(const span& s) const {
    if (s.file >= files_.size()) return "?";
    const source_file& f = *files_[s.file];
    const line_column lc = f.locate(s.begin);
    return fmt::format("{}:{}:{}", f.name(), lc.line, lc.column);
}

}  // namespace patuh

#pragma once
// The rejects file (--rejects): every rejected record unchanged, so that it
// can be corrected and read again. Records of JSON inputs are written as
// JSON Lines (an element of a JSON array on one line: its line breaks become
// spaces); rows of a CSV input follow that input's header line. One file holds
// one form: JSON records, or CSV rows under one header line.

#include <patuh/event.hpp>
#include <patuh/i18n.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace patuh {

class rejects_writer {
public:
    explicit rejects_writer(std::ostream& out) : out_(out) {}

    // A CSV input begins: its header line heads its rejected rows.
    void csv_header(std::string_view source, std::string_view header);
    // Writes the rejection's whole record (rejection::record); nothing for an empty one.
    void write(const rejection& r);
    // Why some records could not be written (a second form, another header); the first reason.
    const std::optional<bilingual>& error() const { return error_; }
    std::uint64_t written() const { return written_; }

private:
    enum class form : std::uint8_t { none, json, csv };
    void refuse(const rejection& r, bilingual why);

    std::ostream& out_;
    form form_ = form::none;
    std::string header_;                               // of the CSV rows written
    std::map<std::string, std::string, std::less<>> headers_;  // CSV input → its header line
    std::optional<bilingual> error_;
    std::uint64_t written_ = 0;
};

}  // namespace patuh

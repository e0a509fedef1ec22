// libFuzzer target: a CSV column-mapping file (`patuh audit --mapping FILE`,
// docs/csv-import.md) and the export it is used with, in one input: the bytes
// up to the first "\n---\n" are the mapping file, the bytes after it the CSV
// export (no separator: all of it is the mapping and the export is empty). A
// JSON mapping cannot contain "\n---\n" (a JSON string holds no raw line end),
// so the split never cuts a mapping file in two.
//
// parse_csv_mapping either gives a mapping or a reason in both languages,
// with an M01xx code and a place inside the mapping text.
// A mapping holds normalised headers and a delimiter `patuh audit` knows; the
// export is then read with it as `patuh audit` reads a CSV file, with the
// checks of fuzz_input (fuzz_common.hpp): the counts add up, every rejection
// has a line and a code, every rejected row reaches the rejects file.

#include "fuzz_common.hpp"

#include <algorithm>

#include <patuh/csv_import.hpp>
#include <patuh/i18n.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    patuh::fuzz::shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using patuh::fuzz::fail;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    constexpr std::string_view separator = "\n---\n";
    const std::size_t cut = bytes.find(separator);
    const std::string_view mapping_text = bytes.substr(0, cut);
    const std::string csv(cut == std::string_view::npos ? std::string_view() : bytes.substr(cut + separator.size()));

    patuh::mapping_error error;
    const std::optional<patuh::csv_mapping> mapping = patuh::parse_csv_mapping(mapping_text, error);
    if (!mapping) {
        if (error.reason.id.empty() || error.reason.en.empty())
            fail("mapping refused without a reason in both languages", error.reason.id.size(), error.reason.en.size());
        if (error.code.size() != 5 || error.code.compare(0, 3, "M01") != 0) fail("mapping refused without an M01xx code", error.code.size(), 0);
        const std::size_t lines = 1 + static_cast<std::size_t>(std::count(mapping_text.begin(), mapping_text.end(), '\n'));
        if (error.line < 1 || error.line > lines || error.column < 1 || error.column > mapping_text.size() + 1)
            fail("mapping refused at a place outside the text", error.line, error.column);
        return 0;
    }
    if (mapping->delimiter != 0 && mapping->delimiter != ',' && mapping->delimiter != ';' && mapping->delimiter != '\t')
        fail("mapping with an unknown delimiter", static_cast<unsigned char>(mapping->delimiter), 0);
    for (const auto& column : mapping->columns)
        if (patuh::normalise_header(column.first) != column.first) fail("mapping header not normalised", column.first.size(), 0);
    patuh::fuzz::read_and_check(csv, "fuzz.csv", 4096, &*mapping);
    return 0;
}

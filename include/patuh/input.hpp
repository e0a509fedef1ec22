#pragma once
// One input (a file or stdin) read as events, whatever its form: JSON Lines,
// a JSON array or a CSV position-history export, each plain or gzip
// compressed (recognised by its first bytes, 1f 8b), streamed in bounded memory.

#include <patuh/csv_import.hpp>
#include <patuh/event.hpp>
#include <patuh/progress.hpp>
#include <patuh/rejects.hpp>

#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace patuh {

struct input_settings {
    input_format format = input_format::automatic;
    reader_limits limits;
    const csv_mapping* mapping = nullptr;  // CSV columns; nullptr: the built-in headers
    rejects_writer* rejects = nullptr;     // told the header line of each CSV input
    progress_meter* progress = nullptr;    // counts records when enabled
};

// The form to read an input in: the one asked for; otherwise CSV for a name
// ending in .csv or .csv.gz (any case), else automatic (read_events decides
// from the content between a JSON array and JSON Lines).
input_format input_format_for(std::string_view name, input_format requested);

// Why a file is not one patuh reads, when its first bytes (decompressed)
// show another kind of file: a spreadsheet workbook (.xlsx, .ods, .xls), a
// PDF, UTF-16 text, a web page saved as a spreadsheet, data compressed other
// than with gzip. The reason names the kind and what to do instead, e.g.
// save the sheet as CSV UTF-8. Nothing for anything else: JSON, JSON Lines
// and CSV are read, and bad records in them rejected, as usual. `name`
// (the file's name) tells a workbook's kind where its bytes do not.
std::optional<bilingual> foreign_file(std::string_view first_bytes, std::string_view name);

// Thrown by read_input, before any record is read, for an input that
// foreign_file says is not a log.
class foreign_input : public std::runtime_error {
public:
    explicit foreign_input(bilingual why) : std::runtime_error(why.en), reason(std::move(why)) {}
    bilingual reason;
};

// Reads one input. `size`: its size in bytes when known (for progress).
// In the form input_format_for gives; when that is automatic, an input whose
// first line is an export's header (export_header, patuh/csv_import.hpp:
// riwayat.txt, or a .xls that is CSV text) is read as CSV.
// Gzip data that cannot be read to its end (corrupt, cut off) is a rejection
// (R0117) at the line where reading stopped; the records before it count.
// A file of another kind (foreign_file) throws foreign_input.
// A read error of the input itself (EIO, say) is thrown as the
// std::ios_base::failure the stream buffer of `in` threw (its code holds the errno).
read_counts read_input(std::istream& in, std::string_view name, std::optional<std::uint64_t> size,
                       const rule_set& rules, const event_sink& on_event, const rejection_sink& on_reject,
                       const input_settings& settings = {});

}  // namespace patuh

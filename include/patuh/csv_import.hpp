#pragma once
// Position-history exports (riwayat jabatan, as SIMPEG/SIASN spreadsheets
// export them) read as events: each row is one holding of a post by a person
// from its TMT date; the rows of one person, in date order, become
// appointments, transfers, acting appointments and dismissals
// (docs/csv-import.md). Every event is validated like a JSON record
// (decode_event); a bad row is rejected with its line, a code and a reason.

#include <patuh/event.hpp>
#include <patuh/i18n.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patuh {

// The event fields a column can fill.
enum class csv_field : std::uint8_t {
    id, kind, date, region, unit, position, rank, nip, name,
    decree_number, decree_date, decree_issuer,
    approval_authority, approval_number, approval_date,
    reason, note,
};
inline constexpr std::size_t csv_field_count = 17;
// The field's name in a mapping file: "person.nip", "approval.date", ...
std::string_view to_string(csv_field f);
std::optional<csv_field> parse_csv_field(std::string_view name);

struct csv_mapping {
    // Column headers (normalised: lower case, letters and digits only) and
    // their fields; nothing: the column is ignored. Looked up before the
    // built-in headers.
    std::vector<std::pair<std::string, std::optional<csv_field>>> columns;
    bool builtin_headers = true;  // also recognise the usual headers (NIP, Jabatan, TMT Jabatan, ...)
    std::array<std::string, csv_field_count> defaults;  // a value for rows whose cell is empty or absent
    char delimiter = 0;                                 // 0: detect from the header line
};

// Why a mapping file cannot be used: a stable code (M01xx,
// docs/diagnostics.md), the place in the file (line and column from 1, of
// the member at fault or of the JSON error) and the reason.
struct mapping_error {
    std::string code;
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    bilingual reason;
};

// A mapping file (JSON, docs/csv-import.md), or nothing with `error` filled.
std::optional<csv_mapping> parse_csv_mapping(std::string_view text, mapping_error& error);

// The normalised form of a column header: "TMT Jabatan", "tmt_jabatan" and "TMT.JABATAN" are "tmtjabatan".
std::string normalise_header(std::string_view header);

// Whether `first_line` (an input's first line that is not blank, without a
// byte-order mark or its line end) is the header line of a position-history
// export: split at semicolons, commas or tabs, one of its values names the
// NIP column (a built-in header such as `NIP`, or `mapping`'s column for
// person.nip). A line that starts a JSON value ('{', '[') never is.
bool export_header(std::string_view first_line, const csv_mapping* mapping);

// A kind of change or a vacancy reason as written in a cell, in Indonesian or
// English, in any case and punctuation: "Mutasi", "Plt.", "Meninggal Dunia", "BUP".
std::optional<event_kind> change_word(std::string_view cell);
std::optional<reason> reason_word(std::string_view cell);

// A date as written in an Indonesian spreadsheet: 2017-08-11, 11-08-2017,
// 11/08/2017, 11.08.2017, 11 Agustus 2017, 11 Agu 2017 (day first; English
// month names too). Returns "YYYY-MM-DD" (not yet checked as a calendar
// day), or nothing when the form is not one of these.
std::optional<std::string> csv_date(std::string_view text);

struct csv_import_options {
    const csv_mapping* mapping = nullptr;  // nullptr: the built-in headers only
    reader_limits limits;                  // max_record_bytes bounds a row; keep_records
    // Called with the header line as read, before any row (for the rejects file).
    std::function<void(std::string_view header)> on_header;
};

read_counts import_csv(std::istream& in, std::string_view source_name, const rule_set& rules,
                       const event_sink& on_event, const rejection_sink& on_reject,
                       const csv_import_options& options = {});

}  // namespace patuh

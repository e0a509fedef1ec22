#pragma once
// Personnel-change events (schema patuh-event/1, docs/events.md) and their readers.
// A reader never throws for a bad record: it hands it to the rejected callback
// with its line and reason, and goes on with the next.

#include <nlohmann/json_fwd.hpp>
#include <patuh/date.hpp>
#include <patuh/i18n.hpp>
#include <patuh/rule_set.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

inline constexpr std::string_view event_schema_version = "patuh-event/1";

enum class event_kind : std::uint8_t {
    appoint, dismiss, transfer, acting, inaugurate,  // personnel changes (same order as `action`)
    approve, propose, warn, cutoff, restore,
    head_inaugurated, caretaker, election,  // the region's calendar: its heads and elections
};
std::string_view to_string(event_kind k);
std::optional<event_kind> parse_event_kind(std::string_view s);
inline bool is_personnel(event_kind k) { return k <= event_kind::inaugurate; }
// A record of the region's calendar (head_inaugurated, caretaker, election).
inline bool is_calendar(event_kind k) { return k >= event_kind::head_inaugurated; }
inline action to_action(event_kind k) { return static_cast<action>(k); }

struct person {
    std::string nip;   // 18 digits, spaces removed
    std::string name;
};

struct decree {
    std::string number;
    std::optional<date> issued;
    std::string issuer;
};

struct approval {
    index_t authority = no_index;
    std::string authority_text;  // as written in the record
    std::string number;
    date issued;
    std::string nip;       // empty when the approval does not name the person
    std::string position;  // empty when it does not name the position
};

struct event {
    std::string id;
    event_kind kind = event_kind::appoint;
    date effective;
    std::string region;      // "73.73"
    index_t level = no_index;  // derived from the region code
    std::string unit_text;   // as written
    index_t unit = no_index; // no_index: not a unit any rule knows
    std::string position;    // as written
    index_t rank = no_index; // no_index: no rank given (staff, functional)
    std::string rank_text;
    person who;
    decree regional_decree;
    std::vector<approval> approvals;
    std::optional<reason> why;         // vacancy reason
    bool concurrent = false;           // appoint: keeps the person's other posts (rangkap)
    // warn
    std::optional<date> deadline;
    std::string letter;                // warn: letter number; cutoff/restore: note
    std::string issuer;                // warn/cutoff/restore: who wrote it
    // cutoff / restore
    std::vector<index_t> services;     // empty on restore: every service
    // propose
    std::vector<index_t> route;        // authorities the proposal went through
    // head_inaugurated / caretaker: the regional head, as written
    std::string head;
    std::optional<date> until;         // caretaker: the last day, when known
    // election: the day its candidates are determined, and the end of the term
    std::optional<date> candidates;
    std::optional<date> term_end;

    std::uint64_t line = 0;  // 1-based line (JSON Lines, CSV) or element's first line (JSON array)
    std::string source;      // file name as given
    std::string record;      // the whole record as read, only with reader_limits::keep_records (for --rejects)
};

// A record that could not be used, with where and why.
struct rejection {
    std::string source;
    std::uint64_t line = 0;
    std::string code;      // stable: "R0103"
    bilingual reason;
    std::string field;     // the offending field, when there is one
    std::string raw;       // the record as read (truncated to 4 KiB)
    // The id the record's event would have had, where the reader knows it: a
    // CSV row's id cell (or its default, or FILE:LINE when the export has no
    // id column); a JSON record's top-level "id" when the record parsed as an
    // object and that is a string. Empty when not known: a row whose cells
    // could not be told apart, a CSV header line, JSON that does not parse
    // (its id may still be read from `raw`).
    std::string id;
    std::string record;    // the whole record as read, only with reader_limits::keep_records (for --rejects)
    // Nothing after this record in its input was read: a CSV header line
    // that could not be used, a CSV quote never closed (R0207), damaged gzip
    // data (R0117), a broken JSON array.
    bool ends_input = false;

    // The id as a list of rejections names it after the record's place:
    // empty when unknown, or when it is only that place (FILE:LINE, a CSV
    // row of an export without an id column).
    std::string listed_id() const;
};

struct read_counts {
    std::uint64_t read = 0;
    std::uint64_t accepted = 0;
    std::uint64_t rejected = 0;
};

struct reader_limits {
    std::size_t max_record_bytes = 1 << 20;  // one JSON Lines record
    std::size_t max_depth = 64;              // JSON nesting
    bool keep_records = false;               // fill event::record and rejection::record
    // Threads for JSON Lines: above 1, records are read and decoded on
    // threads-1 threads besides the caller's, and on the caller's while it
    // has nothing to deliver; the sinks are still called on the caller's
    // thread, in input order, with the same records as on one thread.
    unsigned threads = 1;
};

// read_events reads json and jsonl; csv is read by import_csv (patuh/csv_import.hpp),
// and read_input (patuh/input.hpp) chooses.
enum class input_format { automatic, json, jsonl, csv };

// An event sink sees each accepted record's event during the call only: the
// reader fills the same event again with the next record (keep a copy to keep it).
using event_sink = std::function<void(const event&)>;
using rejection_sink = std::function<void(rejection&&)>;

// Reads a JSON array or JSON Lines (automatic: by the first non-blank byte)
// from `in`, validating every record against the rule set's vocabulary.
read_counts read_events(std::istream& in, std::string_view source_name, const rule_set& rules,
                        const event_sink& on_event, const rejection_sink& on_reject,
                        input_format format = input_format::automatic, const reader_limits& limits = {});

// Validates one JSON value as an event (exposed for tests and other readers).
// Returns the event or fills `why`.
std::optional<event> decode_event(const nlohmann::json& value, const rule_set& rules, rejection& why);

// NIP: 18 digits (spaces allowed in input), a real birth date, a plausible
// service start and sex digit 1 or 2. Returns the digits, or nothing.
std::optional<std::string> normalise_nip(std::string_view text);
// Region code "PP" or "PP.KK" with two digits each.
bool valid_region_code(std::string_view code);
// "events.csv:12": the id of a record that has none (a CSV row of an export
// without an id column, a rule test's event), made of its file's name
// (without folders) and its line.
std::string place_id(std::string_view source, std::uint64_t line);
// The id a report names a record by after its place: empty when unknown, or
// when it is only that place (place_id).
std::string listed_id(std::string_view id, std::string_view source, std::uint64_t line);

}  // namespace patuh

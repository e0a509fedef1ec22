// Position-history exports read as events (docs/csv-import.md): the header
// names the columns, each row becomes one event, validated by decode_event.
// Memory holds one row and, per person, the post they hold.

#include "common/support.hpp"
#include "io/flat_record.hpp"

#include <patuh/csv.hpp>
#include <patuh/csv_import.hpp>
#include <patuh/diagnostic.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>

namespace patuh {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, csv_field_count> field_names = {
    "id",          "kind",          "date",          "region",   "unit",     "position",
    "rank",        "person.nip",    "person.name",   "decree.number", "decree.date", "decree.issuer",
    "approval.authority", "approval.number", "approval.date", "reason", "note"};

// The JSON path decode_event names for each field, to point a rejection back at its column.
constexpr std::array<std::string_view, csv_field_count> json_paths = {
    "id",        "kind",        "date",          "region",        "unit",          "position",
    "rank",      "person.nip",  "person.name",   "decree.number", "decree.date",   "decree.issuer",
    "approvals[0].authority", "approvals[0].number", "approvals[0].date", "reason", "note"};

std::size_t slot(csv_field f) { return static_cast<std::size_t>(f); }

// The usual headers of Indonesian exports, and English ones (normalised).
const std::vector<std::pair<std::string_view, csv_field>>& builtin_headers() {
    static const std::vector<std::pair<std::string_view, csv_field>> headers = {
        {"id", csv_field::id},
        {"eventid", csv_field::id},
        {"jenis", csv_field::kind},
        {"jenismutasi", csv_field::kind},
        {"jenisperubahan", csv_field::kind},
        {"kind", csv_field::kind},
        {"tmtjabatan", csv_field::date},
        {"tmt", csv_field::date},
        {"tmtjab", csv_field::date},
        {"effectivedate", csv_field::date},
        {"date", csv_field::date},
        {"kodewilayah", csv_field::region},
        {"kodedaerah", csv_field::region},
        {"region", csv_field::region},
        {"regioncode", csv_field::region},
        {"unitkerja", csv_field::unit},
        {"unitorganisasi", csv_field::unit},
        {"satuankerja", csv_field::unit},
        {"unit", csv_field::unit},
        {"jabatan", csv_field::position},
        {"namajabatan", csv_field::position},
        {"position", csv_field::position},
        {"eselon", csv_field::rank},
        {"eselonjabatan", csv_field::rank},
        {"echelon", csv_field::rank},
        {"rank", csv_field::rank},
        {"nip", csv_field::nip},
        {"nipbaru", csv_field::nip},
        {"nama", csv_field::name},
        {"namapegawai", csv_field::name},
        {"namalengkap", csv_field::name},
        {"name", csv_field::name},
        {"nomorsk", csv_field::decree_number},
        {"nosk", csv_field::decree_number},
        {"decreenumber", csv_field::decree_number},
        {"tanggalsk", csv_field::decree_date},
        {"tglsk", csv_field::decree_date},
        {"decreedate", csv_field::decree_date},
        {"pejabatpenetap", csv_field::decree_issuer},
        {"penandatangansk", csv_field::decree_issuer},
        {"decreeissuer", csv_field::decree_issuer},
        {"pemberipersetujuan", csv_field::approval_authority},
        {"pejabatpemberipersetujuan", csv_field::approval_authority},
        {"approvalauthority", csv_field::approval_authority},
        {"nomorpersetujuan", csv_field::approval_number},
        {"nopersetujuan", csv_field::approval_number},
        {"approvalnumber", csv_field::approval_number},
        {"tanggalpersetujuan", csv_field::approval_date},
        {"tglpersetujuan", csv_field::approval_date},
        {"approvaldate", csv_field::approval_date},
        {"alasan", csv_field::reason},
        {"alasanberhenti", csv_field::reason},
        {"reason", csv_field::reason},
        {"keterangan", csv_field::note},
        {"catatan", csv_field::note},
        {"note", csv_field::note},
    };
    return headers;
}

// The field of a column by its normalised header: the mapping's columns
// first, then (unless the mapping turns them off) the built-in headers.
std::optional<csv_field> field_named(std::string_view normalised, const csv_mapping* mapping) {
    if (mapping) {
        for (const auto& [name, field] : mapping->columns)
            if (name == normalised) return field;
        if (!mapping->builtin_headers) return std::nullopt;
    }
    for (const auto& [name, field] : builtin_headers())
        if (name == normalised) return field;
    return std::nullopt;
}

// Values of the kind column (normalised) and the event kind each names.
std::optional<event_kind> kind_named(std::string_view normalised) {
    static const std::vector<std::pair<std::string_view, event_kind>> words = {
        {"pengangkatan", event_kind::appoint},  {"angkat", event_kind::appoint},
        {"diangkat", event_kind::appoint},      {"appoint", event_kind::appoint},
        {"appointment", event_kind::appoint},   {"mutasi", event_kind::transfer},
        {"rotasi", event_kind::transfer},       {"pindah", event_kind::transfer},
        {"transfer", event_kind::transfer},     {"plt", event_kind::acting},
        {"plh", event_kind::acting},            {"pelaksanatugas", event_kind::acting},
        {"pelaksanaharian", event_kind::acting}, {"acting", event_kind::acting},
        {"pelantikan", event_kind::inaugurate}, {"dilantik", event_kind::inaugurate},
        {"inaugurate", event_kind::inaugurate}, {"inauguration", event_kind::inaugurate},
        {"pemberhentian", event_kind::dismiss}, {"berhenti", event_kind::dismiss},
        {"diberhentikan", event_kind::dismiss}, {"dismiss", event_kind::dismiss},
        {"dismissal", event_kind::dismiss},
    };
    for (const auto& [word, kind] : words)
        if (word == normalised) return kind;
    return std::nullopt;
}

// Values of the reason column (normalised), in Indonesian or English.
std::optional<reason> reason_named(std::string_view normalised) {
    static const std::vector<std::pair<std::string_view, reason>> words = {
        {"meninggal", reason::death},
        {"meninggaldunia", reason::death},
        {"wafat", reason::death},
        {"death", reason::death},
        {"pensiun", reason::retirement},
        {"purnatugas", reason::retirement},
        {"bup", reason::retirement},
        {"retirement", reason::retirement},
        {"mengundurkandiri", reason::resignation},
        {"ataspermintaansendiri", reason::resignation},
        {"berhentiataspermintaansendiri", reason::resignation},
        {"resignation", reason::resignation},
        {"mundur", reason::resignation},
        {"ditahan", reason::arrest},
        {"ott", reason::arrest},
        {"penahanan", reason::arrest},
        {"arrest", reason::arrest},
        {"definitif", reason::definitive},
        {"pltdefinitif", reason::definitive},
        {"definitive", reason::definitive},
    };
    for (const auto& [word, r] : words)
        if (word == normalised) return r;
    return std::nullopt;
}

bool is_vacancy(reason r) { return r != reason::definitive; }

// Eselon cells that mean "no rank" (staff and functional posts).
bool no_rank(std::string_view normalised) {
    return normalised.empty() || normalised == "noneselon" || normalised == "nonselon" || normalised == "ne" ||
           normalised == "staf" || normalised == "pelaksana" || normalised == "fungsional" || normalised == "0";
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool starts_with_word(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (lower(text[i]) != word[i]) return false;
    return true;
}

// "Plt. Kepala Dinas", "PLH Kepala Dinas", "Pelaksana Tugas Kepala Dinas": the title without the prefix.
std::optional<std::string_view> acting_title(std::string_view position) {
    for (const std::string_view prefix : {"pelaksana tugas", "pelaksana harian", "plt", "plh"}) {
        if (!starts_with_word(position, prefix)) continue;
        std::string_view rest = position.substr(prefix.size());
        if (!rest.empty() && rest.front() != '.' && rest.front() != ' ' && rest.front() != ':') continue;
        while (!rest.empty() && (rest.front() == '.' || rest.front() == ' ' || rest.front() == ':'))
            rest.remove_prefix(1);
        if (rest.empty()) continue;
        return rest;
    }
    return std::nullopt;
}

// Region codes as spreadsheets write them: "73.73", "7373", "73,73"; into `out`.
void region_code(std::string_view text, std::string& out) {
    out.assign(text);
    if (text.size() == 4 && std::all_of(text.begin(), text.end(), is_digit)) out.insert(2, 1, '.');
    else if (out.size() == 5 && out[2] == ',') out[2] = '.';
}

// A NIP cell: an apostrophe a spreadsheet put in front to keep it as text is not part of it.
std::string_view nip_text(std::string_view text) {
    if (!text.empty() && text.front() == '\'') text.remove_prefix(1);
    return trim(text);
}

struct month_name {
    std::string_view name;
    unsigned month;
};

std::optional<unsigned> month_of(std::string_view normalised) {
    static const std::vector<month_name> months = {
        {"januari", 1},  {"january", 1},  {"jan", 1},       {"februari", 2}, {"february", 2}, {"feb", 2},
        {"pebruari", 2}, {"maret", 3},    {"march", 3},     {"mar", 3},      {"april", 4},    {"apr", 4},
        {"mei", 5},      {"may", 5},      {"juni", 6},      {"june", 6},     {"jun", 6},      {"juli", 7},
        {"july", 7},     {"jul", 7},      {"agustus", 8},   {"august", 8},   {"agu", 8},      {"agt", 8},
        {"aug", 8},      {"september", 9}, {"sep", 9},      {"oktober", 10}, {"october", 10}, {"okt", 10},
        {"oct", 10},     {"november", 11}, {"nov", 11},    {"desember", 12}, {"december", 12}, {"des", 12},
        {"dec", 12},
    };
    for (const month_name& m : months)
        if (m.name == normalised) return m.month;
    return std::nullopt;
}

// Digits only, 1 to `max` of them.
std::optional<unsigned> number(std::string_view s, std::size_t max) {
    if (s.empty() || s.size() > max || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
    unsigned v = 0;
    for (const char c : s) v = v * 10 + static_cast<unsigned>(c - '0');
    return v;
}

// "YYYY-MM-DD" into `out`; the year has at most four digits, month and day at most two.
void iso(unsigned year, unsigned month, unsigned day, std::string& out) {
    out.resize(10);
    const auto digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
    out[0] = digit(year / 1000);
    out[1] = digit(year / 100);
    out[2] = digit(year / 10);
    out[3] = digit(year);
    out[4] = '-';
    out[5] = digit(month / 10);
    out[6] = digit(month);
    out[7] = '-';
    out[8] = digit(day / 10);
    out[9] = digit(day);
}

// The three parts of a date split at one separator, or nothing.
std::optional<std::array<std::string_view, 3>> three_parts(std::string_view text, char separator) {
    const std::size_t a = text.find(separator);
    if (a == std::string_view::npos) return std::nullopt;
    const std::size_t b = text.find(separator, a + 1);
    if (b == std::string_view::npos || text.find(separator, b + 1) != std::string_view::npos) return std::nullopt;
    return std::array<std::string_view, 3>{text.substr(0, a), text.substr(a + 1, b - a - 1), text.substr(b + 1)};
}

// A date cell in one of the accepted forms as "YYYY-MM-DD" into `out` (csv_date).
bool iso_date(std::string_view text, std::string& out) {
    text = trim(text);
    // A time of day after the date, as some exports add it ("2017-08-11 00:00:00"), is dropped.
    if (const std::size_t space = text.rfind(' ');
        space != std::string_view::npos && text.find(':', space) != std::string_view::npos)
        text = trim(text.substr(0, space));
    // 2017-08-11
    if (const auto p = three_parts(text, '-'); p && (*p)[0].size() == 4) {
        const auto y = number((*p)[0], 4), m = number((*p)[1], 2), d = number((*p)[2], 2);
        if (!y || !m || !d) return false;
        iso(*y, *m, *d, out);
        return true;
    }
    // 11-08-2017, 11/08/2017, 11.08.2017; 11-Agu-2017
    for (const char separator : {'-', '/', '.', ' '}) {
        const auto p = three_parts(text, separator);
        if (!p) continue;
        const auto d = number((*p)[0], 2), y = number((*p)[2], 4);
        if (!d || !y || (*p)[2].size() != 4) return false;
        std::optional<unsigned> m = number((*p)[1], 2);
        if (!m) m = month_of(normalise_header((*p)[1]));
        if (!m) return false;
        iso(*y, *m, *d, out);
        return true;
    }
    return false;
}

// A post as rows write it: its words as written and its key (post_key),
// kept one after another in one string.
class post_seen {
public:
    post_seen(std::uint64_t hash, std::string_view region, std::string_view unit, std::string_view position,
              std::string_view rank, std::string_view key)
        : hash(hash) {
        text_.reserve(region.size() + unit.size() + position.size() + rank.size() + key.size());
        for (const std::string_view part : {region, unit, position, rank, key}) {
            text_ += part;
            ends_[next_++] = static_cast<std::uint32_t>(text_.size());
        }
    }
    std::uint64_t hash;  // spelling_hash of the four words
    std::string_view region() const { return part(0); }
    std::string_view unit() const { return part(1); }
    std::string_view position() const { return part(2); }
    std::string_view rank() const { return part(3); }
    std::string_view key() const { return part(4); }

private:
    std::string text_;
    std::array<std::uint32_t, 5> ends_{};
    std::size_t next_ = 0;
    std::string_view part(std::size_t i) const {
        const std::uint32_t from = i == 0 ? 0 : ends_[i - 1];
        return std::string_view(text_).substr(from, ends_[i] - from);
    }
};

// What the import remembers of each person (by NIP): their last row and the
// definitive post they hold from an earlier row. Small, because an export
// of a whole country names millions of people.
struct person_track {
    static constexpr std::uint32_t no_post = 0xFFFFFFFF;
    std::uint64_t line = 0;
    date last;
    std::uint32_t post = no_post;  // index into importer::posts_
    bool holds() const { return post != no_post; }
};

// The people seen, by NIP number. The entries lie in blocks that never move;
// an open-addressing table (at most three quarters full) holds each entry's
// number and a tag of its hash, so that a lookup reads one slot and, when the
// tag matches, one entry. Growing copies only the 8-byte slots.
class people_table {
public:
    // Starts loading the slot where `nip` is looked for first (inlined always:
    // GCC 12 at -O3 can drop the calls of a function that only prefetches).
    [[gnu::always_inline]] void prefetch(std::uint64_t nip) const {
        __builtin_prefetch(&slots_[static_cast<std::size_t>(hash(nip) >> 32) & (slots_.size() - 1)]);
    }
    person_track* find(std::uint64_t nip) {
        const std::size_t at = probe(nip);
        return slots_[at].index == 0 ? nullptr : &entry_at(slots_[at].index - 1).track;
    }
    // The person's entry, added when new.
    person_track& operator[](std::uint64_t nip) {
        std::size_t at = probe(nip);
        if (slots_[at].index != 0) return entry_at(slots_[at].index - 1).track;
        if (4 * (size_ + 1) > 3 * slots_.size()) {
            grow();
            at = probe(nip);
        }
        if (size_ % block_entries == 0) blocks_.push_back(std::make_unique<entry[]>(block_entries));
        entry& e = entry_at(size_);
        e.nip = nip;
        slots_[at] = {static_cast<std::uint32_t>(++size_), tag(nip)};
        return e.track;
    }

private:
    static constexpr std::size_t block_entries = 4096;
    struct entry {
        std::uint64_t nip = 0;
        person_track track;
    };
    struct slot {
        std::uint32_t index = 0;  // entry + 1; 0: empty
        std::uint32_t tag = 0;
    };
    std::vector<std::unique_ptr<entry[]>> blocks_;
    std::vector<slot> slots_ = std::vector<slot>(1024);
    std::size_t size_ = 0;

    static std::uint64_t hash(std::uint64_t nip) { return nip * 0x9E3779B97F4A7C15ull; }
    static std::uint32_t tag(std::uint64_t nip) { return static_cast<std::uint32_t>(hash(nip)); }
    entry& entry_at(std::size_t i) { return blocks_[i / block_entries][i % block_entries]; }

    // The slot of `nip`, or the empty slot where it would go.
    std::size_t probe(std::uint64_t nip) {
        const std::size_t mask = slots_.size() - 1;
        const std::uint32_t t = tag(nip);
        std::size_t at = static_cast<std::size_t>(hash(nip) >> 32) & mask;
        for (; slots_[at].index != 0; at = (at + 1) & mask)
            if (slots_[at].tag == t && entry_at(slots_[at].index - 1).nip == nip) break;
        return at;
    }
    void grow() {
        std::vector<slot> old(slots_.size() * 2);
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const slot& s : old) {
            if (s.index == 0) continue;
            std::size_t at = static_cast<std::size_t>(hash(entry_at(s.index - 1).nip) >> 32) & mask;
            while (slots_[at].index != 0) at = (at + 1) & mask;
            slots_[at] = s;
        }
    }
};

// An 18-digit NIP as a number (the key of importer::people_); nothing for any
// other text, which no accepted row has.
std::optional<std::uint64_t> nip_number(std::string_view digits) {
    if (digits.size() != 18) return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : digits) {
        if (!is_digit(c)) return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

// The key of a post into `out`: its region, and its unit and title as the engine normalises them.
void post_key(std::string_view region, std::string_view unit, std::string_view position, std::string& out,
              std::string& scratch) {
    out.assign(region);
    out += '\x1f';
    normalise_position(unit, scratch);
    out += scratch;
    out += '\x1f';
    normalise_position(position, scratch);
    out += scratch;
}

// A hash of a post's spelling: region, unit, title and rank as written,
// mixed eight bytes at a time.
std::uint64_t spelling_hash(std::string_view region, std::string_view unit, std::string_view position,
                            std::string_view rank) {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = 0;
    const auto mix = [&](std::uint64_t w) {
        h = (h ^ w) * k;
        h ^= h >> 29;
    };
    for (const std::string_view part : {region, unit, position, rank}) {
        std::size_t i = 0;
        for (; i + 8 <= part.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, part.data() + i, sizeof w);
            mix(w);
        }
        std::uint64_t tail = 0;
        if (i < part.size()) std::memcpy(&tail, part.data() + i, part.size() - i);
        mix(tail ^ (static_cast<std::uint64_t>(part.size()) << 56));
    }
    return h ^ (h >> 32);
}

class importer {
public:
    importer(std::string_view source, const rule_set& rules, const event_sink& on_event,
             const rejection_sink& on_reject, const csv_import_options& options)
        : source_(source), rules_(rules), on_event_(on_event), on_reject_(on_reject), options_(options),
          id_prefix_(std::filesystem::path(std::string(source)).filename().string()) {
        if (options_.mapping) defaults_ = options_.mapping->defaults;
        event_.source = std::string(source_);
    }

    read_counts counts;

    void run(std::istream& in) {
        csv_limits limits;
        limits.max_row_bytes = options_.limits.max_record_bytes;
        limits.keep_long_rows = options_.limits.keep_records;
        csv_reader reader(in, options_.mapping ? options_.mapping->delimiter : 0, limits);
        csv_row row;
        if (!reader.next(row)) return stopped(reader);
        delimiter_ = reader.delimiter();
        if (options_.on_header) options_.on_header(row.text);
        if (!header(row)) return;
        header_read_ = true;
        while (reader.next(row)) record(row);
        stopped(reader);
    }

private:
    std::string_view source_;
    const rule_set& rules_;
    const event_sink& on_event_;
    const rejection_sink& on_reject_;
    const csv_import_options& options_;
    std::string id_prefix_;
    std::array<std::string, csv_field_count> defaults_;
    std::array<std::optional<std::size_t>, csv_field_count> column_{};  // field → column index
    std::vector<std::string> headers_;
    bool header_read_ = false;  // the rows after it are records
    bool stopping_ = false;     // the CSV cannot be read further (R0207)
    people_table people_;
    std::vector<post_seen> posts_;  // each post (as written) a person held
    // posts_ by spelling: an open-addressing table, at most half full, of
    // the index + 1 (0: empty) and the high half of the spelling's hash.
    struct post_slot {
        std::uint32_t index = 0, hash = 0;
    };
    std::vector<post_slot> post_slots_ = std::vector<post_slot>(64);
    std::string key_, key_scratch_;  // a row's post key, built when needed
    char delimiter_ = ',';
    flat_record_decoder decoder_{rules_};
    event event_;  // filled again for each row
    // Per-row texts the flat record points into, kept from row to row.
    std::string date_, decree_date_, approval_date_, nip_digits_, region_, id_;
    struct last_date {
        std::string text, iso;
        std::optional<date> day;  // nothing: none yet
    };
    std::array<last_date, csv_field_count> last_dates_;

    // The id of a row's event: its id cell or the field's default, else
    // place_id (made here from the file name found once).
    std::string_view row_id(const csv_row& row) {
        const std::string_view id = cell(row, csv_field::id);
        if (!id.empty()) return id;
        id_ = id_prefix_;
        id_ += ':';
        id_ += std::to_string(row.line);
        return id_;
    }

    // `whole`: the row goes to the rejects file (the header line is written there anyway).
    void reject(const csv_row& row, const char* code, bilingual reason, std::string field = {}, bool whole = true) {
        rejection r;
        r.source = std::string(source_);
        r.line = row.line;
        r.code = code;
        r.reason = std::move(reason);
        r.field = std::move(field);
        r.raw = clip(row.text, rejection_raw_limit);
        // The id the row's event would have had, so that `patuh explain`
        // knows the row by it: not for the header line, nor from an id column
        // of a row whose values could not be told apart.
        if (header_read_ && (!column_[slot(csv_field::id)] || (!row.problem && row.fields.size() == headers_.size())))
            r.id = row_id(row);
        r.ends_input = !header_read_ || stopping_;  // a header that cannot be used ends the file
        if (options_.limits.keep_records && whole) r.record = row.text;
        ++counts.read;
        ++counts.rejected;
        on_reject_(std::move(r));
    }

    void stopped(const csv_reader& reader) {
        if (!reader.error()) return;
        csv_row at;
        at.line = reader.error_line();
        const bilingual& why = *reader.error();
        stopping_ = true;
        reject(at, "R0207",
               {fmt::format("CSV tidak dapat dibaca lebih lanjut: {}; sisa berkas tidak dibaca", why.id),
                fmt::format("the CSV cannot be read further: {}; the rest of the file is not read", why.en)});
    }

    std::optional<csv_field> field_of(const std::string& normalised) const { return field_named(normalised, options_.mapping); }

    // The first value of a row that is not UTF-8 text (a file exported in
    // another encoding): its index, or nothing when the row is UTF-8.
    static std::optional<std::size_t> not_utf8(const csv_row& row) {
        if (simdjson::validate_utf8(row.text.data(), row.text.size())) return std::nullopt;
        for (std::size_t i = 0; i < row.fields.size(); ++i)
            if (!simdjson::validate_utf8(row.fields[i].data(), row.fields[i].size())) return i;
        return row.fields.size();  // not reached: the bytes that are not UTF-8 are in a value
    }

    // Rejects a row that is not UTF-8 text; the column is named by its header
    // as far as that is UTF-8. False when the row was rejected.
    bool utf8_row(const csv_row& row, bool is_header) {
        const std::optional<std::size_t> bad = not_utf8(row);
        if (!bad) return true;
        std::string column = *bad < row.fields.size() ? std::to_string(*bad + 1) : "?";
        if (!is_header && *bad < headers_.size() &&
            simdjson::validate_utf8(headers_[*bad].data(), headers_[*bad].size()))
            column = fmt::format("'{}'", headers_[*bad]);
        const std::string field = is_header || *bad >= headers_.size() ? std::string() : headers_[*bad];
        if (is_header)
            reject(row, "R0208",
                   {fmt::format("baris judul bukan teks UTF-8 (kolom ke-{}); simpan ekspor sebagai UTF-8; sisa berkas "
                                "tidak dibaca",
                                column),
                    fmt::format("the header line is not UTF-8 text (column {}); save the export as UTF-8; the rest of "
                                "the file is not read",
                                column)},
                   {}, false);
        else
            reject(row, "R0208",
                   {fmt::format("nilai kolom {} bukan teks UTF-8; simpan ekspor sebagai UTF-8", column),
                    fmt::format("the value in column {} is not UTF-8 text; save the export as UTF-8", column)},
                   field);
        return false;
    }

    // The code of a row the CSV reader could not read: its size or its quoting.
    static const char* problem_code(const csv_problem& p) {
        switch (p.kind) {
        case csv_problem_kind::stray_quote: return "R0209";
        case csv_problem_kind::too_long: return "R0210";
        }
        return "R0209";
    }

    // Finds the column of each field. False when the file cannot be read.
    bool header(const csv_row& row) {
        if (row.problem) {
            reject(row, problem_code(*row.problem),
                   {fmt::format("baris judul: {}; sisa berkas tidak dibaca", row.problem->reason.id),
                    fmt::format("the header line: {}; the rest of the file is not read", row.problem->reason.en)},
                   {}, false);
            return false;
        }
        if (!utf8_row(row, true)) return false;
        headers_ = row.fields;
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            const std::optional<csv_field> f = field_of(normalise_header(row.fields[i]));
            if (!f) continue;
            if (const auto& other = column_[slot(*f)]) {
                reject(row, "R0202",
                       {fmt::format("kolom '{}' dan '{}' sama-sama diartikan sebagai {}; tentukan salah satunya "
                                    "dengan berkas pemetaan (--mapping); sisa berkas tidak dibaca",
                                    headers_[*other], row.fields[i], to_string(*f)),
                        fmt::format("columns '{}' and '{}' both map to {}; choose one with a mapping file "
                                    "(--mapping); the rest of the file is not read",
                                    headers_[*other], row.fields[i], to_string(*f))},
                       {}, false);
                return false;
            }
            column_[slot(*f)] = i;
        }
        std::string missing;
        for (const csv_field f : {csv_field::nip, csv_field::date, csv_field::position, csv_field::region,
                                  csv_field::unit}) {
            if (column_[slot(f)] || !defaults_[slot(f)].empty()) continue;
            missing += (missing.empty() ? "" : ", ") + std::string(to_string(f));
        }
        if (missing.empty()) return true;
        reject(row, "R0202",
               {fmt::format("baris judul tidak memuat kolom untuk: {} (lihat docs/csv-import.md; berkas pemetaan "
                            "--mapping dapat menamai kolom atau memberi nilai bawaan); sisa berkas tidak dibaca",
                            missing),
                fmt::format("the header has no column for: {} (see docs/csv-import.md; a mapping file, "
                            "--mapping, can name the columns or give default values); the rest of the file is not "
                            "read",
                            missing)},
               {}, false);
        return false;
    }

    // The cell of a field, or its default; trimmed.
    std::string_view cell(const csv_row& row, csv_field f) const {
        std::string_view v;
        if (const auto& c = column_[slot(f)]; c && *c < row.fields.size()) v = trim(row.fields[*c]);
        if (v.empty()) v = defaults_[slot(f)];
        return v;
    }

    // How a field is named in a rejection: its column as written, or its field name.
    std::string column_name(csv_field f) const {
        if (const auto& c = column_[slot(f)]) return headers_[*c];
        return std::string(to_string(f));
    }

    // Rejects the row for the value of one column; each wording takes the value and the column.
    void reject_value(const csv_row& row, const char* code, csv_field f, std::string_view value,
                      fmt::format_string<std::string, std::string&> id, fmt::format_string<std::string, std::string&> en) {
        std::string column = column_name(f);
        reject(row, code, {fmt::format(id, clip(value, 80), column), fmt::format(en, clip(value, 80), column)}, column);
    }

    // A date cell as YYYY-MM-DD into `out` (empty for an empty cell) and
    // as a date into `day`; false after rejecting the row.
    bool date_cell(const csv_row& row, csv_field f, std::string& out, std::optional<date>& day) {
        out.clear();
        day.reset();
        const std::string_view text = cell(row, f);
        if (text.empty()) return true;
        // A file sorted by date repeats its dates: the column's last good one is kept.
        last_date& last = last_dates_[slot(f)];
        if (last.day && text == last.text) {
            out = last.iso;
            day = last.day;
            return true;
        }
        if (!iso_date(text, out)) {
            reject_value(row, "R0203", f, text,
                         "'{}' pada kolom '{}' bukan tanggal yang dikenali: tulis 2017-08-11, 11-08-2017, 11/08/2017 "
                         "atau 11 Agustus 2017",
                         "'{}' in column '{}' is not a date in a known form: write 2017-08-11, 11-08-2017, 11/08/2017 "
                         "or 11 Agustus 2017");
            return false;
        }
        day = date::parse(out);
        if (!day) {
            reject_value(row, "R0107", f, text, "'{}' pada kolom '{}' bukan tanggal kalender yang sah",
                         "'{}' in column '{}' is not a real calendar day");
            return false;
        }
        last.text.assign(text);
        last.iso = out;
        last.day = day;
        return true;
    }

    // The kind of the row's event; nothing after rejecting the row.
    std::optional<event_kind> kind_of(const csv_row& row, bool acting, std::optional<reason> why,
                                      const person_track* track, std::string_view region, std::string_view unit,
                                      std::string_view title) {
        const std::string_view written = cell(row, csv_field::kind);
        if (!written.empty()) {
            if (const auto k = change_word(written)) return k;
            reject_value(row, "R0205", csv_field::kind, written,
                         "jenis perubahan '{}' pada kolom '{}' tidak dikenal; gunakan pengangkatan, mutasi, plt, "
                         "pelantikan atau pemberhentian",
                         "kind of change '{}' in column '{}' is not known; use pengangkatan (appoint), mutasi "
                         "(transfer), plt (acting), pelantikan (inaugurate) or pemberhentian (dismiss)");
            return std::nullopt;
        }
        if (acting) return event_kind::acting;
        if (why && is_vacancy(*why)) return event_kind::dismiss;
        if (track && track->holds() && !same_post(posts_[track->post], region, unit, title))
            return event_kind::transfer;
        return event_kind::appoint;
    }

    void record(const csv_row& row) {
        if (row.problem) return reject(row, problem_code(*row.problem), row.problem->reason);
        if (!utf8_row(row, false)) return;
        if (row.fields.size() != headers_.size()) {
            reject(row, "R0201",
                   {fmt::format("baris memuat {} kolom, sedangkan baris judul {} kolom (pemisah '{}' di dalam nilai "
                                "yang tidak dikutip?)",
                                row.fields.size(), headers_.size(), delimiter_shown()),
                    fmt::format("the row has {} {} but the header has {} (a delimiter '{}' inside an unquoted "
                                "value?)",
                                row.fields.size(), plural(row.fields.size(), "field", "fields"), headers_.size(),
                                delimiter_shown())});
            return;
        }
        const std::string_view nip_cell = nip_text(cell(row, csv_field::nip));
        std::string_view digits = nip_cell;
        if (digits.find(' ') != std::string_view::npos) {
            nip_digits_.clear();
            for (const char c : nip_cell)
                if (c != ' ') nip_digits_.push_back(c);
            digits = nip_digits_;
        }
        const std::optional<std::uint64_t> person = nip_number(digits);
        if (person) people_.prefetch(*person);  // loaded while the dates are read

        std::optional<date> when, other;
        if (!date_cell(row, csv_field::date, date_, when) || !date_cell(row, csv_field::decree_date, decree_date_, other) ||
            !date_cell(row, csv_field::approval_date, approval_date_, other))
            return;

        person_track* track = nullptr;
        if (person) track = people_.find(*person);
        if (track && when && *when < track->last) {
            reject(row, "R0204",
                   {fmt::format("TMT {} lebih awal dari baris {} pegawai yang sama ({}); urutkan baris setiap "
                                "pegawai menurut TMT",
                                when->iso(), track->line, track->last.iso()),
                    fmt::format("TMT {} is earlier than line {} of the same person ({}); sort each person's rows by "
                                "TMT date",
                                when->iso(), track->line, track->last.iso())},
                   column_name(csv_field::date));
            return;
        }

        std::string_view title = cell(row, csv_field::position);
        const std::optional<std::string_view> acting = acting_title(title);
        if (acting) title = *acting;
        const std::string_view reason_text = cell(row, csv_field::reason);
        const std::optional<reason> why = reason_word(reason_text);
        region_code(cell(row, csv_field::region), region_);
        std::string_view region = region_;
        std::string_view unit = cell(row, csv_field::unit);
        std::string_view rank_text = cell(row, csv_field::rank);
        if (no_rank(normalise_header(rank_text))) rank_text = {};
        std::optional<event_kind> kind =
            kind_of(row, acting.has_value(), why, track, region, unit, title);
        if (!kind) return;
        if (*kind == event_kind::dismiss && title.empty()) {
            // A dismissal without a post: the post the person holds.
            if (!track || !track->holds()) {
                reject(row, "R0206",
                       {"baris pemberhentian tidak menyebut jabatan, dan pegawai ini tidak memegang jabatan dari baris "
                        "sebelumnya",
                        "the dismissal row names no post, and this person holds none from an earlier row"},
                       column_name(csv_field::position));
                return;
            }
            const post_seen& held = posts_[track->post];
            region = held.region();
            unit = held.unit();
            title = held.position();
            rank_text = held.rank();
        }

        flat_record r;
        const auto put = [&r](csv_field f, std::string_view value) { r[slot(f)] = value; };
        put(csv_field::id, row_id(row));
        put(csv_field::kind, to_string(*kind));
        put(csv_field::date, date_);
        put(csv_field::region, region);
        put(csv_field::unit, unit);
        put(csv_field::position, title);
        put(csv_field::rank, rank_text);
        put(csv_field::nip, nip_cell);
        put(csv_field::name, cell(row, csv_field::name));
        put(csv_field::decree_number, cell(row, csv_field::decree_number));
        put(csv_field::decree_date, decree_date_);
        put(csv_field::decree_issuer, cell(row, csv_field::decree_issuer));
        put(csv_field::approval_authority, cell(row, csv_field::approval_authority));
        put(csv_field::approval_number, cell(row, csv_field::approval_number));
        put(csv_field::approval_date, approval_date_);
        put(csv_field::reason, why ? to_string(*why) : reason_text);
        put(csv_field::note, cell(row, csv_field::note));

        // The post a definitive holding names, looked up after decoding: its
        // slot is loaded meanwhile.
        std::uint64_t spelling = 0;
        if (person && (*kind == event_kind::appoint || *kind == event_kind::transfer ||
                       *kind == event_kind::inaugurate)) {
            spelling = spelling_hash(region, unit, title, rank_text);
            __builtin_prefetch(&post_slots_[static_cast<std::size_t>(spelling >> 32) & (post_slots_.size() - 1)]);
        }

        rejection problem;
        if (!decoder_.decode(r, event_, problem)) return invalid(row, std::move(problem));
        event_.line = row.line;
        if (options_.limits.keep_records) event_.record = row.text;
        if (person) follow(*person, row.line, event_, rank_text, spelling);
        ++counts.read;
        ++counts.accepted;
        on_event_(event_);
    }

    // A row decode_event refused: the same code and reason, naming the column.
    void invalid(const csv_row& row, rejection&& problem) {
        for (std::size_t i = 0; i < csv_field_count; ++i) {
            if (problem.field != json_paths[i] || !column_[i]) continue;
            const std::string column = headers_[*column_[i]];
            problem.reason.id += fmt::format(" (kolom '{}')", column);
            problem.reason.en += fmt::format(" (column '{}')", column);
            problem.field = column;
            break;
        }
        reject(row, problem.code.c_str(), std::move(problem.reason), std::move(problem.field));
    }

    // Whether a post as written is `p`: the same words, or the same key.
    bool same_post(const post_seen& p, std::string_view region, std::string_view unit, std::string_view title) {
        if (p.region() == region && p.unit() == unit && p.position() == title) return true;
        if (!p.key().starts_with(region) || p.key().size() <= region.size() || p.key()[region.size()] != '\x1f')
            return false;  // the key starts with the region
        post_key(region, unit, title, key_, key_scratch_);
        return p.key() == key_;
    }

    // What the person holds after the event.
    // `spelling`: the spelling_hash of the event's post, for the kinds that hold it.
    void follow(std::uint64_t person, std::uint64_t line, const event& e, std::string_view rank_text,
                std::uint64_t spelling) {
        person_track& t = people_[person];
        t.last = e.effective;
        t.line = line;
        switch (e.kind) {
        case event_kind::appoint:
        case event_kind::transfer:
        case event_kind::inaugurate: t.post = post_of(e, rank_text, spelling); break;
        case event_kind::dismiss:
            if (t.holds() && same_post(posts_[t.post], e.region, e.unit_text, e.position)) t.post = person_track::no_post;
            break;
        default: break;
        }
    }

    // The index of the post as the event writes it, kept once however many
    // people hold it.
    std::uint32_t post_of(const event& e, std::string_view rank_text, std::uint64_t hash) {
        const std::size_t mask = post_slots_.size() - 1;
        std::size_t at = static_cast<std::size_t>(hash >> 32) & mask;
        for (; post_slots_[at].index != 0; at = (at + 1) & mask) {
            if (post_slots_[at].hash != static_cast<std::uint32_t>(hash >> 32)) continue;
            const std::uint32_t i = post_slots_[at].index - 1;
            const post_seen& p = posts_[i];
            if (p.hash == hash && p.region() == e.region && p.unit() == e.unit_text && p.position() == e.position &&
                p.rank() == rank_text)
                return i;
        }
        const auto i = static_cast<std::uint32_t>(posts_.size());
        post_key(e.region, e.unit_text, e.position, key_, key_scratch_);
        posts_.emplace_back(hash, e.region, e.unit_text, e.position, rank_text, key_);
        post_slots_[at] = {i + 1, static_cast<std::uint32_t>(hash >> 32)};
        if (2 * posts_.size() > post_slots_.size()) grow_post_slots();
        return i;
    }

    void grow_post_slots() {
        post_slots_.assign(post_slots_.size() * 2, {});
        const std::size_t mask = post_slots_.size() - 1;
        for (std::uint32_t i = 0; i < posts_.size(); ++i) {
            const auto high = static_cast<std::uint32_t>(posts_[i].hash >> 32);
            std::size_t at = high & mask;
            while (post_slots_[at].index != 0) at = (at + 1) & mask;
            post_slots_[at] = {i + 1, high};
        }
    }

    std::string delimiter_shown() const { return delimiter_ == '\t' ? std::string("tab") : std::string(1, delimiter_); }
};

}  // namespace

std::string_view to_string(csv_field f) { return field_names[slot(f)]; }

bool export_header(std::string_view first_line, const csv_mapping* mapping) {
    if (first_line.empty() || first_line.front() == '{' || first_line.front() == '[') return false;
    for (const char delimiter : {';', ',', '\t'}) {
        std::size_t from = 0;
        while (from <= first_line.size()) {
            const std::size_t end = std::min(first_line.find(delimiter, from), first_line.size());
            if (field_named(normalise_header(first_line.substr(from, end - from)), mapping) == csv_field::nip)
                return true;
            from = end + 1;
        }
    }
    return false;
}

std::optional<csv_field> parse_csv_field(std::string_view name) {
    for (std::size_t i = 0; i < field_names.size(); ++i)
        if (field_names[i] == name) return static_cast<csv_field>(i);
    return std::nullopt;
}

std::string normalise_header(std::string_view header) {
    std::string out;
    for (const char c : header) {
        const char l = lower(c);
        if ((l >= 'a' && l <= 'z') || is_digit(l)) out.push_back(l);
    }
    return out;
}

std::optional<event_kind> change_word(std::string_view cell) { return kind_named(normalise_header(cell)); }
std::optional<reason> reason_word(std::string_view cell) { return reason_named(normalise_header(cell)); }

std::optional<std::string> csv_date(std::string_view text) {
    std::string out;
    if (!iso_date(text, out)) return std::nullopt;
    return out;
}

namespace {

// Line and column (from 1, in bytes) of byte `offset` of `text`.
void place_of(std::string_view text, std::size_t offset, mapping_error& error) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    error.line = static_cast<std::uint32_t>(std::min<std::size_t>(
        1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')), UINT32_MAX));
    error.column = static_cast<std::uint32_t>(std::min<std::size_t>(offset - line_start + 1, UINT32_MAX));
}

// Where the member `key` of the mapping (or its member `inner`, when given)
// starts in `text`: the opening quote of its key, of the last such member as
// JSON keeps the last of repeated keys. The start of the text when the member
// cannot be found.
std::size_t member_offset(std::string_view text, std::string_view key, std::optional<std::string_view> inner) {
    std::size_t found = 0;
    const simdjson::padded_string padded(text);
    simdjson::ondemand::parser parser;
    // The key's offset, and the key as JSON reads it (which consumes the
    // raw key: its place is taken first).
    const auto key_of = [&](simdjson::ondemand::field& field, std::size_t& offset) {
        offset = static_cast<std::size_t>(field.key().raw() - padded.data()) - 1;  // raw() is past the quote
        return field.unescaped_key().value();
    };
    try {
        simdjson::ondemand::document doc = parser.iterate(padded);
        for (auto member : doc.get_object()) {
            simdjson::ondemand::field field(std::move(member));
            std::size_t at = 0;
            if (key_of(field, at) != key) continue;
            if (!inner) {
                found = at;
                continue;
            }
            simdjson::ondemand::object object = field.value().get_object();
            for (auto nested : object) {
                simdjson::ondemand::field f(std::move(nested));
                if (key_of(f, at) == *inner) found = at;
            }
        }
    } catch (const simdjson::simdjson_error&) {
        // nlohmann read the text as a JSON object: keep what was found.
    }
    return found;
}

}  // namespace

std::optional<csv_mapping> parse_csv_mapping(std::string_view text, mapping_error& error) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        error.code = "M0101";
        place_of(text, e.byte == 0 ? 0 : e.byte - 1, error);
        error.reason = {"berkas pemetaan bukan JSON yang sah", "the mapping file is not valid JSON"};
        return std::nullopt;
    }
    if (!doc.is_object()) {
        error.code = "M0101";
        place_of(text, std::min(text.find_first_not_of(" \t\r\n"), text.size()), error);
        error.reason = {"berkas pemetaan harus berupa objek JSON", "the mapping file must be a JSON object"};
        return std::nullopt;
    }
    csv_mapping out;
    // A member at fault: `key`, or `inner` inside it.
    const auto wrong = [&](const char* code, std::string_view key, std::optional<std::string_view> inner,
                           std::string_view id, std::string_view en) {
        error.code = code;
        place_of(text, member_offset(text, key, inner), error);
        const std::string where = inner ? fmt::format("{}.{}", key, *inner) : std::string(key);
        error.reason = {fmt::format("berkas pemetaan, '{}': {}", where, id), fmt::format("mapping file, '{}': {}", where, en)};
        return std::nullopt;
    };
    std::vector<std::string> names(field_names.begin(), field_names.end());
    for (const auto& [key, value] : doc.items()) {
        if (key == "format") {
            if (!value.is_string() || value.get<std::string>() != "patuh-csv-mapping/1")
                return wrong("M0103", key, {}, "harus \"patuh-csv-mapping/1\"", "must be \"patuh-csv-mapping/1\"");
        } else if (key == "delimiter") {
            const std::string d = value.is_string() ? value.get<std::string>() : "";
            if (d != "," && d != ";" && d != "\t")
                return wrong("M0103", key, {}, "harus \",\", \";\" atau \"\\t\"", "must be \",\", \";\" or \"\\t\"");
            out.delimiter = d[0];
        } else if (key == "builtin_headers") {
            if (!value.is_boolean()) return wrong("M0103", key, {}, "harus true atau false", "must be true or false");
            out.builtin_headers = value.get<bool>();
        } else if (key == "columns" || key == "defaults") {
            if (!value.is_object()) return wrong("M0103", key, {}, "harus berupa objek", "must be an object");
            for (const auto& [name, target] : value.items()) {
                if (key == "columns" && target.is_null()) {
                    out.columns.emplace_back(normalise_header(name), std::nullopt);
                    continue;
                }
                if (key == "columns" && !target.is_string())
                    return wrong("M0103", key, name, "harus berupa nama kolom peristiwa atau null",
                                 "must be the name of an event field or null");
                const std::string wanted = key == "columns" ? target.get<std::string>() : name;
                const std::optional<csv_field> f = parse_csv_field(wanted);
                if (!f) {
                    const std::string hint = did_you_mean(wanted, names);
                    return wrong("M0104", key, name,
                                 fmt::format("'{}' bukan kolom peristiwa{}", wanted,
                                             hint.empty() ? "" : fmt::format("; maksudnya '{}'?", hint)),
                                 fmt::format("'{}' is not an event field{}", wanted,
                                             hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
                }
                if (key == "columns") {
                    out.columns.emplace_back(normalise_header(name), *f);
                } else {
                    if (!target.is_string()) return wrong("M0103", key, name, "harus berupa teks", "must be a string");
                    out.defaults[slot(*f)] = target.get<std::string>();
                }
            }
        } else {
            const std::string hint = did_you_mean(key, {"format", "delimiter", "builtin_headers", "columns", "defaults"});
            return wrong("M0102", key, {},
                         hint.empty() ? "kunci tidak dikenal" : fmt::format("kunci tidak dikenal; maksudnya '{}'?", hint),
                         hint.empty() ? "unknown key" : fmt::format("unknown key; did you mean '{}'?", hint));
        }
    }
    return out;
}

read_counts import_csv(std::istream& in, std::string_view source_name, const rule_set& rules,
                       const event_sink& on_event, const rejection_sink& on_reject,
                       const csv_import_options& options) {
    importer run(source_name, rules, on_event, on_reject, options);
    run.run(in);
    return run.counts;
}

}  // namespace patuh

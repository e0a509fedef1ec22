// The finding list: an index entry per finding, in stored blocks
// (stored_blocks), the findings themselves as binary records in pages of one
// region each (record_pages).

#include <patuh/findings.hpp>

#include "common/record_pages.hpp"
#include "common/stored_blocks.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

namespace patuh {

namespace {

// A finding's record: its numbers in one fixed-size head, then the lengths
// of its strings, then the strings' bytes, then the remedy's route. It leaves
// out the region (the index entry has it), names its source file by number
// (from the storage), and stores a person of the remedy that is one of the
// finding's holders (as it mostly is) as a reference to that holder. The
// strings, in order: event_id, position, closed_by, then nip and name of each
// person stored in the record (code `stored`), in the order of
// record_head::persons. Writing a record takes one copy per part and no size
// pass; reading it assigns each string once.
enum class person_code : std::uint8_t { absent, stored, same_as_de_facto, same_as_de_jure };

struct record_head {
    std::uint64_t seq = 0;
    std::uint64_t line = 0;
    std::uint32_t source = 0;
    std::uint32_t rule = 0;
    std::int32_t opened = 0;
    std::int32_t closed = 0;  // when `closed_flag`
    std::uint32_t route_size = 0;
    index_t level = no_index;
    index_t unit = no_index;
    index_t rank = no_index;
    index_t authority = no_index;
    severity sev = severity::medium;
    event_kind kind = event_kind::appoint;
    close_cause closed_because = close_cause::reinstated;  // when `because_flag`
    remedy_kind fix_kind = remedy_kind::reinstate_or_approve;
    std::uint8_t flags = 0;
    // in the order of persons_of(): de_facto, de_jure, fix.reinstate, fix.approve
    person_code persons[4] = {person_code::absent, person_code::absent, person_code::absent, person_code::absent};
    std::uint8_t unused[3] = {0, 0, 0};  // no padding: every byte written is set
    static constexpr std::uint8_t closed_flag = 1, because_flag = 2, never_installed_flag = 4;
    static constexpr std::uint8_t facto_acting_flag = 8, jure_acting_flag = 16, reinstate_acting_flag = 32;
};
static_assert(std::is_trivially_copyable_v<record_head> && std::has_unique_object_representations_v<record_head>);

// The persons of finding `f` (a finding or a const one) in the order of
// record_head::persons, which encode and decode both follow: the holders,
// then the remedy's persons, which may be stored as references to a holder.
template <class Finding>
auto persons_of(Finding& f) {
    return std::array{&f.de_facto, &f.de_jure, &f.fix.reinstate, &f.fix.approve};
}
constexpr std::size_t holder_count = 2;  // the first persons_of(), never stored as references
static_assert(std::tuple_size_v<decltype(persons_of(std::declval<finding&>()))> ==
              std::extent_v<decltype(record_head::persons)>);

bool same_person(const person& a, const person& b) { return a.nip == b.nip && a.name == b.name; }

// How a remedy's person is stored: absent, as one of the holders, or its own.
person_code code_of(const std::optional<person>& p, const finding& f) {
    if (!p) return person_code::absent;
    if (f.de_jure && same_person(*p, *f.de_jure)) return person_code::same_as_de_jure;
    if (f.de_facto && same_person(*p, *f.de_facto)) return person_code::same_as_de_facto;
    return person_code::stored;
}

// Writes `f`'s record, with its source file's number `source`, as a record
// of `group` in `pages`; returns its offset. One pass: the size is summed
// from the strings' lengths, then each part copied once. A string or route
// too long for its 32-bit length makes the record too large for
// record_pages (2 GB), which throws before the length is cut.
std::uint64_t encode(const finding& f, std::uint32_t source, record_pages& pages, std::uint32_t group) {
    record_head head;
    head.seq = f.seq;
    head.line = f.line;
    head.source = source;
    head.rule = f.rule;
    head.opened = f.opened.days();
    if (f.closed) {
        head.flags |= record_head::closed_flag;
        head.closed = f.closed->days();
    }
    if (f.closed_because) {
        head.flags |= record_head::because_flag;
        head.closed_because = *f.closed_because;
    }
    if (f.fix.never_installed) head.flags |= record_head::never_installed_flag;
    if (f.de_facto_acting) head.flags |= record_head::facto_acting_flag;
    if (f.de_jure_acting) head.flags |= record_head::jure_acting_flag;
    if (f.fix.reinstate_acting) head.flags |= record_head::reinstate_acting_flag;
    head.route_size = static_cast<std::uint32_t>(f.fix.route.size());
    head.level = f.level;
    head.unit = f.unit;
    head.rank = f.rank;
    head.authority = f.fix.authority;
    head.sev = f.sev;
    head.kind = f.kind;
    head.fix_kind = f.fix.kind;
    const auto persons = persons_of(f);
    std::size_t texts = 3;
    std::size_t bytes = f.event_id.size() + f.position.size() + f.closed_by.size();
    for (std::size_t k = 0; k < persons.size(); ++k) {
        const std::optional<person>& p = *persons[k];
        head.persons[k] = k < holder_count ? (p ? person_code::stored : person_code::absent) : code_of(p, f);
        if (head.persons[k] != person_code::stored) continue;
        texts += 2;
        bytes += p->nip.size() + p->name.size();
    }
    bytes += sizeof head + texts * sizeof(std::uint32_t) + f.fix.route.size() * sizeof(index_t);

    std::uint64_t offset = 0;
    char* const at = pages.append(bytes, group, offset);
    std::memcpy(at, &head, sizeof head);
    char* length_at = at + sizeof head;
    char* text_at = length_at + texts * sizeof(std::uint32_t);
    // A std::string's data() is never null, empty or not.
    const auto put = [&](const std::string& s) {
        const auto n = static_cast<std::uint32_t>(s.size());
        std::memcpy(length_at, &n, sizeof n);
        length_at += sizeof n;
        std::memcpy(text_at, s.data(), s.size());
        text_at += s.size();
    };
    put(f.event_id);
    put(f.position);
    put(f.closed_by);
    for (std::size_t k = 0; k < persons.size(); ++k) {
        if (head.persons[k] != person_code::stored) continue;
        put((*persons[k])->nip);
        put((*persons[k])->name);
    }
    if (!f.fix.route.empty()) std::memcpy(text_at, f.fix.route.data(), f.fix.route.size() * sizeof(index_t));
    return offset;
}

// The strings of a record, in order: each a length from the lengths after
// the head and the next bytes after the lengths, checked to be in the record.
class text_cursor {
public:
    text_cursor(std::string_view record, std::size_t lengths_at, std::size_t texts)
        : record_(record), length_at_(lengths_at), text_at_(lengths_at + texts * sizeof(std::uint32_t)) {
        if (record.size() < text_at_) throw truncated();
    }
    std::string_view next() {
        std::uint32_t n;
        std::memcpy(&n, record_.data() + length_at_, sizeof n);
        length_at_ += sizeof n;
        if (record_.size() - text_at_ < n) throw truncated();
        const std::string_view s(record_.data() + text_at_, n);
        text_at_ += n;
        return s;
    }
    // The bytes after the last string.
    std::string_view rest() const { return record_.substr(text_at_); }
    static std::runtime_error truncated() { return std::runtime_error("stored record is truncated"); }

private:
    std::string_view record_;
    std::size_t length_at_;
    std::size_t text_at_;
};

// Sets `into` from a person's code in a record: its strings, next in `text`,
// when stored there, else a holder already read.
void read_person(person_code code, text_cursor& text, const finding& f, std::optional<person>& into) {
    switch (code) {
    case person_code::absent:
        into.reset();
        return;
    case person_code::stored:
        if (!into) into.emplace();
        into->nip.assign(text.next());
        into->name.assign(text.next());
        return;
    case person_code::same_as_de_facto:
        if (!f.de_facto) break;
        into = f.de_facto;
        return;
    case person_code::same_as_de_jure:
        if (!f.de_jure) break;
        into = f.de_jure;
        return;
    }
    throw std::runtime_error("stored record names no person");
}

// Decodes a record written by encode() into `f` (all but its source and
// region); returns the source file's number.
std::uint32_t decode(std::string_view record, finding& f) {
    record_head head;
    if (record.size() < sizeof head) throw text_cursor::truncated();
    std::memcpy(&head, record.data(), sizeof head);
    std::size_t texts = 3;
    for (const person_code c : head.persons)
        if (c == person_code::stored) texts += 2;
    text_cursor text(record, sizeof head, texts);

    f.seq = head.seq;
    f.line = head.line;
    f.rule = head.rule;
    f.sev = head.sev;
    f.kind = head.kind;
    f.level = head.level;
    f.unit = head.unit;
    f.rank = head.rank;
    f.opened = date::from_days(head.opened);
    if ((head.flags & record_head::closed_flag) != 0)
        f.closed = date::from_days(head.closed);
    else
        f.closed.reset();
    if ((head.flags & record_head::because_flag) != 0)
        f.closed_because = head.closed_because;
    else
        f.closed_because.reset();
    f.fix.kind = head.fix_kind;
    f.fix.never_installed = (head.flags & record_head::never_installed_flag) != 0;
    f.de_facto_acting = (head.flags & record_head::facto_acting_flag) != 0;
    f.de_jure_acting = (head.flags & record_head::jure_acting_flag) != 0;
    f.fix.reinstate_acting = (head.flags & record_head::reinstate_acting_flag) != 0;
    f.fix.authority = head.authority;
    f.event_id.assign(text.next());
    f.position.assign(text.next());
    f.closed_by.assign(text.next());
    // In order: a remedy's person may refer to a holder read before it.
    const auto persons = persons_of(f);
    for (std::size_t k = 0; k < persons.size(); ++k) read_person(head.persons[k], text, f, *persons[k]);
    const std::string_view route = text.rest();
    if (route.size() / sizeof(index_t) < head.route_size) throw text_cursor::truncated();
    f.fix.route.resize(head.route_size);
    if (head.route_size != 0) std::memcpy(f.fix.route.data(), route.data(), head.route_size * sizeof(index_t));
    return head.source;
}

constexpr std::uint32_t entries_group = 0;

}  // namespace

// The records of each region share pages, so that reading the findings
// region by region (report order) reads each page of the file once. Blocks
// of index entries have pages of their own (entries_group).
class finding_list::storage {
public:
    explicit storage(std::size_t memory_bytes) : pages_(memory_bytes) {}

    // Encodes the finding straight into its page.
    std::uint64_t append(const finding& f, std::uint16_t region) {
        return encode(f, source_id(f.source), pages_, entries_group + 1u + region);
    }

    record_pages& pages() { return pages_; }

    // Decodes the record at `offset`, a finding of region `region`, into
    // `into`, reusing its strings.
    void read(std::uint64_t offset, std::uint16_t region, finding& into) const {
        const std::uint32_t source = decode(pages_.read(offset), into);
        if (source >= sources_.size()) throw std::runtime_error("stored record names no source");
        into.source = sources_[source];
        into.region = regions_[region];
    }

    // The number of a region code. Codes "PP" and "PP.KK", the only ones
    // the reader accepts, are looked up in a table of every such code (20 KiB,
    // where it stays in cache); any other code by its text.
    std::uint16_t region_id(const std::string& code) {
        const std::size_t slot = code_slot(code);
        if (slot != no_slot) {
            if (const std::uint16_t id = region_by_slot_[slot]) return static_cast<std::uint16_t>(id - 1);
        } else if (const auto it = region_ids_.find(code); it != region_ids_.end()) {
            return it->second;
        }
        // Far fewer regions than this.
        if (regions_.size() >= 0xffff) throw std::length_error("findings in more than 65,535 regions");
        const auto id = static_cast<std::uint16_t>(regions_.size());
        regions_.emplace_back(code);
        if (slot != no_slot)
            region_by_slot_[slot] = static_cast<std::uint16_t>(id + 1);
        else
            region_ids_.emplace(regions_.back(), id);
        return id;
    }
    std::string_view region_code(std::uint16_t id) const { return regions_[id]; }
    std::size_t region_count() const { return regions_.size(); }

private:
    // The number of a source file name; the findings of a log mostly come
    // from one file, so the last one is tried first.
    std::uint32_t source_id(const std::string& name) {
        if (last_source_ < sources_.size() && sources_[last_source_] == name) return last_source_;
        if (sources_.size() >= 0xffffffff) throw std::length_error("findings from more than 4 billion files");
        const auto [it, fresh] = source_ids_.try_emplace(name, static_cast<std::uint32_t>(sources_.size()));
        if (fresh) sources_.push_back(name);
        last_source_ = it->second;
        return last_source_;
    }

    record_pages pages_;
    std::vector<std::string> sources_;  // source file names, by number
    std::unordered_map<std::string, std::uint32_t> source_ids_;
    std::uint32_t last_source_ = 0;
    // The entry of a code "PP" (PP * 101) or "PP.KK" (PP * 101 + 1 + KK) in
    // region_by_slot_; no_slot for any other code.
    static constexpr std::size_t region_slots = 100 * 101;
    static constexpr std::size_t no_slot = region_slots;
    static std::size_t code_slot(std::string_view code) {
        const auto two_digits = [](char a, char b) -> std::size_t {
            const auto x = static_cast<unsigned char>(a - '0');
            const auto y = static_cast<unsigned char>(b - '0');
            return x < 10 && y < 10 ? x * 10u + y : 100;
        };
        if (code.size() != 2 && code.size() != 5) return no_slot;
        const std::size_t province = two_digits(code[0], code[1]);
        if (province == 100) return no_slot;
        if (code.size() == 2) return province * 101;
        const std::size_t regency = code[2] == '.' ? two_digits(code[3], code[4]) : 100;
        return regency == 100 ? no_slot : province * 101 + 1 + regency;
    }

    std::vector<std::string> regions_;
    std::vector<std::uint16_t> region_by_slot_ = std::vector<std::uint16_t>(region_slots);  // number + 1; 0: none yet
    std::unordered_map<std::string, std::uint16_t> region_ids_;  // codes of no slot
};

using entry_blocks = stored_blocks<finding_list::entry, finding_list::block_entries>;

finding_list::finding_list(std::size_t memory_bytes)
    : records_(std::make_shared<storage>(memory_bytes)),
      entries_(std::make_shared<entry_blocks>(std::shared_ptr<record_pages>(records_, &records_->pages()), entries_group)) {}

std::size_t finding_list::size() const { return entries_ ? entries_->size() : 0; }

void finding_list::push_back(const finding& f) {
    static_assert(sizeof(entry) == 16 && std::is_trivially_copyable_v<entry>);
    entry e;
    e.region = records_->region_id(f.region);
    const std::uint64_t offset = records_->append(f, e.region);
    if (offset >> 40 != 0) throw std::length_error("more than a terabyte of findings");
    e.offset_low = static_cast<std::uint32_t>(offset);
    e.offset_high = static_cast<std::uint8_t>(offset >> 32);
    e.opened = f.opened.days();
    e.seq = static_cast<std::uint32_t>(f.seq);
    e.flags = static_cast<std::uint8_t>(static_cast<std::uint8_t>(f.sev) | (f.closed ? entry::closed_flag : 0));
    own(entries_).push_back(e);
}

const finding_list::entry& finding_list::entry_at(std::size_t i) const { return (*entries_)[i]; }

finding finding_list::operator[](std::size_t i) const {
    finding f;
    read(i, f);
    return f;
}

void finding_list::read(std::size_t i, finding& into) const {
    const entry& e = entry_at(i);
    records_->read(e.offset(), e.region, into);
}

finding finding_list::at(std::size_t i) const {
    if (i >= size()) throw std::out_of_range("finding_list::at");
    return (*this)[i];
}

std::string_view finding_list::region(std::size_t i) const { return records_->region_code(entry_at(i).region); }

severity finding_list::sev(std::size_t i) const {
    return static_cast<severity>(entry_at(i).flags & ~entry::closed_flag);
}

bool finding_list::closed(std::size_t i) const { return (entry_at(i).flags & entry::closed_flag) != 0; }

void finding_list::sort(const std::function<std::size_t(std::string_view region)>& rank_of) {
    std::vector<std::size_t> rank(records_->region_count());
    for (std::size_t id = 0; id < rank.size(); ++id) rank[id] = rank_of(records_->region_code(static_cast<std::uint16_t>(id)));
    const auto before = [&](const entry& a, const entry& b) {
        if (rank[a.region] != rank[b.region]) return rank[a.region] < rank[b.region];
        if (a.opened != b.opened) return a.opened < b.opened;
        return a.seq < b.seq;
    };
    // The entries are read by draining readers when no copy of the list has
    // them: each block read is given back and the runs and the sorted output
    // are stored in those blocks, so that the storage keeps about one copy of
    // the index. Otherwise the old blocks stay, for the copies.
    const std::size_t n = size();
    const bool drain = entries_.use_count() == 1 && entries_->drainable();
    const auto read_all = [&](entry_blocks& from) {
        return drain ? entry_blocks::reader::draining(from) : entry_blocks::reader(from);
    };
    entry_blocks sorted = entries_->empty_like();
    // Runs of up to `chunk` entries, each sorted in memory and stored.
    constexpr std::size_t chunk = sort_chunk_entries;
    std::vector<entry_blocks> runs;
    // A sort that fails once blocks are given back leaves the list empty.
    struct empty_unless_done {
        std::shared_ptr<entry_blocks>& entries;
        bool active;
        ~empty_unless_done() {
            if (active) entries = std::make_shared<entry_blocks>(entries->empty_like());
        }
    } on_failure{entries_, drain};
    {
        entry_blocks::reader all = read_all(*entries_);
        std::vector<entry> part;
        part.reserve(std::min(n, chunk));
        for (std::size_t done = 0; done < n;) {
            part.clear();
            for (; part.size() < chunk && done < n; ++done) part.push_back(*all.next());
            std::stable_sort(part.begin(), part.end(), before);
            if (part.size() == n) {
                sorted.append(part);
                break;
            }
            runs.push_back(sorted.empty_like());
            runs.back().append(part);
        }
    }
    if (!runs.empty()) {
        // The runs merged: the least head first; of equal heads, the earlier run's.
        std::vector<entry_blocks::reader> heads;
        heads.reserve(runs.size());
        for (auto& r : runs) heads.push_back(read_all(r));
        std::vector<std::pair<const entry*, std::size_t>> queue;  // a heap of (head, run)
        const auto later = [&](const std::pair<const entry*, std::size_t>& a,
                               const std::pair<const entry*, std::size_t>& b) {
            if (before(*a.first, *b.first)) return false;
            if (before(*b.first, *a.first)) return true;
            return a.second > b.second;
        };
        for (std::size_t k = 0; k < heads.size(); ++k)
            if (const entry* e = heads[k].next()) queue.emplace_back(e, k);
        std::make_heap(queue.begin(), queue.end(), later);
        while (!queue.empty()) {
            std::pop_heap(queue.begin(), queue.end(), later);
            const std::size_t k = queue.back().second;
            sorted.push_back(*queue.back().first);
            if (const entry* e = heads[k].next()) {
                queue.back().first = e;
                std::push_heap(queue.begin(), queue.end(), later);
            } else {
                queue.pop_back();
            }
        }
    }
    on_failure.active = false;
    entries_ = std::make_shared<entry_blocks>(std::move(sorted));
}

std::uint64_t finding_list::stored_bytes() const { return records_->pages().size(); }

std::vector<finding> finding_list::to_vector() const { return {begin(), end()}; }

}  // namespace patuh

// The finding list: an index entry per finding, in stored blocks
// (stored_blocks), the findings themselves as binary records in pages of one
// region each (record_pages).

#include <patuh/findings.hpp>

#include "common/record_codec.hpp"
#include "common/record_pages.hpp"
#include "common/stored_blocks.hpp"

#include <algorithm>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace patuh {

namespace {

// A finding's record leaves out its region (the index entry has it) and
// names its source file by number (`source`, from the storage).
template <class Writer>
void encode(const finding& f, std::uint32_t source, Writer& w) {
    w.raw(f.seq);
    w.text(f.event_id);
    w.raw(source);
    w.raw(f.line);
    w.raw(f.rule);
    w.raw(f.sev);
    w.raw(f.kind);
    w.raw(f.level);
    w.raw(f.unit);
    w.text(f.position);
    w.raw(f.rank);
    w.someone(f.de_facto);
    w.someone(f.de_jure);
    w.raw(f.opened.days());
    w.raw(static_cast<std::uint8_t>(f.closed.has_value()));
    if (f.closed) w.raw(f.closed->days());
    w.maybe(f.closed_because);
    w.text(f.closed_by);
    w.raw(f.fix.kind);
    w.someone(f.fix.reinstate);
    w.raw(static_cast<std::uint8_t>(f.fix.never_installed));
    w.someone(f.fix.approve);
    w.raw(f.fix.authority);
    w.raw(static_cast<std::uint32_t>(f.fix.route.size()));
    for (const index_t a : f.fix.route) w.raw(a);
}

// Decodes the fields encode() wrote; returns the source file's number.
std::uint32_t decode(record_reader& r, finding& f) {
    f.seq = r.raw<std::uint64_t>();
    r.text(f.event_id);
    const auto source = r.raw<std::uint32_t>();
    f.line = r.raw<std::uint64_t>();
    f.rule = r.raw<std::uint32_t>();
    f.sev = r.raw<severity>();
    f.kind = r.raw<event_kind>();
    f.level = r.raw<index_t>();
    f.unit = r.raw<index_t>();
    r.text(f.position);
    f.rank = r.raw<index_t>();
    r.someone(f.de_facto);
    r.someone(f.de_jure);
    f.opened = date::from_days(r.raw<std::int32_t>());
    if (r.raw<std::uint8_t>() != 0)
        f.closed = date::from_days(r.raw<std::int32_t>());
    else
        f.closed.reset();
    f.closed_because = r.maybe<close_cause>();
    r.text(f.closed_by);
    f.fix.kind = r.raw<remedy_kind>();
    r.someone(f.fix.reinstate);
    f.fix.never_installed = r.raw<std::uint8_t>() != 0;
    r.someone(f.fix.approve);
    f.fix.authority = r.raw<index_t>();
    f.fix.route.resize(r.raw<std::uint32_t>());
    for (index_t& a : f.fix.route) a = r.raw<index_t>();
    return source;
}

constexpr std::uint32_t entries_group = 0;

}  // namespace

// The records of each region share pages, so that reading the findings
// region by region (report order) reads each page of the file once. Blocks
// of index entries have pages of their own (entries_group).
class finding_list::storage {
public:
    explicit storage(std::size_t memory_bytes) : pages_(memory_bytes) {}

    // Encodes the finding straight into its page: its size first, then its fields.
    std::uint64_t append(const finding& f, std::uint16_t region) {
        const std::uint32_t source = source_id(f.source);
        basic_record_writer<size_sink> size{size_sink{}};
        encode(f, source, size);
        std::uint64_t offset = 0;
        basic_record_writer<pointer_sink> w{
            pointer_sink{pages_.append(size.sink().bytes, entries_group + 1u + region, offset)}};
        encode(f, source, w);
        return offset;
    }

    record_pages& pages() { return pages_; }

    // Decodes the record at `offset`, a finding of region `region`, into
    // `into`, reusing its strings.
    void read(std::uint64_t offset, std::uint16_t region, finding& into) const {
        const std::string_view record = pages_.read(offset);
        record_reader r(record.data(), record.size());
        const std::uint32_t source = decode(r, into);
        if (source >= sources_.size()) throw std::runtime_error("stored record names no source");
        into.source = sources_[source];
        into.region = regions_[region];
    }

    std::uint16_t region_id(const std::string& code) {
        const auto it = region_ids_.find(code);
        if (it != region_ids_.end()) return it->second;
        // Region codes are "PP" or "PP.KK": far fewer than this.
        if (regions_.size() > 0xffff) throw std::length_error("findings in more than 65,536 regions");
        const auto id = static_cast<std::uint16_t>(regions_.size());
        regions_.emplace_back(code);
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
    std::vector<std::string> regions_;
    std::unordered_map<std::string, std::uint16_t> region_ids_;
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
    // Sorted output goes into new blocks; the old ones stay in the storage, unused.
    const std::size_t n = size();
    entry_blocks sorted = entries_->empty_like();
    // Runs of up to `chunk` entries, each sorted in memory and stored.
    constexpr std::size_t chunk = sort_chunk_entries;
    std::vector<entry_blocks> runs;
    {
        entry_blocks::reader all(*entries_);
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
        for (const auto& r : runs) heads.emplace_back(r);
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
    entries_ = std::make_shared<entry_blocks>(std::move(sorted));
}

std::vector<finding> finding_list::to_vector() const { return {begin(), end()}; }

}  // namespace patuh

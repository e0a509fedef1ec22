// The finding list: an index entry per finding, the findings themselves as
// length-prefixed binary records in pages of one region each, kept in memory
// up to a budget and then appended to an unnamed temporary file.

#include <patuh/findings.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <list>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <unordered_map>

namespace patuh {

namespace {

// Appends the fields of a finding to a record.
class record_writer {
public:
    explicit record_writer(std::string& out) : out_(out) {}

    template <class T>
    void raw(T value) {
        char bytes[sizeof(T)];
        std::memcpy(bytes, &value, sizeof(T));
        out_.append(bytes, sizeof(T));
    }
    void text(std::string_view s) {
        raw(static_cast<std::uint32_t>(s.size()));
        out_.append(s);
    }
    void someone(const std::optional<person>& p) {
        raw(static_cast<std::uint8_t>(p.has_value()));
        if (!p) return;
        text(p->nip);
        text(p->name);
    }
    template <class T>
    void maybe(const std::optional<T>& v) {
        raw(static_cast<std::uint8_t>(v.has_value()));
        if (v) raw(*v);
    }

private:
    std::string& out_;
};

// Reads the fields back in the same order.
class record_reader {
public:
    record_reader(const char* data, std::size_t size) : at_(data), end_(data + size) {}

    template <class T>
    T raw() {
        need(sizeof(T));
        T value;
        std::memcpy(&value, at_, sizeof(T));
        at_ += sizeof(T);
        return value;
    }
    void text(std::string& into) {
        const auto n = raw<std::uint32_t>();
        need(n);
        into.assign(at_, n);
        at_ += n;
    }
    void someone(std::optional<person>& into) {
        if (raw<std::uint8_t>() == 0) {
            into.reset();
            return;
        }
        if (!into) into.emplace();
        text(into->nip);
        text(into->name);
    }
    template <class T>
    std::optional<T> maybe() {
        if (raw<std::uint8_t>() == 0) return std::nullopt;
        return raw<T>();
    }

private:
    void need(std::size_t n) const {
        if (static_cast<std::size_t>(end_ - at_) < n) throw std::runtime_error("finding record is truncated");
    }
    const char* at_;
    const char* end_;
};

void encode(const finding& f, std::string& out) {
    record_writer w(out);
    w.raw(f.seq);
    w.text(f.event_id);
    w.text(f.source);
    w.raw(f.line);
    w.raw(f.rule);
    w.raw(f.sev);
    w.raw(f.kind);
    w.text(f.region);
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

void decode(record_reader& r, finding& f) {
    f.seq = r.raw<std::uint64_t>();
    r.text(f.event_id);
    r.text(f.source);
    f.line = r.raw<std::uint64_t>();
    f.rule = r.raw<std::uint32_t>();
    f.sev = r.raw<severity>();
    f.kind = r.raw<event_kind>();
    r.text(f.region);
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
}

using record_size = std::uint32_t;

// An unnamed file in the temporary directory ($TMPDIR, else /tmp), removed
// when closed; -1 when none can be made.
int temporary_file() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    std::string name = ((ec ? std::filesystem::path("/tmp") : dir) / "patuh-findings-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        const ssize_t put = ::write(fd, data, n);
        if (put <= 0) return false;
        data += put;
        n -= static_cast<std::size_t>(put);
    }
    return true;
}

bool read_all(int fd, std::uint64_t at, char* into, std::size_t n) {
    while (n > 0) {
        const ssize_t got = ::pread(fd, into, n, static_cast<off_t>(at));
        if (got <= 0) return false;
        into += got;
        at += static_cast<std::uint64_t>(got);
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

}  // namespace

// Records are kept in pages, each page holding the records of one region, so
// that reading the findings region by region (report order) reads each page
// of the file once. Every region has one page open for appending in memory;
// full pages stay in memory while the budget allows and are then appended to
// the temporary file. Pages read back from the file are kept in a small
// cache, least recently used first out.
class finding_list::storage {
public:
    explicit storage(std::size_t memory_bytes)
        : memory_bytes_(memory_bytes),
          page_bytes_(std::clamp<std::size_t>(memory_bytes / 128, 256, 16384)),
          cache_pages_(std::max<std::size_t>(8, 4 * memory_bytes / page_bytes_)) {}
    ~storage() {
        if (fd_ >= 0) ::close(fd_);
    }
    storage(const storage&) = delete;
    storage& operator=(const storage&) = delete;

    std::uint64_t append(const finding& f, std::uint16_t region) {
        scratch_.assign(sizeof(record_size), '\0');
        encode(f, scratch_);
        const auto size = static_cast<record_size>(scratch_.size() - sizeof(record_size));
        std::memcpy(scratch_.data(), &size, sizeof size);
        if (open_.size() <= region) open_.resize(std::size_t{region} + 1, no_page);
        std::uint32_t p = open_[region];
        if (p == no_page || pages_[p].used + scratch_.size() > pages_[p].capacity) {
            if (p != no_page) retire(p);
            p = open_[region] = new_page(scratch_.size());
        }
        page& pg = pages_[p];
        std::string& data = buffers_[pg.buffer];
        const std::uint64_t offset = pg.start + pg.used;
        data.append(scratch_);
        pg.used = static_cast<std::uint32_t>(data.size());
        return offset;
    }

    // Decodes the record at `offset` into `into`, reusing its strings.
    void read(std::uint64_t offset, finding& into) const {
        const auto after = std::upper_bound(pages_.begin(), pages_.end(), offset,
                                            [](std::uint64_t o, const page& pg) { return o < pg.start; });
        if (after == pages_.begin()) throw std::out_of_range("no finding record at this offset");
        const auto p = static_cast<std::uint32_t>(after - pages_.begin() - 1);
        const page& pg = pages_[p];
        const std::string& data = pg.buffer != no_buffer ? buffers_[pg.buffer] : cached(p);
        const std::size_t at = offset - pg.start;
        record_size size;
        if (at + sizeof size > data.size()) throw std::runtime_error("finding record is truncated");
        std::memcpy(&size, data.data() + at, sizeof size);
        if (at + sizeof size + size > data.size()) throw std::runtime_error("finding record is truncated");
        record_reader r(data.data() + at + sizeof size, size);
        decode(r, into);
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
    static constexpr std::uint32_t no_page = 0xffffffff;
    static constexpr std::uint32_t no_buffer = 0xffffffff;
    struct page {
        std::uint64_t start = 0;    // offset of its first record
        std::uint64_t file_at = 0;  // where it is in the file, when not in memory
        std::uint32_t used = 0;
        std::uint32_t capacity = 0;
        std::uint32_t buffer = no_buffer;  // in memory: index into buffers_
    };

    std::uint32_t new_page(std::size_t record_bytes) {
        if (pages_.size() >= no_page) throw std::length_error("too many pages of findings");
        page pg;
        pg.start = end_;
        pg.capacity = static_cast<std::uint32_t>(std::max(page_bytes_, record_bytes));
        end_ += pg.capacity;
        if (!free_buffers_.empty()) {
            pg.buffer = free_buffers_.back();
            free_buffers_.pop_back();
        } else {
            pg.buffer = static_cast<std::uint32_t>(buffers_.size());
            buffers_.emplace_back();
        }
        buffers_[pg.buffer].clear();
        buffers_[pg.buffer].reserve(pg.capacity);
        pages_.push_back(pg);
        return static_cast<std::uint32_t>(pages_.size() - 1);
    }

    // A full page stays in memory within the budget, else goes to the file
    // (and stays in memory for good when no file can be made or written).
    void retire(std::uint32_t p) {
        page& pg = pages_[p];
        if (kept_bytes_ + pg.used <= memory_bytes_ || spill_failed_) {
            kept_bytes_ += pg.used;
            return;
        }
        if (fd_ < 0) fd_ = temporary_file();
        std::string& data = buffers_[pg.buffer];
        if (fd_ < 0 || !write_all(fd_, data.data(), data.size())) {
            spill_failed_ = true;  // the file may hold part of this page; file_end_ marks what is whole
            kept_bytes_ += pg.used;
            return;
        }
        pg.file_at = file_end_;
        file_end_ += data.size();
        free_buffers_.push_back(pg.buffer);
        pg.buffer = no_buffer;
    }

    const std::string& cached(std::uint32_t p) const {
        if (const auto it = cache_index_.find(p); it != cache_index_.end()) {
            cache_.splice(cache_.begin(), cache_, it->second);
            return it->second->second;
        }
        if (cache_.size() >= cache_pages_) {
            cache_index_.erase(cache_.back().first);
            cache_.splice(cache_.begin(), cache_, std::prev(cache_.end()));
        } else {
            cache_.emplace_front();
        }
        auto& [page_no, data] = cache_.front();
        const page& pg = pages_[p];
        data.resize(pg.used);
        if (!read_all(fd_, pg.file_at, data.data(), data.size())) {
            cache_.pop_front();
            throw std::runtime_error("the temporary file of findings cannot be read");
        }
        page_no = p;
        cache_index_.emplace(p, cache_.begin());
        return data;
    }

    std::size_t memory_bytes_;
    std::size_t page_bytes_;
    std::size_t cache_pages_;
    int fd_ = -1;
    bool spill_failed_ = false;
    std::uint64_t end_ = 0;        // offsets handed out so far
    std::uint64_t file_end_ = 0;   // bytes in the file
    std::size_t kept_bytes_ = 0;   // full pages kept in memory
    std::string scratch_;
    std::vector<page> pages_;              // by start
    std::vector<std::uint32_t> open_;      // per region id: its page open for appending
    std::vector<std::string> buffers_;     // pages in memory
    std::vector<std::uint32_t> free_buffers_;
    mutable std::list<std::pair<std::uint32_t, std::string>> cache_;  // pages read from the file, recent first
    mutable std::unordered_map<std::uint32_t, decltype(cache_)::iterator> cache_index_;
    std::vector<std::string> regions_;
    std::unordered_map<std::string, std::uint16_t> region_ids_;
};

finding_list::finding_list(std::size_t memory_bytes) : records_(std::make_shared<storage>(memory_bytes)) {}

void finding_list::push_back(const finding& f) {
    static_assert(sizeof(entry) == 16);
    entry e;
    e.region = records_->region_id(f.region);
    const std::uint64_t offset = records_->append(f, e.region);
    if (offset >> 40 != 0) throw std::length_error("more than a terabyte of findings");
    e.offset_low = static_cast<std::uint32_t>(offset);
    e.offset_high = static_cast<std::uint8_t>(offset >> 32);
    e.opened = f.opened.days();
    e.seq = static_cast<std::uint32_t>(f.seq);
    e.flags = static_cast<std::uint8_t>(static_cast<std::uint8_t>(f.sev) | (f.closed ? entry::closed_flag : 0));
    index_.push_back(e);
}

finding finding_list::operator[](std::size_t i) const {
    finding f;
    records_->read(index_[i].offset(), f);
    return f;
}

void finding_list::read(std::size_t i, finding& into) const { records_->read(index_[i].offset(), into); }

finding finding_list::at(std::size_t i) const {
    if (i >= index_.size()) throw std::out_of_range("finding_list::at");
    return (*this)[i];
}

std::string_view finding_list::region(std::size_t i) const { return records_->region_code(index_[i].region); }

void finding_list::sort(const std::function<std::size_t(std::string_view region)>& rank_of) {
    std::vector<std::size_t> rank(records_->region_count());
    for (std::size_t id = 0; id < rank.size(); ++id) rank[id] = rank_of(records_->region_code(static_cast<std::uint16_t>(id)));
    std::sort(index_.begin(), index_.end(), [&](const entry& a, const entry& b) {
        if (rank[a.region] != rank[b.region]) return rank[a.region] < rank[b.region];
        if (a.opened != b.opened) return a.opened < b.opened;
        return a.seq < b.seq;
    });
}

std::vector<finding> finding_list::to_vector() const { return {begin(), end()}; }

}  // namespace patuh

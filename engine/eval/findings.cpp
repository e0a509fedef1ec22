// The finding list: an index entry per finding, the findings themselves as
// length-prefixed binary records, kept in memory up to a budget and then
// appended to an unnamed temporary file.

#include <patuh/findings.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
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
    std::string text() {
        const auto n = raw<std::uint32_t>();
        need(n);
        std::string s(at_, n);
        at_ += n;
        return s;
    }
    std::optional<person> someone() {
        if (raw<std::uint8_t>() == 0) return std::nullopt;
        person p;
        p.nip = text();
        p.name = text();
        return p;
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

finding decode(record_reader& r) {
    finding f;
    f.seq = r.raw<std::uint64_t>();
    f.event_id = r.text();
    f.source = r.text();
    f.line = r.raw<std::uint64_t>();
    f.rule = r.raw<std::uint32_t>();
    f.sev = r.raw<severity>();
    f.kind = r.raw<event_kind>();
    f.region = r.text();
    f.level = r.raw<index_t>();
    f.unit = r.raw<index_t>();
    f.position = r.text();
    f.rank = r.raw<index_t>();
    f.de_facto = r.someone();
    f.de_jure = r.someone();
    f.opened = date::from_days(r.raw<std::int32_t>());
    if (r.raw<std::uint8_t>() != 0) f.closed = date::from_days(r.raw<std::int32_t>());
    f.closed_because = r.maybe<close_cause>();
    f.closed_by = r.text();
    f.fix.kind = r.raw<remedy_kind>();
    f.fix.reinstate = r.someone();
    f.fix.never_installed = r.raw<std::uint8_t>() != 0;
    f.fix.approve = r.someone();
    f.fix.authority = r.raw<index_t>();
    f.fix.route.resize(r.raw<std::uint32_t>());
    for (index_t& a : f.fix.route) a = r.raw<index_t>();
    return f;
}

using record_size = std::uint32_t;

// An unnamed file in the temporary directory ($TMPDIR, else /tmp), removed
// when closed; nullptr when none can be made.
std::FILE* temporary_file() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    std::string name = ((ec ? std::filesystem::path("/tmp") : dir) / "patuh-findings-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return nullptr;
    ::unlink(name.c_str());
    std::FILE* file = ::fdopen(fd, "w+b");
    if (file == nullptr) ::close(fd);
    return file;
}

}  // namespace

class finding_list::storage {
public:
    explicit storage(std::size_t memory_bytes) : memory_bytes_(memory_bytes) {}
    ~storage() {
        if (file_ != nullptr) std::fclose(file_);
    }
    storage(const storage&) = delete;
    storage& operator=(const storage&) = delete;

    std::uint64_t append(const finding& f) {
        const std::uint64_t offset = flushed_ + tail_.size();
        const std::size_t start = tail_.size();
        tail_.append(sizeof(record_size), '\0');
        encode(f, tail_);
        const auto size = static_cast<record_size>(tail_.size() - start - sizeof(record_size));
        std::memcpy(tail_.data() + start, &size, sizeof size);
        if (tail_.size() > memory_bytes_) spill();
        return offset;
    }

    finding read(std::uint64_t offset) const {
        if (offset >= flushed_) {
            const char* at = tail_.data() + (offset - flushed_);
            record_size size;
            std::memcpy(&size, at, sizeof size);
            record_reader r(at + sizeof size, size);
            return decode(r);
        }
        // Most records fit in one read; a longer one is read again whole.
        std::string& buffer = read_buffer_;
        buffer.resize(512);
        std::size_t got = read_at(offset, buffer.data(), buffer.size());
        record_size size;
        if (got < sizeof size) throw std::runtime_error("the temporary file of findings cannot be read");
        std::memcpy(&size, buffer.data(), sizeof size);
        if (got < sizeof size + size) {
            buffer.resize(sizeof size + size);
            got = read_at(offset, buffer.data(), buffer.size());
            if (got < buffer.size()) throw std::runtime_error("the temporary file of findings cannot be read");
        }
        record_reader r(buffer.data() + sizeof size, size);
        return decode(r);
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
    // Moves the records in memory to the temporary file; keeps them in
    // memory for good when no file can be made or written.
    void spill() {
        if (spill_failed_) return;
        if (file_ == nullptr) file_ = temporary_file();
        if (file_ == nullptr || std::fwrite(tail_.data(), 1, tail_.size(), file_) != tail_.size() ||
            std::fflush(file_) != 0) {
            spill_failed_ = true;  // the file may hold part of the tail; only [0, flushed_) is ever read from it
            return;
        }
        flushed_ += tail_.size();
        tail_.clear();
    }

    std::size_t read_at(std::uint64_t offset, char* into, std::size_t n) const {
        std::size_t done = 0;
        while (done < n && offset + done < flushed_) {
            const ssize_t got = ::pread(fileno(file_), into + done, std::min<std::uint64_t>(n - done, flushed_ - offset - done),
                                        static_cast<off_t>(offset + done));
            if (got <= 0) break;
            done += static_cast<std::size_t>(got);
        }
        return done;
    }

    std::size_t memory_bytes_;
    std::FILE* file_ = nullptr;
    bool spill_failed_ = false;
    std::uint64_t flushed_ = 0;  // bytes in the file; records from there on are in tail_
    std::string tail_;
    mutable std::string read_buffer_;
    std::vector<std::string> regions_;
    std::unordered_map<std::string, std::uint16_t> region_ids_;
};

finding_list::finding_list(std::size_t memory_bytes) : records_(std::make_shared<storage>(memory_bytes)) {}

void finding_list::push_back(const finding& f) {
    static_assert(sizeof(entry) == 16);
    entry e;
    const std::uint64_t offset = records_->append(f);
    if (offset >> 40 != 0) throw std::length_error("more than a terabyte of findings");
    e.offset_low = static_cast<std::uint32_t>(offset);
    e.offset_high = static_cast<std::uint8_t>(offset >> 32);
    e.opened = f.opened.days();
    e.seq = static_cast<std::uint32_t>(f.seq);
    e.region = records_->region_id(f.region);
    e.flags = static_cast<std::uint8_t>(static_cast<std::uint8_t>(f.sev) | (f.closed ? entry::closed_flag : 0));
    index_.push_back(e);
}

finding finding_list::operator[](std::size_t i) const { return records_->read(index_[i].offset()); }

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

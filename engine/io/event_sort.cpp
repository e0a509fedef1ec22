// Events in date order: runs sorted in memory, written to a temporary file,
// merged.

#include "io/event_sort.hpp"

#include "common/record_codec.hpp"
#include "common/temporary_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <type_traits>
#include <unistd.h>

namespace patuh {

namespace {

// A run in the file is a sequence of records: the size of what follows the
// date, the date (days), then the event's encoding.
using record_size = std::uint32_t;
constexpr std::size_t record_head = sizeof(record_size) + sizeof(std::int32_t);

static_assert(sizeof(event) == 608 && sizeof(approval) == 144,
              "a field was added to event or approval: encode it in event_fields or approval_fields too");

// The fields of an encoded event, in their order, for writing (a const
// event and an event_encoder) and reading (an event and an event_decoder).
// The event's source is not among them: it is its input's, kept once.
template <class Codec, class Approval>
void approval_fields(Codec& c, Approval& a) {
    c.field(a.authority);
    c.field(a.authority_text);
    c.field(a.number);
    c.field(a.issued);
    c.field(a.nip);
    c.field(a.position);
}

template <class Codec, class Event>
void event_fields(Codec& c, Event& e) {
    c.field(e.id);
    c.field(e.kind);
    c.field(e.effective);
    c.field(e.region);
    c.field(e.level);
    c.field(e.unit_text);
    c.field(e.unit);
    c.field(e.position);
    c.field(e.rank);
    c.field(e.rank_text);
    c.field(e.who.nip);
    c.field(e.who.name);
    c.field(e.regional_decree.number);
    c.field(e.regional_decree.issued);
    c.field(e.regional_decree.issuer);
    c.field(e.approvals);
    c.field(e.why);
    c.field(e.concurrent);
    c.field(e.deadline);
    c.field(e.letter);
    c.field(e.issuer);
    c.field(e.services);
    c.field(e.route);
    c.field(e.head);
    c.field(e.until);
    c.field(e.candidates);
    c.field(e.term_end);
    c.field(e.line);
    c.field(e.record);
}

template <class T>
concept plain = std::is_arithmetic_v<T> || std::is_enum_v<T>;

// Appends an event's fields to a string.
struct string_sink {
    std::string* out;
    void put(const void* bytes, std::size_t n) { out->append(static_cast<const char*>(bytes), n); }
};

// Texts are stored with their length as a varint (7 bits a byte, the low
// bits first): most are short, and the file is a third smaller than with
// 32-bit lengths.
class event_encoder {
public:
    explicit event_encoder(std::string& out) : out_(&out), w_(string_sink{&out}) {}
    void field(std::string_view s) {
        std::size_t n = s.size();
        while (n >= 0x80) {
            out_->push_back(static_cast<char>(0x80 | (n & 0x7f)));
            n >>= 7;
        }
        out_->push_back(static_cast<char>(n));
        out_->append(s);
    }
    template <plain T>
    void field(T value) {
        w_.raw(value);
    }
    void field(date d) { w_.raw(d.days()); }
    template <class T>
    void field(const std::optional<T>& value) {
        w_.raw(static_cast<std::uint8_t>(value.has_value()));
        if (value) field(*value);
    }
    template <class T>
    void field(const std::vector<T>& values) {
        w_.raw(static_cast<std::uint32_t>(values.size()));
        for (const T& v : values) field(v);
    }
    void field(const approval& a) { approval_fields(*this, a); }

private:
    std::string* out_;
    basic_record_writer<string_sink> w_;
};

class event_decoder {
public:
    explicit event_decoder(std::string_view bytes) : r_(bytes.data(), bytes.size()) {}
    void field(std::string& s) {
        std::size_t n = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (shift > 35) throw std::runtime_error("a sorted event's text is too long");
            const auto byte = r_.raw<std::uint8_t>();
            n |= std::size_t{byte & 0x7fU} << shift;
            if ((byte & 0x80) == 0) break;
        }
        s.assign(r_.take(n));
    }
    template <plain T>
    void field(T& value) {
        value = r_.raw<T>();
    }
    void field(date& d) { d = date::from_days(r_.raw<std::int32_t>()); }
    template <class T>
    void field(std::optional<T>& value) {
        if (r_.raw<std::uint8_t>() == 0) {
            value.reset();
            return;
        }
        if (!value) value.emplace();
        field(*value);
    }
    template <class T>
    void field(std::vector<T>& values) {
        values.resize(r_.raw<std::uint32_t>());
        for (T& v : values) field(v);
    }
    void field(approval& a) { approval_fields(*this, a); }

private:
    record_reader r_;
};

// The day an event is sorted by: its date, but the region's calendar first.
// A calendar record opens windows that may start before its own date (six
// months before an election's candidates are set); judged at its date, it
// would come after changes inside them (R0121).
std::int32_t sort_days(const event& e) { return is_calendar(e.kind) ? date::min().days() : e.effective.days(); }

[[noreturn]] void fail(sort_file_error::step step) { throw sort_file_error(step, errno != 0 ? errno : EIO); }

}  // namespace

sort_file_error::sort_file_error(step s, int error)
    : std::system_error(error, std::generic_category(),
                        s == step::make ? "cannot make the temporary file of sorted events"
                        : s == step::write ? "cannot write the temporary file of sorted events"
                                           : "cannot read the temporary file of sorted events"),
      failed(s) {}

// Reads the records of one run: from the file through a buffer, or from the
// sorted entries of the run in memory.
class event_sorter::run_cursor {
public:
    // A run in the file, read `buffer_bytes` at a time.
    run_cursor(int fd, file_run run, std::size_t buffer_bytes)
        : fd_(fd), at_(run.start), end_(run.end), buffer_(buffer_bytes, '\0') {}
    // The run in memory.
    run_cursor(const std::string& run, const std::vector<entry>& entries) : memory_(&run), entries_(&entries) {}

    // Moves to the next record; false at the run's end.
    bool next() {
        if (memory_ != nullptr) {
            if (index_ == entries_->size()) return false;
            const entry& e = (*entries_)[index_++];
            days_ = e.days;
            bytes_ = std::string_view(*memory_).substr(e.offset, e.size);
            return true;
        }
        if (at_ == end_) return false;
        record_size size = 0;
        const char* head = fill(record_head);
        std::memcpy(&size, head, sizeof size);
        std::memcpy(&days_, head + sizeof size, sizeof days_);
        used_ += record_head;
        at_ += record_head;
        bytes_ = std::string_view(fill(size), size);
        used_ += size;
        at_ += size;
        return true;
    }
    std::int32_t days() const { return days_; }
    // The current record's encoding, valid until next().
    std::string_view bytes() const { return bytes_; }

private:
    // The next `n` bytes of the run, in the buffer (grown for a record larger than it).
    const char* fill(std::size_t n) {
        if (filled_ - used_ < n) {
            std::memmove(buffer_.data(), buffer_.data() + used_, filled_ - used_);
            filled_ -= used_;
            used_ = 0;
            if (buffer_.size() < n) buffer_.resize(n);
            const std::uint64_t file_at = at_ + filled_;
            const std::size_t want = static_cast<std::size_t>(
                std::min<std::uint64_t>(buffer_.size() - filled_, end_ - file_at));
            if (filled_ + want < n) throw std::runtime_error("a sorted run of events is truncated");
            errno = 0;
            if (!read_all_at(fd_, file_at, buffer_.data() + filled_, want)) fail(sort_file_error::step::read);
            filled_ += want;
        }
        return buffer_.data() + used_;
    }

    int fd_ = -1;
    std::uint64_t at_ = 0;  // the file offset of buffer_[used_]
    std::uint64_t end_ = 0;
    std::string buffer_;
    std::size_t used_ = 0;    // bytes of the buffer already read
    std::size_t filled_ = 0;  // bytes of the buffer holding the file's
    const std::string* memory_ = nullptr;
    const std::vector<entry>* entries_ = nullptr;
    std::size_t index_ = 0;
    std::int32_t days_ = 0;
    std::string_view bytes_;
};

event_sorter::event_sorter(std::size_t memory_bytes) : memory_bytes_(memory_bytes) {}

event_sorter::~event_sorter() {
    if (fd_ >= 0) ::close(fd_);
}

void event_sorter::add(const event& e, std::uint32_t input) {
    if (input >= sources_.size()) sources_.resize(std::size_t{input} + 1);
    if (sources_[input].empty()) sources_[input] = e.source;
    // The run's room is taken once: grown by doubling, it would take twice the budget.
    if (run_.capacity() < memory_bytes_) run_.reserve(memory_bytes_);
    const std::size_t offset = run_.size();
    event_encoder out(run_);
    out.field(input);
    event_fields(out, e);
    const std::size_t size = run_.size() - offset;
    if (offset > 0xffffffffU - size) throw std::length_error("a run of events over 4 GiB");
    entries_.push_back({sort_days(e), static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size)});
    ++count_;
    if (run_.size() + entries_.size() * sizeof(entry) >= memory_bytes_) write_run();
}

void event_sorter::sort_run() {
    const auto by_date = [](const entry& a, const entry& b) { return a.days < b.days; };
    if (!std::is_sorted(entries_.begin(), entries_.end(), by_date))
        std::stable_sort(entries_.begin(), entries_.end(), by_date);
}

// The run in memory, sorted, goes to the end of the file.
void event_sorter::write_run() {
    sort_run();
    if (fd_ < 0) {
        errno = 0;
        fd_ = temporary_file();
        if (fd_ < 0) fail(sort_file_error::step::make);
    }
    const std::size_t buffer_bytes = std::size_t{1} << 20;
    const std::uint64_t start = file_end_;
    const auto flush = [&] {
        errno = 0;
        if (!write_all_at(fd_, file_end_, out_.data(), out_.size())) fail(sort_file_error::step::write);
        file_end_ += out_.size();
        out_.clear();
    };
    for (const entry& e : entries_) {
        const auto size = static_cast<record_size>(e.size);
        out_.append(reinterpret_cast<const char*>(&size), sizeof size);
        out_.append(reinterpret_cast<const char*>(&e.days), sizeof e.days);
        out_.append(run_, e.offset, e.size);
        if (out_.size() >= buffer_bytes) flush();
    }
    flush();
    runs_.push_back({start, file_end_});
    run_.clear();
    entries_.clear();
}

void event_sorter::decode(std::string_view bytes, std::uint32_t& input, event& into) const {
    const std::uint32_t previous = input;
    event_decoder in(bytes);
    in.field(input);
    event_fields(in, into);
    if (input >= sources_.size()) throw std::runtime_error("a sorted event names an input never added");
    if (input != previous) into.source = sources_[input];
}

void event_sorter::drain(const sink& to) {
    sort_run();
    std::string().swap(out_);  // no more runs are written
    // Each run in the file read through a buffer; together about half the
    // memory budget (the run in memory holds the budget).
    const std::size_t buffer_bytes =
        runs_.empty() ? 0 : std::clamp<std::size_t>(memory_bytes_ / 2 / runs_.size(), 16 << 10, 1 << 20);
    std::vector<run_cursor> cursors;
    cursors.reserve(runs_.size() + 1);
    for (const file_run& r : runs_) cursors.emplace_back(fd_, r, buffer_bytes);
    cursors.emplace_back(run_, entries_);  // the latest events: after the file's of the same date
    // A heap of the runs with a record left, the earliest date (then the
    // earliest run) on top: the order the events were added in, within a date.
    std::vector<std::uint32_t> heap;
    const auto later = [&](std::uint32_t a, std::uint32_t b) {
        const std::int32_t da = cursors[a].days();
        const std::int32_t db = cursors[b].days();
        return da != db ? da > db : a > b;
    };
    for (std::uint32_t i = 0; i < cursors.size(); ++i)
        if (cursors[i].next()) heap.push_back(i);
    std::make_heap(heap.begin(), heap.end(), later);
    event e;
    std::uint32_t input = no_input;  // the source is set when the input changes
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), later);
        const std::uint32_t run = heap.back();
        decode(cursors[run].bytes(), input, e);
        to(input, e);
        if (cursors[run].next()) std::push_heap(heap.begin(), heap.end(), later);
        else heap.pop_back();
    }
    run_.clear();
    entries_.clear();
    runs_.clear();
    count_ = 0;
}

}  // namespace patuh

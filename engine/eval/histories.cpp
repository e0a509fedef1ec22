// Post timelines noted in chunks of written-out views, stored as records
// until a report reads them.
#include <patuh/engine.hpp>

#include "common/record_pages.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <utility>

namespace patuh {

namespace {

constexpr std::uint64_t no_chunk = ~std::uint64_t{0};

// A view's flags, in the low bits of its byte.
constexpr std::uint8_t facto_acting = 1, jure_acting = 2, jure_known = 4;

// How a written view names a holder: nobody, a person written out after it,
// or a holder named already, by the view before or (de jure) by this one.
// Someone is named as the same side of the view before when they are that
// side's holder (de facto: checked before the other side; de jure: first):
// that is what tells a holder who held on from one who came back.
enum class named_as : std::uint8_t { nobody, written, previous_facto, previous_jure, this_facto };
constexpr unsigned facto_shift = 3, jure_shift = 5;  // the view's byte: flags, facto's code, jure's code

// One side of a view as noted: its person's strings keep their capacity when
// the view is noted again.
struct noted_holder {
    bool present = false;
    person who;
};

bool same(const noted_holder& a, const noted_holder& b) {
    return a.present == b.present && (!a.present || (a.who.nip == b.who.nip && a.who.name == b.who.name));
}

bool same(const noted_holder& a, const std::optional<holder>& h) {
    return a.present == h.has_value() && (!h || (a.who.nip == h->who.nip && a.who.name == h->who.name));
}

void assign(noted_holder& into, const std::optional<holder>& h) {
    into.present = h.has_value();
    if (!h) return;
    into.who.nip.assign(h->who.nip);
    into.who.name.assign(h->who.name);
}

struct noted_view {
    date on;
    noted_holder facto;
    noted_holder jure;
    std::uint8_t flags = 0;
};

void put_number(std::string& out, std::uint64_t n) {
    while (n >= 0x80) {
        out.push_back(static_cast<char>((n & 0x7f) | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
}

void put_text(std::string& out, const std::string& s) {
    put_number(out, s.size());
    out.append(s);
}

std::runtime_error truncated() { return std::runtime_error("stored timeline is truncated"); }

// Reads a chunk's views from the front of `in`.
class chunk_reader {
public:
    explicit chunk_reader(std::string_view in) : in_(in) {}
    bool done() const { return in_.empty(); }
    std::uint8_t byte() {
        if (in_.empty()) throw truncated();
        const auto b = static_cast<std::uint8_t>(in_.front());
        in_.remove_prefix(1);
        return b;
    }
    std::int32_t days() {
        std::int32_t d;
        if (in_.size() < sizeof d) throw truncated();
        std::memcpy(&d, in_.data(), sizeof d);
        in_.remove_prefix(sizeof d);
        return d;
    }
    std::uint64_t number() {
        std::uint64_t n = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            const std::uint8_t b = byte();
            n |= std::uint64_t{b & 0x7fu} << shift;
            if ((b & 0x80) == 0) return n;
        }
        throw truncated();
    }
    std::string_view text() {
        const std::uint64_t n = number();
        if (in_.size() < n) throw truncated();
        const std::string_view s = in_.substr(0, n);
        in_.remove_prefix(n);
        return s;
    }

private:
    std::string_view in_;
};

// A post's timeline while its views are noted: the last view (which a later
// change on its day replaces), the last view written (what the next one is
// written against, and what the last view is compared with once replaced),
// and the written views not yet stored.
struct timeline_notes {
    noted_view last;
    noted_view written;
    bool has_last = false;
    bool has_written = false;
    std::string chunk;
    std::uint64_t stored = no_chunk;  // the last stored chunk
};

}  // namespace

struct post_histories::storage {
    explicit storage(std::size_t memory_bytes) : pages(memory_bytes) {}
    record_pages pages;  // each chunk: the offset of the post's chunk before it (no_chunk: none), then its views
    std::deque<timeline_notes> timelines;  // grows without moving its timelines or keeping room spare
    std::string view;  // write_last(): the view being written
};

namespace {

named_as facto_code(const noted_view& v, const noted_view* before) {
    if (!v.facto.present) return named_as::nobody;
    if (before && same(before->facto, v.facto)) return named_as::previous_facto;
    if (before && same(before->jure, v.facto)) return named_as::previous_jure;
    return named_as::written;
}

named_as jure_code(const noted_view& v, const noted_view* before) {
    if (!v.jure.present) return named_as::nobody;
    if (before && same(before->jure, v.jure)) return named_as::previous_jure;
    if (same(v.facto, v.jure)) return named_as::this_facto;
    if (before && same(before->facto, v.jure)) return named_as::previous_facto;
    return named_as::written;
}

void store_chunk(timeline_notes& t, record_pages& pages) {
    if (t.chunk.empty()) return;
    std::uint64_t offset = 0;
    char* const at = pages.append(sizeof t.stored + t.chunk.size(), 0, offset);
    std::memcpy(at, &t.stored, sizeof t.stored);
    std::memcpy(at + sizeof t.stored, t.chunk.data(), t.chunk.size());
    t.stored = offset;
    t.chunk.clear();
}

// Writes the last view out (it is no longer the last) into `view`, then
// into the chunk, storing the chunk first when the view would take it past
// `chunk_bytes`: a chunk's buffer is made `chunk_bytes` large once and
// grows only for a view larger than that.
void write_last(timeline_notes& t, std::string& view, record_pages& pages, std::size_t chunk_bytes) {
    const noted_view& v = t.last;
    const noted_view* before = t.has_written ? &t.written : nullptr;
    const named_as facto = facto_code(v, before), jure = jure_code(v, before);
    const std::int32_t days = v.on.days();
    view.assign(reinterpret_cast<const char*>(&days), sizeof days);
    view.push_back(static_cast<char>(v.flags | static_cast<unsigned>(facto) << facto_shift |
                                     static_cast<unsigned>(jure) << jure_shift));
    for (const auto& [code, side] : {std::pair{facto, &v.facto}, std::pair{jure, &v.jure}}) {
        if (code != named_as::written) continue;
        put_text(view, side->who.nip);
        put_text(view, side->who.name);
    }
    if (t.chunk.size() + view.size() > chunk_bytes) store_chunk(t, pages);
    if (t.chunk.capacity() < chunk_bytes) t.chunk.reserve(chunk_bytes);
    t.chunk.append(view);
    std::swap(t.written, t.last);
    t.has_written = true;
    t.has_last = false;
}

// A holder of a view read back, named `code`, on the side that the view
// before names `same_side` (previous_facto or previous_jure): one held on
// from there keeps the day they began when acting or not as before.
std::optional<holder> holder_of(named_as code, named_as same_side, bool acting, date on, chunk_reader& in,
                                const view_change* before, const std::optional<holder>& this_facto) {
    const auto named = [&](const std::optional<holder>& h) -> const person& {
        if (!h) throw std::runtime_error("stored timeline names a holder that is not there");
        return h->who;
    };
    switch (code) {
    case named_as::nobody: return std::nullopt;
    case named_as::written: {
        holder h{{std::string(in.text()), {}}, on, acting};
        h.who.name.assign(in.text());
        return h;
    }
    case named_as::previous_facto:
    case named_as::previous_jure: {
        const std::optional<holder>& held = code == named_as::previous_facto ? before->facto : before->jure;
        const person& who = named(held);
        if (code == same_side && held->acting == acting) return held;
        return holder{who, on, acting};
    }
    case named_as::this_facto: return holder{named(this_facto), on, acting};
    }
    throw std::runtime_error("stored timeline has an unknown holder code");
}

}  // namespace

post_histories::post_histories(std::size_t memory_bytes, std::size_t chunk_bytes)
    : memory_bytes_(memory_bytes), chunk_bytes_(chunk_bytes) {}

void post_histories::note(std::uint32_t& timeline, date on, const std::optional<holder>& facto,
                          const std::optional<holder>& jure, bool known) {
    if (!storage_) storage_ = std::make_shared<storage>(memory_bytes_);
    std::deque<timeline_notes>& timelines = storage_->timelines;
    if (timeline == no_timeline) {
        if (timelines.size() >= no_timeline) throw std::length_error("too many post timelines");
        timeline = static_cast<std::uint32_t>(timelines.size());
        timelines.emplace_back();
    }
    timeline_notes& t = timelines.at(timeline);
    std::uint8_t flags = 0;
    if (facto && facto->acting) flags |= facto_acting;
    if (jure && jure->acting) flags |= jure_acting;
    if (known) flags |= jure_known;
    if (t.has_last && t.last.on == on) t.has_last = false;  // the last state of a day counts
    const noted_view* back = t.has_last ? &t.last : t.has_written ? &t.written : nullptr;
    if (back && back->flags == flags && same(back->facto, facto) && same(back->jure, jure)) return;
    if (t.has_last) write_last(t, storage_->view, storage_->pages, chunk_bytes_);
    t.last.on = on;
    t.last.flags = flags;
    assign(t.last.facto, facto);
    assign(t.last.jure, jure);
    t.has_last = true;
}

void post_histories::add(std::string region, index_t unit, std::string position, std::uint32_t timeline) {
    std::uint64_t last_chunk = no_chunk;
    if (timeline != no_timeline && storage_ && timeline < storage_->timelines.size()) {
        timeline_notes& t = storage_->timelines[timeline];
        if (t.has_last) write_last(t, storage_->view, storage_->pages, chunk_bytes_);
        store_chunk(t, storage_->pages);
        last_chunk = t.stored;
        t = timeline_notes{};  // its memory given back
    }
    posts_.push_back({std::move(region), unit, std::move(position), last_chunk});
}

void post_histories::stop_noting() {
    if (storage_) std::deque<timeline_notes>().swap(storage_->timelines);
}

post_history post_histories::operator[](std::size_t i) const {
    const entry& e = posts_.at(i);
    post_history out{e.region, e.unit, e.position, {}};
    // The chunks from the last back to the first, each read before the next
    // read moves the pages.
    std::vector<std::string> chunks;
    for (std::uint64_t at = e.last_chunk; at != no_chunk;) {
        const std::string_view record = storage_->pages.read(at);
        if (record.size() < sizeof at) throw truncated();
        std::memcpy(&at, record.data(), sizeof at);
        chunks.emplace_back(record.substr(sizeof at));
    }
    for (auto chunk = chunks.rbegin(); chunk != chunks.rend(); ++chunk) {
        chunk_reader in(*chunk);
        while (!in.done()) {
            const date on = date::from_days(in.days());
            const std::uint8_t byte = in.byte();
            const auto facto = static_cast<named_as>((byte >> facto_shift) & 3u);
            const auto jure = static_cast<named_as>(byte >> jure_shift);
            if (jure > named_as::this_facto) throw truncated();
            const view_change* before = out.changes.empty() ? nullptr : &out.changes.back();
            if (!before && (facto > named_as::written || (jure > named_as::written && jure != named_as::this_facto)))
                throw std::runtime_error("stored timeline names a holder that is not there");
            view_change c;
            c.on = on;
            c.facto = holder_of(facto, named_as::previous_facto, (byte & facto_acting) != 0, on, in, before, std::nullopt);
            c.jure = holder_of(jure, named_as::previous_jure, (byte & jure_acting) != 0, on, in, before, c.facto);
            c.jure_known = (byte & jure_known) != 0;
            out.changes.push_back(std::move(c));
        }
    }
    return out;
}

}  // namespace patuh

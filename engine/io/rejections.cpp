// The rejection list: each rejection a binary record in record_pages, and
// where each one is, in stored blocks (stored_blocks).

#include <patuh/rejections.hpp>

#include "common/record_codec.hpp"
#include "common/record_pages.hpp"
#include "common/stored_blocks.hpp"

namespace patuh {

namespace {

// The fields of a stored rejection, in their order, for writing (a const
// rejection and a basic_record_writer) and reading (a record_reader). Not
// `ends_input`: only `patuh explain` reads that, as the rejection is read.
template <class Codec, class Rejection>
void record_fields(Codec& c, Rejection& x) {
    c.field(x.source);
    c.field(x.line);
    c.field(x.id);
    c.field(x.code);
    c.field(x.reason.id);
    c.field(x.reason.en);
    c.field(x.field);
    c.field(x.raw);
    c.field(x.record);
}

// The groups of the rejections' pages.
constexpr std::uint32_t records_group = 0;
constexpr std::uint32_t offsets_group = 1;

using offset_blocks = stored_blocks<std::uint64_t, rejection_list::block_entries>;

}  // namespace

rejection_list::rejection_list(std::size_t memory_bytes)
    : pages_(std::make_shared<record_pages>(memory_bytes)), offsets_(std::make_shared<offset_blocks>(pages_, offsets_group)) {}

std::string listed_id(std::string_view id, std::string_view source, std::uint64_t line) {
    if (id.empty() || id == place_id(source, line)) return {};
    return std::string(id);
}

std::string rejection::listed_id() const { return patuh::listed_id(id, source, line); }

std::size_t rejection_list::size() const { return offsets_ ? offsets_->size() : 0; }

// Sized first, then written straight into its page.
void rejection_list::push_back(const rejection& x) {
    basic_record_writer<size_sink> size{size_sink{}};
    record_fields(size, x);
    std::uint64_t offset = 0;
    basic_record_writer<pointer_sink> w{pointer_sink{pages_->append(size.sink().bytes, records_group, offset)}};
    record_fields(w, x);
    own(offsets_).push_back(offset);
}

void rejection_list::read(std::size_t i, rejection& into) const {
    const std::string_view record = pages_->read(offsets_->at(i));
    record_reader r(record.data(), record.size());
    record_fields(r, into);
}

rejection rejection_list::operator[](std::size_t i) const {
    rejection x;
    read(i, x);
    return x;
}

}  // namespace patuh

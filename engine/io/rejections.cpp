// The rejection list: each rejection a binary record in record_pages.

#include <patuh/rejections.hpp>

#include "common/record_codec.hpp"
#include "common/record_pages.hpp"

namespace patuh {

rejection_list::rejection_list(std::size_t memory_bytes) : pages_(std::make_shared<record_pages>(memory_bytes)) {}

void rejection_list::push_back(const rejection& x) {
    std::string record;
    record_writer w(record);
    w.text(x.source);
    w.raw(x.line);
    w.text(x.code);
    w.text(x.reason.id);
    w.text(x.reason.en);
    w.text(x.field);
    w.text(x.raw);
    w.text(x.record);
    offsets_.push_back(pages_->append(record, 0));
}

void rejection_list::read(std::size_t i, rejection& into) const {
    const std::string_view record = pages_->read(offsets_.at(i));
    record_reader r(record.data(), record.size());
    r.text(into.source);
    into.line = r.raw<std::uint64_t>();
    r.text(into.code);
    r.text(into.reason.id);
    r.text(into.reason.en);
    r.text(into.field);
    r.text(into.raw);
    r.text(into.record);
}

rejection rejection_list::operator[](std::size_t i) const {
    rejection x;
    read(i, x);
    return x;
}

}  // namespace patuh

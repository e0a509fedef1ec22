#pragma once
// An event record whose values are all texts, one per field a CSV column can
// fill (csv_field), validated by the same record rules as a JSON record
// (decode_event) without building a JSON document. An empty text is an absent
// member; person, decree and the one approval are present when one of their
// fields is. A rejection names the field as the JSON path would
// ("person.nip", "approvals[0].date").

#include <patuh/csv_import.hpp>
#include <patuh/event.hpp>

#include <array>
#include <memory>
#include <string_view>

namespace patuh {

using flat_record = std::array<std::string_view, csv_field_count>;

class flat_record_decoder {
public:
    explicit flat_record_decoder(const rule_set& rules);
    ~flat_record_decoder();
    flat_record_decoder(const flat_record_decoder&) = delete;
    flat_record_decoder& operator=(const flat_record_decoder&) = delete;

    // Fills `e` from the record (true), or the rejection's code, field and
    // reason (false). `e` keeps its buffers from one record to the next;
    // its line, source and record are left as they are.
    bool decode(const flat_record& record, event& e, rejection& why);

private:
    struct state;
    std::unique_ptr<state> s_;
};

}  // namespace patuh

#pragma once
// The findings of an audit, in report order, kept compactly: a 16-byte index
// entry per finding and the finding itself as a serialised record, the
// records in pages of one region each, in memory up to a budget and beyond
// it in an unnamed temporary file (reading in report order, region by region,
// reads each page of the file once). The index entries are stored the same
// way in blocks of 256, only the last unfilled block in memory, so the memory
// a list takes does not grow with the number of its findings. Elements are
// read back by value; the list reads like a vector of findings that cannot be
// changed in place.
//
// Copies share the record storage (records are only ever appended, so a copy
// never sees another's later elements). Not safe to use from two threads.

#include <patuh/by_value_iterator.hpp>
#include <patuh/event.hpp>
#include <patuh/rule_set.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patuh {

template <class T, std::size_t Block>
class stored_blocks;

struct holder {
    person who;
    date since;
    bool acting = false;
};

enum class remedy_kind : std::uint8_t {
    reinstate_or_approve,  // reinstate the recognised holder, or obtain approval for the current one
    reinstate_only,        // a forbidden change: only a return undoes it
    install_approved,      // install the person the centre approved
    leave_one_post,        // end the double post
    fill_post,             // register an acting official (vacancy)
};

struct remedy {
    remedy_kind kind = remedy_kind::reinstate_or_approve;
    std::optional<person> reinstate;  // the last recognised holder, when known
    bool reinstate_acting = false;    // `reinstate` was recognised as the acting official (Plt/Plh)
    bool never_installed = false;     // `reinstate` was approved by the centre but never installed
    std::optional<person> approve;    // whose approval to obtain
    index_t authority = no_index;     // from whom
    std::vector<index_t> route;       // through whom, in order
};

enum class close_cause : std::uint8_t { reinstated, approved, installed, post_changed, left_post, exempt };
std::string_view to_string(close_cause c);

struct finding {
    std::uint64_t seq = 0;  // creation order, for stable output
    std::string event_id;
    std::string source;
    std::uint64_t line = 0;
    std::uint32_t rule = 0;  // index into rule_set::rules
    severity sev = severity::medium;
    event_kind kind = event_kind::appoint;
    bool de_facto_acting = false;  // de_facto (below) held the post as the acting official (Plt/Plh)
    bool de_jure_acting = false;   // de_jure (below) was recognised as the acting official
    std::string region;
    index_t level = no_index;
    index_t unit = no_index;
    std::string position;
    index_t rank = no_index;
    std::optional<person> de_facto;  // at opening
    std::optional<person> de_jure;   // at opening; absent: nobody known
    date opened;
    std::optional<date> closed;
    std::optional<close_cause> closed_because;
    std::string closed_by;  // event id
    remedy fix;
    bool is_notice() const { return sev == severity::info; }
};

class finding_list {
public:
    // Records beyond `memory_bytes` go to a temporary file (when one can be
    // made; otherwise they stay in memory): see engine/common/record_pages.hpp.
    // So do the index entries (16 bytes a finding) in blocks of 256
    // (engine/common/stored_blocks.hpp). 4 MiB gives pages of 16 KiB: a
    // system call moves 16 KiB of findings to or from the file (a call costs
    // about as much as copying 16 KiB on a virtual machine), for about 9 MiB
    // of pages open at once for 552 regions.
    static constexpr std::size_t default_memory_bytes = std::size_t{4} << 20;
    explicit finding_list(std::size_t memory_bytes = default_memory_bytes);
    // Copies are cheap: they share the entries until one of them changes. A
    // list moved from is empty, to be assigned to or destroyed.

    void push_back(const finding& f);
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    finding operator[](std::size_t i) const;
    finding at(std::size_t i) const;
    // Reads element i into `into`, reusing its strings: cheaper in a loop.
    void read(std::size_t i, finding& into) const;

    // Read without decoding the finding.
    std::string_view region(std::size_t i) const;
    severity sev(std::size_t i) const;
    bool closed(std::size_t i) const;

    // Orders the findings by the rank of their region (`rank_of`, smaller
    // first), then by the day they opened, then by their `seq`; findings
    // equal in all three keep the order they were added in. Lists larger
    // than one sorting chunk are sorted in runs that are then merged, each
    // run and the result written as blocks like the entries themselves, in
    // the blocks of what has been read when no copy of the list shares them.
    // A sort that throws (the temporary file cannot be read or written)
    // leaves such a list empty.
    void sort(const std::function<std::size_t(std::string_view region)>& rank_of);
    // The bytes the list's storage holds, records and index, in memory and
    // in its temporary file.
    std::uint64_t stored_bytes() const;

    std::vector<finding> to_vector() const;

    using iterator = by_value_iterator<finding_list, finding>;
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, size()}; }

    class storage;  // the serialised records, and the stored blocks of entries

    // 16 bytes: the record's offset in 40 bits, what sorting and counting need.
    struct entry {
        std::uint32_t offset_low = 0;
        std::uint8_t offset_high = 0;
        std::uint8_t flags = 0;     // severity, and closed_flag
        std::uint16_t region = 0;   // index into the storage's region codes
        std::int32_t opened = 0;    // days, for sorting
        std::uint32_t seq = 0;
        static constexpr std::uint8_t closed_flag = 0x80;
        std::uint64_t offset() const { return (std::uint64_t{offset_high} << 32) | offset_low; }
    };
    // Entries in a stored block, and in a run sorted in memory.
    static constexpr std::size_t block_entries = 256;
    static constexpr std::size_t sort_chunk_entries = 256 * block_entries;  // 1 MiB

private:
    const entry& entry_at(std::size_t i) const;

    std::shared_ptr<storage> records_;
    std::shared_ptr<stored_blocks<entry, block_entries>> entries_;
};

}  // namespace patuh

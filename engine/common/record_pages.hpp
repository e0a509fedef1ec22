#pragma once
// Records (strings of bytes) kept in pages, each page holding the records of
// one group, in memory up to a budget and beyond it in an unnamed temporary
// file: the store behind the audit's finding and rejection lists. Reading
// the records group by group reads each page of the file once. Every group
// has one page open in memory (memory_bytes / 256, 256 bytes to 16 KiB);
// full pages stay in memory while they and the open pages fit in the budget
// and are otherwise written to the file; pages read back are cached
// (memory_bytes of them, at least 8 pages), least recently used first out.
// When no file can be made or written, the records stay in memory. Not safe
// to use from two threads.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patuh {

class record_pages {
public:
    explicit record_pages(std::size_t memory_bytes);
    ~record_pages();
    record_pages(const record_pages&) = delete;
    record_pages& operator=(const record_pages&) = delete;

    // Stores a record of `group`; returns its offset (increasing, not dense).
    std::uint64_t append(std::string_view record, std::uint32_t group);
    // Makes room for a record of `size` bytes of `group`, sets `offset` to its
    // offset and returns where to write it (valid until the next call).
    char* append(std::size_t size, std::uint32_t group, std::uint64_t& offset);
    // The record at `offset`, valid until the next call.
    std::string_view read(std::uint64_t offset) const;
    // Replaces the bytes of the record at `offset` by `record`, of the same
    // size (a stored block given back and used again: stored_blocks).
    void overwrite(std::uint64_t offset, std::string_view record);
    // The bytes of the pages made so far, in memory and in the file.
    std::uint64_t size() const { return end_; }

private:
    static constexpr std::uint32_t none = 0xffffffff;
    static constexpr std::uint32_t in_memory = 0x80000000;  // flag in used_
    // A page in memory: `capacity` bytes, written from the start.
    struct buffer {
        std::unique_ptr<char[]> bytes;
        std::size_t capacity = 0;
    };
    // A group's page open for appending, with what appending needs at hand.
    struct open_page {
        std::uint32_t page = none;
        std::uint32_t buffer = 0;       // index into buffers_
        char* data = nullptr;           // buffers_[buffer].bytes
        std::size_t used = 0;           // bytes of records so far
        std::size_t capacity = 0;       // 0 while no page is open
        std::uint64_t start = 0;        // the page's first offset
        std::uint32_t* used_entry = nullptr;  // used_[page] (a deque keeps its elements in place)
    };
    // Starts a page for `o` with room for at least `record_bytes`.
    void new_page(std::size_t record_bytes, open_page& o);
    void retire(const open_page& o);
    // Finds the page holding `offset` and makes it the one seen_ describes.
    void see(std::uint64_t offset) const;
    const std::string& cached(std::uint32_t p) const;

    std::size_t memory_bytes_;
    std::size_t page_bytes_;
    std::size_t cache_pages_;
    int fd_ = -1;
    bool spill_failed_ = false;
    std::uint64_t end_ = 0;       // offsets handed out so far
    std::size_t kept_bytes_ = 0;  // full pages kept in memory
    // The page table, 12 bytes a page: where each page starts (its offset,
    // and its place in the file, written whole) and how many bytes of
    // records it holds, with the in_memory flag.
    std::vector<std::uint64_t> starts_;  // contiguous: searched on every change of page when reading
    std::deque<std::uint32_t> used_;
    std::unordered_map<std::uint32_t, std::uint32_t> buffer_of_;  // page in memory → index into buffers_
    std::vector<open_page> open_;  // per group: its page open for appending
    std::vector<buffer> buffers_;  // pages in memory
    std::vector<std::uint32_t> free_buffers_;
    mutable std::list<std::pair<std::uint32_t, std::string>> cache_;  // pages read from the file, recent first
    mutable std::unordered_map<std::uint32_t, decltype(cache_)::iterator> cache_index_;
    // The page read last: its first offset, its bytes of records when it was
    // found and where they are. Reads from the same page (reading a group's
    // records in order, mostly) need no page lookup. Forgotten (seen_bytes_
    // 0) when a page leaves memory or the cache, the only ways its bytes move.
    mutable std::uint64_t seen_start_ = 0;
    mutable std::size_t seen_bytes_ = 0;
    mutable const char* seen_data_ = nullptr;
};

}  // namespace patuh

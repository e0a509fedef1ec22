#pragma once
// The records an audit rejected, in the order they were met, kept like the
// findings: the rejections in pages in memory up to a budget and beyond it
// in an unnamed temporary file, and where each one is stored (8 bytes) in
// blocks of 256 kept the same way, only the last unfilled block in memory,
// so that a log of millions of malformed lines does not grow memory with
// them. Elements are read back by value. Copies share the storage (only ever
// appended) but not what is added to either later. Not safe to use from two
// threads.

#include <patuh/by_value_iterator.hpp>
#include <patuh/event.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace patuh {

class record_pages;
template <class T, std::size_t Block>
class stored_blocks;

class rejection_list {
public:
    static constexpr std::size_t default_memory_bytes = std::size_t{1} << 20;
    explicit rejection_list(std::size_t memory_bytes = default_memory_bytes);
    // Copies are cheap: they share the entries until one of them changes. A
    // list moved from is empty, to be assigned to or destroyed.

    void push_back(const rejection& x);
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    // Throws std::out_of_range when i >= size().
    rejection operator[](std::size_t i) const;
    // Reads element i into `into`, reusing its strings.
    void read(std::size_t i, rejection& into) const;

    using iterator = by_value_iterator<rejection_list, rejection>;
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, size()}; }

    static constexpr std::size_t block_entries = 256;

private:
    std::shared_ptr<record_pages> pages_;
    std::shared_ptr<stored_blocks<std::uint64_t, block_entries>> offsets_;  // where each rejection is stored
};

}  // namespace patuh

#pragma once
// The records an audit rejected, in the order they were met, kept like the
// findings: the rejections in pages in memory up to a budget and beyond it
// in an unnamed temporary file, with an 8-byte offset per rejection in
// memory, so that a log of millions of malformed lines does not grow memory
// with its text. Elements are read back by value. Copies share the storage
// (only ever appended). Not safe to use from two threads.

#include <patuh/by_value_iterator.hpp>
#include <patuh/event.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>

namespace patuh {

class record_pages;

class rejection_list {
public:
    static constexpr std::size_t default_memory_bytes = std::size_t{1} << 20;
    explicit rejection_list(std::size_t memory_bytes = default_memory_bytes);

    void push_back(const rejection& x);
    std::size_t size() const { return offsets_.size(); }
    bool empty() const { return offsets_.empty(); }
    rejection operator[](std::size_t i) const;
    // Reads element i into `into`, reusing its strings.
    void read(std::size_t i, rejection& into) const;

    using iterator = by_value_iterator<rejection_list, rejection>;
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, offsets_.size()}; }

private:
    std::shared_ptr<record_pages> pages_;
    std::deque<std::uint64_t> offsets_;
};

}  // namespace patuh

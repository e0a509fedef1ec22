// Records in pages of one group each: in memory, then in a temporary file.

#include "common/record_pages.hpp"

#include "common/temporary_file.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace patuh {

namespace {

using record_size = std::uint32_t;

}  // namespace

record_pages::record_pages(std::size_t memory_bytes)
    : memory_bytes_(memory_bytes),
      page_bytes_(std::clamp<std::size_t>(memory_bytes / 256, 256, 16384)),
      cache_pages_(std::max<std::size_t>(8, memory_bytes / page_bytes_)) {}

record_pages::~record_pages() {
    if (fd_ >= 0) ::close(fd_);
}

std::uint64_t record_pages::append(std::string_view record, std::uint32_t group) {
    std::uint64_t offset = 0;
    char* const into = append(record.size(), group, offset);
    if (!record.empty()) std::memcpy(into, record.data(), record.size());
    return offset;
}

// Appending writes at the open page's end; a record that does not fit
// retires the page and opens another (a page of 0 capacity: none is open).
char* record_pages::append(std::size_t size, std::uint32_t group, std::uint64_t& offset) {
    if (size >= in_memory - sizeof(record_size)) throw std::length_error("a record of 2 GB or more");
    const std::size_t bytes = sizeof(record_size) + size;
    if (open_.size() <= group) open_.resize(std::size_t{group} + 1);
    open_page& o = open_[group];
    if (o.capacity - o.used < bytes) {
        if (o.page != none) retire(o);
        new_page(bytes, o);
    }
    char* const at = o.data + o.used;
    offset = o.start + o.used;
    const auto length = static_cast<record_size>(size);
    std::memcpy(at, &length, sizeof length);
    o.used += bytes;
    *o.used_entry = static_cast<std::uint32_t>(o.used) | in_memory;
    return at + sizeof length;
}

std::string_view record_pages::read(std::uint64_t offset) const {
    // Unsigned: an offset before seen_start_ is far beyond its bytes.
    if (offset - seen_start_ >= seen_bytes_) see(offset);
    const std::size_t at = offset - seen_start_;
    record_size size;
    if (seen_bytes_ - at < sizeof size) throw std::runtime_error("record is truncated");
    std::memcpy(&size, seen_data_ + at, sizeof size);
    if (seen_bytes_ - at - sizeof size < size) throw std::runtime_error("record is truncated");
    return {seen_data_ + at + sizeof size, size};
}

// In place: in the page's buffer when in memory, else in the file and in
// the page's cached copy (which the seen page may be).
void record_pages::overwrite(std::uint64_t offset, std::string_view record) {
    const std::string_view old = read(offset);
    if (old.size() != record.size()) throw std::logic_error("a record overwritten by one of another size");
    const std::uint64_t start = seen_start_;
    const std::size_t at = static_cast<std::size_t>(old.data() - seen_data_);
    const auto p = static_cast<std::uint32_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin() - 1);
    if ((used_[p] & in_memory) != 0) {
        std::memcpy(buffers_[buffer_of_.at(p)].bytes.get() + at, record.data(), record.size());
        return;
    }
    if (!write_all_at(fd_, start + at, record.data(), record.size()))
        throw std::runtime_error("the temporary file of records cannot be written");
    if (const auto it = cache_index_.find(p); it != cache_index_.end())
        std::memcpy(it->second->second.data() + at, record.data(), record.size());
}

// The one caller of cached(): a page leaving the cache is never the seen one
// afterwards.
void record_pages::see(std::uint64_t offset) const {
    seen_bytes_ = 0;  // until the page is found and read
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), offset);
    if (after == starts_.begin()) throw std::out_of_range("no record at this offset");
    const auto p = static_cast<std::uint32_t>(after - starts_.begin() - 1);
    const std::size_t used = used_[p] & ~in_memory;
    if (offset - starts_[p] >= used) throw std::out_of_range("no record at this offset");
    seen_data_ = (used_[p] & in_memory) != 0 ? buffers_[buffer_of_.at(p)].bytes.get() : cached(p).data();
    seen_start_ = starts_[p];
    seen_bytes_ = used;
}

void record_pages::new_page(std::size_t record_bytes, open_page& o) {
    if (starts_.size() >= in_memory) throw std::length_error("too many pages of records");
    const auto p = static_cast<std::uint32_t>(starts_.size());
    const std::size_t capacity = std::max(page_bytes_, record_bytes);
    starts_.push_back(end_);
    used_.push_back(in_memory);
    std::uint32_t b;
    if (!free_buffers_.empty()) {
        b = free_buffers_.back();
        free_buffers_.pop_back();
    } else {
        b = static_cast<std::uint32_t>(buffers_.size());
        buffers_.emplace_back();
    }
    buffer& into = buffers_[b];
    if (into.capacity < capacity) {
        into.bytes = std::make_unique_for_overwrite<char[]>(capacity);
        into.capacity = capacity;
    }
    buffer_of_.emplace(p, b);
    o = {p, b, into.bytes.get(), 0, capacity, end_, &used_.back()};
    end_ += capacity;
}

// A full page stays in memory while it and the pages open for appending fit
// in the budget; else it goes to the file, at its offset (and stays in memory
// for good when no file can be made or written).
void record_pages::retire(const open_page& o) {
    seen_bytes_ = 0;  // the page may leave memory, its buffer be reused
    const std::uint32_t p = o.page;
    const std::size_t bytes = o.used;
    if (kept_bytes_ + open_.size() * page_bytes_ + bytes <= memory_bytes_ || spill_failed_) {
        kept_bytes_ += bytes;
        return;
    }
    if (fd_ < 0) fd_ = temporary_file();
    // Whole pages, so that the file has no holes; the bytes after the records are zeros.
    std::memset(o.data + bytes, 0, o.capacity - bytes);
    if (fd_ < 0 || !write_all_at(fd_, o.start, o.data, o.capacity)) {
        spill_failed_ = true;  // the file may hold part of this page: it is read from memory
        kept_bytes_ += bytes;
        return;
    }
    free_buffers_.push_back(o.buffer);
    buffer_of_.erase(p);
    used_[p] &= ~in_memory;
}

const std::string& record_pages::cached(std::uint32_t p) const {
    if (const auto it = cache_index_.find(p); it != cache_index_.end()) {
        cache_.splice(cache_.begin(), cache_, it->second);
        return it->second->second;
    }
    if (cache_.size() >= cache_pages_) {
        cache_index_.erase(cache_.back().first);
        cache_.splice(cache_.begin(), cache_, std::prev(cache_.end()));
    } else {
        cache_.emplace_front();
    }
    auto& [page_no, data] = cache_.front();
    data.resize(used_[p]);
    if (!read_all_at(fd_, starts_[p], data.data(), data.size())) {
        cache_.pop_front();
        throw std::runtime_error("the temporary file of records cannot be read");
    }
    page_no = p;
    cache_index_.emplace(p, cache_.begin());
    return data;
}

}  // namespace patuh

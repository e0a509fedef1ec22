// Records in pages of one group each: in memory, then in a temporary file.

#include "common/record_pages.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace patuh {

namespace {

using record_size = std::uint32_t;

// An unnamed file in the temporary directory ($TMPDIR, else /tmp), removed
// when closed; -1 when none can be made.
int temporary_file() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    std::string name = ((ec ? std::filesystem::path("/tmp") : dir) / "patuh-findings-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd >= 0) ::unlink(name.c_str());
    return fd;
}

bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        const ssize_t put = ::write(fd, data, n);
        if (put <= 0) return false;
        data += put;
        n -= static_cast<std::size_t>(put);
    }
    return true;
}

bool read_all(int fd, std::uint64_t at, char* into, std::size_t n) {
    while (n > 0) {
        const ssize_t got = ::pread(fd, into, n, static_cast<off_t>(at));
        if (got <= 0) return false;
        into += got;
        at += static_cast<std::uint64_t>(got);
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

}  // namespace

record_pages::record_pages(std::size_t memory_bytes)
    : memory_bytes_(memory_bytes),
      page_bytes_(std::clamp<std::size_t>(memory_bytes / 128, 256, 16384)),
      cache_pages_(std::max<std::size_t>(8, 4 * memory_bytes / page_bytes_)) {}

record_pages::~record_pages() {
    if (fd_ >= 0) ::close(fd_);
}

std::uint64_t record_pages::append(std::string_view record, std::uint32_t group) {
    if (record.size() > 0xffffffffu - sizeof(record_size)) throw std::length_error("a record of more than 4 GB");
    const std::size_t size = sizeof(record_size) + record.size();
    if (open_.size() <= group) open_.resize(std::size_t{group} + 1, none);
    std::uint32_t p = open_[group];
    if (p == none || pages_[p].used + size > pages_[p].capacity) {
        if (p != none) retire(p);
        p = open_[group] = new_page(size);
    }
    page& pg = pages_[p];
    std::string& data = buffers_[pg.buffer];
    const std::uint64_t offset = pg.start + pg.used;
    const auto length = static_cast<record_size>(record.size());
    data.append(reinterpret_cast<const char*>(&length), sizeof length);
    data.append(record);
    pg.used = static_cast<std::uint32_t>(data.size());
    return offset;
}

std::string_view record_pages::read(std::uint64_t offset) const {
    const auto after = std::upper_bound(pages_.begin(), pages_.end(), offset,
                                        [](std::uint64_t o, const page& pg) { return o < pg.start; });
    if (after == pages_.begin()) throw std::out_of_range("no record at this offset");
    const auto p = static_cast<std::uint32_t>(after - pages_.begin() - 1);
    const page& pg = pages_[p];
    const std::string& data = pg.buffer != none ? buffers_[pg.buffer] : cached(p);
    const std::size_t at = offset - pg.start;
    record_size size;
    if (at + sizeof size > data.size()) throw std::runtime_error("record is truncated");
    std::memcpy(&size, data.data() + at, sizeof size);
    if (at + sizeof size + size > data.size()) throw std::runtime_error("record is truncated");
    return {data.data() + at + sizeof size, size};
}

std::uint32_t record_pages::new_page(std::size_t record_bytes) {
    if (pages_.size() >= none) throw std::length_error("too many pages of records");
    page pg;
    pg.start = end_;
    pg.capacity = static_cast<std::uint32_t>(std::max(page_bytes_, record_bytes));
    end_ += pg.capacity;
    if (!free_buffers_.empty()) {
        pg.buffer = free_buffers_.back();
        free_buffers_.pop_back();
    } else {
        pg.buffer = static_cast<std::uint32_t>(buffers_.size());
        buffers_.emplace_back();
    }
    buffers_[pg.buffer].clear();
    buffers_[pg.buffer].reserve(pg.capacity);
    pages_.push_back(pg);
    return static_cast<std::uint32_t>(pages_.size() - 1);
}

// A full page stays in memory within the budget, else goes to the file (and
// stays in memory for good when no file can be made or written).
void record_pages::retire(std::uint32_t p) {
    page& pg = pages_[p];
    if (kept_bytes_ + pg.used <= memory_bytes_ || spill_failed_) {
        kept_bytes_ += pg.used;
        return;
    }
    if (fd_ < 0) fd_ = temporary_file();
    std::string& data = buffers_[pg.buffer];
    if (fd_ < 0 || !write_all(fd_, data.data(), data.size())) {
        spill_failed_ = true;  // the file may hold part of this page; file_end_ marks what is whole
        kept_bytes_ += pg.used;
        return;
    }
    pg.file_at = file_end_;
    file_end_ += data.size();
    free_buffers_.push_back(pg.buffer);
    pg.buffer = none;
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
    const page& pg = pages_[p];
    data.resize(pg.used);
    if (!read_all(fd_, pg.file_at, data.data(), data.size())) {
        cache_.pop_front();
        throw std::runtime_error("the temporary file of records cannot be read");
    }
    page_no = p;
    cache_index_.emplace(p, cache_.begin());
    return data;
}

}  // namespace patuh

#pragma once
// A sequence of fixed-size entries kept in blocks: each full block of
// `Block` entries is stored as one record of one group in a record_pages (in
// memory up to its budget, then in its temporary file), and only the last,
// unfilled block stays in memory, with 8 bytes a stored block (where it is):
// a sequence of a million entries of 256 a block keeps 31 KiB in memory. The
// index behind the finding and rejection lists.
//
// Reading by index reads the entry's block into a one-block cache, so reading
// in order reads each block once; a reader reads every entry from the first
// on with a block of its own, so that several can be read side by side (the
// runs of a merge). A sequence read with a draining reader gives each block
// back once read, and the sequences of the same storage and group (its
// copies and empty_like()) store their next blocks in the blocks given back:
// a sort that drains what it reads keeps the storage at about one copy of
// the entries. Copies share the stored blocks but not the entries added to
// either afterwards, so a sequence that was copied, or is a copy, is never
// drained; lists that hold their entries through a shared pointer share them
// until one changes (own()). Not safe to use from two threads.

#include "common/record_pages.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace patuh {

template <class T, std::size_t Block>
class stored_blocks {
    static_assert(std::is_trivially_copyable_v<T>, "entries are stored as their bytes");
    static_assert(Block > 0);

public:
    static constexpr std::size_t block_entries = Block;

    // Stores full blocks in `pages` as records of `group`, a group that
    // holds nothing else.
    stored_blocks(std::shared_ptr<record_pages> pages, std::uint32_t group)
        : pages_(std::move(pages)), group_(group), given_back_(std::make_shared<std::vector<std::uint64_t>>()) {}

    // A copy shares its blocks with `from`: neither is drained after.
    stored_blocks(const stored_blocks& from)
        : pages_(from.pages_),
          group_(from.group_),
          given_back_(from.given_back_),
          blocks_(from.blocks_),
          tail_(from.tail_),
          copied_(true) {
        from.copied_ = true;
    }
    stored_blocks(stored_blocks&&) noexcept = default;
    stored_blocks& operator=(const stored_blocks&) = delete;
    stored_blocks& operator=(stored_blocks&&) noexcept = default;

    // An empty sequence stored in the same pages and group (a sort's runs),
    // in the blocks given back first.
    stored_blocks empty_like() const {
        stored_blocks out(pages_, group_);
        out.given_back_ = given_back_;
        return out;
    }

    // Whether a draining reader may give this sequence's blocks back: no
    // other sequence has them.
    bool drainable() const { return !copied_; }

    void push_back(const T& x) {
        tail_.push_back(x);
        if (tail_.size() == Block) store_tail();
    }

    // Appends `xs` in order; whole blocks go from `xs` to the storage directly.
    void append(std::span<const T> xs) {
        while (!xs.empty()) {
            if (tail_.empty() && xs.size() >= Block) {
                blocks_.push_back(store(xs.first(Block)));
                xs = xs.subspan(Block);
                continue;
            }
            const std::size_t n = std::min(Block - tail_.size(), xs.size());
            tail_.insert(tail_.end(), xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(n));
            xs = xs.subspan(n);
            if (tail_.size() == Block) store_tail();
        }
    }

    std::size_t size() const { return blocks_.size() * Block + tail_.size(); }
    bool empty() const { return blocks_.empty() && tail_.empty(); }

    // Entry i (i < size()); the reference is valid until the next read by
    // index or change.
    const T& operator[](std::size_t i) const {
        const std::size_t block = i / Block;
        if (block == blocks_.size()) return tail_[i % Block];
        if (block != cached_block_) {
            cached_block_ = no_block;  // until the read succeeds
            load(blocks_[block], cached_);
            cached_block_ = block;
        }
        return cached_[i % Block];
    }

    const T& at(std::size_t i) const {
        if (i >= size()) throw std::out_of_range("stored_blocks::at");
        return (*this)[i];
    }

    // Every entry from the first on; the sequence must not change while it is read.
    class reader {
    public:
        explicit reader(const stored_blocks& from) : from_(&from) {}
        // Gives each block of `from` back as soon as it is read (into the
        // reader's own block): `from` (drainable()) is then read by this
        // reader alone, and once the reader is made is only destroyed or
        // assigned to.
        static reader draining(stored_blocks& from) {
            if (!from.drainable()) throw std::logic_error("a copied sequence of blocks drained");
            from.cached_block_ = no_block;
            reader r(from);
            r.drain_ = true;
            return r;
        }

        // The next entry (valid until the next call), or nothing at the end.
        const T* next() {
            while (at_ == count_) {
                if (block_no_ < from_->blocks_.size()) {
                    from_->load(from_->blocks_[block_no_], block_);
                    if (drain_) from_->given_back_->push_back(from_->blocks_[block_no_]);
                    current_ = block_.data();
                    count_ = block_.size();
                } else if (block_no_ == from_->blocks_.size()) {
                    current_ = from_->tail_.data();
                    count_ = from_->tail_.size();
                } else {
                    return nullptr;
                }
                ++block_no_;
                at_ = 0;
            }
            return current_ + at_++;
        }

    private:
        const stored_blocks* from_;
        std::size_t block_no_ = 0;  // the next block to read; blocks_.size() is the tail
        std::vector<T> block_;
        const T* current_ = nullptr;
        std::size_t count_ = 0;
        std::size_t at_ = 0;
        bool drain_ = false;
    };

private:
    static constexpr std::size_t no_block = static_cast<std::size_t>(-1);

    std::uint64_t store(std::span<const T> block) const {
        const std::string_view bytes(reinterpret_cast<const char*>(block.data()), block.size_bytes());
        if (given_back_->empty()) return pages_->append(bytes, group_);
        const std::uint64_t offset = given_back_->back();
        pages_->overwrite(offset, bytes);
        given_back_->pop_back();
        return offset;
    }

    void store_tail() {
        blocks_.push_back(store(tail_));
        tail_.clear();
    }

    void load(std::uint64_t offset, std::vector<T>& into) const {
        const std::string_view bytes = pages_->read(offset);
        if (bytes.size() != Block * sizeof(T)) throw std::runtime_error("stored block of entries is truncated");
        into.resize(Block);
        std::memcpy(static_cast<void*>(into.data()), bytes.data(), bytes.size());
    }

    std::shared_ptr<record_pages> pages_;
    std::uint32_t group_;
    // Blocks given back by draining readers, to store blocks in before
    // appending; shared by the sequences of this storage and group.
    std::shared_ptr<std::vector<std::uint64_t>> given_back_;
    std::vector<std::uint64_t> blocks_;  // where each full block is stored, in order
    std::vector<T> tail_;                // the entries after the last full block
    mutable bool copied_ = false;        // copied, or a copy: shares its blocks
    mutable std::size_t cached_block_ = no_block;
    mutable std::vector<T> cached_;
};

// The entries `shared` points to, to change: copied first when a copy of the
// list that holds them shares them, so that copying a list is cheap and a
// copy never sees what another adds.
template <class T, std::size_t Block>
stored_blocks<T, Block>& own(std::shared_ptr<stored_blocks<T, Block>>& shared) {
    if (shared.use_count() > 1) shared = std::make_shared<stored_blocks<T, Block>>(*shared);
    return *shared;
}

}  // namespace patuh

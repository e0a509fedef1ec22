#pragma once
// The hash tables of the engine (eval/engine.cpp): numbers by region, unit and
// position as written, the posts each person holds, and the rules remembered
// by a change's match key; not part of the public API.

#include <patuh/rule_set.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patuh::engine_tables {

// A person as a number (engine.cpp: the NIP's digits after a leading 1, or a
// number given to other text); never 0.
using nip_key = std::uint64_t;

// Hashes text eight bytes at a time (region codes, positions as written);
// transparent, for lookups by a view without a copy.
struct text_hash {
    using is_transparent = void;
    static std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
        h = (h ^ word) * 0xbf58476d1ce4e5b9ull;
        return h ^ (h >> 31);
    }
    std::size_t operator()(std::string_view s) const {
        std::uint64_t h = s.size() * 0x9e3779b97f4a7c15ull;
        std::size_t i = 0;
        for (; i + sizeof(std::uint64_t) <= s.size(); i += sizeof(std::uint64_t)) {
            std::uint64_t word = 0;
            std::memcpy(&word, s.data() + i, sizeof word);
            h = mix(h, word);
        }
        // The last 1-7 bytes as one word, the first the lowest (what copying
        // them would give on a little-endian machine): with 8 bytes or more,
        // from one load of the last eight, so that no memcpy of a length not
        // known in advance is called.
        std::uint64_t tail = 0;
        const std::size_t rest = s.size() - i;
        if (rest != 0 && s.size() >= sizeof(std::uint64_t)) {
            std::memcpy(&tail, s.data() + s.size() - sizeof tail, sizeof tail);
            tail >>= 8 * (sizeof tail - rest);
        } else {
            for (std::size_t k = s.size(); k > i; --k) tail = tail << 8 | static_cast<unsigned char>(s[k - 1]);
        }
        return static_cast<std::size_t>(mix(h, tail));
    }
};

// Numbers by a key of a text, a number and a text: posts by region code, unit
// and position as written in their events, and regions by code (unit 0, no
// position). An open-addressing table of 16-byte entries, each with the whole
// hash (compared before any text) and the number; the key it stands for is
// kept apart in one buffer. A key already seen costs one probe in the common
// case; the key it is checked against and what the number leads to are both
// known from the entry, and the processor fetches them together (it runs on
// past the comparison): prefetching a post when its hash matched made the
// engine no faster.
class name_table {
public:
    static constexpr std::uint32_t none = 0xffffffff;

    static std::uint64_t hash(std::string_view region, index_t unit, std::string_view position) {
        std::uint64_t h = text_hash{}(position);
        h = text_hash::mix(h ^ 0x9e3779b97f4a7c15ull, unit);
        return text_hash::mix(h, text_hash{}(region));
    }

    // Starts fetching the first entry to probe for hash `h`. Inlined always:
    // GCC 12 at -O3 can take a function whose only effect is a prefetch for
    // one without effects, and drop its calls.
    [[gnu::always_inline]] void prefetch(std::uint64_t h) const {
        if (!entries_.empty()) __builtin_prefetch(&entries_[h & mask_]);
    }

    // The number of this key, or `none`.
    std::uint32_t find(std::uint64_t h, std::string_view region, index_t unit, std::string_view position) const {
        if (entries_.empty()) return none;
        for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
            const entry& x = entries_[i];
            if (x.number == none) return none;
            if (x.hash == h && same_text(x.text, region, unit, position)) return x.number;
        }
    }

    void insert(std::uint64_t h, std::string_view region, index_t unit, std::string_view position,
                std::uint32_t number) {
        if (number == none) throw std::length_error("more than 4 billion names");
        if ((count_ + 1) * 2 > entries_.size()) grow();
        const auto text = static_cast<std::uint32_t>(texts_.size());
        if (texts_.size() + region.size() + position.size() + 2 * sizeof(std::uint32_t) + sizeof(index_t) >
            std::size_t{none})
            throw std::length_error("more than 4 GB of names");
        append_text(region);
        texts_.append(reinterpret_cast<const char*>(&unit), sizeof unit);
        append_text(position);
        place({h, number, text});
        ++count_;
    }

private:
    struct entry {
        std::uint64_t hash = 0;
        std::uint32_t number = none;
        std::uint32_t text = 0;  // offset in texts_ of the key: its text, number and text
    };

    void append_text(std::string_view s) {
        const auto n = static_cast<std::uint32_t>(s.size());
        texts_.append(reinterpret_cast<const char*>(&n), sizeof n);
        if (!s.empty()) texts_.append(s);  // an empty view may have no data
    }
    // Whether the text at `at` is `s`; moves `at` past it.
    bool text_is(std::size_t& at, std::string_view s) const {
        std::uint32_t n = 0;
        std::memcpy(&n, texts_.data() + at, sizeof n);
        at += sizeof n;
        if (n != s.size() || (n != 0 && std::memcmp(texts_.data() + at, s.data(), n) != 0)) return false;
        at += n;
        return true;
    }
    bool same_text(std::size_t at, std::string_view region, index_t unit, std::string_view position) const {
        if (!text_is(at, region)) return false;
        index_t u = 0;
        std::memcpy(&u, texts_.data() + at, sizeof u);
        return u == unit && text_is(at += sizeof u, position);
    }
    void place(const entry& x) {
        std::size_t i = x.hash & mask_;
        while (entries_[i].number != none) i = (i + 1) & mask_;
        entries_[i] = x;
    }
    void grow() {
        std::vector<entry> old(entries_.empty() ? 64 : entries_.size() * 2);
        old.swap(entries_);
        mask_ = entries_.size() - 1;
        for (const entry& x : old)
            if (x.number != none) place(x);
    }

    std::vector<entry> entries_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
    std::string texts_;
};

// The covered posts each person holds definitively, in the order taken up:
// an open-addressing table keyed by person (no NIP key is 0, the mark of a
// free entry), the first post in the entry itself and any further ones
// (concurrent posts) in lists kept apart, whose storage is reused. The table
// keeps pointers to posts (`Post`, engine.cpp's post) and never reads them.
template <class Post>
class holding_table {
public:
    // Starts fetching the entry of `who` (a lookup follows soon; inlined
    // always, as name_table::prefetch).
    [[gnu::always_inline]] void prefetch(nip_key who) const {
        if (!entries_.empty()) __builtin_prefetch(&entries_[home(who)]);
    }

    // How many posts `who` holds.
    std::size_t count(nip_key who) const {
        const entry* e = find(who);
        if (e == nullptr) return 0;
        return 1 + (e->more == none ? 0 : lists_[e->more].size());
    }

    // The posts `who` holds, in the order taken up, into `out`.
    void posts_of(nip_key who, std::vector<Post*>& out) const {
        out.clear();
        const entry* e = find(who);
        if (e == nullptr) return;
        out.push_back(e->first);
        if (e->more != none) out.insert(out.end(), lists_[e->more].begin(), lists_[e->more].end());
    }

    void add(nip_key who, Post* p) {
        if ((count_ + 1) * 2 > entries_.size()) grow();
        std::size_t i = home(who);
        while (entries_[i].who != 0 && entries_[i].who != who) i = (i + 1) & mask_;
        entry& e = entries_[i];
        if (e.who == 0) {
            e = {who, p, none};
            ++count_;
            return;
        }
        if (e.first == p) return;
        if (e.more == none) {
            if (free_lists_.empty()) {
                if (lists_.size() >= none) throw std::length_error("too many people with concurrent posts");
                e.more = static_cast<std::uint32_t>(lists_.size());
                lists_.emplace_back();
            } else {
                e.more = free_lists_.back();
                free_lists_.pop_back();
            }
        }
        std::vector<Post*>& more = lists_[e.more];
        if (std::find(more.begin(), more.end(), p) == more.end()) more.push_back(p);
    }

    void remove(nip_key who, Post* p) {
        entry* e = find(who);
        if (e == nullptr) return;
        if (e->more != none) {
            std::vector<Post*>& more = lists_[e->more];
            if (e->first == p) {
                e->first = more.front();
                more.erase(more.begin());
            } else {
                more.erase(std::remove(more.begin(), more.end(), p), more.end());
            }
            if (more.empty()) {
                free_lists_.push_back(e->more);
                e->more = none;
            }
            return;
        }
        if (e->first == p) erase(static_cast<std::size_t>(e - entries_.data()));
    }

private:
    static constexpr std::uint32_t none = 0xffffffff;
    struct entry {
        nip_key who = 0;
        Post* first = nullptr;
        std::uint32_t more = none;  // index into lists_: the posts after the first
    };

    std::size_t home(nip_key who) const { return static_cast<std::size_t>((who * 0x9e3779b97f4a7c15ull) >> 17) & mask_; }

    entry* find(nip_key who) { return const_cast<entry*>(std::as_const(*this).find(who)); }
    const entry* find(nip_key who) const {
        if (entries_.empty()) return nullptr;
        for (std::size_t i = home(who);; i = (i + 1) & mask_) {
            if (entries_[i].who == who) return &entries_[i];
            if (entries_[i].who == 0) return nullptr;
        }
    }

    // Frees entry `i`, moving back the entries after it that would no longer be found.
    void erase(std::size_t i) {
        for (std::size_t j = (i + 1) & mask_; entries_[j].who != 0; j = (j + 1) & mask_) {
            const std::size_t h = home(entries_[j].who);
            // Entry j stays when its home lies cyclically in (i, j].
            const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (stays) continue;
            entries_[i] = entries_[j];
            i = j;
        }
        entries_[i] = entry{};
        --count_;
    }

    void grow() {
        std::vector<entry> old(entries_.empty() ? 1024 : entries_.size() * 2);
        old.swap(entries_);
        mask_ = entries_.size() - 1;
        for (const entry& e : old) {
            if (e.who == 0) continue;
            std::size_t i = home(e.who);
            while (entries_[i].who != 0) i = (i + 1) & mask_;
            entries_[i] = e;
        }
    }

    std::vector<entry> entries_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
    std::vector<std::vector<Post*>> lists_;
    std::vector<std::uint32_t> free_lists_;
};

// The rules that judge a change (rule_set::applicable less the exemptions of
// the change's reason), remembered by the query's rule_set::match_key: the key
// holds everything the match reads (the reason among it), so a list found
// once is the list for every later query of the same key. Most changes of a
// log share a few keys; the table is emptied when it grows past `most_keys`,
// so that a log of unusual variety costs no more memory than that.
class judging_memo {
public:
    static constexpr std::size_t most_keys = 4096;

    // The remembered rules of `key`, or nothing.
    std::optional<std::span<const std::uint32_t>> find(const match_key& key) const {
        if (entries_.empty()) return std::nullopt;
        for (std::size_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
            const entry& x = entries_[i];
            if (!x.used) return std::nullopt;
            if (x.key == key) return std::span<const std::uint32_t>(rules_).subspan(x.first, x.count);
        }
    }

    void insert(const match_key& key, const std::vector<std::uint32_t>& found) {
        if (count_ == most_keys) clear();
        if ((count_ + 1) * 2 > entries_.size()) grow();
        std::size_t i = hash(key) & mask_;
        while (entries_[i].used) i = (i + 1) & mask_;
        entries_[i] = {key, static_cast<std::uint32_t>(rules_.size()), static_cast<std::uint32_t>(found.size()), true};
        rules_.insert(rules_.end(), found.begin(), found.end());
        ++count_;
    }

private:
    struct entry {
        match_key key;
        std::uint32_t first = 0;  // its rules: rules_[first, first + count)
        std::uint32_t count = 0;
        bool used = false;
    };

    static std::size_t hash(const match_key& k) {
        std::uint64_t h = (k.post ^ 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
        h = (h ^ (h >> 31) ^ k.moment) * 0x94d049bb133111ebull;
        h = (h ^ (h >> 29) ^ k.windows) * 0xbf58476d1ce4e5b9ull;
        return static_cast<std::size_t>(h ^ (h >> 32));
    }
    void clear() {
        std::fill(entries_.begin(), entries_.end(), entry{});
        rules_.clear();
        count_ = 0;
    }
    void grow() {
        std::vector<entry> old(entries_.empty() ? 64 : entries_.size() * 2);
        old.swap(entries_);
        mask_ = entries_.size() - 1;
        for (const entry& x : old) {
            if (!x.used) continue;
            std::size_t i = hash(x.key) & mask_;
            while (entries_[i].used) i = (i + 1) & mask_;
            entries_[i] = x;
        }
    }

    std::vector<entry> entries_;
    std::size_t mask_ = 0;
    std::size_t count_ = 0;
    std::vector<std::uint32_t> rules_;
};

}  // namespace patuh::engine_tables

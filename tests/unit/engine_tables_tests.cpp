// The engine's hash tables (eval/engine_tables.hpp): the text hash, the
// numbers by region, unit and position, the posts each person holds and the
// rules remembered by match key.

#include "eval/engine_tables.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

using namespace patuh;
using namespace patuh::engine_tables;

namespace {

struct fake_post {
    int n = 0;
};

using posts_table = holding_table<fake_post>;

std::vector<fake_post*> posts_of(const posts_table& t, nip_key who) {
    std::vector<fake_post*> out{nullptr};  // posts_of replaces what `out` holds
    t.posts_of(who, out);
    return out;
}

// People whose entries start at the same slot of a table of `slots` entries,
// by the table's own placement (holding_table::home), from `first` on.
std::vector<nip_key> same_home(std::size_t home, std::size_t slots, std::size_t count, nip_key first = 1) {
    std::vector<nip_key> out;
    for (nip_key who = first; out.size() < count; ++who)
        if ((static_cast<std::size_t>((who * 0x9e3779b97f4a7c15ull) >> 17) & (slots - 1)) == home) out.push_back(who);
    return out;
}

match_key key(std::uint64_t post, std::uint64_t moment = 0, std::uint64_t windows = 0) {
    match_key k;
    k.post = post;
    k.moment = moment;
    k.windows = windows;
    return k;
}

std::vector<std::uint32_t> as_vector(std::span<const std::uint32_t> s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("Engine tables: text_hash is a function of the text, wherever it is stored", "[engine_tables]") {
    // Views at every alignment of every length up to 24, also with bytes after
    // them (the last word is read from within the view, never past it).
    const std::string buffer = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t length = 0; length <= 24; ++length) {
        const std::string copy = buffer.substr(3, length);
        for (std::size_t at = 0; at < 8; ++at) {
            std::string shifted(at, '-');
            shifted += copy;
            shifted += "tail";
            CHECK(text_hash{}(std::string_view(shifted).substr(at, length)) == text_hash{}(copy));
        }
    }
}

TEST_CASE("Engine tables: text_hash tells apart texts that differ in one byte or in length", "[engine_tables]") {
    std::unordered_set<std::size_t> seen;
    std::size_t texts = 0;
    for (std::size_t length = 0; length <= 17; ++length) {
        const std::string base(length, 'a');
        seen.insert(text_hash{}(base));
        ++texts;
        for (std::size_t i = 0; i < length; ++i) {
            std::string other = base;
            other[i] = 'b';
            seen.insert(text_hash{}(other));
            ++texts;
        }
    }
    CHECK(seen.size() == texts);
    CHECK(text_hash{}(std::string_view()) != text_hash{}(std::string_view("\0", 1)));
}

TEST_CASE("Engine tables: text_hash looks up by a view in a set of strings", "[engine_tables]") {
    std::unordered_set<std::string, text_hash, std::equal_to<>> set{"73.73", "KEPALA DINAS"};
    CHECK(set.find(std::string_view("KEPALA DINAS")) != set.end());
    CHECK(set.find(std::string_view("KEPALA DINAS X").substr(0, 12)) != set.end());
    CHECK(set.find(std::string_view("73.7")) == set.end());
}

TEST_CASE("Engine tables: an empty name table finds nothing", "[engine_tables]") {
    const name_table t;
    const std::uint64_t h = name_table::hash("73.73", 2, "KEPALA DINAS");
    t.prefetch(h);
    CHECK(t.find(h, "73.73", 2, "KEPALA DINAS") == name_table::none);
    CHECK(t.find(0, {}, 0, {}) == name_table::none);
}

TEST_CASE("Engine tables: a name is found after it is inserted, by region, unit and position", "[engine_tables]") {
    name_table t;
    const auto insert = [&](std::string_view region, index_t unit, std::string_view position, std::uint32_t n) {
        t.insert(name_table::hash(region, unit, position), region, unit, position, n);
    };
    const auto find = [&](std::string_view region, index_t unit, std::string_view position) {
        return t.find(name_table::hash(region, unit, position), region, unit, position);
    };
    insert("73.73", 2, "KEPALA DINAS", 0);
    insert("73.73", 3, "KEPALA DINAS", 1);
    insert("73.74", 2, "KEPALA DINAS", 2);
    insert("73.73", 2, "SEKRETARIS", 3);
    insert("73.73", 0, {}, 4);  // a region by its code
    insert({}, 0, {}, 5);       // every part empty

    CHECK(find("73.73", 2, "KEPALA DINAS") == 0);
    CHECK(find("73.73", 3, "KEPALA DINAS") == 1);
    CHECK(find("73.74", 2, "KEPALA DINAS") == 2);
    CHECK(find("73.73", 2, "SEKRETARIS") == 3);
    CHECK(find("73.73", 0, {}) == 4);
    CHECK(find({}, 0, {}) == 5);

    // The key read from text stored elsewhere (a view of a longer line).
    const std::string line = "x73.73xKEPALA DINASx";
    CHECK(find(std::string_view(line).substr(1, 5), 2, std::string_view(line).substr(7, 12)) == 0);

    CHECK(find("73.73", 4, "KEPALA DINAS") == name_table::none);
    CHECK(find("73.73", 2, "KEPALA DINAS ") == name_table::none);
    CHECK(find("73.7", 2, "KEPALA DINAS") == name_table::none);
    CHECK(find("73.73", 2, {}) == name_table::none);
}

TEST_CASE("Engine tables: names of the same hash stay apart, the parts' bounds included", "[engine_tables]") {
    name_table t;
    constexpr std::uint64_t h = 0x1234;
    // The same characters, split differently between region and position.
    t.insert(h, "ab", 1, "c", 10);
    t.insert(h, "a", 1, "bc", 11);
    t.insert(h, "abc", 1, {}, 12);
    t.insert(h, {}, 1, "abc", 13);
    t.insert(h, "ab", 2, "c", 14);  // the unit alone differs
    // The same first slot, another hash: compared by hash and passed over.
    t.insert(h + (std::uint64_t{1} << 40), "ab", 1, "c", 15);

    CHECK(t.find(h, "ab", 1, "c") == 10);
    CHECK(t.find(h, "a", 1, "bc") == 11);
    CHECK(t.find(h, "abc", 1, {}) == 12);
    CHECK(t.find(h, {}, 1, "abc") == 13);
    CHECK(t.find(h, "ab", 2, "c") == 14);
    CHECK(t.find(h + (std::uint64_t{1} << 40), "ab", 1, "c") == 15);
    CHECK(t.find(h, "a", 1, "b") == name_table::none);
    CHECK(t.find(h + 1, "ab", 1, "c") == name_table::none);  // a name is found by its own hash only
}

TEST_CASE("Engine tables: a name table keeps every name past its first capacity, with or without a prefetch",
          "[engine_tables]") {
    name_table t;
    constexpr std::uint32_t names = 5000;  // the first capacity is 64 entries
    std::vector<std::uint64_t> hashes;
    for (std::uint32_t i = 0; i < names; ++i) {
        const std::string region = "73." + std::to_string(i % 37);
        const std::string position = "JABATAN " + std::to_string(i);
        // Every eighth name has the hash of the name before it.
        const std::uint64_t h = i % 8 == 7 ? hashes.back() : name_table::hash(region, 1, position);
        hashes.push_back(h);
        t.insert(h, region, 1, position, i);
        // Those inserted so far are found at every size the table passes through.
        if (i % 500 == 0 || (i & (i - 1)) == 0) {
            for (std::uint32_t j = 0; j <= i; j += 13) {
                const std::string r = "73." + std::to_string(j % 37);
                const std::string p = "JABATAN " + std::to_string(j);
                REQUIRE(t.find(hashes[j], r, 1, p) == j);
            }
        }
    }
    for (std::uint32_t i = 0; i < names; ++i) {
        const std::string region = "73." + std::to_string(i % 37);
        const std::string position = "JABATAN " + std::to_string(i);
        const std::uint32_t plain = t.find(hashes[i], region, 1, position);
        t.prefetch(hashes[i]);
        const std::uint32_t prefetched = t.find(hashes[i], region, 1, position);
        REQUIRE(plain == i);
        REQUIRE(prefetched == i);
        REQUIRE(t.find(hashes[i], region, 2, position) == name_table::none);
    }
}

TEST_CASE("Engine tables: a name table takes no number it cannot tell from none", "[engine_tables]") {
    name_table t;
    CHECK_THROWS_AS(t.insert(1, "r", 0, {}, name_table::none), std::length_error);
    CHECK(t.find(1, "r", 0, {}) == name_table::none);
}

TEST_CASE("Engine tables: a person holds nothing until a post is added", "[engine_tables]") {
    posts_table t;
    t.prefetch(42);
    CHECK(t.count(42) == 0);
    CHECK(posts_of(t, 42).empty());
    t.remove(42, nullptr);  // removing from nobody changes nothing
    CHECK(t.count(42) == 0);
}

TEST_CASE("Engine tables: the posts a person holds, in the order taken up, each once", "[engine_tables]") {
    posts_table t;
    std::array<fake_post, 4> p{};
    t.add(42, &p[0]);
    CHECK(t.count(42) == 1);
    CHECK(posts_of(t, 42) == std::vector<fake_post*>{&p[0]});

    t.add(42, &p[2]);
    t.add(42, &p[1]);
    t.add(42, &p[0]);  // held already, the first
    t.add(42, &p[2]);  // held already, a further one
    CHECK(t.count(42) == 3);
    CHECK(posts_of(t, 42) == std::vector<fake_post*>{&p[0], &p[2], &p[1]});
    CHECK(t.count(43) == 0);
    CHECK(t.count(41) == 0);
}

TEST_CASE("Engine tables: removing a post keeps the others in order", "[engine_tables]") {
    posts_table t;
    std::array<fake_post, 4> p{};
    for (fake_post& x : p) t.add(7, &x);

    t.remove(7, &p[3]);  // not the first
    CHECK(posts_of(t, 7) == std::vector<fake_post*>{&p[0], &p[1], &p[2]});
    t.remove(7, &p[3]);  // no longer held
    fake_post other;
    t.remove(7, &other);  // never held
    t.remove(8, &p[0]);   // another person
    CHECK(posts_of(t, 7) == std::vector<fake_post*>{&p[0], &p[1], &p[2]});

    t.remove(7, &p[0]);  // the first: the next is first
    CHECK(posts_of(t, 7) == std::vector<fake_post*>{&p[1], &p[2]});
    t.remove(7, &p[2]);
    CHECK(posts_of(t, 7) == std::vector<fake_post*>{&p[1]});
    t.remove(7, &p[0]);  // held no longer: the one left stays
    CHECK(t.count(7) == 1);
    t.remove(7, &p[1]);
    CHECK(t.count(7) == 0);
    CHECK(posts_of(t, 7).empty());

    // Taken up again after all were given up.
    t.add(7, &p[3]);
    CHECK(posts_of(t, 7) == std::vector<fake_post*>{&p[3]});
}

TEST_CASE("Engine tables: the lists of concurrent posts given up serve other people", "[engine_tables]") {
    posts_table t;
    std::array<fake_post, 6> p{};
    t.add(1, &p[0]);
    t.add(1, &p[1]);
    t.remove(1, &p[1]);  // 1's list of further posts is free again
    t.add(2, &p[2]);
    t.add(2, &p[3]);
    t.add(2, &p[4]);
    t.add(1, &p[5]);
    CHECK(posts_of(t, 1) == std::vector<fake_post*>{&p[0], &p[5]});
    CHECK(posts_of(t, 2) == std::vector<fake_post*>{&p[2], &p[3], &p[4]});
}

TEST_CASE("Engine tables: people whose entries start at the same slot are each found, added and removed in any order",
          "[engine_tables]") {
    constexpr std::size_t slots = 1024;  // the first capacity
    // At the last slot, so that the run of entries wraps round to the first;
    // and people of the first slots, whose entries the run pushes further.
    for (const std::size_t home : {slots - 1, std::size_t{0}, std::size_t{500}}) {
        std::vector<nip_key> people = same_home(home, slots, 8);
        for (const nip_key who : same_home((home + 1) % slots, slots, 3)) people.push_back(who);
        for (const nip_key who : same_home((home + 2) % slots, slots, 3)) people.push_back(who);
        std::vector<fake_post> p(people.size());

        for (const int order : {0, 1, 2}) {
            DYNAMIC_SECTION("home " << home << ", removal order " << order) {
                posts_table t;
                for (std::size_t i = 0; i < people.size(); ++i) t.add(people[i], &p[i]);
                std::vector<std::size_t> gone(people.size());
                for (std::size_t i = 0; i < gone.size(); ++i) gone[i] = i;
                if (order == 1) std::reverse(gone.begin(), gone.end());
                if (order == 2) std::shuffle(gone.begin(), gone.end(), std::mt19937(11));
                std::vector<bool> held(people.size(), true);
                for (const std::size_t g : gone) {
                    t.remove(people[g], &p[g]);
                    held[g] = false;
                    for (std::size_t i = 0; i < people.size(); ++i) {
                        t.prefetch(people[i]);
                        REQUIRE(posts_of(t, people[i]) ==
                                (held[i] ? std::vector<fake_post*>{&p[i]} : std::vector<fake_post*>{}));
                    }
                }
            }
        }
    }
}

TEST_CASE("Engine tables: a holding table agrees with a plain map through growth and removals", "[engine_tables]") {
    posts_table t;
    std::map<nip_key, std::vector<fake_post*>> model;
    std::vector<fake_post> posts(16);
    std::mt19937_64 random(3);
    // 3000 people (the first capacity holds 512), a quarter of them starting at
    // one of a few slots, NIP-like keys for the rest.
    std::vector<nip_key> people;
    for (const nip_key who : same_home(3, 1024, 250)) people.push_back(who);
    for (const nip_key who : same_home(1023, 1024, 250)) people.push_back(who);
    for (const nip_key who : same_home(17, 2048, 250)) people.push_back(who);
    for (nip_key i = 0; people.size() < 3000; ++i) people.push_back(1'197'001'012'019'000'000ull + i * 7919);

    const auto check = [&](nip_key who) {
        const auto it = model.find(who);
        const std::vector<fake_post*> expected = it == model.end() ? std::vector<fake_post*>{} : it->second;
        REQUIRE(posts_of(t, who) == expected);
        REQUIRE(t.count(who) == expected.size());
    };
    for (int step = 0; step < 40000; ++step) {
        // Adding more than removing at first, so that the table grows, and then less.
        const bool adding = random() % 100 < (step < 20000 ? 70u : 35u);
        const nip_key who = people[random() % people.size()];
        fake_post* p = &posts[random() % (step % 3 == 0 ? posts.size() : 2)];
        if (random() % 2 == 0) t.prefetch(who);
        std::vector<fake_post*>& list = model[who];
        if (adding) {
            t.add(who, p);
            if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
        } else {
            t.remove(who, p);
            list.erase(std::remove(list.begin(), list.end(), p), list.end());
        }
        if (list.empty()) model.erase(who);
        check(who);
        if (step % 5000 == 4999)
            for (const nip_key other : people) check(other);
    }
    for (const nip_key other : people) check(other);
}

TEST_CASE("Engine tables: the judging memo misses a key not inserted and hits one inserted", "[engine_tables]") {
    judging_memo memo;
    CHECK_FALSE(memo.find(key(1)).has_value());

    memo.insert(key(1, 2, 3), {4, 0, 9});
    memo.insert(key(1, 2, 4), {});  // no rule judges: remembered too, as an empty list
    memo.insert(key(1, 3, 3), {5});
    memo.insert(key(2, 2, 3), {6, 7});

    const auto hit = memo.find(key(1, 2, 3));
    REQUIRE(hit.has_value());
    CHECK(as_vector(*hit) == std::vector<std::uint32_t>{4, 0, 9});
    const auto empty = memo.find(key(1, 2, 4));
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
    CHECK(as_vector(*memo.find(key(1, 3, 3))) == std::vector<std::uint32_t>{5});
    CHECK(as_vector(*memo.find(key(2, 2, 3))) == std::vector<std::uint32_t>{6, 7});

    // A key that differs in one word is another key.
    CHECK_FALSE(memo.find(key(1, 2, 5)).has_value());
    CHECK_FALSE(memo.find(key(3, 2, 3)).has_value());
    CHECK_FALSE(memo.find(key(1, 4, 3)).has_value());
    CHECK_FALSE(memo.find(key(0)).has_value());
}

TEST_CASE("Engine tables: the judging memo keeps every key past its first capacity, up to most_keys",
          "[engine_tables]") {
    judging_memo memo;
    const auto rules_of = [](std::size_t i) {
        std::vector<std::uint32_t> rules;
        for (std::size_t r = 0; r < i % 5; ++r) rules.push_back(static_cast<std::uint32_t>(i * 10 + r));
        return rules;
    };
    // Keys alike but for a bit or two, as a log's keys are.
    const auto key_of = [](std::size_t i) { return key(i % 64, i / 64, std::uint64_t{1} << (i % 7)); };
    for (std::size_t i = 0; i < judging_memo::most_keys; ++i) {
        memo.insert(key_of(i), rules_of(i));  // the first capacity is 64 entries
        if (i % 256 == 0 || (i & (i - 1)) == 0) {
            for (std::size_t j = 0; j <= i; j += 7) {
                const auto found = memo.find(key_of(j));
                REQUIRE(found.has_value());
                REQUIRE(as_vector(*found) == rules_of(j));
            }
        }
    }
    for (std::size_t i = 0; i < judging_memo::most_keys; ++i) {
        const auto found = memo.find(key_of(i));
        REQUIRE(found.has_value());
        REQUIRE(as_vector(*found) == rules_of(i));
    }
    CHECK_FALSE(memo.find(key_of(judging_memo::most_keys)).has_value());

    // One key more empties the memo first: only the new key is remembered.
    memo.insert(key_of(judging_memo::most_keys), {77});
    CHECK(as_vector(*memo.find(key_of(judging_memo::most_keys))) == std::vector<std::uint32_t>{77});
    for (std::size_t i = 0; i < judging_memo::most_keys; ++i) REQUIRE_FALSE(memo.find(key_of(i)).has_value());

    // And it fills again from there.
    memo.insert(key_of(0), rules_of(3));
    CHECK(as_vector(*memo.find(key_of(0))) == rules_of(3));
    CHECK(as_vector(*memo.find(key_of(judging_memo::most_keys))) == std::vector<std::uint32_t>{77});
}

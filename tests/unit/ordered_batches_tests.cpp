// Report parts formatted on several threads and written in order
// (io/ordered_batches.hpp): the same text as on one thread, and a failure to
// load or to format a batch reaches the writer.

#include "io/ordered_batches.hpp"

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>
#include <stdexcept>

using namespace patuh::report_support;

namespace {

// Items 0..count-1 in batches of 7; item i is loaded as i * i.
batch_work<std::size_t> squares(std::size_t count) {
    batch_work<std::size_t> work;
    work.count = count;
    work.batch_size = 7;
    work.load = [](std::size_t first, std::size_t last, std::vector<std::size_t>& items) {
        for (std::size_t i = first; i < last; ++i) items[i - first] = i * i;
    };
    work.make_format = [] {
        return [](std::size_t i, const std::size_t& item, std::string& out) { out += fmt::format("{} {}\n", i, item); };
    };
    return work;
}

std::string written(const batch_work<std::size_t>& work, unsigned threads) {
    std::ostringstream os;
    std::string head = "head\n";
    write_in_batches(os, head, work, threads);
    CHECK(head.empty());
    return os.str();
}

}  // namespace

TEST_CASE("Report batches: written in order on several threads, the same as on one", "[report]") {
    const batch_work<std::size_t> work = squares(1000);
    const std::string one = written(work, 1);
    CHECK(one.rfind("head\n0 0\n1 1\n2 4\n", 0) == 0);
    CHECK(one.find("999 998001\n") == one.size() - 11);
    for (const unsigned threads : {2U, 3U, 8U}) {
        INFO(threads << " threads");
        CHECK(written(work, threads) == one);
    }
}

TEST_CASE("Report batches: a failed load reaches the writer and no batch is loaded after it", "[report]") {
    for (const unsigned threads : {2U, 4U}) {
        INFO(threads << " threads");
        batch_work<std::size_t> work = squares(1000);
        const auto load = work.load;
        bool failed = false;
        bool loaded_after = false;  // loads run one at a time, under the batches' lock
        work.load = [&](std::size_t first, std::size_t last, std::vector<std::size_t>& items) {
            if (failed) loaded_after = true;
            if (first == 7 * 20) {
                failed = true;
                throw std::runtime_error("batch 20 cannot be loaded");
            }
            load(first, last, items);
        };
        std::ostringstream os;
        std::string head;
        CHECK_THROWS_WITH(write_in_batches(os, head, work, threads), "batch 20 cannot be loaded");
        CHECK(failed);
        CHECK_FALSE(loaded_after);
    }
}

TEST_CASE("Report batches: a failed format reaches the writer", "[report]") {
    for (const unsigned threads : {2U, 4U}) {
        INFO(threads << " threads");
        batch_work<std::size_t> work = squares(1000);
        const auto format = work.make_format();
        work.make_format = [&] {
            return [&](std::size_t i, const std::size_t& item, std::string& out) {
                if (i == 500) throw std::runtime_error("item 500 cannot be formatted");
                format(i, item, out);
            };
        };
        std::ostringstream os;
        std::string head = "head\n";
        CHECK_THROWS_WITH(write_in_batches(os, head, work, threads), "item 500 cannot be formatted");
        // What was written before the failure is the items before the failed batch, in order.
        const std::string out = os.str();
        CHECK(out.find("499 ") == std::string::npos);
        CHECK(written(squares(1000), 1).rfind(out, 0) == 0);
    }
}

TEST_CASE("Report batches: each thread formats with a function of its own, made once", "[report]") {
    for (const unsigned threads : {1U, 2U, 4U}) {
        INFO(threads << " threads");
        batch_work<std::size_t> work = squares(1000);
        std::mutex m;
        std::vector<std::thread::id> made_on;  // the thread of each function made
        bool elsewhere = false;                // a function called on another thread than its own
        work.make_format = [&] {
            const std::lock_guard lock(m);
            made_on.push_back(std::this_thread::get_id());
            // What the function keeps from one item to the next: the last item's number.
            return [&, own = std::this_thread::get_id(), last = std::size_t{0}](std::size_t i, const std::size_t& item,
                                                                              std::string& out) mutable {
                if (std::this_thread::get_id() != own) {
                    const std::lock_guard lock(m);
                    elsewhere = true;
                }
                out += fmt::format("{} {} after {}\n", i, item, last);
                last = i;
            };
        };
        const std::string text = written(work, threads);
        CHECK_FALSE(elsewhere);
        CHECK(made_on.size() >= 1);
        CHECK(made_on.size() <= threads);
        std::sort(made_on.begin(), made_on.end());
        CHECK(std::adjacent_find(made_on.begin(), made_on.end()) == made_on.end());
        // Within a batch, each item follows the one before it.
        CHECK(text.find("\n8 64 after 7\n") != std::string::npos);
        CHECK(text.find("\n999 998001 after 998\n") != std::string::npos);
    }
}

TEST_CASE("Report batches: the writing thread formats a batch while the next one to write is not ready", "[report]") {
    batch_work<std::size_t> work = squares(1000);
    const std::thread::id writer = std::this_thread::get_id();
    std::mutex m;
    std::condition_variable changed;
    bool writer_formatted = false;
    bool worker_waited = false;
    work.make_format = [&] {
        return [&](std::size_t i, const std::size_t& item, std::string& out) {
            std::unique_lock lock(m);
            if (std::this_thread::get_id() == writer) {
                writer_formatted = true;
                changed.notify_all();
            } else if (!worker_waited) {
                // The worker's first batch waits until the writer has formatted one of its own.
                worker_waited = true;
                changed.wait_for(lock, std::chrono::seconds(10), [&] { return writer_formatted; });
            }
            out += fmt::format("{} {}\n", i, item);
        };
    };
    CHECK(written(work, 2) == written(squares(1000), 1));
    CHECK(writer_formatted);
}

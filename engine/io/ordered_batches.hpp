#pragma once
// Writing a long sequence of report parts (findings, HTML post sections) in
// order while formatting them on several threads; not part of the public API.

#include "io/report_support.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace patuh::report_support {

// Items 0..count-1, in batches of `batch_size`. `load(first, last, items)`
// fills `items` (already of size last - first) with what formatting items
// [first, last) needs; it reads shared state (the finding list is not
// thread-safe), so it runs for one batch at a time. `make_format()` makes
// the function that formats on one thread, `format(i, item, out)`, which
// appends item i to `out`: each thread that formats calls it once (several
// threads at once), so what that function keeps from one item to the next
// (a cache) is its own thread's.
template <class Item>
struct batch_work {
    using load_fn = std::function<void(std::size_t first, std::size_t last, std::vector<Item>& items)>;
    using format_fn = std::function<void(std::size_t i, const Item& item, std::string& out)>;
    std::size_t count = 0;
    std::size_t batch_size = 128;
    load_fn load;
    std::function<format_fn()> make_format;
};

// Worker threads take the next batch, load it (one at a time) and format it;
// the calling thread writes the batches in order. At most `window` batches
// are formatted ahead of the one being written.
template <class Item>
class ordered_batches {
public:
    ordered_batches(const batch_work<Item>& work, unsigned threads)
        : work_(work),
          batches_((work.count + work.batch_size - 1) / work.batch_size),
          window_(2 * std::size_t{threads}),
          done_(window_) {
        workers_.reserve(threads);
        for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { run(); });
    }
    ~ordered_batches() {
        {
            const std::lock_guard lock(m_);
            stop_ = true;
        }
        changed_.notify_all();
        for (std::thread& t : workers_) t.join();
    }
    ordered_batches(const ordered_batches&) = delete;
    ordered_batches& operator=(const ordered_batches&) = delete;

    // The strings of text go round between the workers, the slots and this
    // thread, each keeping its capacity: nothing is freed on another thread.
    void write(std::ostream& os) {
        std::string text;
        for (std::size_t b = 0; b < batches_; ++b) {
            {
                std::unique_lock lock(m_);
                changed_.wait(lock, [&] { return error_ || done_[b % window_].ready; });
                if (error_) std::rethrow_exception(error_);
                text.clear();
                std::swap(text, done_[b % window_].text);
                done_[b % window_].ready = false;
                written_ = b + 1;
            }
            changed_.notify_all();
            os << text;
        }
    }

private:
    struct slot {
        bool ready = false;
        std::string text;
    };

    // Keeps the first failure and wakes everyone: the writer rethrows it and
    // the workers stop. `lock` holds m_ and is released here; a failed load
    // calls this before letting go of the lock, so that no other batch is
    // loaded after it.
    void fail(std::unique_lock<std::mutex>& lock, std::exception_ptr e) {
        if (!error_) error_ = std::move(e);
        lock.unlock();
        changed_.notify_all();
    }

    void run() {
        std::vector<Item> batch;
        std::string text;
        typename batch_work<Item>::format_fn format;
        for (;;) {
            std::size_t first = 0;
            {
                std::unique_lock lock(m_);
                changed_.wait(lock, [&] { return stop_ || error_ || next_ == batches_ || next_ < written_ + window_; });
                if (stop_ || error_ || next_ == batches_) return;
                first = next_++ * work_.batch_size;
                const std::size_t last = std::min(work_.count, first + work_.batch_size);
                batch.resize(last - first);
                try {
                    work_.load(first, last, batch);
                } catch (...) {
                    fail(lock, std::current_exception());
                    return;
                }
            }
            text.clear();
            try {
                if (!format) format = work_.make_format();
                for (std::size_t k = 0; k < batch.size(); ++k) format(first + k, batch[k], text);
            } catch (...) {
                std::unique_lock lock(m_);
                fail(lock, std::current_exception());
                return;
            }
            {
                const std::lock_guard lock(m_);
                slot& s = done_[(first / work_.batch_size) % window_];
                s.ready = true;
                std::swap(s.text, text);
            }
            changed_.notify_all();
        }
    }

    const batch_work<Item>& work_;
    const std::size_t batches_;
    const std::size_t window_;
    std::mutex m_;
    std::condition_variable changed_;
    std::size_t next_ = 0;     // the next batch to format
    std::size_t written_ = 0;  // batches written so far
    bool stop_ = false;
    std::exception_ptr error_;
    std::vector<slot> done_;  // by batch number modulo window_
    std::vector<std::thread> workers_;
};

// Writes `out`, then every item as `work` makes it, in order, and leaves
// `out` empty. With threads > 1 (and more than one batch) the items are
// formatted on that many threads; what is written is the same.
template <class Item>
void write_in_batches(std::ostream& os, std::string& out, const batch_work<Item>& work, unsigned threads) {
    if (threads <= 1 || work.count <= work.batch_size) {
        const typename batch_work<Item>::format_fn format = work.make_format();
        std::vector<Item> batch;
        for (std::size_t first = 0; first < work.count; first += work.batch_size) {
            const std::size_t last = std::min(work.count, first + work.batch_size);
            batch.resize(last - first);
            work.load(first, last, batch);
            for (std::size_t k = 0; k < batch.size(); ++k) {
                format(first + k, batch[k], out);
                flush_when_full(os, out);
            }
        }
        os << out;
        out.clear();
        return;
    }
    os << out;
    out.clear();
    ordered_batches<Item> batches(work, threads);
    batches.write(os);
}

}  // namespace patuh::report_support

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
// the calling thread writes the batches in order, and while the next one to
// write is not formatted yet, it formats a batch itself (a writer that only
// waited would leave its processor to the workers while it waits, and take it
// from them while it writes). At most `window` batches are formatted ahead of
// the one being written.
template <class Item>
class ordered_batches {
public:
    ordered_batches(const batch_work<Item>& work, unsigned workers)
        : work_(work),
          batches_((work.count + work.batch_size - 1) / work.batch_size),
          window_(2 * (std::size_t{workers} + 1)),
          done_(window_) {
        workers_.reserve(workers);
        for (unsigned t = 0; t < workers; ++t) workers_.emplace_back([this] { run(); });
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

    // The strings of text go round between the formatters, the slots and
    // this thread, each keeping its capacity: nothing is freed on another thread.
    void write(std::ostream& os) {
        std::string text;
        formatter own;
        for (std::size_t b = 0; b < batches_; ++b) {
            {
                std::unique_lock lock(m_);
                slot& next = done_[b % window_];
                while (!error_ && !next.ready) {
                    if (may_take()) format_next(lock, own);
                    else changed_.wait(lock);
                }
                if (error_) std::rethrow_exception(error_);
                text.clear();
                std::swap(text, next.text);
                next.ready = false;
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
    // What one thread keeps from one batch to the next.
    struct formatter {
        std::vector<Item> batch;
        std::string text;
        typename batch_work<Item>::format_fn format;
    };

    // Whether a batch waits to be formatted within the window (under m_).
    bool may_take() const { return !stop_ && !error_ && next_ < batches_ && next_ < written_ + window_; }

    // Keeps the first failure and wakes everyone: the writer rethrows it and
    // the formatters stop (under m_).
    void fail(std::exception_ptr e) {
        if (!error_) error_ = std::move(e);
        changed_.notify_all();
    }

    // Takes the next batch (may_take() holds), loads it while `lock` holds m_
    // (a failed load stops everything before another batch is loaded),
    // formats it without the lock and puts it in its slot; `lock` holds m_
    // again on return.
    void format_next(std::unique_lock<std::mutex>& lock, formatter& f) {
        const std::size_t first = next_++ * work_.batch_size;
        const std::size_t last = std::min(work_.count, first + work_.batch_size);
        f.batch.resize(last - first);
        try {
            work_.load(first, last, f.batch);
        } catch (...) {
            fail(std::current_exception());
            return;
        }
        lock.unlock();
        f.text.clear();
        std::exception_ptr failure;
        try {
            if (!f.format) f.format = work_.make_format();
            for (std::size_t k = 0; k < f.batch.size(); ++k) f.format(first + k, f.batch[k], f.text);
        } catch (...) {
            failure = std::current_exception();
        }
        lock.lock();
        if (failure) {
            fail(std::move(failure));
            return;
        }
        slot& s = done_[(first / work_.batch_size) % window_];
        s.ready = true;
        std::swap(s.text, f.text);
        changed_.notify_all();
    }

    void run() {
        formatter own;
        std::unique_lock lock(m_);
        while (true) {
            changed_.wait(lock, [&] { return stop_ || error_ || next_ == batches_ || may_take(); });
            if (!may_take()) return;
            format_next(lock, own);
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
// formatted on that many threads, the writing one among them; what is
// written is the same.
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
    ordered_batches<Item> batches(work, threads - 1);
    batches.write(os);
}

}  // namespace patuh::report_support

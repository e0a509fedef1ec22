// Writing the findings of a report: read back from the finding list one
// batch at a time, formatted on one thread or several, written in order.

#include "io/report_support.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace patuh::report_support {

namespace {

constexpr std::size_t batch_size = 128;  // findings formatted together

void write_in_order(std::ostream& os, std::string& out, const finding_list& findings, const finding_format& format) {
    finding f;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        findings.read(i, f);
        format(i, f, out);
        flush_when_full(os, out);
    }
    os << out;
    out.clear();
}

// Worker threads take the next batch, read its findings (one reader at a
// time: the finding list is not thread-safe) and format them; the calling
// thread writes the batches in order. At most `window` batches are formatted
// ahead of the one being written.
class ordered_batches {
public:
    ordered_batches(const finding_list& findings, const finding_format& format, unsigned threads)
        : findings_(findings),
          format_(format),
          batches_((findings.size() + batch_size - 1) / batch_size),
          window_(2 * std::size_t{threads}),
          done_(window_) {
        workers_.reserve(threads);
        for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
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

    void work() {
        std::vector<finding> batch;
        std::string text;
        for (;;) {
            std::size_t b = 0;
            {
                std::unique_lock lock(m_);
                changed_.wait(lock, [&] { return stop_ || error_ || next_ == batches_ || next_ < written_ + window_; });
                if (stop_ || error_ || next_ == batches_) return;
                b = next_++;
                const std::size_t first = b * batch_size, last = std::min(findings_.size(), first + batch_size);
                batch.resize(last - first);
                try {
                    for (std::size_t i = first; i < last; ++i) findings_.read(i, batch[i - first]);
                } catch (...) {
                    error_ = std::current_exception();
                    changed_.notify_all();
                    return;
                }
            }
            text.clear();
            try {
                for (std::size_t k = 0; k < batch.size(); ++k) format_(b * batch_size + k, batch[k], text);
            } catch (...) {
                const std::lock_guard lock(m_);
                error_ = std::current_exception();
                changed_.notify_all();
                return;
            }
            {
                const std::lock_guard lock(m_);
                done_[b % window_].ready = true;
                std::swap(done_[b % window_].text, text);
            }
            changed_.notify_all();
        }
    }

    const finding_list& findings_;
    const finding_format& format_;
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

}  // namespace

void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_format& format) {
    if (threads <= 1 || findings.size() <= batch_size) {
        write_in_order(os, out, findings, format);
        return;
    }
    os << out;
    out.clear();
    ordered_batches batches(findings, format, threads);
    batches.write(os);
}

}  // namespace patuh::report_support

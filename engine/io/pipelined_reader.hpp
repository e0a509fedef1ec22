#pragma once
// A reader run on a thread of its own beside the caller's (CSV exports and
// JSON arrays with --threads above 1); not part of the public API.

#include <patuh/event.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace patuh::input_support {

// What a reader gave, in its order: events, rejections and CSV header lines.
// The events and rejections are kept in the batch's own storage, so that a
// batch used again fills strings that already have room.
struct outcome_batch {
    static constexpr std::size_t max_outcomes = 256;
    enum class kind : std::uint8_t { event, rejection, header };
    std::vector<kind> order;
    std::vector<event> events;  // the first `event_count` are this batch's
    std::size_t event_count = 0;
    std::vector<rejection> rejections;
    std::vector<std::string> headers;

    bool full() const { return order.size() >= max_outcomes; }
    void clear() {
        order.clear();
        event_count = 0;
        rejections.clear();
        headers.clear();
    }
};

// A reader run on a thread of its own beside the caller's: what it gives is
// handed over in batches and delivered on the caller's thread in the order
// the reader gave it, so that the sinks see what they would see on one
// thread while the caller judges one batch and the reader reads the next.
// Used for CSV exports, whose rows are followed person by person, and JSON
// arrays, whose elements are found by reading the array from its start:
// neither can be cut into independent stretches as JSON Lines can.
class pipelined_reader {
public:
    using read_fn = std::function<read_counts(const event_sink&, const rejection_sink&,
                                              const std::function<void(std::string_view)>&)>;

    read_counts run(const read_fn& read, const event_sink& on_event, const rejection_sink& on_reject,
                    const std::function<void(std::string_view)>& on_header) {
        struct joiner {
            pipelined_reader& p;
            std::thread t;
            ~joiner() {
                {
                    const std::lock_guard<std::mutex> lock(p.mutex_);
                    p.stop_ = true;
                }
                p.changed_.notify_all();
                if (t.joinable()) t.join();
            }
        } join{*this, std::thread([&] { produce(read); })};
        while (std::unique_ptr<outcome_batch> b = next()) {
            std::size_t e = 0, r = 0, h = 0;
            for (const outcome_batch::kind k : b->order) {
                switch (k) {
                case outcome_batch::kind::event: on_event(std::as_const(b->events[e++])); break;
                case outcome_batch::kind::rejection: on_reject(std::move(b->rejections[r++])); break;
                case outcome_batch::kind::header: on_header(b->headers[h++]); break;
                }
            }
            b->clear();
            {
                const std::lock_guard<std::mutex> lock(mutex_);
                spare_.push_back(std::move(b));
            }
            changed_.notify_all();
        }
        if (failure_) std::rethrow_exception(failure_);
        return counts_;
    }

private:
    // Batches filled and not yet delivered, at most.
    static constexpr std::size_t in_flight_limit = 8;
    struct stopped {};  // unwinds the reader when the caller gave up

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::unique_ptr<outcome_batch>> ready_;
    std::vector<std::unique_ptr<outcome_batch>> spare_;
    std::size_t in_flight_ = 0;  // batches taken by the reader or ready
    bool done_ = false;
    bool stop_ = false;
    std::exception_ptr failure_;
    read_counts counts_;

    std::unique_ptr<outcome_batch> next() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return !ready_.empty() || done_; });
        if (ready_.empty()) return nullptr;
        std::unique_ptr<outcome_batch> b = std::move(ready_.front());
        ready_.pop_front();
        --in_flight_;
        lock.unlock();
        changed_.notify_all();
        return b;
    }

    // A batch to fill: a spare one, or a new one while few are in flight.
    std::unique_ptr<outcome_batch> take() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || in_flight_ < in_flight_limit; });
        if (stop_) throw stopped{};
        ++in_flight_;
        if (spare_.empty()) return std::make_unique<outcome_batch>();
        std::unique_ptr<outcome_batch> b = std::move(spare_.back());
        spare_.pop_back();
        return b;
    }

    void publish(std::unique_ptr<outcome_batch>& b) {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            ready_.push_back(std::move(b));
        }
        changed_.notify_all();
    }

    void produce(const read_fn& read) {
        std::unique_ptr<outcome_batch> b;
        const auto room = [&]() -> outcome_batch& {
            if (b && b->full()) publish(b);
            if (!b) b = take();
            return *b;
        };
        const event_sink on_event = [&](const event& e) {
            outcome_batch& batch = room();
            if (batch.event_count == batch.events.size()) batch.events.emplace_back();
            batch.events[batch.event_count++] = e;
            batch.order.push_back(outcome_batch::kind::event);
        };
        const rejection_sink on_reject = [&](rejection&& r) {
            outcome_batch& batch = room();
            batch.rejections.push_back(std::move(r));
            batch.order.push_back(outcome_batch::kind::rejection);
        };
        const std::function<void(std::string_view)> on_header = [&](std::string_view header) {
            outcome_batch& batch = room();
            batch.headers.emplace_back(header);
            batch.order.push_back(outcome_batch::kind::header);
        };
        read_counts counts;
        std::exception_ptr failure;
        try {
            counts = read(on_event, on_reject, on_header);
            if (b && !b->order.empty()) publish(b);
        } catch (const stopped&) {
        } catch (...) {
            failure = std::current_exception();
        }
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            counts_ = counts;
            failure_ = failure;
            done_ = true;
        }
        changed_.notify_all();
    }
};

}  // namespace patuh::input_support

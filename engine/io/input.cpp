// One input, whatever its form: gzip detection, the choice of reader, progress.

#include <patuh/gzip.hpp>
#include <patuh/input.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace patuh {

namespace {

bool ends_with_folded(std::string_view text, std::string_view suffix) {
    if (text.size() < suffix.size()) return false;
    return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                      [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b); });
}

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
// Used for CSV exports, whose rows are followed person by person and cannot
// be cut into independent stretches as JSON Lines can.
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

}  // namespace

input_format input_format_for(std::string_view name, input_format requested) {
    if (requested != input_format::automatic) return requested;
    if (ends_with_folded(name, ".gz")) name.remove_suffix(3);
    return ends_with_folded(name, ".csv") ? input_format::csv : input_format::automatic;
}

read_counts read_input(std::istream& in, std::string_view name, std::optional<std::uint64_t> size,
                       const rule_set& rules, const event_sink& on_event, const rejection_sink& on_reject,
                       const input_settings& settings) {
    input_streambuf bytes(*in.rdbuf());
    std::istream stream(&bytes);
    const input_format format = input_format_for(name, settings.format);

    // With progress shown, every record is counted on its way.
    progress_meter* meter = settings.progress != nullptr && settings.progress->enabled() ? settings.progress : nullptr;
    event_sink counted_event;
    rejection_sink counted_reject;
    if (meter != nullptr) {
        meter->start(name, size, [&bytes] { return bytes.source_bytes(); });
        counted_event = [&](const event& e) {
            meter->record();
            on_event(e);
        };
        counted_reject = [&](rejection&& r) {
            meter->record();
            on_reject(std::move(r));
        };
    }
    const event_sink& events = meter != nullptr ? counted_event : on_event;
    const rejection_sink& rejects = meter != nullptr ? counted_reject : on_reject;

    read_counts counts;
    if (format == input_format::csv) {
        const auto header_seen = [&](std::string_view header) {
            if (settings.rejects != nullptr) settings.rejects->csv_header(name, header);
        };
        const auto import = [&](const event_sink& to_event, const rejection_sink& to_reject,
                                const std::function<void(std::string_view)>& to_header) {
            csv_import_options options;
            options.mapping = settings.mapping;
            options.limits = settings.limits;
            if (settings.rejects != nullptr) options.on_header = to_header;
            return import_csv(stream, name, rules, to_event, to_reject, options);
        };
        if (settings.limits.threads > 1) {
            pipelined_reader pipeline;
            counts = pipeline.run(import, events, rejects, header_seen);
        } else {
            counts = import(events, rejects, header_seen);
        }
    } else {
        counts = read_events(stream, name, rules, events, rejects, format, settings.limits);
    }
    if (const auto& damage = bytes.error()) {
        rejection r;
        r.source = std::string(name);
        r.line = bytes.lines() + 1;
        r.code = "R0117";
        r.reason = *damage;
        r.ends_input = true;
        ++counts.read;
        ++counts.rejected;
        rejects(std::move(r));
    }
    return counts;
}

}  // namespace patuh

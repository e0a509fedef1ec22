// Writing the findings of a report: read back from the finding list one
// batch at a time, formatted on one thread or several, written in order.

#include "io/ordered_batches.hpp"

#include <algorithm>

namespace patuh::report_support {

void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_formatter& make_format, finding_range range) {
    // The batches number the findings of the range from 0.
    const std::size_t start = std::min(range.first, findings.size());
    batch_work<finding> work;
    work.count = std::min(range.count, findings.size() - start);
    work.batch_size = 128;  // findings formatted together
    work.load = [&](std::size_t first, std::size_t last, std::vector<finding>& batch) {
        for (std::size_t i = first; i < last; ++i) findings.read(start + i, batch[i - first]);
    };
    work.make_format = [&make_format, start]() -> batch_work<finding>::format_fn {
        finding_format format = make_format();
        if (start == 0) return format;
        return [format = std::move(format), start](std::size_t i, const finding& f, std::string& into) {
            format(start + i, f, into);
        };
    };
    write_in_batches(os, out, work, threads);
}

void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_format& format, finding_range range) {
    write_findings(os, out, findings, threads, [&format] { return format; }, range);
}

}  // namespace patuh::report_support

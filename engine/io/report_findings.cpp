// Writing the findings of a report: read back from the finding list one
// batch at a time, formatted on one thread or several, written in order.

#include "io/ordered_batches.hpp"

namespace patuh::report_support {

void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_formatter& make_format) {
    batch_work<finding> work;
    work.count = findings.size();
    work.batch_size = 128;  // findings formatted together
    work.load = [&](std::size_t first, std::size_t last, std::vector<finding>& batch) {
        for (std::size_t i = first; i < last; ++i) findings.read(i, batch[i - first]);
    };
    work.make_format = make_format;
    write_in_batches(os, out, work, threads);
}

void write_findings(std::ostream& os, std::string& out, const finding_list& findings, unsigned threads,
                    const finding_format& format) {
    write_findings(os, out, findings, threads, [&format] { return format; });
}

}  // namespace patuh::report_support

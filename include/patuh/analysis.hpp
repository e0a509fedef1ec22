#pragma once
// Analysis of a whole rule set for `patuh check`: gaps, overlaps, shadowed
// rules and unused names. The domain is finite (covered units × ranks ×
// actions × region levels × the intervals between in-force boundaries), so
// every case is examined; each warning names a concrete case.

#include <patuh/diagnostic.hpp>
#include <patuh/rule_set.hpp>

namespace patuh {

void analyse(const rule_set& rules, diagnostic_list& diags);

}  // namespace patuh

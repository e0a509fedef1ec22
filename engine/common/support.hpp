#pragma once
// Small helpers shared by the library's sources (not part of the public API).

#include <patuh/i18n.hpp>

#include <string>

namespace patuh {

// Visits a variant with one lambda per alternative.
template <typename... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

inline bilingual both(std::string id, std::string en) { return {std::move(id), std::move(en)}; }

}  // namespace patuh

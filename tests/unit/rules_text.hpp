#pragma once
// Compiling a rule set written in a test, and the codes of its diagnostics.

#include <patuh/diagnostic.hpp>
#include <patuh/parse.hpp>
#include <patuh/rule_set.hpp>

#include <string>
#include <vector>

namespace patuh::testing {

// One file named "set.patuh".
inline compile_result compile_text(const std::string& text) {
    loaded_rules l;
    const std::uint32_t i = l.sources.add("set.patuh", text);
    l.files.push_back(parse_file(l.sources, i, l.diags));
    return compile(std::move(l));
}

// A rule set whose titles, position and citation hold
// what Markdown or HTML would read as markup: emphasis, code, a link, tags,
// an entity, strikethrough, math, a heading mark, a list marker, a backslash
// and a table cell border.
inline const char* const markup_rules = R"rules(authority menteri "Menteri <b>Dalam</b> Negeri"
authority gubernur "Gubernur *Sulawesi* | Selatan"
authority kepala_daerah "Wali_Kota [Palopo](http://example.org)"
rank II "Eselon II `JPT` Pratama"
unit dinas "1. Dinas ~~Kependudukan~~ & Catatan Sipil"
level kota "Kota #73 $x$" codes "PP.71-99"

policy p1 "Permendagri <i>76</i>/2015 \\ lama" {
  in force from 2015-12-01
  rule kepala_dinas "Kepala *Dinas*" {
    when rank II
    when unit dinas
    when position "Kepala **Dinas**"
    requires menteri on or before effective date
    route kepala_daerah, gubernur, menteri when level kota
    lead time 60 days
    severity high
    cite "UU 24/2013 Pasal 83A | SK 1_2/[A]"
    message id "Kepala Dinas diganti tanpa <b>Keputusan</b> Menteri"
    message en "Head of agency changed without the <b>Minister's</b> decree"
  }
}
)rules";

// "E0201", "W0401", ... in the order reported.
inline std::vector<std::string> codes(const diagnostic_list& d) {
    std::vector<std::string> out;
    for (const diagnostic& x : d.items) out.emplace_back(info(x.code).id);
    return out;
}

}  // namespace patuh::testing

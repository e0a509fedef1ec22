// The two-view engine on the shipped Permendagri 76/2015 rules.

#include "rules_text.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <patuh/engine.hpp>
#include <patuh/parse.hpp>
#include <patuh/report.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace patuh;
using patuh::testing::shipped;

namespace {

date d(const char* iso) { return *date::parse(iso); }

// A personnel event on a Disdukcapil post of Kota Palopo.
struct change {
    event e;
    change(const char* id, event_kind kind, const char* on, const char* position, const char* rank_name,
           const char* nip, const char* name, const char* region = "73.73") {
        const rule_set& r = shipped();
        e.id = id;
        e.kind = kind;
        e.effective = d(on);
        e.region = region;
        e.level = r.level_of_region(region);
        e.unit_text = "disdukcapil";
        e.unit = r.find_unit("disdukcapil");
        e.position = position;
        e.rank_text = rank_name;
        e.rank = r.find_rank(rank_name);
        e.who = {nip, name};
        e.source = "test";
        e.line = 1;
    }
    change& approved_by(const char* authority, const char* on, const char* nip = "") {
        approval a;
        a.authority = shipped().find_authority(authority);
        a.authority_text = authority;
        a.number = "TEST";
        a.issued = d(on);
        a.nip = nip;
        e.approvals.push_back(a);
        return *this;
    }
    change& because(reason r) {
        e.why = r;
        return *this;
    }
    change& concurrently() {
        e.concurrent = true;
        return *this;
    }
};

event region_event(const char* id, event_kind kind, const char* on, const char* region = "73.73") {
    event e;
    e.id = id;
    e.kind = kind;
    e.effective = d(on);
    e.region = region;
    e.level = shipped().level_of_region(region);
    e.source = "test";
    return e;
}

constexpr const char* asir = "196504121990031007";
constexpr const char* akram = "197002151995031002";
constexpr const char* third = "197506062000031001";

struct run {
    engine eng;
    std::vector<rejection> rejected;
    explicit run(engine_options o = {}) : eng(shipped(), o) {}
    run& add(const event& e) {
        rejection why;
        if (!eng.add(e, why)) rejected.push_back(why);
        return *this;
    }
    run& add(const change& c) { return add(c.e); }
    audit_result finish() { return eng.finish(); }
};

const std::string& rule_id(const finding& f) { return shipped().rules.at(f.rule).id; }

// The first finding of `out` that `wanted` picks; none when there is none.
template <class Wanted>
std::optional<finding> first_finding(const audit_result& out, Wanted wanted) {
    const auto it = std::find_if(out.findings.begin(), out.findings.end(), wanted);
    if (it == out.findings.end()) return std::nullopt;
    return *it;
}

change baseline() {
    return std::move(change("base", event_kind::appoint, "2016-02-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo")
                         .approved_by("menteri", "2016-01-20", asir));
}

}  // namespace

TEST_CASE("an approved appointment is recognised and gives no finding", "[engine]") {
    run r;
    r.add(baseline());
    const audit_result out = r.finish();
    CHECK(out.findings.empty());
    CHECK(out.evaluated == 1);
}

TEST_CASE("replacing the recognised head without the Minister's decree opens a high finding", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    r.add(region_event("later", event_kind::warn, "2018-07-12"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    const finding& f = out.findings[0];
    CHECK(rule_id(f) == "kadis");
    CHECK(f.sev == severity::high);
    CHECK(f.event_id == "swap");
    CHECK(f.opened == d("2017-08-11"));
    CHECK_FALSE(f.closed);
    REQUIRE(f.fix.reinstate);
    CHECK(f.fix.reinstate->name == "Asir Mangopo");
    REQUIRE(f.fix.approve);
    CHECK(f.fix.approve->name == "Akram Risa");
    CHECK(shipped().authorities.at(f.fix.authority).id == "menteri");
    // a kota proposes through the mayor and the governor
    REQUIRE(f.fix.route.size() == 4);
    CHECK(shipped().authorities.at(f.fix.route[1]).id == "gubernur");
}

TEST_CASE("an approval dated after the effective date does not satisfy 'on or before'", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("late", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa")
              .approved_by("menteri", "2017-08-12", akram));
    CHECK(r.finish().findings.size() == 1);
}

TEST_CASE("an approval from too low an authority is not accepted, a higher one is when the rule says so", "[engine]") {
    SECTION("eselon II approved by the Director General") {
        run r;
        r.add(change("e2", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa")
                  .approved_by("dirjen", "2017-08-01", akram));
        CHECK(r.finish().findings.size() == 1);
    }
    SECTION("eselon IV approved by the Director General (or higher than a Director)") {
        run r;
        r.add(change("e4", event_kind::appoint, "2017-08-11", "Kepala Seksi Identitas", "IV.a", akram, "Akram Risa")
                  .approved_by("dirjen", "2017-08-01", akram));
        CHECK(r.finish().findings.empty());
    }
    SECTION("an approval naming another person") {
        run r;
        r.add(change("other", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa")
                  .approved_by("menteri", "2017-08-01", third));
        CHECK(r.finish().findings.size() == 1);
    }
}

TEST_CASE("a late approval closes the span on the day it arrives", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    change approval("sk", event_kind::approve, "2018-01-15", "Kepala Dinas", "II.b", akram, "Akram Risa");
    approval.approved_by("menteri", "2018-01-15", akram);
    r.add(approval);
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    REQUIRE(out.findings[0].closed);
    CHECK(*out.findings[0].closed == d("2018-01-15"));
    CHECK(out.findings[0].closed_because == close_cause::approved);
    CHECK(out.findings[0].closed_by == "sk");
}

TEST_CASE("reinstating the recognised official closes the span", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    r.add(change("back", event_kind::appoint, "2018-08-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    REQUIRE(out.findings[0].closed);
    CHECK(*out.findings[0].closed == d("2018-08-01"));
    CHECK(out.findings[0].closed_because == close_cause::reinstated);
}

TEST_CASE("an official the centre approved but the region never installed", "[engine]") {
    run r;
    r.add(baseline());
    change approval("sk", event_kind::approve, "2018-01-02", "Kepala Dinas", "II.b", third, "Calon Disetujui");
    approval.approved_by("menteri", "2018-01-02", third);
    r.add(approval);
    SECTION("still within the grace period") {
        r.add(region_event("tick", event_kind::warn, "2018-01-20", "73.71"));
        CHECK(r.finish().findings.empty());
    }
    SECTION("past it") {
        r.add(region_event("tick", event_kind::warn, "2018-03-01", "73.71"));
        const audit_result out = r.finish();
        REQUIRE(out.findings.size() == 1);
        CHECK(rule_id(out.findings[0]) == "belum_dilantik");
        CHECK(out.findings[0].opened == d("2018-01-02"));
        CHECK(out.findings[0].fix.kind == remedy_kind::install_approved);
    }
    SECTION("installed in time") {
        r.add(change("lantik", event_kind::inaugurate, "2018-01-10", "Kepala Dinas", "II.b", third, "Calon Disetujui"));
        r.add(region_event("tick", event_kind::warn, "2018-03-01", "73.71"));
        CHECK(r.finish().findings.empty());
    }
    SECTION("someone else installed instead") {
        r.add(change("lain", event_kind::appoint, "2018-01-10", "Kepala Dinas", "II.b", akram, "Akram Risa"));
        const audit_result out = r.finish();
        REQUIRE(out.findings.size() == 1);
        CHECK(rule_id(out.findings[0]) == "kadis");
        REQUIRE(out.findings[0].fix.reinstate);
        CHECK(out.findings[0].fix.reinstate->nip == third);
    }
}

TEST_CASE("one person holding two covered posts is flagged by the double-post rule", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("sek", event_kind::appoint, "2017-01-01", "Sekretaris", "III.a", akram, "Akram Risa")
              .approved_by("dirjen", "2016-12-01", akram));
    r.add(change("dual", event_kind::appoint, "2017-03-01", "Kepala Bidang Capil", "III.b", akram, "Akram Risa")
              .approved_by("dirjen", "2017-02-01", akram)
              .concurrently());
    r.add(change("leave", event_kind::dismiss, "2017-05-01", "Sekretaris", "III.a", akram, "Akram Risa")
              .approved_by("dirjen", "2017-04-01", akram));
    const audit_result out = r.finish();
    std::vector<finding> doubles;
    for (const finding& f : out.findings)
        if (rule_id(f) == "rangkap") doubles.push_back(f);
    REQUIRE(doubles.size() == 1);
    CHECK(doubles[0].opened == d("2017-03-01"));
    REQUIRE(doubles[0].closed);
    CHECK(*doubles[0].closed == d("2017-05-01"));
}

TEST_CASE("a transfer moves the person out of their previous covered post", "[engine]") {
    run r;
    r.add(baseline());
    // the recognised head is moved to a bureau post without approval: both posts diverge
    r.add(change("move", event_kind::transfer, "2017-08-11", "Kepala Bidang Dafduk", "III.b", asir, "Asir Mangopo"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() >= 2);
    std::vector<std::string> rules;
    for (const finding& f : out.findings) rules.push_back(rule_id(f));
    CHECK(std::count(rules.begin(), rules.end(), "kadis") == 1);
    CHECK(std::count(rules.begin(), rules.end(), "eselon_iii") == 1);
    // the head post is left empty: a service-continuity notice, not a violation
    CHECK(std::count(rules.begin(), rules.end(), "kekosongan") == 1);
}

TEST_CASE("a vacancy by retirement needs no approval but is a service-continuity notice", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("pensiun", event_kind::dismiss, "2019-05-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo")
              .because(reason::retirement));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    CHECK(rule_id(out.findings[0]) == "kekosongan");
    CHECK(out.findings[0].is_notice());
    REQUIRE(out.regions.size() == 1);
    CHECK(out.regions[0].open_findings == 0);
    CHECK(out.regions[0].open_notices == 1);
    CHECK(out.regions[0].stage == -1);
}

TEST_CASE("the recognised official's death does not make the unapproved holder recognised", "[engine]") {
    // Asir is recognised; the region puts Akram in without the decree; then Asir
    // dies. His dismissal needs no approval, but it recognises no one: Akram
    // still lacks the Minister's decree, and the finding stays open.
    const auto replaced_then_died = [](run& r) {
        r.add(baseline());
        r.add(change("swap", event_kind::appoint, "2019-06-01", "Kepala Dinas", "II.b", akram, "Akram Risa"));
        r.add(change("wafat", event_kind::dismiss, "2019-07-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo")
                  .because(reason::death));
    };
    run r;
    replaced_then_died(r);
    r.add(region_event("later", event_kind::warn, "2019-09-01"));
    const audit_result out = r.finish();
    CHECK(r.rejected.empty());
    REQUIRE(out.findings.size() == 1);
    const finding& f = out.findings[0];
    CHECK(rule_id(f) == "kadis");
    CHECK(f.event_id == "swap");
    CHECK_FALSE(f.closed);
    REQUIRE(out.regions.size() == 1);
    CHECK(out.regions[0].open_findings == 1);

    // Approved later, Akram is recognised and the finding closes then.
    run approved;
    replaced_then_died(approved);
    approved.add(change("sk", event_kind::approve, "2019-08-01", "Kepala Dinas", "II.b", akram, "Akram Risa")
                     .approved_by("menteri", "2019-08-01", akram));
    const audit_result later = approved.finish();
    REQUIRE(later.findings.size() == 1);
    REQUIRE(later.findings[0].closed);
    CHECK(*later.findings[0].closed == d("2019-08-01"));
    CHECK(later.findings[0].closed_by == "sk");
}

TEST_CASE("an unapproved holder who retires closes the finding as leaving the post, not as approved", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    r.add(change("pensiun", event_kind::dismiss, "2018-05-01", "Kepala Dinas", "II.b", akram, "Akram Risa")
              .because(reason::retirement));
    const audit_result out = r.finish();
    const auto kadis = first_finding(out, [](const finding& f) { return rule_id(f) == "kadis"; });
    REQUIRE(kadis);
    const finding& f = *kadis;
    REQUIRE(f.closed);
    CHECK(*f.closed == d("2018-05-01"));
    CHECK(f.closed_by == "pensiun");
    REQUIRE(f.closed_because);
    CHECK(*f.closed_because == close_cause::left_post);

    // The same post filled with the Minister's decree: closed as approved.
    run approved;
    approved.add(baseline());
    approved.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    approved.add(change("sk", event_kind::appoint, "2018-05-01", "Kepala Dinas", "II.b", third, "Third Person")
                     .approved_by("menteri", "2018-04-20", third));
    const audit_result later = approved.finish();
    REQUIRE(later.findings.size() == 1);
    REQUIRE(later.findings[0].closed_because);
    CHECK(*later.findings[0].closed_because == close_cause::approved);
}

TEST_CASE("an acting official the rules allow closes the finding as needing no approval, not as approved", "[engine]") {
    // Under Permendagri 60/2021 the region dismisses the recognised head of a
    // section without the Director General's approval; an acting head named
    // to the vacant post needs none (plt_plh), and the centre recognises him.
    // No approval arrived: the finding closes because the new official needs none.
    const char* const section = "Kepala Seksi Kelahiran";
    const auto acting_named = [section](run& r) {
        r.add(change("base", event_kind::appoint, "2022-02-01", section, "IV.a", asir, "Asir Mangopo")
                  .approved_by("dirjen", "2022-01-20", asir));
        r.add(change("henti", event_kind::dismiss, "2022-06-01", section, "IV.a", asir, "Asir Mangopo"));
        r.add(change("plt", event_kind::acting, "2022-07-01", section, "IV.a", third, "Third Person"));
    };
    run r;
    acting_named(r);
    const audit_result out = r.finish();
    CHECK(r.rejected.empty());
    const auto found = first_finding(out, [](const finding& f) { return f.event_id == "henti" && !f.is_notice(); });
    REQUIRE(found);
    const finding& f = *found;
    CHECK(rule_id(f) == "pengawas");
    REQUIRE(f.closed);
    CHECK(*f.closed == d("2022-07-01"));
    CHECK(f.closed_by == "plt");
    REQUIRE(f.closed_because);
    CHECK(*f.closed_because == close_cause::exempt);

    // Made definitive without approval: a finding whose recognised holder is
    // the same person, as the acting official.
    run made_definitive;
    acting_named(made_definitive);
    made_definitive.add(change("definitif", event_kind::appoint, "2022-10-03", section, "IV.a", third, "Third Person"));
    const audit_result later = made_definitive.finish();
    const auto definitive = first_finding(later, [](const finding& x) { return x.event_id == "definitif"; });
    REQUIRE(definitive);
    const finding& g = *definitive;
    CHECK_FALSE(g.closed);
    REQUIRE(g.de_facto);
    REQUIRE(g.de_jure);
    CHECK(g.de_jure->nip == third);
    CHECK_FALSE(g.de_facto_acting);
    CHECK(g.de_jure_acting);
    REQUIRE(g.fix.reinstate);
    CHECK(g.fix.reinstate_acting);
}

TEST_CASE("a check narrowed by position looks only at those posts", "[engine]") {
    // A vacant head of the agency is a finding of its own check; any other
    // vacant post is a notice of the general check declared after it.
    const compile_result c = patuh::testing::compile_text(R"(authority menteri "Menteri"
rank II "Eselon II"
rank IV "Eselon IV"
unit disdukcapil "Dinas"
level kota "Kota" codes "PP.71-99"
policy p "P" {
  in force from 2015-12-01
  cite "x"
  rule kepala "Heads" {
    when rank II, IV
    allowed
    severity high
    message id "x"
    message en "x"
  }
  rule kekosongan "Vacant head" {
    check vacancy
    when position "Kepala Dinas"
    severity medium
    message id "x"
    message en "x"
  }
  rule kekosongan_lain "Vacant post" {
    check vacancy
    severity info
    message id "x"
    message en "x"
  }
}
)");
    REQUIRE(c.rules);
    const rule_set& rules = *c.rules;
    engine eng(rules);
    const auto add = [&](const char* id, event_kind kind, const char* on, const char* position, const char* rank,
                         const char* nip) {
        event e;
        e.id = id;
        e.kind = kind;
        e.effective = d(on);
        e.region = "73.73";
        e.level = rules.level_of_region("73.73");
        e.unit_text = "disdukcapil";
        e.unit = rules.find_unit("disdukcapil");
        e.position = position;
        e.rank_text = rank;
        e.rank = rules.find_rank(rank);
        e.who = {nip, "Someone"};
        if (kind == event_kind::dismiss) e.why = reason::retirement;
        e.source = "test";
        rejection why;
        REQUIRE(eng.add(e, why));
    };
    add("a1", event_kind::appoint, "2016-01-04", "Kepala Dinas", "II", asir);
    add("a2", event_kind::appoint, "2016-01-04", "Kepala Seksi Kelahiran", "IV", akram);
    add("d1", event_kind::dismiss, "2017-01-04", "Kepala Seksi Kelahiran", "IV", akram);
    add("d2", event_kind::dismiss, "2017-02-01", "Kepala Dinas", "II", asir);
    const audit_result out = eng.finish();
    REQUIRE(out.findings.size() == 2);
    std::map<std::string, std::pair<std::string, severity>> by_position;  // rule id, severity
    for (const finding& f : out.findings) by_position[f.position] = {rules.rules.at(f.rule).id, f.sev};
    CHECK(by_position["Kepala Dinas"] == std::pair<std::string, severity>{"kekosongan", severity::medium});
    CHECK(by_position["Kepala Seksi Kelahiran"] == std::pair<std::string, severity>{"kekosongan_lain", severity::info});
}

TEST_CASE("warnings and cutoffs move a region up the ladder, a restore brings it down", "[engine]") {
    const auto stage_id = [](const audit_result& out) -> std::string {
        REQUIRE(!out.regions.empty());
        return out.regions[0].stage < 0 ? "" : shipped().ladder.at(static_cast<std::size_t>(out.regions[0].stage)).id;
    };
    const auto warned = [](run& r) {
        r.add(baseline());
        r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
        event w = region_event("warn1", event_kind::warn, "2017-10-01");
        w.deadline = d("2017-10-15");
        r.add(w);
    };
    SECTION("an open finding alone: under watch") {
        run r;
        r.add(baseline());
        r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
        CHECK(stage_id(r.finish()) == "diawasi");
    }
    SECTION("one warning before its deadline") {
        run r;
        warned(r);
        CHECK(stage_id(r.finish()) == "ditegur");
    }
    SECTION("a second warning") {
        run r;
        warned(r);
        r.add(region_event("warn2", event_kind::warn, "2017-10-05"));
        CHECK(stage_id(r.finish()) == "ditegur_berulang");
    }
    SECTION("the deadline passed with the finding still open") {
        run r(engine_options{d("2017-11-01")});
        warned(r);
        CHECK(stage_id(r.finish()) == "lewat_tenggat");
    }
    SECTION("cut off") {
        run r;
        warned(r);
        event cut = region_event("cut", event_kind::cutoff, "2018-07-12");
        cut.services = {shipped().find_service("ktp_el")};
        r.add(cut);
        const audit_result out = r.finish();
        CHECK(stage_id(out) == "diputus");
        REQUIRE(out.regions[0].cut.size() == 1);
    }
    SECTION("cut off, then restored after the head is reinstated") {
        run r;
        warned(r);
        event cut = region_event("cut", event_kind::cutoff, "2018-07-12");
        cut.services = {shipped().find_service("ktp_el")};
        r.add(cut);
        r.add(change("back", event_kind::appoint, "2018-07-20", "Kepala Dinas", "II.b", asir, "Asir Mangopo"));
        r.add(region_event("restore", event_kind::restore, "2018-07-25"));
        const audit_result out = r.finish();
        CHECK(stage_id(out) == "");
        CHECK(out.regions[0].cut.empty());
    }
}

TEST_CASE("someone else installed in a post the centre approved for another: install the approved one", "[engine]") {
    run r;
    event approved = change("ok", event_kind::approve, "2020-02-01", "Kepala Dinas", "II", akram, "Akram Risa")
                         .approved_by("menteri", "2020-02-01", akram)
                         .e;
    r.add(approved);
    r.add(change("other", event_kind::appoint, "2020-03-01", "Kepala Dinas", "II", third, "Orang Lain"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    const finding& f = out.findings[0];
    CHECK(rule_id(f) == "kadis");
    REQUIRE(f.fix.reinstate);
    CHECK(f.fix.reinstate->nip == akram);
    CHECK(f.fix.never_installed);
    CHECK(describe_remedy(f.fix, shipped(), lang::en).rfind("install Akram Risa", 0) == 0);
}

TEST_CASE("an approved official not installed within the deadline is a finding", "[engine]") {
    run r(engine_options{d("2020-04-01")});
    r.add(change("ok", event_kind::approve, "2020-02-01", "Kepala Dinas", "II", akram, "Akram Risa")
              .approved_by("menteri", "2020-02-01", akram));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    CHECK(rule_id(out.findings[0]) == "belum_dilantik");
    CHECK(out.findings[0].fix.kind == remedy_kind::install_approved);
    CHECK(out.findings[0].opened == d("2020-02-01"));
}

TEST_CASE("an event is judged by the rules in force on its date", "[engine]") {
    run r;
    // Permendagri 76/2015 is in force from 2015-12-01 in the shipped rules.
    r.add(change("before", event_kind::appoint, "2015-11-30", "Kepala Dinas", "II", asir, "Asir Mangopo"));
    r.add(change("after", event_kind::appoint, "2015-12-01", "Sekretaris", "III", akram, "Akram Risa"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    CHECK(out.findings[0].event_id == "after");
}

TEST_CASE("an acting head without approval is a violation, made definitive later it is judged again", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("plt", event_kind::acting, "2017-03-01", "Kepala Dinas", "II", akram, "Akram Risa"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 1);
    CHECK(rule_id(out.findings[0]) == "kadis");
    CHECK(out.findings[0].kind == event_kind::acting);
    REQUIRE(out.findings[0].fix.reinstate);
    CHECK(out.findings[0].fix.reinstate->nip == asir);
}

TEST_CASE("an event dated before its post's last change is rejected, not applied", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("late", event_kind::appoint, "2015-12-15", "Kepala Dinas", "II", akram, "Akram Risa"));
    REQUIRE(r.rejected.size() == 1);
    CHECK(r.rejected[0].code == "R0120");
    CHECK(r.finish().findings.empty());
}

TEST_CASE("changes of holders dated before a change judged in another post are counted, the first noted",
          "[engine][order]") {
    SECTION("in date order across posts and regions: none") {
        run r;
        r.add(baseline());
        r.add(change("luwu-1", event_kind::appoint, "2016-05-02", "Kepala Dinas", "II", akram, "Akram Risa", "73.17"));
        r.add(change("plp-2", event_kind::appoint, "2017-08-11", "Sekretaris", "III.a", third, "Tri Wulan"));
        r.add(region_event("warn", event_kind::warn, "2016-01-01"));  // a region's letter: not a change of holders
        CHECK(r.finish().out_of_date_order.count == 0);
    }
    SECTION("one region's log after another's: each earlier change counted, the first noted") {
        run r;
        r.add(baseline());
        r.add(change("plp-2", event_kind::appoint, "2017-08-11", "Sekretaris", "III.a", third, "Tri Wulan"));
        change luwu("luwu-1", event_kind::appoint, "2016-05-02", "Kepala Dinas", "II", akram, "Akram Risa", "73.17");
        luwu.e.source = "luwu.csv";
        luwu.e.line = 2;
        r.add(luwu);
        r.add(change("luwu-2", event_kind::dismiss, "2017-01-05", "Kepala Dinas", "II", akram, "Akram Risa", "73.17"));
        r.add(change("luwu-3", event_kind::appoint, "2018-01-05", "Kepala Dinas", "II", asir, "Asir Mangopo", "73.17"));
        CHECK(r.rejected.empty());
        const audit_result out = r.finish();
        CHECK(out.out_of_date_order.count == 2);  // luwu-3 is after every change judged before it
        CHECK(out.out_of_date_order.source == "luwu.csv");
        CHECK(out.out_of_date_order.line == 2);
        CHECK(out.out_of_date_order.id == "luwu-1");
        CHECK(out.out_of_date_order.on == d("2016-05-02"));
        CHECK(out.out_of_date_order.after == d("2017-08-11"));
        CHECK(out.evaluated == 5);
    }
    SECTION("a change refused on its own post (R0120) or dated after the report date is not counted") {
        engine_options o;
        o.as_of = d("2017-12-31");
        run r(o);
        r.add(change("plp-2", event_kind::appoint, "2017-08-11", "Sekretaris", "III.a", third, "Tri Wulan"));
        r.add(change("late", event_kind::appoint, "2017-01-15", "Sekretaris", "III.a", akram, "Akram Risa"));
        r.add(change("after", event_kind::appoint, "2018-03-01", "Kepala Dinas", "II", asir, "Asir Mangopo"));
        r.add(change("after-2", event_kind::appoint, "2018-02-01", "Kepala Dinas", "II", akram, "Akram Risa", "73.17"));
        REQUIRE(r.rejected.size() == 1);
        CHECK(r.rejected[0].code == "R0120");
        CHECK(r.finish().out_of_date_order.count == 0);
    }
}

TEST_CASE("a record repeating the one before it about its post or region is counted once, not applied again",
          "[engine][duplicates]") {
    const auto warning = [](const char* id, const char* letter) {
        event w = region_event(id, event_kind::warn, "2017-10-02");
        w.letter = letter;
        w.deadline = d("2017-11-02");
        return w;
    };
    SECTION("a warning letter twice: one warning for the region") {
        run r;
        r.add(baseline());
        r.add(change("plt", event_kind::acting, "2017-03-01", "Kepala Dinas", "II", akram, "Akram Risa"));
        event first = warning("w-1", "471.1/7/Dukcapil");
        first.line = 3;
        r.add(first);
        event again = warning("w-1b", "471.1/7/Dukcapil");  // another id, the same letter number
        again.line = 4;
        r.add(again);
        CHECK(r.rejected.empty());
        const audit_result out = r.finish();
        REQUIRE(out.regions.size() == 1);
        CHECK(out.regions[0].warnings == 1);
        CHECK(out.evaluated == 4);
        CHECK(out.duplicates.count == 1);
        CHECK(out.duplicates.line == 4);
        CHECK(out.duplicates.id == "w-1b");
        CHECK(out.duplicates.first_source == "test");
        CHECK(out.duplicates.first_line == 3);
    }
    SECTION("an appointment twice: its finding opened once") {
        run plain;
        plain.add(baseline());
        plain.add(change("new", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa"));
        const audit_result once = plain.finish();
        run r;
        r.add(baseline());
        change twice("new", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa");
        r.add(twice).add(twice);
        const audit_result out = r.finish();
        CHECK(out.duplicates.count == 1);
        CHECK(out.evaluated == 3);
        CHECK(out.findings.size() == once.findings.size());
    }
    SECTION("what is not a duplicate") {
        run r;
        r.add(baseline());
        // The same change after another change of the post: applied again.
        r.add(change("a", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa"));
        r.add(change("b", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", third, "Tri Wulan"));
        r.add(change("a", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa"));
        // The same change carrying an approval the first lacked: a correction.
        r.add(change("a", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II", akram, "Akram Risa")
                  .approved_by("menteri", "2017-08-01", akram));
        // While a finding is open (Tri Wulan's), the same letter without a
        // number under another id: two letters.
        r.add(change("c", event_kind::appoint, "2017-09-01", "Sekretaris", "III.a", third, "Tri Wulan"));
        r.add(warning("w-1", "")).add(warning("w-2", ""));
        const audit_result out = r.finish();
        CHECK(out.duplicates.count == 0);
        REQUIRE(out.regions.size() == 1);
        CHECK(out.regions[0].warnings == 2);
    }
}

TEST_CASE("the warning W0602 names the first duplicate and the record it repeats, in both languages",
          "[engine][duplicates][report]") {
    CHECK(duplicates_warning(duplicate_records{}, lang::en).empty());
    const duplicate_records one{1, "merged.jsonl", 4, "plp-2017-001", "merged.jsonl", 2};
    CHECK(duplicates_warning(one, lang::en) ==
          "merged.jsonl:4: 1 duplicate record was not applied again: each says what the record before it about the "
          "same post or region said (logs merged from exports that overlap); the first here (plp-2017-001) repeats "
          "merged.jsonl:2.");
    const duplicate_records csv{3, "luwu.csv", 9, "luwu.csv:9", "luwu.csv", 8};
    CHECK(duplicates_warning(csv, lang::id) ==
          "luwu.csv:9: 3 rekaman ganda tidak diterapkan lagi: masing-masing sama isinya dengan rekaman sebelumnya "
          "tentang jabatan atau wilayah yang sama (log gabungan dari ekspor yang bertumpang tindih); yang pertama di "
          "sini mengulang luwu.csv:8.");
}

TEST_CASE("the warning W0601 names the first change out of date order and what to do, in both languages",
          "[engine][order][report]") {
    date_order_breaks none;
    CHECK(describe_date_order_breaks(none, lang::en).empty());
    CHECK(date_order_warning(none, lang::id).empty());
    date_order_breaks one{1, "luwu.csv", 2, "luwu.csv:2", d("2016-05-02"), d("2017-08-11")};
    CHECK(date_order_warning(one, lang::en) ==
          "luwu.csv:2: 1 change of holders is dated before a change already judged in another post, here: "
          "2016-05-02, after a change of 2017-08-11. A person's changes in two posts (a double post, a post left "
          "empty by a move) were judged in file order, not in date order: run again with --sort, or sort the "
          "records by date.");
    date_order_breaks many{3, "lutra.jsonl", 7, "lutra-1", d("2019-09-02"), d("2020-03-16")};
    CHECK(date_order_warning(many, lang::id) ==
          "lutra.jsonl:7: 3 perubahan pejabat bertanggal lebih awal dari perubahan yang sudah dinilai pada jabatan "
          "lain, yang pertama di sini (lutra-1): 2019-09-02, sesudah perubahan tanggal 2020-03-16. Perubahan "
          "seseorang pada dua jabatan (rangkap jabatan, jabatan yang kosong karena perpindahan) dinilai menurut "
          "urutan berkas, bukan urutan tanggal: jalankan lagi dengan --sort, atau urutkan rekaman menurut "
          "tanggal.");
}

namespace {

// An appointment the Director General approved on `approved_on`, naming the person.
change approved_appointment(const char* id, const char* on, const char* approved_on, const char* position,
                            const char* rank_name, const char* nip, const char* name) {
    return std::move(change(id, event_kind::appoint, on, position, rank_name, nip, name)
                         .approved_by("dirjen", approved_on, nip));
}

}  // namespace

TEST_CASE("people are told apart by their whole NIP as given (digits or not)", "[engine]") {
    SECTION("\"0\", \"00\" and an empty NIP are three people") {
        run r;
        r.add(approved_appointment("a", "2016-01-01", "2015-12-01", "Sekretaris", "III.a", "0", "Satu"));
        r.add(approved_appointment("b", "2016-02-01", "2016-01-01", "Kepala Bidang Capil", "III.b", "00", "Dua"));
        r.add(approved_appointment("c", "2016-03-01", "2016-02-01", "Kepala Bidang Dafduk", "III.b", "", "Tiga"));
        // Had "00" or "" been taken for "0", the appointments would have moved
        // that person out of the earlier posts.
        const auto sekretaris = r.eng.post_state("73.73", shipped().find_unit("disdukcapil"), "Sekretaris");
        REQUIRE(sekretaris);
        REQUIRE(sekretaris->facto);
        CHECK(sekretaris->facto->who.name == "Satu");
        const auto capil = r.eng.post_state("73.73", shipped().find_unit("disdukcapil"), "Kepala Bidang Capil");
        REQUIRE(capil);
        REQUIRE(capil->facto);
        CHECK(capil->facto->who.name == "Dua");
        CHECK(r.finish().findings.empty());
    }
    SECTION("a NIP that is not digits still counts for the double-post rule") {
        run r;
        r.add(approved_appointment("sek", "2017-01-01", "2016-12-01", "Sekretaris", "III.a", "AKRAM-1", "Akram Risa"));
        r.add(approved_appointment("other", "2017-02-01", "2017-01-01", "Kepala Bidang Dafduk", "III.b", "AKRAM-2",
                                   "Akram Lain"));
        r.add(approved_appointment("dual", "2017-03-01", "2017-02-01", "Kepala Bidang Capil", "III.b", "AKRAM-1",
                                   "Akram Risa")
                  .concurrently());
        r.add(change("leave", event_kind::dismiss, "2017-05-01", "Sekretaris", "III.a", "AKRAM-1", "Akram Risa")
                  .approved_by("dirjen", "2017-04-01", "AKRAM-1"));
        const audit_result out = r.finish();
        std::vector<finding> doubles;
        for (const finding& f : out.findings)
            if (rule_id(f) == "rangkap") doubles.push_back(f);
        REQUIRE(doubles.size() == 1);
        const finding& f = doubles[0];
        REQUIRE(f.de_facto);
        CHECK(f.de_facto->nip == "AKRAM-1");
        CHECK(f.opened == d("2017-03-01"));
        REQUIRE(f.closed);
        CHECK(*f.closed == d("2017-05-01"));
    }
}

TEST_CASE("a finding opened after another closed carries nothing of the closed one", "[engine]") {
    run r;
    r.add(baseline());
    r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
    r.add(change("back", event_kind::appoint, "2017-09-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo"));
    // A post nobody was recognised in: the new finding knows no de jure holder.
    r.add(change("sek", event_kind::appoint, "2017-10-01", "Sekretaris", "III.a", third, "Tri Utomo"));
    const audit_result out = r.finish();
    REQUIRE(out.findings.size() == 2);
    std::vector<finding> all = out.findings.to_vector();
    std::sort(all.begin(), all.end(), [](const finding& a, const finding& b) { return a.opened < b.opened; });
    const finding& closed = all[0];
    CHECK(closed.event_id == "swap");
    REQUIRE(closed.de_jure);
    CHECK(closed.de_jure->nip == asir);
    REQUIRE(closed.closed);
    CHECK(closed.closed_by == "back");
    const finding& open = all[1];
    CHECK(open.event_id == "sek");
    CHECK(open.position == "Sekretaris");
    REQUIRE(open.de_facto);
    CHECK(open.de_facto->nip == third);
    CHECK_FALSE(open.de_jure);
    CHECK_FALSE(open.closed);
    CHECK_FALSE(open.closed_because);
    CHECK(open.closed_by.empty());
    CHECK_FALSE(open.fix.reinstate);
}

TEST_CASE("a region selection keeps exactly the selected regions' findings, states and timelines", "[engine]") {
    // Asir heads the Disdukcapil of Kota Palopo (73.73) and is then also made
    // head in Kota Kendari (74.71): the double post is found in Kendari only
    // because Palopo's events are still judged when Kendari alone is reported.
    const auto log = [](run& r) {
        r.add(baseline());
        r.add(change("kdi", event_kind::appoint, "2017-03-01", "Kepala Dinas", "II.b", asir, "Asir Mangopo", "74.71")
                  .approved_by("menteri", "2017-02-01", asir)
                  .concurrently());
        r.add(change("swap", event_kind::appoint, "2017-08-11", "Kepala Dinas", "II.b", akram, "Akram Risa"));
        r.add(change("sek", event_kind::appoint, "2017-09-01", "Sekretaris", "III.a", third, "Tri Utomo", "74.07"));
        r.add(region_event("warn", event_kind::warn, "2018-01-10"));
    };
    engine_options all_options;
    all_options.history = true;
    run everything(all_options);
    log(everything);
    const audit_result all = everything.finish();
    REQUIRE(all.regions.size() == 3);
    for (const std::vector<std::string>& selection :
         {std::vector<std::string>{"74.71"}, {"74"}, {"73"}, {"73.73", "74.07"}, {"11"}}) {
        INFO(selection.front() << " and " << selection.size() - 1 << " more");
        engine_options options = all_options;
        options.regions = selection;
        run some(options);
        log(some);
        const audit_result out = some.finish();
        std::vector<std::string> expected, got;
        for (const finding& f : all.findings)
            if (region_selected(selection, f.region)) expected.push_back(f.region + " " + rule_id(f) + " " + f.event_id);
        for (const finding& f : out.findings) got.push_back(f.region + " " + rule_id(f) + " " + f.event_id);
        CHECK(got == expected);
        std::vector<std::string> expected_regions, got_regions;
        for (const region_state& s : all.regions)
            if (region_selected(selection, s.code)) expected_regions.push_back(s.code);
        for (const region_state& s : out.regions) got_regions.push_back(s.code + (s.marks.empty() ? "" : " marked"));
        for (std::string& code : expected_regions)
            if (code == "73.73") code += " marked";
        CHECK(got_regions == expected_regions);
        std::size_t expected_histories = 0;
        for (const post_history& h : all.histories) expected_histories += region_selected(selection, h.region);
        CHECK(out.histories.size() == expected_histories);
        for (const post_history& h : out.histories) CHECK(region_selected(selection, h.region));
        CHECK(out.evaluated == all.evaluated);
    }
    const auto rules_in = [&](const std::vector<std::string>& selection) {
        engine_options options;
        options.regions = selection;
        run r(options);
        log(r);
        std::vector<std::string> ids;
        for (const finding& f : r.finish().findings) ids.push_back(rule_id(f));
        return ids;
    };
    const std::vector<std::string> kendari = rules_in({"74.71"});
    CHECK(std::count(kendari.begin(), kendari.end(), "rangkap") == 1);
    CHECK(region_selected({}, "73.73"));
    CHECK(region_selected({"73"}, "73.73"));
    CHECK_FALSE(region_selected({"7"}, "73.73"));
    CHECK_FALSE(region_selected({"73.7"}, "73.73"));
    CHECK_FALSE(region_selected({"73.73"}, "73"));
}

TEST_CASE("thousands of people and posts: each is found again, whatever the spelling, and left posts are forgotten",
          "[engine]") {
    // Person i takes a post in region i (its own), a second post concurrently
    // (a double post), leaves the first and moves on to a third: the tables
    // of posts, regions and holdings grow, and people leave them again.
    constexpr int people = 2000;
    const auto region = [](int i) { return fmt::format("{:02}.{:02}", 11 + i / 90, 1 + i % 90); };
    const auto nip = [](int i) { return fmt::format("1970021519950{:05}", i); };
    std::vector<std::string> regions, nips;
    for (int i = 0; i < people; ++i) {
        regions.push_back(region(i));
        nips.push_back(nip(i));
    }
    const auto step = [&](int i, const char* id, event_kind kind, const char* on, const char* position,
                          const char* rank) {
        change c(id, kind, on, position, rank, nips[i].c_str(), "Orang", regions[i].c_str());
        c.e.id = fmt::format("{}-{}", id, i);
        return std::move(c.approved_by("dirjen", "2016-12-01", nips[i].c_str()));
    };
    run r;
    for (int i = 0; i < people; ++i)
        r.add(step(i, "first", event_kind::appoint, "2017-01-01", "Sekretaris", "III.a"));
    for (int i = 0; i < people; ++i)
        r.add(step(i, "second", event_kind::appoint, "2017-03-01", "Kepala Bidang Capil", "III.b").concurrently());
    // The first post again, spelt another way.
    for (int i = 0; i < people; ++i)
        r.add(step(i, "leave", event_kind::dismiss, "2017-05-01", "  SEKRETARIS ", "III.a"));
    for (int i = 0; i < people; ++i)
        r.add(step(i, "third", event_kind::transfer, "2017-07-01", "Kepala Bidang Dafduk", "III.b"));
    REQUIRE(r.rejected.empty());

    const index_t unit = shipped().find_unit("disdukcapil");
    for (const int i : {0, 1, 89, 90, people / 2, people - 1}) {
        INFO("person " << i);
        const auto first = r.eng.post_state(regions[i], unit, "sekretaris");
        REQUIRE(first);
        CHECK_FALSE(first->facto);
        const auto second = r.eng.post_state(regions[i], unit, "Kepala Bidang Capil");
        REQUIRE(second);
        CHECK_FALSE(second->facto);
        const auto third = r.eng.post_state(regions[i], unit, "kepala bidang dafduk");
        REQUIRE(third);
        REQUIRE(third->facto);
        CHECK(third->facto->who.nip == nips[i]);
    }

    const audit_result out = r.finish();
    std::vector<int> doubles(people, 0);
    for (const finding& f : out.findings) {
        if (rule_id(f) != "rangkap") continue;
        REQUIRE(f.event_id.rfind("second-", 0) == 0);
        const int i = std::stoi(f.event_id.substr(7));
        ++doubles[static_cast<std::size_t>(i)];
        CHECK(f.region == regions[static_cast<std::size_t>(i)]);
        CHECK(f.opened == d("2017-03-01"));
        REQUIRE(f.closed);
        CHECK(*f.closed == d("2017-05-01"));
        CHECK(f.closed_by == fmt::format("leave-{}", i));
    }
    CHECK(std::count(doubles.begin(), doubles.end(), 1) == people);
}

TEST_CASE("post timelines give back the views noted, from memory or the temporary file, in chunks of any size",
          "[engine]") {
    // People: one NIP under two spellings of a name, a name with the byte
    // that once separated the stored texts, an empty name, a name longer than
    // 127 bytes (its length takes two bytes).
    std::vector<person> people;
    for (int i = 0; i < 9; ++i) people.push_back({fmt::format("19800101{:010d}", i), fmt::format("P{}", i)});
    people.push_back({people[1].nip, "Other Spelling"});
    people.push_back({fmt::format("19800101{:010d}", 10), "A\x1f" "B"});
    people.push_back({fmt::format("19800101{:010d}", 11), ""});
    people.push_back({fmt::format("19800101{:010d}", 12), std::string(300, 'L')});

    // What is noted: per timeline, views in date order, often several on one day.
    struct noted {
        std::size_t post;
        date on;
        std::optional<holder> facto, jure;
        bool known = false;
    };
    constexpr std::size_t posts = 5;
    std::vector<noted> notes;
    std::uint64_t seed = 12345;
    const auto next = [&](std::uint64_t n) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return (seed >> 33) % n;
    };
    std::vector<date> day(posts, d("2015-01-01"));
    const auto someone = [&]() -> std::optional<holder> {
        if (next(6) == 0) return std::nullopt;
        return holder{people[next(people.size())], date::min(), next(3) == 0};  // `since` is not noted
    };
    for (int i = 0; i < 4000; ++i) {
        const std::size_t p = next(posts);
        if (next(3) != 0) day[p] = day[p] + static_cast<std::int32_t>(1 + next(40));
        noted n{p, day[p], someone(), someone(), next(4) != 0};
        if (next(3) == 0) n.jure = n.facto;              // the recognised holder holds the post
        if (next(4) == 0 && i > 0) n.facto = notes.back().facto;  // views that change nothing, or one side
        notes.push_back(n);
    }

    // The timelines expected: the last state of a day counts, a view like the
    // one before adds nothing, and a holder keeps the day they began while the
    // same person holds on, acting or not as before.
    const auto same_person = [](const std::optional<holder>& a, const std::optional<holder>& b) {
        return a.has_value() == b.has_value() && (!a || (a->who.nip == b->who.nip && a->who.name == b->who.name));
    };
    const auto same_view = [&](const noted& a, const noted& b) {
        return same_person(a.facto, b.facto) && same_person(a.jure, b.jure) && a.known == b.known &&
               (!a.facto || a.facto->acting == b.facto->acting) && (!a.jure || a.jure->acting == b.jure->acting);
    };
    std::vector<std::vector<noted>> kept(posts);
    for (const noted& n : notes) {
        std::vector<noted>& h = kept[n.post];
        if (!h.empty() && h.back().on == n.on) h.pop_back();
        if (!h.empty() && same_view(h.back(), n)) continue;
        h.push_back(n);
    }
    const auto held = [&](const std::optional<holder>& now, date on, const std::optional<holder>& before) {
        if (!now) return std::optional<holder>();
        if (same_person(now, before) && before->acting == now->acting) return before;
        return std::optional<holder>(holder{now->who, on, now->acting});
    };
    std::vector<std::vector<view_change>> expected(posts);
    for (std::size_t p = 0; p < posts; ++p) {
        for (const noted& n : kept[p]) {
            const view_change* before = expected[p].empty() ? nullptr : &expected[p].back();
            expected[p].push_back({n.on, held(n.facto, n.on, before ? before->facto : std::nullopt),
                                   held(n.jure, n.on, before ? before->jure : std::nullopt), n.known});
        }
        CHECK(expected[p].size() > 200);
    }

    const auto same_holder = [](const std::optional<holder>& a, const std::optional<holder>& b) {
        return a.has_value() == b.has_value() &&
               (!a || (a->who.nip == b->who.nip && a->who.name == b->who.name && a->since == b->since &&
                       a->acting == b->acting));
    };
    // In memory and one chunk a post; every chunk in the file, one view a
    // chunk or a few; the default.
    for (const auto& [memory, chunk] : std::vector<std::pair<std::size_t, std::size_t>>{
             {std::size_t{64} << 20, std::size_t{64} << 20}, {0, 1}, {0, 100}, {1000, 300},
             {post_histories::default_memory_bytes, post_histories::default_chunk_bytes}}) {
        INFO("memory " << memory << ", chunk " << chunk);
        post_histories h(memory, chunk);
        std::vector<std::uint32_t> timelines(posts + 1, post_histories::no_timeline);
        for (const noted& n : notes) h.note(timelines[n.post], n.on, n.facto, n.jure, n.known);
        // the last post's views are dropped; a post never noted has none
        h.note(timelines[posts], d("2020-01-01"), holder{people[0], d("2020-01-01"), false}, std::nullopt, false);
        for (std::size_t p = 0; p + 1 < posts; ++p)
            h.add("73.73", static_cast<index_t>(p), fmt::format("Post {}", p), timelines[p]);
        h.add("73.74", 1, "Sekretaris", post_histories::no_timeline);
        h.stop_noting();
        REQUIRE(h.size() == posts);
        CHECK(h.region(posts - 1) == "73.74");
        CHECK(h.unit(posts - 1) == 1);
        CHECK(h.position(posts - 1) == "Sekretaris");
        CHECK(h[posts - 1].changes.empty());
        const post_histories copy = h;  // shares the stored chunks
        for (std::size_t p = 0; p + 1 < posts; ++p) {
            INFO("post " << p);
            // read twice, the second time after reading the others
            for (const post_history& read : {h[p], copy[(p + 1) % (posts - 1)], copy[p]}) {
                if (read.position != fmt::format("Post {}", p)) continue;
                CHECK(read.region == "73.73");
                CHECK(read.unit == static_cast<index_t>(p));
                REQUIRE(read.changes.size() == expected[p].size());
                for (std::size_t k = 0; k < read.changes.size(); ++k) {
                    INFO("view " << k);
                    const view_change& got = read.changes[k];
                    const view_change& want = expected[p][k];
                    CHECK(got.on == want.on);
                    CHECK(same_holder(got.facto, want.facto));
                    CHECK(same_holder(got.jure, want.jure));
                    CHECK(got.jure_known == want.jure_known);
                }
            }
        }
        std::size_t seen = 0;
        for (const post_history& each : h) seen += each.region.empty() ? 0 : 1;
        CHECK(seen == posts);
    }
}

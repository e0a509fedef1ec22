// patuh explain: each rule considered with its reason, each approval examined.

#include "golden.hpp"
#include "shipped.hpp"

#include <catch2/catch.hpp>

#include <patuh/csv_import.hpp>
#include <patuh/event.hpp>
#include <patuh/explain.hpp>

#include <sstream>

using namespace patuh;
using patuh::testing::shipped;

namespace {

event appointment(const char* id, const char* on, const char* region, const char* rank) {
    const rule_set& r = shipped();
    event e;
    e.id = id;
    e.kind = event_kind::appoint;
    e.effective = *date::parse(on);
    e.region = region;
    e.level = r.level_of_region(region);
    e.unit_text = "disdukcapil";
    e.unit = r.find_unit("disdukcapil");
    e.position = "Sekretaris";
    e.rank = r.find_rank(rank);
    e.who = {"197506062000031001", "Sekretaris baru"};
    return e;
}

approval from(const char* authority, const char* on, const char* nip = "", const char* position = "") {
    approval a;
    a.authority = shipped().find_authority(authority);
    a.authority_text = authority;
    a.issued = *date::parse(on);
    a.nip = nip;
    a.position = position;
    return a;
}

const rule_consideration& about(const explanation& x, const char* rule_id) {
    for (const rule_consideration& c : x.rules)
        if (shipped().rules.at(c.rule).id == rule_id) return c;
    FAIL("no consideration of " << rule_id);
    throw;
}

explanation explain_one(const event& e) {
    explainer ex(shipped(), e.id);
    ex.add(e);
    REQUIRE(ex.found());
    return ex.finish();
}

}  // namespace

TEST_CASE("explain: rules that do not apply say why", "[explain]") {
    const explanation before = explain_one(appointment("x", "2015-11-01", "74.05", "III.a"));
    CHECK(about(before, "eselon_iii").why_not == mismatch::out_of_force);
    const explanation in_force = explain_one(appointment("x", "2017-01-01", "74.05", "III.a"));
    CHECK(about(in_force, "kadis").why_not == mismatch::rank);
    CHECK(about(in_force, "eselon_iii").judged());
    CHECK(about(in_force, "eselon_iii").result == outcome::violated);
    REQUIRE(in_force.opened.size() == 1);
}

TEST_CASE("explain: exempted by the event's reason", "[explain]") {
    event e = appointment("x", "2017-01-01", "74.05", "III.a");
    e.kind = event_kind::dismiss;
    e.why = reason::death;
    const explanation x = explain_one(e);
    const rule_consideration& c = about(x, "eselon_iii");
    CHECK(c.why_not == mismatch::none);
    REQUIRE(c.exempted);
    CHECK(*c.exempted == reason::death);
    CHECK_FALSE(c.judged());
}

TEST_CASE("explain: each approval examined with the reason it is or is not accepted", "[explain]") {
    event e = appointment("x", "2017-01-01", "74.05", "III.a");
    e.approvals = {from("direktur", "2016-12-01"),                                      // too low
                   from("dirjen", "2017-01-02"),                                        // late
                   from("dirjen", "2016-12-01", "196504121990031007"),                  // another person
                   from("dirjen", "2016-12-01", "", "Kepala Dinas"),                    // another post
                   from("menteri", "2016-12-01")};                                      // higher: accepted
    const explanation x = explain_one(e);
    const rule_consideration& c = about(x, "eselon_iii");
    REQUIRE(c.approvals.size() == 5);
    CHECK(c.approvals[0].fault == approval_fault::authority);
    CHECK(c.approvals[1].fault == approval_fault::late);
    CHECK(c.approvals[2].fault == approval_fault::person);
    CHECK(c.approvals[3].fault == approval_fault::position);
    CHECK(c.approvals[4].fault == approval_fault::none);
    CHECK(c.result == outcome::approved);
    CHECK(x.opened.empty());
    REQUIRE(x.after);
    REQUIRE(x.after->jure);
    CHECK(x.after->jure->who.nip == e.who.nip);
}

TEST_CASE("explain: an approval is written with its authority, its number when it has one, and its date",
          "[explain][golden]") {
    event e = appointment("x", "2017-01-01", "74.05", "III.a");
    e.source = "log.jsonl";
    e.line = 1;
    e.approvals = {from("dirjen", "2016-12-01"), from("direktur", "2016-12-01"), from("dirjen", "2017-01-02")};
    e.approvals[1].number = "470/12/DUKCAPIL";
    const explanation x = explain_one(e);
    const std::string en = render_explanation_text(x, shipped(), lang::en);
    const std::string id = render_explanation_text(x, shipped(), lang::id);
    CHECK_THAT(en, Catch::Contains("approval #1 from dirjen, dated 2016-12-01: accepted\n"));
    CHECK_THAT(en, Catch::Contains("approval #2 from direktur, no. 470/12/DUKCAPIL, dated 2016-12-01: not accepted"));
    CHECK_THAT(id, Catch::Contains("persetujuan #1 dari dirjen, tanggal 2016-12-01: diterima\n"));
    CHECK_THAT(id, Catch::Contains("persetujuan #2 dari direktur, nomor 470/12/DUKCAPIL, tanggal 2016-12-01: tidak diterima"));
    for (const std::string* text : {&en, &id}) {  // no word left out between two spaces
        std::istringstream lines(*text);
        for (std::string line; std::getline(lines, line);) {
            const std::size_t approval = line.find('#');
            if (approval == std::string::npos) continue;
            INFO(line);
            CHECK(line.find("  ", approval) == std::string::npos);
        }
    }
    patuh::testing::check_golden("explain/approvals.en.txt", en);
    patuh::testing::check_golden("explain/approvals.id.txt", id);
}

TEST_CASE("explain: a Plt named while the head is in office is judged by the rank rule, not the Plt rule",
          "[explain]") {
    event head = appointment("k1", "2022-01-10", "73.73", "II");
    head.position = "Kepala Dinas";
    head.who = {"196504121990031007", "Pejabat Lama"};
    head.approvals = {from("menteri", "2022-01-03")};
    event plt = appointment("k2", "2023-02-01", "73.73", "II");
    plt.kind = event_kind::acting;
    plt.position = "Kepala Dinas";
    plt.who = {"196606061991031009", "Plt Kepala Dinas"};

    explainer ex(shipped(), "k2");
    ex.add(head);
    ex.add(plt);
    REQUIRE(ex.found());
    const explanation held = ex.finish();
    CHECK(about(held, "plt_plh").why_not == mismatch::vacant);
    CHECK(about(held, "jpt_pratama").result == outcome::violated);
    const std::string text = render_explanation_text(held, shipped(), lang::en);
    CHECK_THAT(text, Catch::Contains("the post is held by someone; the rule is only for a vacant post"));

    // the same Plt on a post nobody holds: allowed
    const explanation vacant = explain_one(plt);
    CHECK(about(vacant, "plt_plh").result == outcome::allowed);
    CHECK(about(vacant, "jpt_pratama").overridden_by);
    CHECK(vacant.opened.empty());
}

TEST_CASE("explain: control characters from the input are shown as escapes in the text", "[explain][golden]") {
    // ESC sequences, a bell, a carriage return, a tab, a line break and a C1
    // control (U+009B) in a source name, an event id, a post, a unit, names
    // and approvals as written.
    const std::string source = "log\x1b[1m.jsonl";
    const std::string log =
        R"({"id":"e1","kind":"appoint","date":"2016-02-01","region":"73.73","unit":"disdukcapil",)"
        R"("position":"Kepala\u001b[31m Dinas","rank":"II.b","person":{"nip":"196504121990031007",)"
        R"("name":"Asir\u0007 Mangopo"},"approvals":[{"authority":"menteri","number":"SK\r1","date":"2016-01-20",)"
        R"("nip":"196504121990031007"}]})" "\n"
        R"({"id":"e\u001b[2J2","kind":"appoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil",)"
        R"("position":"Kepala\u001b[31m Dinas","rank":"II.b","person":{"nip":"197002151995031002",)"
        R"("name":"Akram\nRisa \u009b fake"},"approvals":[{"authority":"menteri","number":"SK\u001b]0;x\u0007",)"
        R"("date":"2017-09-01"},{"authority":"menteri","date":"2017-08-01","position":"Sekretaris\u001b[2K"}]})" "\n"
        R"({"id":"e3\ttab","kind":"appoint","date":"2017-08-11","region":"73.73","unit":"dukcapil\u001b[8m",)"
        R"("position":"Kabid\tX","rank":"III.a","person":{"nip":"197506062000031001","name":"Risa\u007f"}})" "\n";
    const auto explain = [&](const std::string& id) {
        explainer ex(shipped(), id);
        std::istringstream in(log);
        read_events(in, source, shipped(), [&](const event& e) { ex.add(e); }, [](rejection&&) { FAIL("rejected"); });
        REQUIRE(ex.found());
        return ex.finish();
    };
    const explanation target = explain("e\x1b[2J2");
    const explanation uncovered = explain("e3\ttab");
    for (const lang l : {lang::en, lang::id}) {
        const std::string text = render_explanation_text(target, shipped(), l) + "\n" +
                                 render_explanation_text(uncovered, shipped(), l);
        patuh::testing::check_no_control_characters(text);
        patuh::testing::check_golden(l == lang::en ? "explain/control.en.txt" : "explain/control.id.txt", text);
    }
}

TEST_CASE("explain: a rejected record is the target's when its decoded top-level id is the target's", "[explain]") {
    const std::string record_of = R"(","kind":"apoint","date":"2017-08-11","region":"73.73","unit":"disdukcapil",)"
                                  R"("position":"Sekretaris","rank":"III.a","person":{"nip":"197506062000031001")";
    const std::string lines =
        R"({"id":"\u0045V-1)" + record_of + "}}\n" +                                        // 1: the id with escapes
        R"({"id":"x2)" + record_of + R"(,"name":"EV-2"}})" "\n" +                            // 2: EV-2 only as a name
        R"({"kind":"apoint","person":{"id":"EV-2"},"id":"x3"})" "\n" +                      // 3: EV-2 only deeper down
        R"({"id":"EV-3)" + record_of + R"(,"name":")" + std::string(5000, 'n') + "\"}}\n" +  // 4: cut short in raw
        R"({"id":"EV-4","kind":"apoint",broken)" "\n" +                                      // 5: broken after the id
        R"({"id":["EV-5"],"kind":"apoint"})" "\n" +                                        // 6: not a string
        R"(["EV-5"])" "\n";                                                                 // 7: not an object
    const auto rejected = [](const std::string& text, const std::string& id) {
        explainer ex(shipped(), id);
        std::istringstream in(text);
        read_events(in, "log.jsonl", shipped(), [&](const event& e) { ex.add(e); },
                    [&](rejection&& r) { ex.add_rejected(std::move(r)); });
        CHECK_FALSE(ex.found());
        return ex.rejected();
    };
    const std::optional<rejection> ev1 = rejected(lines, "EV-1");
    REQUIRE(ev1);
    CHECK(ev1->line == 1);
    CHECK(ev1->code == "R0106");
    CHECK_FALSE(rejected(lines, "EV-2"));
    const std::optional<rejection> ev3 = rejected(lines, "EV-3");
    REQUIRE(ev3);
    CHECK(ev3->line == 4);
    CHECK(ev3->raw.size() < 5000);
    const std::optional<rejection> ev4 = rejected(lines, "EV-4");
    REQUIRE(ev4);
    CHECK(ev4->line == 5);
    CHECK_FALSE(rejected(lines, "EV-5"));
    CHECK_FALSE(rejected(lines, "\\u0045V-1"));  // the id as written is not the id

    // An element of a JSON array, on the line it starts on.
    const std::string array = std::string("[\n") + R"({"id":"ok","kind":"warn","date":"2017-01-01","region":"73.73"},)" +
                              "\n" R"({"id":"E\u0056-1)" + record_of + "}}\n]\n";
    const std::optional<rejection> element = rejected(array, "EV-1");
    REQUIRE(element);
    CHECK(element->line == 3);
}

namespace {

// What `patuh explain` finds for `id` in a log: the event explained (its id),
// or the rejected record that says why there is none.
struct lookup {
    std::optional<std::string> event;
    std::optional<rejection> rejected;
};

lookup look_up(const std::string& id, const std::string& text, const std::string& source) {
    explainer ex(shipped(), id);
    std::istringstream in(text);
    const event_sink on_event = [&](const event& e) { ex.add(e); };
    const rejection_sink on_reject = [&](rejection&& r) { ex.add_rejected(std::move(r)); };
    if (source.ends_with(".csv")) import_csv(in, source, shipped(), on_event, on_reject);
    else read_events(in, source, shipped(), on_event, on_reject);
    lookup out;
    if (ex.found()) out.event = ex.finish().subject.id;
    else out.rejected = ex.rejected();
    return out;
}

}  // namespace

TEST_CASE("explain: a CSV row is found by its event's id or its place, also when it was rejected", "[explain]") {
    const std::string tail = ";Kepala Dinas;II.b;Disdukcapil;01-02-2016;73.73\n";
    const std::string csv = "ID;NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                            "EV-1;196504121990031007;Asir" + tail +          // 2: accepted
                            "EV-2;1965041219900310;Asir" + tail +            // 3: R0108
                            "EV-3;197002151995031002;Andi; Baso" + tail +    // 4: R0201
                            ";197002151995031002;Akram" + tail;              // 5: accepted, no id of its own
    const auto rejected_at = [&](const std::string& id) {
        const lookup l = look_up(id, csv, "data/riwayat.csv");
        CHECK_FALSE(l.event);
        return l.rejected ? l.rejected->line : 0;
    };
    CHECK(look_up("EV-1", csv, "data/riwayat.csv").event == "EV-1");
    CHECK(look_up("riwayat.csv:2", csv, "data/riwayat.csv").event == "EV-1");       // the file's name
    CHECK(look_up("data/riwayat.csv:2", csv, "data/riwayat.csv").event == "EV-1");  // the file as given
    const lookup ev2 = look_up("EV-2", csv, "data/riwayat.csv");
    REQUIRE(ev2.rejected);
    CHECK(ev2.rejected->line == 3);
    CHECK(ev2.rejected->code == "R0108");
    CHECK(rejected_at("riwayat.csv:3") == 3);
    CHECK(rejected_at("data/riwayat.csv:3") == 3);
    CHECK(rejected_at("riwayat.csv:4") == 4);
    CHECK(rejected_at("EV-3") == 0);  // the values of a row with a delimiter too many cannot be told apart
    CHECK(look_up("riwayat.csv:5", csv, "data/riwayat.csv").event == "riwayat.csv:5");

    // Not the place of a record: another file, another folder, no line, line 0.
    for (const char* elsewhere : {"other.csv:3", "old/riwayat.csv:3", "riwayat.csv:", "riwayat.csv:0", ":3",
                                  "riwayat.csv:3x", "riwayat.csv:-3", "riwayat.csv:99"}) {
        INFO(elsewhere);
        const lookup l = look_up(elsewhere, csv, "data/riwayat.csv");
        CHECK_FALSE(l.event);
        CHECK_FALSE(l.rejected);
    }

    // Without an id column a row's event is FILE:LINE, accepted or rejected.
    const std::string plain = "NIP;Nama;Jabatan;Eselon;Unit Kerja;TMT Jabatan;Kode Wilayah\n"
                              "196504121990031007;Asir" + tail + "1965041219900310;Asir" + tail;
    CHECK(look_up("riwayat.csv:2", plain, "data/riwayat.csv").event == "riwayat.csv:2");
    const lookup row_3 = look_up("riwayat.csv:3", plain, "data/riwayat.csv");
    REQUIRE(row_3.rejected);
    CHECK(row_3.rejected->code == "R0108");
    CHECK(row_3.rejected->source == "data/riwayat.csv");
}

TEST_CASE("explain: a JSON Lines record is found by FILE:LINE as well as by its id", "[explain]") {
    const std::string log =
        R"({"id":"e1","kind":"appoint","date":"2016-02-01","region":"73.73","unit":"disdukcapil",)"
        R"("position":"Kepala Dinas","rank":"II.b","person":{"nip":"196504121990031007"}})" "\n"
        "\n"
        R"({"id":"e3","kind":"apoint","date":"2016-02-01"})" "\n"
        R"({"kind":"warn","date":"2016-02-01"})" "\n";
    CHECK(look_up("log.jsonl:1", log, "in/log.jsonl").event == "e1");
    CHECK(look_up("in/log.jsonl:1", log, "in/log.jsonl").event == "e1");
    const lookup misspelt = look_up("log.jsonl:3", log, "in/log.jsonl");
    REQUIRE(misspelt.rejected);
    CHECK(misspelt.rejected->code == "R0106");
    const lookup no_id = look_up("log.jsonl:4", log, "in/log.jsonl");  // a record without an id
    REQUIRE(no_id.rejected);
    CHECK(no_id.rejected->code == "R0104");
    const lookup blank = look_up("log.jsonl:2", log, "in/log.jsonl");  // a blank line is not a record
    CHECK_FALSE(blank.event);
    CHECK_FALSE(blank.rejected);
}

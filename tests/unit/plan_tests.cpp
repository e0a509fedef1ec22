// patuh plan: reading plans, and every verdict, deadline, window, effect and
// conflict a plan can give, against the shipped rules.

#include "golden.hpp"
#include "rules_text.hpp"
#include "shipped.hpp"

#include <patuh/plan.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

using namespace patuh;
using patuh::testing::shipped;

namespace {

// NIPs of the people in these tests.
constexpr const char* kadis = "196603151990031004";
constexpr const char* sekretaris = "197104221996032002";
constexpr const char* kabid_a = "197509102000121003";
constexpr const char* kabid_b = "197802142003122001";
constexpr const char* kasi = "198307302009011006";
constexpr const char* outsider = "198612242011011009";

date day(const char* iso) { return *date::parse(iso); }

// An appointment the centre approved, as a state record.
std::string approved(const std::string& id, const std::string& position, const std::string& rank, const char* nip,
                     const std::string& authority = "menteri") {
    return R"({"id":")" + id + R"(","kind":"appoint","date":"2022-03-01","region":"73.73","unit":"disdukcapil","position":")" +
           position + R"(","rank":")" + rank + R"(","person":{"nip":")" + nip + R"("},"approvals":[{"authority":")" +
           authority + R"(","date":"2022-02-20"}]})" + "\n";
}

// The posts of a small Disdukcapil in 2022, every holder approved.
std::string agency() {
    return approved("s1", "Kepala Dinas", "II.b", kadis) + approved("s2", "Sekretaris", "III.a", sekretaris) +
           approved("s3", "Kepala Bidang A", "III.b", kabid_a) + approved("s4", "Kepala Bidang B", "III.b", kabid_b) +
           approved("s5", "Kepala Seksi C", "IV.a", kasi);
}

plan_input read_csv(const std::string& text, const rule_set& rules = shipped()) {
    std::istringstream in(text);
    return read_plan(in, "plan.csv", rules);
}

struct options {
    std::string state;
    const char* today = "2025-01-02";
    bool assume_approved = false;
    const rule_set* rules = nullptr;
};

plan_result plan(const std::string& csv, const options& o = {}) {
    const rule_set& rules = o.rules ? *o.rules : shipped();
    planner p(rules, {day(o.today), o.assume_approved});
    std::istringstream state(o.state);
    read_events(state, "state.jsonl", rules, [&](const event& e) { p.add_state(e); },
                [&](rejection&& r) { p.add_state_rejection(std::move(r)); });
    plan_input in = read_csv(csv, rules);
    REQUIRE(!in.fatal);
    return p.finish(std::move(in));
}

const std::string header = "nip,name,from,to,unit,rank,from_rank,region,effective,reason,approvals\n";

std::string row(const char* nip, const std::string& from, const std::string& to, const std::string& rank,
                const std::string& from_rank, const std::string& effective, const std::string& reason = "",
                const std::string& approvals = "") {
    return std::string(nip) + ",," + from + "," + to + ",disdukcapil," + rank + "," + from_rank + ",73.73," + effective +
           "," + reason + "," + approvals + "\n";
}

std::vector<std::string> rule_ids(const move_result& m, requirement_status s) {
    std::vector<std::string> out;
    for (const plan_requirement& q : m.requirements)
        if (q.status == s) out.push_back(shipped().rules[q.rule].id);
    return out;
}

const plan_effect* effect(const move_result& m, effect_kind k) {
    const auto it = std::find_if(m.effects.begin(), m.effects.end(), [k](const plan_effect& e) { return e.kind == k; });
    return it == m.effects.end() ? nullptr : &*it;
}

bool has_conflict(const move_result& m, conflict_kind k) {
    return std::any_of(m.conflicts.begin(), m.conflicts.end(), [k](const plan_conflict& c) { return c.kind == k; });
}

}  // namespace

TEST_CASE("plan: English and Indonesian headers, JSON arrays and JSON Lines give the same moves", "[plan]") {
    const plan_input en = read_csv(
        "nip,name,from,to,unit,rank,from_rank,region,effective,approvals\n"
        "197104221996032002,Hasnah,Sekretaris,Kepala Dinas,Disdukcapil,II.b,III.a,73.73,2025-03-03,menteri:2025-01-10:800/1/SJ\n");
    const plan_input id = read_csv(
        "NIP;Nama;Jabatan Lama;Jabatan Baru;Unit Kerja;Eselon;Eselon Lama;Kode Wilayah;TMT;Persetujuan\n"
        "1971 0422 1996 03 2 002;Hasnah;Sekretaris;Kepala Dinas;Dukcapil;JPT Pratama;eselon III.a;73.73;2025-03-03;Mendagri:2025-01-10:800/1/SJ\n");
    std::istringstream array(R"([
  {"nip": "197104221996032002", "name": "Hasnah", "from": "Sekretaris", "to": "Kepala Dinas", "unit": "Disdukcapil",
   "rank": "II.b", "from_rank": "III.a", "region": "73.73", "effective": "2025-03-03",
   "approvals": [{"authority": "menteri", "date": "2025-01-10", "number": "800/1/SJ"}]}
])");
    const plan_input json_array = read_plan(array, "plan.json", shipped());
    std::istringstream lines(
        "\n{\"nip\": \"197104221996032002\", \"Jabatan Lama\": \"Sekretaris\", \"Jabatan Baru\": \"Kepala Dinas\", "
        "\"unit\": \"Disdukcapil\", \"rank\": \"II.b\", \"Eselon Lama\": \"III.a\", \"region\": \"73.73\", \"TMT\": "
        "\"2025-03-03\", \"approvals\": [{\"authority\": \"menteri\", \"date\": \"2025-01-10\"}]}\n");
    const plan_input json_lines = read_plan(lines, "plan.jsonl", shipped());
    for (const plan_input* in : {&en, &id, &json_array, &json_lines}) {
        INFO((in->moves.empty() ? std::string("no move") : in->moves[0].source));
        REQUIRE(in->rejected.empty());
        REQUIRE(in->moves.size() == 1);
        const plan_move& m = in->moves[0];
        CHECK(m.who.nip == sekretaris);
        CHECK(m.act == action::transfer);
        CHECK(m.from.title == "Sekretaris");
        CHECK(m.from.rank == shipped().find_rank("III"));
        CHECK(m.to.title == "Kepala Dinas");
        CHECK(m.to.rank == shipped().find_rank("II"));
        CHECK(m.to.covered);
        CHECK(m.effective == day("2025-03-03"));
        REQUIRE(m.approvals.size() == 1);
        CHECK(m.approvals[0].authority == shipped().find_authority("menteri"));
        CHECK(m.approvals[0].nip == sekretaris);
    }
    CHECK(en.moves[0].row == 2);
    CHECK(id.moves[0].row == 2);
    CHECK(json_array.moves[0].row == 1);  // the element
    CHECK(json_lines.moves[0].row == 2);  // the line
    CHECK(en.moves[0].id == "row 2");
}

TEST_CASE("plan: dates, reasons and actions as HR spreadsheets write them, as the CSV import reads them", "[plan]") {
    const plan_input in = read_csv(
        "NIP;Nama;Jabatan Lama;Jabatan Baru;Unit Kerja;Eselon;Kode Wilayah;TMT;Alasan;Tindakan\n"
        "196603151990031004;Andi Baso;Kepala Dinas;;Disdukcapil;II.b;73.73;1 Oktober 2024;Meninggal Dunia;\n"
        "197104221996032002;Hasnah;;Kepala Dinas;Disdukcapil;II.b;73.73;02/10/2024;;Plt.\n"
        "197509102000121003;Muhammad Arfah;Sekretaris;;Disdukcapil;III.a;73.73;2024-10-03;Berhenti atas permintaan sendiri;\n"
        "198307302009011006;Ahmad Fauzi;Sekretaris;Kepala Dinas;Disdukcapil;II.b;73.73;4 Okt 2024;;Pelantikan\n");
    REQUIRE(in.moves.size() == 3);
    CHECK(in.moves[0].effective == day("2024-10-01"));
    CHECK(in.moves[0].why == reason::death);
    CHECK(in.moves[1].effective == day("2024-10-02"));
    CHECK(in.moves[1].act == action::acting);
    CHECK(in.moves[2].why == reason::resignation);
    REQUIRE(in.rejected.size() == 1);  // an inauguration is not a move of a plan
    CHECK(in.rejected[0].code == "P0111");
    CHECK(in.rejected[0].row == 5);
}

TEST_CASE("plan: every malformed row is rejected with its row and code, the rest is planned", "[plan]") {
    const plan_input in = read_csv(
        header +                                                                                  // row 1
        row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +                // 2 good
        row("19710422199603200", "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +       // 3 P0106
        row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-02-30") +                  // 4 P0108
        row(kasi, "Kepala Seksi C", "Kepala Bidang A", "V.a", "", "2025-03-03") +                 // 5 P0109
        row(kadis, "Kepala Dinas", "", "II", "", "2025-03-03", "cuti") +                          // 6 P0110
        row(kadis, "Kepala Dinas", "Sekretaris", "III", "II", "2025-03-03", "pensiun") +          // 7 P0110
        row(kasi, "Kepala Seksi C", "Kepala Bidang B", "III", "IV", "2025-03-03", "", "menteri") +  // 8 P0112
        row(kasi, "Kepala Seksi C", "Kepala Bidang B", "III", "IV", "2025-03-03", "", "sekda:2025-01-01") +  // 9 P0112
        row(outsider, "", "", "IV", "", "2025-03-03") +                                           // 10 P0105
        "198612242011011009,,a,b\n" +                                                             // 11 P0104
        row(kabid_b, "Kepala Bidang B", "kepala  bidang b", "III", "", "2025-03-03") +           // 12 P0113
        row(kabid_b, "Kepala Bidang B", "Kepala Bidang A", "III", "", "2025-03-03") +            // 13 good
        "197802142003122001,,Kepala Bidang B,Kepala Bidang A,disdukcapil,III,,73.7,2025-03-03,,\n" +  // 14 P0107
        "197802142003122001,,Kepala Bidang B,Kepala Bidang A,disdukcapil,III,,,2025-03-03,,\n");    // 15 P0105
    std::vector<std::pair<std::uint64_t, std::string>> got;
    for (const plan_rejection& r : in.rejected) {
        got.emplace_back(r.row, r.code);
        CHECK(!r.reason.id.empty());
        CHECK(!r.reason.en.empty());
        CHECK(r.reason.id != r.reason.en);
    }
    const std::vector<std::pair<std::uint64_t, std::string>> expected = {
        {3, "P0106"}, {4, "P0108"}, {5, "P0109"},  {6, "P0110"},  {7, "P0110"},  {8, "P0112"},
        {9, "P0112"}, {10, "P0105"}, {11, "P0104"}, {12, "P0113"}, {14, "P0107"}, {15, "P0105"}};
    CHECK(got == expected);
    REQUIRE(in.moves.size() == 2);
    CHECK(in.moves[0].row == 2);
    CHECK(in.moves[1].row == 13);
    CHECK(in.rows == 14);
}

TEST_CASE("plan: a CSV row over 1 MiB is rejected on its own and the rows after it are read", "[plan]") {
    // Row 3 has a quoted name of 1.2 MB across two lines; row 5 starts on the line after it.
    const std::string long_name = "\"" + std::string(600000, 'a') + "\n" + std::string(600000, 'b') + "\"";
    const plan_input in = read_csv(
        header +                                                                                  // line 1
        row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +                // 2
        std::string(kasi) + "," + long_name + ",Kepala Seksi C,,disdukcapil,,IV,73.73,2025-03-03,,\n" +  // 3-4
        row(kabid_b, "Kepala Bidang B", "Kepala Bidang A", "III", "", "2025-03-03"));             // 5
    REQUIRE(!in.fatal);
    REQUIRE(in.rejected.size() == 1);
    CHECK(in.rejected[0].row == 3);
    CHECK(in.rejected[0].code == "P0104");
    CHECK(in.rejected[0].reason.en == "the row is longer than 1048576 bytes (without its line end); the row is not read");
    CHECK(in.rejected[0].reason.id == "baris melebihi 1048576 bita (tanpa akhir barisnya); baris ini tidak dibaca");
    REQUIRE(in.moves.size() == 2);
    CHECK(in.moves[0].row == 2);
    CHECK(in.moves[1].row == 5);
    CHECK(in.moves[1].who.nip == kabid_b);
    CHECK(in.rows == 3);

    // A header line over 1 MiB stops the file.
    std::istringstream long_header("nip,region,effective," + std::string((1 << 20) + 1, 'x') + "\n" +
                                   row(kasi, "", "", "", "", ""));
    const plan_input stopped = read_plan(long_header, "plan.csv", shipped());
    REQUIRE(stopped.fatal);
    CHECK(stopped.fatal->code == "P0103");
    CHECK(stopped.fatal->row == 1);
}

TEST_CASE("plan: a header or a document the reader cannot use stops with a code", "[plan]") {
    const auto fatal = [](const std::string& text) {
        std::istringstream in(text);
        const plan_input p = read_plan(in, "plan", shipped());
        REQUIRE(p.fatal);
        return p.fatal->code;
    };
    CHECK(fatal("nip,nama,jabatan lama,jabatn baru,kode wilayah,tmt,unit\n") == "P0101");
    CHECK(fatal("nip,nama,nip,kode wilayah,tmt\n") == "P0101");
    CHECK(fatal("nip,nama,jabatan lama,jabatan baru,unit\n1,2,3,4,5\n") == "P0102");
    CHECK(fatal("") == "P0102");
    CHECK(fatal("[{\"nip\": \"1\"},") == "P0103");
    std::istringstream big(std::string(64, ' ') + "[]");
    const plan_input p = read_plan(big, "plan", shipped(), plan_format::automatic, {32, 1024});
    REQUIRE(p.fatal);
    CHECK(p.fatal->code == "P0103");
}

TEST_CASE("plan: a plan of exactly the size limit is read whole and one byte more stops it while the limit itself costs no memory", "[plan]") {
    // The plan is read in pieces of 64 KiB: a limit of 150,000 bytes spans three.
    const plan_limits limits{150000, 1 << 20};
    const std::string rows = header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03");
    const std::string last = row(kasi, "Kepala Seksi C", "Kepala Bidang A", "III", "IV", "2025-03-03");
    const std::string at_limit = rows + std::string(limits.max_bytes - rows.size() - last.size(), '\n') + last;
    REQUIRE(at_limit.size() == limits.max_bytes);
    std::istringstream whole(at_limit);
    const plan_input p = read_plan(whole, "plan.csv", shipped(), plan_format::csv, limits);
    REQUIRE(!p.fatal);
    REQUIRE(p.moves.size() == 2);
    CHECK(p.moves[1].who.nip == kasi);
    CHECK(p.moves[1].row == limits.max_bytes - rows.size() - last.size() + 3);  // after two lines and one per blank line

    std::istringstream over(at_limit + "\n");
    const plan_input q = read_plan(over, "plan.csv", shipped(), plan_format::csv, limits);
    REQUIRE(q.fatal);
    CHECK(q.fatal->code == "P0103");
    CHECK(q.fatal->reason.en == "the plan file is larger than 150000 bytes");
    CHECK(q.moves.empty());

    // Memory follows the plan, not the limit: a limit of 1 TiB reads a small plan.
    std::istringstream small(rows);
    const plan_input r = read_plan(small, "plan.csv", shipped(), plan_format::csv, {std::size_t{1} << 40, 1 << 20});
    REQUIRE(!r.fatal);
    CHECK(r.moves.size() == 1);
}

TEST_CASE("plan: JSON rows with unknown fields or wrong types are rejected by element or line", "[plan]") {
    std::istringstream array(R"([
  {"nip": "197104221996032002", "frm": "Sekretaris", "to": "Kepala Dinas", "unit": "disdukcapil", "region": "73.73", "effective": "2025-03-03"},
  {"nip": 197104221996032002, "to": "Kepala Dinas", "unit": "disdukcapil", "region": "73.73", "effective": "2025-03-03"},
  "not a move",
  {"nip": "197104221996032002", "to": "Kepala Dinas", "unit": "disdukcapil", "rank": "II", "region": "73.73", "effective": "2025-03-03", "approvals": "menteri"},
  {"nip": "197104221996032002", "to": "Kepala Dinas", "unit": "disdukcapil", "rank": "II", "region": "73.73", "effective": "2025-03-03"}
])");
    const plan_input in = read_plan(array, "plan.json", shipped());
    REQUIRE(in.rejected.size() == 4);
    CHECK(in.rejected[0].row == 1);
    CHECK(in.rejected[0].code == "P0104");
    CHECK(in.rejected[0].reason.en.find("did you mean 'from'") != std::string::npos);
    CHECK(in.rejected[1].code == "P0114");
    CHECK(in.rejected[2].code == "P0104");
    CHECK(in.rejected[3].code == "P0114");
    REQUIRE(in.moves.size() == 1);
    CHECK(in.moves[0].row == 5);
    CHECK(in.moves[0].act == action::appoint);

    std::istringstream lines("{\"nip\": \"197104221996032002\", \"to\": \"Kepala Dinas\", \"unit\": \"disdukcapil\", "
                             "\"region\": \"73.73\", \"effective\": \"2025-03-03\"}\n{broken\n");
    const plan_input l = read_plan(lines, "plan.jsonl", shipped());
    REQUIRE(l.rejected.size() == 1);
    CHECK(l.rejected[0].row == 2);
    CHECK(l.rejected[0].code == "P0103");
    CHECK(l.moves.size() == 1);
}

TEST_CASE("plan: junk never crashes the reader and every row is accounted for", "[plan]") {
    const std::vector<std::string> inputs = {
        std::string("nip,region,effective\n\x00\xff\xfe,\"x\n", 20),
        "nip,region,effective\n\"unclosed,73.73,2025-01-01\n",
        std::string(100000, '[') + std::string(100000, ']'),
        "{\"nip\": [[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]}\n{\"nip\": {}}\n[1,2]\n",
        "[{\"nip\": \"197104221996032002\", \"approvals\": [{\"authority\": 1, \"date\": \"x\"}]}, 3, null, [], {}]",
        "nip;region;effective;to;unit;approvals\n197104221996032002;73.73;2025-01-01;Sekretaris;dukcapil;menteri:2025-01-01:a:b:c;;\n",
        "\xEF\xBB\xBFnip,region,effective,to,unit,rank\n197104221996032002,73.73,2025-01-01,Sekretaris,dukcapil,III\n",
    };
    for (const std::string& text : inputs) {
        std::istringstream in(text);
        const plan_input p = read_plan(in, "junk", shipped());
        if (p.fatal) {
            CHECK(!p.fatal->code.empty());
            continue;
        }
        CHECK(p.moves.size() + p.rejected.size() == p.rows);
        planner pl(shipped(), {day("2025-01-01"), false});
        const plan_result r = pl.finish(p);
        CHECK(r.moves.size() + r.rejected.size() == r.rows);
        CHECK(!render_plan_text(r, shipped(), lang::id).empty());
    }
}

TEST_CASE("plan: a chain on one day links its moves and leaves only its first post vacant", "[plan]") {
    // Kepala Seksi C → Kepala Bidang A → Sekretaris → Kepala Dinas, the head retiring.
    const plan_result p = plan(header + row(kadis, "Kepala Dinas", "", "II", "", "2025-03-03", "retirement") +
                                   row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +
                                   row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-03-03") +
                                   row(kasi, "Kepala Seksi C", "Kepala Bidang A", "III", "IV", "2025-03-03"),
                               {agency()});
    REQUIRE(p.chains.size() == 1);
    const plan_chain& c = p.chains[0];
    CHECK(c.kind == plan_chain::shape::chain);
    CHECK(c.posts == std::vector<std::string>{"Kepala Seksi C", "Kepala Bidang A", "Sekretaris", "Kepala Dinas"});
    CHECK(c.moves == std::vector<std::size_t>{3, 2, 1});
    for (const move_result& m : p.moves) {
        CHECK(m.conflicts.empty());
        CHECK(effect(m, effect_kind::displaced) == nullptr);
    }
    CHECK(effect(p.moves[0], effect_kind::vacated) == nullptr);  // the head's post is taken the same day
    CHECK(effect(p.moves[1], effect_kind::vacated) == nullptr);
    const plan_effect* left = effect(p.moves[3], effect_kind::vacated);
    REQUIRE(left);
    CHECK(left->post == "Kepala Seksi C");
    CHECK(!left->head);
    CHECK(!left->until);
    CHECK(p.moves[0].verdict == plan_verdict::ready);  // retirement is exempt
    for (std::size_t i = 1; i < 4; ++i) CHECK(p.moves[i].verdict == plan_verdict::needs_approval);
}

TEST_CASE("plan: a chain over several days leaves posts vacant until the next row fills them", "[plan]") {
    const plan_result p = plan(header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +
                                   row(kadis, "Kepala Dinas", "", "II", "", "2025-02-03", "retirement") +
                                   row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-04-01"),
                               {agency()});
    const plan_effect* head = effect(p.moves[1], effect_kind::vacated);
    REQUIRE(head);
    CHECK(head->head);
    CHECK(head->until == day("2025-03-03"));
    CHECK(head->by_row == 2);
    const plan_effect* secretary = effect(p.moves[0], effect_kind::vacated);
    REQUIRE(secretary);
    CHECK(secretary->until == day("2025-04-01"));
    CHECK(secretary->by_row == 4);
    CHECK(effect(p.moves[2], effect_kind::vacated)->until == std::nullopt);
}

TEST_CASE("plan: an acting head registered on the day the head retires fills the post", "[plan]") {
    const plan_result plt = plan("nip,from,to,unit,rank,from_rank,region,effective,reason,action\n" + std::string(kadis) +
                                     ",Kepala Dinas,,disdukcapil,II,,73.73,2025-03-03,pensiun,\n" + kabid_a +
                                     ",Kepala Bidang A,Kepala Dinas,disdukcapil,II,III,73.73,2025-03-03,,Plt\n",
                                 {agency()});
    const move_result& retire = plt.moves[0];
    CHECK(retire.verdict == plan_verdict::ready);
    CHECK(!effect(retire, effect_kind::vacated));  // the acting head signs from the first day
    const move_result& acting = plt.moves[1];
    CHECK(acting.move.act == action::acting);
    CHECK(acting.verdict == plan_verdict::ready);
    CHECK(rule_ids(acting, requirement_status::allowed) == std::vector<std::string>{"plt_plh"});
    CHECK(acting.effects.empty());
    CHECK(!acting.leaves_post);  // the acting head keeps their own post
    REQUIRE(plt.posts.size() == 2);
    CHECK(plt.posts[0].after->acting);
    CHECK(plt.posts[1].after->who.nip == kabid_a);
}

TEST_CASE("plan: a swap and a rotation ring", "[plan]") {
    const plan_result swap = plan(header + row(kabid_a, "Kepala Bidang A", "Kepala Bidang B", "III", "", "2025-03-03") +
                                      row(kabid_b, "Kepala Bidang B", "Kepala Bidang A", "III", "", "2025-03-03"),
                                  {agency()});
    REQUIRE(swap.chains.size() == 1);
    CHECK(swap.chains[0].kind == plan_chain::shape::swap);
    CHECK(swap.chains[0].posts == std::vector<std::string>{"Kepala Bidang A", "Kepala Bidang B", "Kepala Bidang A"});
    for (const move_result& m : swap.moves) {
        // Each post changes once, judged with the row that takes it.
        REQUIRE(m.effects.size() == 1);
        CHECK(m.effects[0].kind == effect_kind::handed_over);
        CHECK(m.conflicts.empty());
        CHECK(m.verdict == plan_verdict::needs_approval);
        for (const plan_requirement& q : m.requirements) CHECK(!q.leaving);
    }
    CHECK(swap.moves[0].effects[0].by_row == 3);
    CHECK(swap.moves[1].effects[0].by_row == 2);
    CHECK(swap.posts.size() == 2);
    CHECK(swap.posts[0].after->who.nip == kabid_b);
    CHECK(swap.posts[1].after->who.nip == kabid_a);

    const plan_result ring = plan(header + row(kabid_a, "Kepala Bidang A", "Kepala Bidang B", "III", "", "2025-03-03") +
                                      row(kabid_b, "Kepala Bidang B", "Sekretaris", "III", "", "2025-03-03") +
                                      row(sekretaris, "Sekretaris", "Kepala Bidang A", "III", "", "2025-03-03"),
                                  {agency()});
    REQUIRE(ring.chains.size() == 1);
    CHECK(ring.chains[0].kind == plan_chain::shape::ring);
    CHECK(ring.chains[0].moves.size() == 3);
    for (const move_result& m : ring.moves) {
        REQUIRE(m.effects.size() == 1);
        CHECK(m.effects[0].kind == effect_kind::handed_over);
    }
}

TEST_CASE("plan: a move into a moratorium is blocked unless an exemption applies", "[plan]") {
    // moratorium_kadis_2023: 2023-08-11 .. 2024-11-30, changes of heads forbidden.
    const options o{agency(), "2024-01-02"};
    const plan_result blocked = plan(header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2024-06-03"), o);
    const move_result& m = blocked.moves[0];
    CHECK(m.verdict == plan_verdict::blocked);
    CHECK(rule_ids(m, requirement_status::forbidden) == std::vector<std::string>{"moratorium_kadis_2023"});
    REQUIRE(m.windows.size() == 1);
    CHECK(shipped().rules[m.windows[0].rule].id == "moratorium_kadis_2023");
    CHECK(m.windows[0].span.from == day("2023-08-11"));
    CHECK(m.windows[0].span.until == day("2024-11-30"));
    CHECK(!m.windows[0].exempted);
    CHECK(blocked.letters.empty());  // a blocked move gets no letter

    const plan_result exempt = plan(header + row(kadis, "Kepala Dinas", "", "II", "", "2024-06-03", "pensiun"), o);
    const move_result& x = exempt.moves[0];
    CHECK(x.verdict == plan_verdict::ready);
    CHECK(x.requirements.empty());
    REQUIRE(x.windows.size() == 1);
    CHECK(x.windows[0].exempted == reason::retirement);
    const plan_effect* head = effect(x, effect_kind::vacated);
    REQUIRE(head);
    CHECK(head->head);
    CHECK(head->post == "Kepala Dinas");

    // The day after the window: the same move needs the Minister's decree only.
    const plan_result after = plan(header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2024-12-02"), o);
    CHECK(after.moves[0].verdict == plan_verdict::needs_approval);
    CHECK(after.moves[0].windows.empty());
}

TEST_CASE("plan: a calendar window needs the Minister's approval, held or not", "[plan]") {
    // UU 10/2016 Pasal 162 ayat (3): six months after a regional head's inauguration.
    const std::string state =
        agency() + R"({"id":"h","kind":"head_inaugurated","date":"2025-02-20","region":"73.73","head":"Wali Kota"})" "\n";
    const options o{state, "2025-01-02"};
    const plan_result needs = plan(header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-06-02"), o);
    const move_result& m = needs.moves[0];
    CHECK(m.verdict == plan_verdict::needs_approval);
    REQUIRE(m.windows.size() == 1);
    CHECK(shipped().rules[m.windows[0].rule].id == "pelantikan_pasal_162");
    CHECK(m.windows[0].span.from == day("2025-02-20"));
    CHECK(m.windows[0].span.until == day("2025-08-19"));
    CHECK(rule_ids(m, requirement_status::needed) ==
          std::vector<std::string>{"administrator", "pelantikan_pasal_162", "administrator", "pelantikan_pasal_162"});
    // One Minister's approval answers both rules (the Director General "or higher").
    REQUIRE(needs.letters.size() == 1);
    CHECK(needs.letters[0].to == shipped().find_authority("menteri"));
    CHECK(needs.letters[0].send_by == day("2025-04-18"));  // 45 days, the longer lead time

    const plan_result held = plan(
        header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-06-02", "", "menteri:2025-05-20:800/9/SJ"), o);
    CHECK(held.moves[0].verdict == plan_verdict::ready);
    CHECK(rule_ids(held.moves[0], requirement_status::needed).empty());
    CHECK(held.moves[0].findings.empty());
    CHECK(held.letters.empty());

    // A Director General's approval is enough for the rank, not for the window.
    const plan_result partly = plan(
        header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-06-02", "", "dirjen:2025-05-20"), o);
    CHECK(partly.moves[0].verdict == plan_verdict::needs_approval);
    CHECK(rule_ids(partly.moves[0], requirement_status::needed) ==
          std::vector<std::string>{"pelantikan_pasal_162", "pelantikan_pasal_162"});
    CHECK(rule_ids(partly.moves[0], requirement_status::held) == std::vector<std::string>{"administrator", "administrator"});

    // A move after the window is outside it.
    const plan_result later = plan(header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-08-20"), o);
    CHECK(later.moves[0].windows.empty());
}

TEST_CASE("plan: staff and functional posts are not covered and are ready", "[plan]") {
    const plan_result p = plan(
        "NIP,Jabatan Lama,Jabatan Baru,Unit Kerja,Eselon,Kode Wilayah,TMT\n"
        "199003032015032001,Pengadministrasi Kependudukan,Analis Data,Disdukcapil,,73.73,2025-03-03\n"
        "199003032015032001,Analis Data,Pranata Komputer,Disdukcapil,fungsional,73.73,2025-04-01\n"
        "198612242011011009,Kepala Bidang Anggaran,Sekretaris,BPKAD,III.a,73.73,2025-03-03\n",
        {agency()});
    for (const move_result& m : p.moves) {
        CHECK(!m.covered);
        CHECK(m.requirements.empty());
        CHECK(m.verdict == plan_verdict::ready);
        CHECK(m.findings.empty());
    }
    CHECK(p.posts.empty());
    CHECK(p.letters.empty());
}

TEST_CASE("plan: deadlines come from the lead times, late ones give the earliest date still possible", "[plan]") {
    const std::string csv = header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-03-03") +
                            row(kasi, "Kepala Seksi C", "Kepala Bidang A", "III", "IV", "2025-03-03") +
                            row(kabid_b, "Kepala Bidang B", "", "III", "", "2025-03-03");
    // jpt_pratama 60 days, administrator and pengawas 45 days (Permendagri 60/2021).
    const plan_result in_time = plan(csv, {agency(), "2024-12-01"});
    const move_result& head = in_time.moves[0];
    CHECK(head.send_by == day("2025-01-02"));
    CHECK(!head.late);
    for (const plan_requirement& q : head.requirements) {
        const std::string& id = shipped().rules[q.rule].id;
        CHECK(q.send_by == (id == "jpt_pratama" ? day("2025-01-02") : day("2025-01-17")));
    }
    CHECK(in_time.moves[1].send_by == day("2025-01-17"));
    CHECK(in_time.moves[2].send_by == day("2025-01-17"));  // a dismissal needs the approval too
    CHECK(in_time.moves[2].verdict == plan_verdict::needs_approval);

    const plan_result late = plan(csv, {agency(), "2025-01-10"});
    CHECK(late.moves[0].late);
    CHECK(late.moves[0].earliest == day("2025-03-11"));  // 2025-01-10 + 60 days
    CHECK(!late.moves[1].late);
    CHECK(late.moves[1].verdict == plan_verdict::needs_approval);
}

TEST_CASE("plan: a rule without a lead time gives no deadline, and says so", "[plan]") {
    const compile_result c = patuh::testing::compile_text(R"(
authority menteri "Menteri"
authority kepala_daerah "Bupati"
rank II "Eselon II"
unit disdukcapil "Disdukcapil"
level kota "Kota" codes "PP.71-99"
policy p "P" {
  in force from 2015-01-01
  rule kadis "Kepala Dinas" {
    when rank II
    requires menteri
    route kepala_daerah, menteri when level kota
    severity high
    cite "Pasal 1"
    message id "a"
    message en "b"
  }
}
)");
    REQUIRE(c.rules);
    const plan_result p = plan(header + row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "", "2025-03-03"),
                               {"", "2025-01-02", false, &*c.rules});
    const move_result& m = p.moves[0];
    CHECK(m.assumed_holder);
    CHECK(m.verdict == plan_verdict::needs_approval);
    CHECK(m.no_lead_time);
    CHECK(!m.send_by);
    CHECK(!m.late);
    REQUIRE(p.letters.size() == 1);
    CHECK(!p.letters[0].send_by);
    CHECK(p.letters[0].needed_by == day("2025-03-03"));
    const std::string text = render_plan_text(p, *c.rules, lang::en);
    CHECK(text.find("the rules give no lead time") != std::string::npos);
}

TEST_CASE("plan: conflicts with the state and between rows block the move", "[plan]") {
    const options o{agency(), "2025-01-02"};
    // The state shows someone else in the post left.
    const plan_result wrong = plan(header + row(outsider, "Sekretaris", "Kepala Bidang A", "III", "", "2025-03-03"), o);
    CHECK(wrong.moves[0].verdict == plan_verdict::blocked);
    REQUIRE(has_conflict(wrong.moves[0], conflict_kind::not_holder));
    CHECK(wrong.moves[0].conflicts[0].holder->nip == sekretaris);
    // Two rows fill one post on one day; one person moved twice on one day.
    const plan_result twice = plan(header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-03-03") +
                                       row(kabid_b, "Kepala Bidang B", "Sekretaris", "III", "", "2025-03-03") +
                                       row(kasi, "Kepala Seksi C", "Kepala Bidang A", "III", "IV", "2025-03-03") +
                                       row(kasi, "Kepala Seksi C", "Kepala Bidang B", "III", "IV", "2025-03-03"),
                                   o);
    CHECK(has_conflict(twice.moves[0], conflict_kind::same_post));
    CHECK(has_conflict(twice.moves[1], conflict_kind::same_post));
    CHECK(twice.moves[0].conflicts[0].other_row == 3);
    CHECK(has_conflict(twice.moves[2], conflict_kind::same_person));
    CHECK(has_conflict(twice.moves[3], conflict_kind::same_person));
    CHECK(has_conflict(twice.moves[3], conflict_kind::moved_elsewhere));
    for (const move_result& m : twice.moves) CHECK(m.verdict == plan_verdict::blocked);
    // Dated before the post's last recorded change: the engine cannot place it.
    const plan_result early = plan(header + row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2021-03-03"), o);
    CHECK(has_conflict(early.moves[0], conflict_kind::refused));
    CHECK(early.moves[0].verdict == plan_verdict::blocked);
}

TEST_CASE("plan: a concurrent appointment that makes a double post is blocked", "[plan]") {
    const std::string state =
        agency() +
        R"({"id":"x","kind":"dismiss","date":"2024-01-02","region":"73.73","unit":"disdukcapil","position":"Kepala Bidang B","rank":"III","person":{"nip":"197802142003122001"},"reason":"retirement"})" "\n";
    const std::string head = "nip,from,to,unit,rank,from_rank,region,effective,rangkap\n";
    const plan_result both = plan(head + std::string(kasi) + ",Kepala Seksi C,Kepala Bidang B,disdukcapil,III,IV,73.73,2025-03-03,ya\n",
                                  {state});
    CHECK(has_conflict(both.moves[0], conflict_kind::double_post));
    CHECK(both.moves[0].verdict == plan_verdict::blocked);
    CHECK(!effect(both.moves[0], effect_kind::vacated));  // the post left is kept
    CHECK(both.chains.empty());
    // Without `rangkap` the person leaves the first post, which falls vacant.
    const plan_result moved = plan(head + std::string(kasi) + ",Kepala Seksi C,Kepala Bidang B,disdukcapil,III,IV,73.73,2025-03-03,tidak\n",
                                   {state});
    CHECK(!has_conflict(moved.moves[0], conflict_kind::double_post));
    CHECK(moved.moves[0].verdict == plan_verdict::needs_approval);
    const plan_effect* left = effect(moved.moves[0], effect_kind::vacated);
    REQUIRE(left);
    CHECK(left->post == "Kepala Seksi C");
    const plan_input bad = read_csv(head + std::string(kasi) + ",Kepala Seksi C,,disdukcapil,III,IV,73.73,2025-03-03,mungkin\n");
    REQUIRE(bad.rejected.size() == 1);
    CHECK(bad.rejected[0].code == "P0115");
}

TEST_CASE("plan: taking a post from a holder who does not move displaces them", "[plan]") {
    const plan_result p = plan(header + row(outsider, "", "Kepala Bidang A", "III", "", "2025-03-03"), {agency()});
    const plan_effect* d = effect(p.moves[0], effect_kind::displaced);
    REQUIRE(d);
    CHECK(d->other->nip == kabid_a);
    CHECK(p.moves[0].move.act == action::appoint);
    // The holder moves, but only later: displaced early.
    const plan_result early = plan(header + row(outsider, "", "Kepala Bidang A", "III", "", "2025-03-03") +
                                       row(kabid_a, "Kepala Bidang A", "Sekretaris", "III", "", "2025-04-01"),
                                   {agency()});
    const plan_effect* e = effect(early.moves[0], effect_kind::displaced_early);
    REQUIRE(e);
    CHECK(e->by_row == 3);
}

TEST_CASE("plan: returning the recognised official is ready and ends the open divergence", "[plan]") {
    const std::string state =
        agency() +
        R"({"id":"d1","kind":"transfer","date":"2024-03-04","region":"73.73","unit":"sekretariat daerah","position":"Staf Ahli","rank":"II","person":{"nip":"197509102000121003"}})" "\n"
        R"({"id":"d2","kind":"appoint","date":"2024-03-04","region":"73.73","unit":"disdukcapil","position":"Kepala Bidang A","rank":"III","person":{"nip":"198612242011011009"}})" "\n";
    const plan_result p = plan(
        "nip,from,from_unit,to,unit,rank,region,effective\n" + std::string(kabid_a) +
            ",Staf Ahli,sekretariat daerah,Kepala Bidang A,disdukcapil,III,73.73,2025-03-03\n" + outsider +
            ",Kepala Bidang A,disdukcapil,Kepala Bidang Anggaran,BPKAD,III,73.73,2025-03-03\n",
        {state});
    REQUIRE(p.divergent.size() == 1);
    CHECK(shipped().rules[p.findings[p.divergent[0]].rule].id == "administrator");
    CHECK(p.findings[p.divergent[0]].closed_by == "row 2");
    const move_result& back = p.moves[0];
    CHECK(back.verdict == plan_verdict::ready);
    CHECK(rule_ids(back, requirement_status::recognised) == std::vector<std::string>{"administrator"});
    CHECK(effect(back, effect_kind::closes_finding));
    CHECK(!effect(back, effect_kind::displaced));  // the holder leaves on the same day
    const plan_effect* handed = effect(p.moves[1], effect_kind::handed_over);
    REQUIRE(handed);
    CHECK(handed->by_row == 2);
    CHECK(p.moves[1].verdict == plan_verdict::ready);
    REQUIRE(p.posts.size() == 1);
    CHECK(!p.posts[0].before_recognised);
    CHECK(p.posts[0].after_recognised);
}

TEST_CASE("plan: --assume-approved shows the posts once the approvals arrive", "[plan]") {
    const std::string csv = header + row(kabid_a, "Kepala Bidang A", "Kepala Bidang B", "III", "", "2025-03-03") +
                            row(kabid_b, "Kepala Bidang B", "Kepala Bidang A", "III", "", "2025-03-03") +
                            row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2024-06-03");
    const plan_result held = plan(csv, {agency(), "2024-01-02"});
    const plan_result granted = plan(csv, {agency(), "2024-01-02", true});
    REQUIRE(held.posts.size() == 4);
    REQUIRE(granted.posts.size() == 4);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(held.posts[i].before_recognised);
        CHECK(!held.posts[i].after_recognised);
        CHECK(granted.posts[i].after_recognised);
        CHECK(granted.posts[i].after->who.nip == held.posts[i].after->who.nip);
    }
    // The head's post changes in the moratorium: no approval makes it lawful.
    CHECK(granted.posts[3].post == "Kepala Dinas");
    CHECK(!granted.posts[3].after_recognised);
    // The engine's findings: what an audit would report with only the approvals held.
    CHECK(!held.moves[0].findings.empty());
    CHECK(held.moves[0].verdict == granted.moves[0].verdict);
}

TEST_CASE("plan: letters are grouped by addressee and ordered by the date to send them", "[plan]") {
    // Outside every window: heads need the Minister, eselon III the Director General.
    const plan_result p = plan(header + row(kasi, "Kepala Seksi C", "Kepala Bidang A", "III", "IV", "2025-06-02") +
                                   row(kabid_a, "Kepala Bidang A", "Kepala Dinas", "II", "III", "2025-06-02") +
                                   row(kadis, "Kepala Dinas", "Sekretaris", "III", "II", "2025-05-02") +
                                   row(sekretaris, "Sekretaris", "", "III", "", "2025-04-02"),
                               {agency(), "2025-01-02"});
    const index_t menteri = shipped().find_authority("menteri");
    const index_t dirjen = shipped().find_authority("dirjen");
    REQUIRE(p.letters.size() == 4);
    // The Director General first: the earliest deadline (2025-02-16, the secretary leaving on 2025-04-02).
    CHECK(p.letters[0].to == dirjen);
    CHECK(p.letters[0].send_by == day("2025-02-16"));
    CHECK(p.letters[0].moves == std::vector<std::size_t>{3});
    CHECK(p.letters[0].route.size() == 3);
    CHECK(p.letters[1].to == dirjen);
    CHECK(p.letters[1].send_by == day("2025-04-18"));
    CHECK(p.letters[1].moves == std::vector<std::size_t>{0});
    // The head leaving for the secretary's post: one Minister's approval answers both rules.
    CHECK(p.letters[2].to == menteri);
    CHECK(p.letters[2].send_by == day("2025-03-03"));
    CHECK(p.letters[2].moves == std::vector<std::size_t>{2});
    CHECK(p.letters[2].route.size() == 4);
    CHECK(p.letters[2].rules.size() == 2);
    CHECK(p.letters[3].to == menteri);
    CHECK(p.letters[3].send_by == day("2025-04-03"));
    CHECK(p.letters[3].moves == std::vector<std::size_t>{1});
    CHECK(effect(p.moves[1], effect_kind::handed_over));  // Kepala Bidang A goes to row 2 on the same day
    CHECK(effect(p.moves[2], effect_kind::vacated)->until == day("2025-06-02"));
    const std::string id = render_plan_text(p, shipped(), lang::id);
    CHECK(id.find("Dengan hormat, bersama ini kami mengajukan permohonan persetujuan Menteri Dalam Negeri") !=
          std::string::npos);
    const std::string en = render_plan_text(p, shipped(), lang::en);
    CHECK(en.find("we hereby request the approval of the Menteri Dalam Negeri") != std::string::npos);
}

TEST_CASE("plan: reports in text, Markdown and JSON", "[plan][golden]") {
    const std::string state =
        agency() + R"({"id":"h","kind":"head_inaugurated","date":"2025-02-20","region":"73.73","head":"Wali Kota"})" "\n";
    const std::string csv = header + row(kadis, "Kepala Dinas", "", "II", "", "2025-03-03", "retirement") +
                            row(sekretaris, "Sekretaris", "Kepala Dinas", "II", "III", "2025-09-01") +
                            row(kabid_a, "Kepala Bidang A", "Kepala Bidang B", "III", "", "2025-04-01") +
                            row(kabid_b, "Kepala Bidang B", "Kepala Bidang A", "III", "", "2025-04-01") +
                            row(outsider, "", "Kepala Seksi C", "IV", "", "2025-04-01", "", "dirjen:2025-02-01;menteri:2025-02-03") +
                            row(kasi, "Kepala Seksi C", "", "IV", "", "2025-04-01") + "1990,,,\n";
    const plan_result p = plan(csv, {state, "2025-02-10"});
    patuh::testing::check_golden("plan/small.en.txt", render_plan_text(p, shipped(), lang::en));
    patuh::testing::check_golden("plan/small.id.txt", render_plan_text(p, shipped(), lang::id));
    patuh::testing::check_golden("plan/small.id.md", render_plan_markdown(p, shipped(), lang::id));
    patuh::testing::check_golden("plan/small.en.json", render_plan_json(p, shipped(), lang::en).dump(2) + "\n");
}

TEST_CASE("plan: control characters from the plan and the state are shown as escapes in text and Markdown",
          "[plan][golden]") {
    // ESC sequences, a bell, a carriage return, a tab, a line break and a C1
    // control (U+009B) in names, posts, units, NIPs, region codes and
    // approvals as written, in event ids, kinds and source names.
    const std::string state =
        R"({"id":"s1","kind":"appoint","date":"2022-03-01","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas",)"
        R"("rank":"II.b","person":{"nip":"196603151990031004","name":"Kadis\u001b[2J Lama"},)"
        R"("approvals":[{"authority":"menteri","date":"2022-02-20"}]})" "\n"
        R"({"id":"s2","kind":"appoint","date":"2022-03-01","region":"73.73","unit":"disdukcapil",)"
        R"("position":"Kepala Seksi\u001b[7m C","rank":"IV.a","person":{"nip":"198307302009011006","name":"Kasi\u0007 C"},)"
        R"("approvals":[{"authority":"dirjen","date":"2022-02-20"}]})" "\n"
        R"({"id":"d\u001b[1","kind":"appoint","date":"2024-03-04","region":"73.73","unit":"disdukcapil",)"
        R"("position":"Kepala Bidang\u001b[5m A","rank":"III.b","person":{"nip":"197509102000121003","name":"Bidang\rA"}})" "\n"
        R"({"id":"x","kind":"bogus\u001b]0;t\u0007","date":"2024-03-05","region":"73.73"})" "\n";
    const std::string csv =
        header +
        std::string(kadis) + ",Kadis\x1b[2J Lama,Kepala Dinas,,disdukcapil,II,,73.73,2025-03-03,retirement,\n" +
        outsider + ",\"Baru\nBaris \xC2\x9B\",,Kepala Bidang\x1b[5m A,disdukcapil,III,,73.73,2025-04-01,,\n" +
        kasi + ",Kasi\x07 C,Seksi\tC,Seksi D,dukcapil\x07,IV,,73.73,2025-04-01,,\n" +
        "198001012005011001,,Kepala Seksi\x1b[7m C,,disdukcapil,IV,,73.73,2025-04-01,,\n" +
        sekretaris + ",,Sekretaris\x1b[4m,Kepala Dinas,disdukcapil,II,III,73.73,2025-09-01,,\n" +
        kabid_b + ",,Kepala Bidang B,Sekretaris\x1b[4m,disdukcapil,III,,73.73,2025-09-01,,\n" +
        "1990\x1b[0m,,,Sekretaris,disdukcapil,III,,73.73,2025-04-01,,\n" +
        std::string(kabid_b) + ",,,Sekretaris,disdukcapil,III,,73.7\x1b" "3,2025-04-01,,\n" +
        kabid_b + ",,,Sekretaris,disdukcapil,III,,73.73,2025-04-01,,menteri:2025-01-01;bad\x1b\n";
    planner pl(shipped(), {day("2025-02-10"), false});
    std::istringstream state_in(state);
    read_events(state_in, "state\x1b[1m.jsonl", shipped(), [&](const event& e) { pl.add_state(e); },
                [&](rejection&& r) { pl.add_state_rejection(std::move(r)); });
    std::istringstream plan_in(csv);
    plan_input in = read_plan(plan_in, "plan\x07.csv", shipped());
    REQUIRE(!in.fatal);
    const plan_result p = pl.finish(std::move(in));
    REQUIRE(p.rejected.size() == 3);
    REQUIRE(p.divergent.size() == 1);
    REQUIRE(p.state_rejections.size() == 1);
    const std::vector<std::pair<const char*, std::string>> outputs = {
        {"plan/control.en.txt", render_plan_text(p, shipped(), lang::en)},
        {"plan/control.id.txt", render_plan_text(p, shipped(), lang::id)},
        {"plan/control.id.md", render_plan_markdown(p, shipped(), lang::id)}};
    for (const auto& [golden, text] : outputs) {
        INFO(golden);
        patuh::testing::check_no_control_characters(text);
        patuh::testing::check_golden(golden, text);
    }
}

TEST_CASE("plan: names and posts that look like Markdown or HTML are shown as written on the Markdown page",
          "[plan][golden]") {
    // Emphasis, code, a link, an HTML tag, an entity, strikethrough, math, a
    // heading mark, a backslash and a cell border in names, posts and units.
    const std::string state =
        R"({"id":"s1","kind":"appoint","date":"2022-03-01","region":"73.73","unit":"disdukcapil","position":"Kepala Dinas",)"
        R"("rank":"II.b","person":{"nip":"196603151990031004","name":"**Andi** _Baso_ `x`"},)"
        R"("approvals":[{"authority":"menteri","date":"2022-02-20"}]})" "\n";
    const std::string csv =
        header + std::string(kadis) + ",**Andi** _Baso_ `x`,Kepala Dinas,,disdukcapil,II,,73.73,2025-03-03,retirement,\n" +
        outsider + ",<b>Nur</b> &amp; [Aisyah](http://example.org) ~~Rani~~,,Kepala Dinas,disdukcapil,II,,73.73,2025-04-01,,\n" +
        kasi + ",# $x$ a\\b | c,Seksi <i>C</i>,Seksi *D*,dinas_[luar],,,73.73,2025-04-01,,\n";
    const plan_result p = plan(csv, {state, "2025-02-10"});
    REQUIRE(p.moves.size() == 3);
    const std::string md = render_plan_markdown(p, shipped(), lang::en);
    CHECK(md.find(R"(\*\*Andi\*\* \_Baso\_ \`x\`)") != std::string::npos);
    CHECK(md.find(R"(\<b\>Nur\</b\> \&amp; \[Aisyah\](http\://example.org) \~\~Rani\~\~)") != std::string::npos);
    CHECK(md.find(R"(\# \$x\$ a\\b \| c)") != std::string::npos);
    CHECK(md.find(R"(Seksi \<i\>C\</i\> (dinas\_\[luar\]) → Seksi \*D\* (dinas\_\[luar\]))") != std::string::npos);
    // In the tables, the headings of the moves and the letter alike.
    std::istringstream lines(md);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        for (const char* raw : {"<b>", "<i>", "**Andi", "_Baso_", "`x`", "[Aisyah]", "~~Rani", "$x$", "*D*", "# $"})
            CHECK(line.find(raw) == std::string::npos);
    }
    patuh::testing::check_golden("plan/markup.en.md", md);
    patuh::testing::check_golden("plan/markup.id.md", render_plan_markdown(p, shipped(), lang::id));
}

TEST_CASE("plan: web addresses and email addresses in names and posts are no links on the Markdown page",
          "[plan][golden]") {
    // GitHub Flavored Markdown makes links of "www.", "http://" and email
    // addresses in plain text (its extended autolinks); a name or a post
    // from the input stays text.
    const std::string csv =
        header + std::string(kadis) + ",Andi www.andi.example https://x.example/a?b=1,Kepala Dinas,,disdukcapil,II,,73.73,"
        "2025-03-03,retirement,\n" +
        outsider + ",nur@example.org (mailto:nur@example.org),,Kepala Dinas,disdukcapil,II,,73.73,2025-04-01,,\n" +
        kasi + ",(WWW.Rani.example),Seksi ftp://a.example/c,Seksi http://b.example,disdukcapil,,,73.73,2025-04-01,,\n";
    const plan_result p = plan(csv, {"", "2025-02-10"});
    REQUIRE(p.moves.size() == 3);
    const std::string md = render_plan_markdown(p, shipped(), lang::en);
    CHECK(md.find(R"(Andi www\.andi.example https\://x.example/a?b=1)") != std::string::npos);
    CHECK(md.find(R"(nur<!-- -->@example.org (mailto:nur<!-- -->@example.org))") != std::string::npos);
    std::istringstream lines(md);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        for (const char* raw : {"www.", "WWW.", "s://", "p://", "r@"}) CHECK(line.find(raw) == std::string::npos);
    }
    patuh::testing::check_golden("plan/autolinks.en.md", md);
    patuh::testing::check_golden("plan/autolinks.id.md", render_plan_markdown(p, shipped(), lang::id));
}

TEST_CASE("plan: rule text, event ids and file names that look like Markdown are shown as written on the Markdown page",
          "[plan][golden]") {
    const compile_result c = testing::compile_text(testing::markup_rules);
    REQUIRE(c.rules);
    const rule_set& rules = *c.rules;
    // The head of the agency took the post without the minister's approval
    // (divergent before the plan); the plan puts someone else there. Its
    // other rows are rejected: one leaves and takes the same post, one has
    // a NIP that is not one.
    const std::string state =
        R"({"id":"s<1>","kind":"appoint","date":"2022-03-01","region":"73.73","unit":"dinas",)"
        R"("position":"Kepala **Dinas**","rank":"II","person":{"nip":"196603151990031004","name":"Andi"}})" "\n";
    const std::string csv = header + outsider + ",Nur,Kepala **Dinas**,Kepala **Dinas**,dinas,II,,73.73,2025-06-02,,\n" +
                            outsider + ",Nur,,Kepala **Dinas**,dinas,II,,73.73,2025-06-02,,\n" +
                            "<b>1</b>,Rani,,Kepala **Dinas**,dinas,II,,73.73,2025-06-02,,\n";
    planner pl(rules, {day("2025-02-10"), false});
    std::istringstream state_in(state);
    read_events(state_in, "state.jsonl", rules, [&](const event& e) { pl.add_state(e); },
                [&](rejection&& r) { pl.add_state_rejection(std::move(r)); });
    std::istringstream plan_in(csv);
    // A file name that would begin a numbered list at the start of a line.
    plan_input in = read_plan(plan_in, "1. rencana <mutasi>.csv", rules);
    REQUIRE(!in.fatal);
    const plan_result p = pl.finish(std::move(in));
    REQUIRE(p.divergent.size() == 1);
    REQUIRE(!p.rejected.empty());
    REQUIRE(!p.letters.empty());
    const std::string md = render_plan_markdown(p, rules, lang::en);
    std::istringstream lines(md);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        for (const char* raw : {"<b>", "<i>", "<mutasi>", "*Sulawesi*", "**Dinas**", "[Palopo]", "~~", "$x$", "s<1>",
                                "Wali_Kota", " #73", "- 1. "})
            CHECK(line.find(raw) == std::string::npos);
    }
    // Rule ids are code spans, escaped nowhere.
    CHECK(md.find("`kepala_dinas`") != std::string::npos);
    CHECK(md.find("kepala\\_dinas") == std::string::npos);
    patuh::testing::check_golden("plan/rules-markup.en.md", md);
    patuh::testing::check_golden("plan/rules-markup.id.md", render_plan_markdown(p, rules, lang::id));
}

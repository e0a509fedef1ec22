// libFuzzer target: the bytes are a rotation plan (`patuh plan PLAN`,
// docs/plan.md), read against the shipped rules as the format detection
// picks it, as CSV (also with a row limit of 64 bytes) and as JSON.
//
// Checks, for every reading: `rows` counts each move and each rejected row
// once; every rejected row, and a fatal error, has a row from 1, a stable
// code P01xx and a reason in both languages; a fatal error leaves no moves
// (`patuh plan` stops there); every move has a row from 1 and an id. When
// the detected reading has moves, they are judged as `patuh plan` judges
// them with an empty state (--today 2024-08-20): one result per move with a
// verdict, the rejected rows passed on, and the report rendered as text
// (English), Markdown (Indonesian) or JSON (English), by the input's size
// modulo 3 (rendering all three took about as long as reading and judging
// together).

#include "fuzz_common.hpp"

#include <patuh/date.hpp>
#include <patuh/plan.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using patuh::fuzz::fail;

const char* const source = "fuzz-plan";

bool stable_code(std::string_view code) {
    return code.size() == 5 && code.substr(0, 3) == "P01" && code.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

void check_rejection(const patuh::plan_rejection& r, std::uint64_t n) {
    if (r.row < 1) fail("plan rejection with row 0", n, 0);
    if (!stable_code(r.code)) fail("plan rejection without a P01xx code", r.row, r.code.size());
    if (r.reason.id.empty() || r.reason.en.empty()) fail("plan rejection without a reason in both languages", r.row, 0);
    if (r.source != source) fail("plan rejection naming another source", r.row, r.source.size());
}

patuh::plan_input read_and_check(const std::string& bytes, patuh::plan_format format, const patuh::plan_limits& limits) {
    std::istringstream in(bytes);
    patuh::plan_input plan = patuh::read_plan(in, source, patuh::fuzz::shipped_rules(), format, limits);
    if (plan.rows != plan.moves.size() + plan.rejected.size())
        fail("plan rows != moves + rejected rows", plan.rows, plan.moves.size() + plan.rejected.size());
    for (std::size_t i = 0; i < plan.rejected.size(); ++i) check_rejection(plan.rejected[i], i + 1);
    if (plan.fatal) {
        check_rejection(*plan.fatal, 0);
        if (!plan.moves.empty()) fail("plan with a fatal error and moves", plan.moves.size(), 0);
    }
    for (const patuh::plan_move& m : plan.moves) {
        if (m.row < 1) fail("planned move with row 0", plan.moves.size(), 0);
        if (m.id.empty()) fail("planned move without an id", m.row, 0);
        if (m.source != source) fail("planned move naming another source", m.row, m.source.size());
    }
    return plan;
}

void judge(patuh::plan_input plan, std::size_t report) {
    const patuh::rule_set& rules = patuh::fuzz::shipped_rules();
    patuh::plan_options options;
    options.today = *patuh::date::parse("2024-08-20");
    patuh::planner p(rules, options);
    const std::size_t moves = plan.moves.size(), rejected = plan.rejected.size();
    const patuh::plan_result result = p.finish(std::move(plan));
    if (result.moves.size() != moves) fail("plan result with another number of moves", result.moves.size(), moves);
    if (result.rejected.size() != rejected) fail("plan result with another number of rejected rows", result.rejected.size(), rejected);
    const std::size_t judged = result.count(patuh::plan_verdict::ready) + result.count(patuh::plan_verdict::needs_approval) +
                               result.count(patuh::plan_verdict::blocked);
    if (judged != moves) fail("plan verdicts do not cover every move", judged, moves);
    switch (report % 3) {
    case 0: (void)patuh::render_plan_text(result, rules, patuh::lang::en); break;
    case 1: (void)patuh::render_plan_markdown(result, rules, patuh::lang::id); break;
    default:
        (void)patuh::render_plan_json(result, rules, patuh::lang::en).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    patuh::fuzz::shipped_rules();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    patuh::plan_limits short_rows;
    short_rows.max_row_bytes = 64;
    (void)read_and_check(bytes, patuh::plan_format::csv, {});
    (void)read_and_check(bytes, patuh::plan_format::csv, short_rows);  // rows over the limit are rejected, the rest still read
    (void)read_and_check(bytes, patuh::plan_format::json, {});
    patuh::plan_input plan = read_and_check(bytes, patuh::plan_format::automatic, {});
    if (!plan.fatal && !plan.moves.empty()) judge(std::move(plan), size);
    return 0;
}

// The seed articles' figures, reproduced by their own rules, and the detailed model's corrections.
#include <catch2/catch.hpp>

#include <cmath>

#include "estimate.h"
#include "grid.h"
#include "rules.h"

using namespace vramcalc;

namespace {
Estimate run(const TrainingConfig& c) {
    const Result<Estimate> r = estimate(c);
    INFO(r.error);
    REQUIRE(r);
    return *r.value;
}
const SeedExample& example(const std::vector<SeedExample>& all, std::string_view starts) {
    for (const auto& s : all)
        if (s.label.starts_with(starts)) return s;
    FAIL("no seed example " << starts);
    return all.front();
}
double figure(const SeedExample& s, std::string_view key) {
    for (const auto& [k, v] : s.article_figures)
        if (k == key) return v;
    FAIL("no figure " << key);
    return 0;
}
}  // namespace

TEST_CASE("seed-002: the grid reproduces the article's table cell for cell", "[rules]") {
    // 002_2e95ffc387e0dc29.txt, "VRAM requirements table".
    const double article[4][5] = {
        {67, 125, 288, 672, 1056},   // Full 16: 9.6 x N, rounded to nearest
        {15, 28, 63, 146, 229},      // LoRA 16: 2.08 x N, rounded up
        {9, 17, 38, 88, 138},        // QLoRA 8: 1.25 x N, rounded up
        {5, 9, 20, 46, 72},          // QLoRA 4: 0.65 x N, rounded up
    };
    const Grid g = make_grid(TrainingConfig{}, default_grid_rows(), default_grid_columns(), Rule::seed_002);
    REQUIRE(g.rows.size() == 5);
    REQUIRE(g.columns.size() == 5);
    for (size_t r = 0; r < 4; ++r) {
        for (size_t c = 0; c < 5; ++c) {
            const GridCell& cell = g.at(r, c);
            INFO(g.rows[r].label << " " << g.columns[c].label << " " << cell.error);
            REQUIRE(cell.ok);
            REQUIRE(cell.rule.available);
            CHECK(cell.rule.value == article[r][c]);
            CHECK(cell.rule.bytes == static_cast<int64_t>(article[r][c] * 1e9));
            CHECK_FALSE(cell.rule.why_differs.empty());
        }
    }
    CHECK_FALSE(g.at(4, 0).rule.available);   // the article has no freeze row
    CHECK(g.at(4, 0).ok);
}

TEST_CASE("seed-001: 16 bytes per trainable parameter reproduces the 2B and Mixtral figures", "[rules]") {
    const auto all = seed_examples();
    SECTION("2B, Adam: 4 + 4 + 16 + 8 GB") {
        const SeedExample& s = example(all, "2B model");
        const Estimate e = run(s.config);
        // The model states are exactly what the article says (2/2/8/4 bytes per parameter).
        CHECK(std::round(to_units(e.bytes(Part::weights_trainable), Units::GB)) == figure(s, "weights"));
        CHECK(std::round(to_units(e.bytes(Part::optimizer_states), Units::GB)) == figure(s, "optimizer_states"));
        CHECK(std::round(to_units(e.bytes(Part::master_weights), Units::GB)) == figure(s, "master_weights"));
        CHECK(rule_figure(Rule::seed_001, s.config, *resolve_model(s.config.model), e).value == Approx(32).margin(0.1));
    }
    SECTION("case A: the router alone is ~1M parameters (32 layers x 4096 x 8)") {
        const SeedExample& s = example(all, "Mixtral-8x7B case A");
        const Estimate e = run(s.config);
        CHECK(e.params.trainable == 32 * 4096 * 8);
        CHECK(std::round(static_cast<double>(e.params.trainable) / 1e4) / 100 == figure(s, "trainable_params_millions"));
        // ...but the frozen model does not fit the article's 44 GB card.
        CHECK(e.device_used > 90'000'000'000LL);
    }
    SECTION("case B: 6 layers x 2 experts + router = 2.114B trainable -> 4.23 / 4.23 / 16.9 / 8.46 / 33.8 GB") {
        const SeedExample& s = example(all, "Mixtral-8x7B case B");
        const Estimate e = run(s.config);
        // 6 x 2 x 3 x 4096 x 14336 + 6 x 4096 x 8 = 2,113,929,216 + 196,608
        CHECK(e.params.trainable == 2'114'125'824);
        const double t = static_cast<double>(e.params.trainable);
        CHECK(std::round(2 * t / 1e7) / 100 == figure(s, "weights"));
        CHECK(std::round(2 * t / 1e7) / 100 == figure(s, "gradients"));
        CHECK(std::round(8 * t / 1e8) / 10 == figure(s, "optimizer_states"));
        CHECK(std::round(4 * t / 1e7) / 100 == figure(s, "master_weights"));
        const RuleFigure r = rule_figure(Rule::seed_001, s.config, *resolve_model(s.config.model), e);
        CHECK(std::round(r.value * 10) / 10 == figure(s, "total"));
        // The detailed model adds the frozen 44.6B parameters the article leaves out.
        CHECK(e.bytes(Part::weights_frozen) > 85'000'000'000LL);
        CHECK_FALSE(s.correction.empty());
    }
    SECTION("case C: LoRA r=16 on all experts = 226.5M params -> 0.45 + 0.45 + 2.72 = 3.6 GB") {
        const SeedExample& s = example(all, "Mixtral-8x7B case C");
        const Estimate e = run(s.config);
        // 3 matrices x 16 x (4096 + 14336) = 884,736 per expert; x 8 experts x 32 layers.
        CHECK(e.params.adapters == 226'492'416);
        const double t = static_cast<double>(e.params.adapters);
        CHECK(std::round(2 * t / 1e7) / 100 == figure(s, "weights"));
        CHECK(std::round(12 * t / 1e7) / 100 == figure(s, "optimizer_states_and_master"));
        const RuleFigure r = rule_figure(Rule::seed_001, s.config, *resolve_model(s.config.model), e);
        CHECK(std::round(r.value * 10) / 10 == figure(s, "total"));
        // Corrected: the 4-bit base model itself (~24 GB) is what the article forgot.
        CHECK(e.bytes(Part::weights_quantized) > 22'000'000'000LL);
        CHECK(e.device_used > 25'000'000'000LL);
    }
}

TEST_CASE("seed-000: 16 GB per billion at one significant figure, MoE as active + shared", "[rules]") {
    const auto all = seed_examples();
    auto rule = [](const SeedExample& s) {
        const Estimate e = run(s.config);
        return rule_figure(Rule::seed_000, s.config, *resolve_model(s.config.model), e);
    };
    CHECK(rule(example(all, "70B dense, full")).value == figure(example(all, "70B dense, full"), "total"));
    CHECK(rule(example(all, "13B dense")).value == figure(example(all, "13B dense"), "total"));
    CHECK(rule(example(all, "70B LoRA")).value == figure(example(all, "70B LoRA"), "total"));
    const SeedExample& moe = example(all, "Qwen3-235B-A22B full");
    CHECK(rule(moe).value == figure(moe, "total"));
    // The detailed model: every expert's weights, gradients, states and master weights.
    const Estimate e = run(moe.config);
    CHECK(e.params.total > 235'000'000'000LL);
    CHECK(e.device_used > 3'500'000'000'000LL);
    CHECK(moe.correction.find("expert") != std::string::npos);
    // Quantized storage: 70B x 1 B and x 0.5 B.
    const SeedExample& q8 = example(all, "70B weights quantized to 8-bit");
    const SeedExample& q4 = example(all, "70B weights quantized to 4-bit");
    CHECK(std::round(70e9 * 1.0 / 1e9) == figure(q8, "weights"));
    CHECK(std::round(70e9 * 0.5 / 1e9) == figure(q4, "weights"));
    CHECK(run(q4.config).bytes(Part::weights_quantized) > static_cast<int64_t>(figure(q4, "weights") * 1e9 * 0.9));
}

TEST_CASE("every seed example is a valid configuration", "[rules]") {
    for (const SeedExample& s : seed_examples()) {
        INFO(s.label);
        const Result<Estimate> r = estimate(s.config);
        INFO(r.error);
        CHECK(r);
        CHECK_FALSE(s.article_figures.empty());
    }
}

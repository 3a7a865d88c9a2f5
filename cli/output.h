// output.h — what the CLI prints: estimate, grid, catalogs and seed examples in text, md, csv
// and json. Internal to the CLI library (cli.cpp parses, these functions only format).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "catalog.h"
#include "config.h"
#include "estimate.h"
#include "grid.h"

namespace vramcalc::cli {

enum class Format : uint8_t { text, md, csv, json };
inline constexpr std::string_view kFormatChoices = "text|md|csv|json";

struct View {
    Format format = Format::text;
    Units units = Units::GiB;
    bool explain = false;   // text/md: per-component formulas
};

// Numbers as printed: never NaN, never negative (clamped to 0).
double clean(double v);
int64_t clean(int64_t v);
std::string fixed(double v, int decimals);           // "12.35"
std::string in_units(int64_t bytes, Units u);        // "12.35 GiB"

void print_estimate(std::ostream& out, const TrainingConfig& c, const Architecture& a, const Gpu& g,
                    const Estimate& e, const View& v);
void print_grid(std::ostream& out, const Grid& grid, const TrainingConfig& base, const View& v);
void print_models(std::ostream& out, const View& v);
void print_gpus(std::ostream& out, const View& v);
void print_seeds(std::ostream& out, const View& v);

}  // namespace vramcalc::cli

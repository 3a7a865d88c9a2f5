// grid.h — the VRAM-by-method grid: methods x model sizes (or catalog models), each cell a full
// estimate, optionally beside a seed article's rule-of-thumb figure.
#pragma once

#include <string>
#include <vector>

#include "config.h"
#include "estimate.h"
#include "rules.h"

namespace vramcalc {

struct GridRow {
    std::string label;           // "Full 16-bit", "LoRA 16-bit", "QLoRA 8-bit", "QLoRA 4-bit", "Freeze"
    Method method = Method::full;
    int quant_bits = 16;         // 16 = not quantized
};

struct GridColumn {
    std::string label;           // "7B" or a catalog id
    ModelSpec model;
};

struct GridCell {
    bool ok = false;             // false: the configuration is invalid for this model (error says why)
    std::string error;
    TrainingConfig config;       // the base configuration with this row and column applied
    int64_t peak = 0;
    int64_t peak_reserved = 0;
    int64_t device_used = 0;
    bool fits = false;
    int gpus_needed = 0;
    RuleFigure rule;             // filled when a rule is chosen
};

struct Grid {
    Rule rule = Rule::none;
    std::vector<GridRow> rows;
    std::vector<GridColumn> columns;
    std::vector<GridCell> cells;   // rows.size() x columns.size(), row-major
    const GridCell& at(size_t row, size_t col) const { return cells[row * columns.size() + col]; }
};

std::vector<GridRow> default_grid_rows();        // Full 16-bit, LoRA 16-bit, QLoRA 8-bit, QLoRA 4-bit, Freeze
std::vector<GridColumn> default_grid_columns();  // 7B, 13B, 30B, 70B, 110B as bare parameter counts

// Apply a row and column to a base configuration (what clicking a cell loads).
TrainingConfig apply_cell(const TrainingConfig& base, const GridRow& row, const GridColumn& col);

Grid make_grid(const TrainingConfig& base, std::vector<GridRow> rows, std::vector<GridColumn> cols, Rule rule);

}  // namespace vramcalc

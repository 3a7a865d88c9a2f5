// grid.cpp — the VRAM-by-method grid (seed article 002's table, made live).
#include "grid.h"

#include <algorithm>

#include "catalog.h"

namespace vramcalc {

std::vector<GridRow> default_grid_rows() {
    return {
        {"Full 16-bit", Method::full, 16},
        {"LoRA 16-bit", Method::lora, 16},
        {"QLoRA 8-bit", Method::qlora, 8},
        {"QLoRA 4-bit", Method::qlora, 4},
        // LLaMA-Factory's freeze default trains the last 2 layers (freeze_trainable_layers=2).
        {"Freeze (last 2 layers)", Method::freeze, 16},
    };
}

std::vector<GridColumn> default_grid_columns() {
    std::vector<GridColumn> cols;
    for (int b : {7, 13, 30, 70, 110}) {
        GridColumn c;
        c.label = std::to_string(b) + "B";
        c.model.kind = ModelKind::params;
        c.model.params_total = static_cast<int64_t>(b) * 1'000'000'000;
        cols.push_back(c);
    }
    return cols;
}

TrainingConfig apply_cell(const TrainingConfig& base, const GridRow& row, const GridColumn& col) {
    TrainingConfig c = base;
    c.model = col.model;
    c.method = row.method;
    if (row.method == Method::qlora) c.quant_bits = row.quant_bits;
    if (row.method == Method::freeze) {
        const Result<Architecture> a = resolve_model(c.model);
        const int layers = a ? static_cast<int>(a->total_layers()) : 2;
        c.train_layer_begin = std::max(0, layers - 2);
        c.train_layer_end = -1;
    }
    return c;
}

Grid make_grid(const TrainingConfig& base, std::vector<GridRow> rows, std::vector<GridColumn> cols, Rule rule) {
    Grid g;
    g.rule = rule;
    g.rows = std::move(rows);
    g.columns = std::move(cols);
    g.cells.resize(g.rows.size() * g.columns.size());
    EstimateOptions o;
    o.explain = false;
    o.search_gpus = true;
    for (size_t ci = 0; ci < g.columns.size(); ++ci) {
        const Result<Architecture> arch = resolve_model(g.columns[ci].model);
        for (size_t ri = 0; ri < g.rows.size(); ++ri) {
            GridCell& cell = g.cells[ri * g.columns.size() + ci];
            cell.config = apply_cell(base, g.rows[ri], g.columns[ci]);
            if (!arch) {
                cell.error = arch.error;
                continue;
            }
            const Result<Estimate> e = estimate(cell.config, o);
            if (!e) {
                cell.error = e.error;
                continue;
            }
            cell.ok = true;
            cell.peak = e->peak;
            cell.peak_reserved = e->peak_reserved;
            cell.device_used = e->device_used;
            cell.fits = e->fits;
            cell.gpus_needed = e->gpus_needed;
            if (rule != Rule::none) cell.rule = rule_figure(rule, cell.config, *arch, *e);
        }
    }
    return g;
}

}  // namespace vramcalc

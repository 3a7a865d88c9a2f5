// app_state.cpp — recomputation on change, link load/store, config.json loading and the test
// getter vramcalc_state_json() (the same numbers and keys as `vramcalc estimate --format json`).
#include "app_state.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <emscripten.h>
#include <nlohmann/json.hpp>

#include "catalog.h"
#include "hf_config.h"
#include "link.h"
#include "platform_web.h"

using namespace vramcalc;

AppState& app() {
    static AppState s;
    return s;
}

void mark_changed(AppState& s) {
    s.dirty = true;
    s.grid_dirty = true;
}

static void fill_count(char* buf, size_t n, int64_t v) {
    if (v <= 0) { buf[0] = '\0'; return; }
    std::snprintf(buf, n, "%s", format_count(v).c_str());
}

void sync_text_fields(AppState& s) {
    fill_count(s.count_total, sizeof s.count_total, s.cfg.model.params_total);
    fill_count(s.count_active, sizeof s.count_active, s.cfg.model.params_active);
    fill_count(s.count_shared, sizeof s.count_shared, s.cfg.model.params_shared);
    fill_count(s.tokens_text, sizeof s.tokens_text, static_cast<int64_t>(s.cfg.tokens));
}

void recompute_if_dirty(AppState& s) {
    if (!s.dirty) return;
    s.dirty = false;
    ++s.generation;
    ++s.recomputes;
    s.hover_cell = -1;
    auto arch = resolve_model(s.cfg.model);
    if (arch) s.arch = *arch;
    auto r = estimate(s.cfg);
    if (r) {
        s.est = *r;
        s.has_est = true;
        s.error.clear();
    } else {
        s.has_est = false;
        s.error = r.error;
    }
    s.link = to_link(s.cfg);
    web::replace_fragment(s.link);
}

static std::vector<GridColumn> catalog_columns(const TrainingConfig& cfg) {
    static const char* ids[] = {"llama-3.2-1b", "qwen3-4b", "llama-3.1-8b", "qwen2.5-14b", "gemma-3-27b",
                                "qwen3-30b-a3b", "mixtral-8x7b", "llama-3.1-70b"};
    std::vector<GridColumn> cols;
    bool has_current = cfg.model.kind != ModelKind::catalog;
    for (const char* id : ids) {
        if (!find_model(id)) continue;
        if (cfg.model.kind == ModelKind::catalog && cfg.model.id == id) has_current = true;
        GridColumn c;
        c.label = id;
        c.model.kind = ModelKind::catalog;
        c.model.id = id;
        cols.push_back(std::move(c));
    }
    if (!has_current && find_model(cfg.model.id)) {   // the chosen model is always a column
        GridColumn c;
        c.label = cfg.model.id;
        c.model = cfg.model;
        cols.insert(cols.begin(), std::move(c));
    }
    return cols;
}

void recompute_grid_if_dirty(AppState& s) {
    if (!s.grid_dirty) return;
    s.grid_dirty = false;
    auto cols = s.grid_columns == GridColumns::sizes ? default_grid_columns() : catalog_columns(s.cfg);
    s.grid = make_grid(s.cfg, default_grid_rows(), std::move(cols), s.rule);
    s.grid_hits.assign(s.grid.cells.size(), GridHit{});
    for (size_t i = 0; i < s.grid_hits.size(); ++i) {
        s.grid_hits[i].row = static_cast<int>(i / std::max<size_t>(s.grid.columns.size(), 1));
        s.grid_hits[i].col = static_cast<int>(i % std::max<size_t>(s.grid.columns.size(), 1));
    }
    s.grid_current = -1;
    for (size_t i = 0; i < s.grid.cells.size(); ++i)
        if (s.grid.cells[i].ok && to_link(s.grid.cells[i].config) == s.link) s.grid_current = static_cast<int>(i);
    s.hover_cell = -1;
}

void load_link(AppState& s, const std::string& fragment, bool initial) {
    if (fragment.empty() || fragment == "#") {
        if (!initial) { s.cfg = TrainingConfig{}; mark_changed(s); sync_text_fields(s); }
        return;
    }
    auto p = from_link(fragment);
    s.cfg = p.config;
    s.notices.clear();
    if (!p.ignored.empty()) {
        s.notice_title = "Parts of this link were ignored (defaults used instead):";
        for (size_t i = 0; i < p.ignored.size() && i < 12; ++i) {
            std::string line = p.ignored[i];
            if (line.size() > 160) line = line.substr(0, 157) + "...";
            s.notices.push_back(std::move(line));
        }
        if (p.ignored.size() > 12) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "... and %zu more", p.ignored.size() - 12);
            s.notices.emplace_back(buf);
        }
    }
    mark_changed(s);
    sync_text_fields(s);
}

void load_config_json(AppState& s, const std::string& text) {
    auto a = parse_hf_config(text);
    if (!a) {
        s.notice_title = "That config.json could not be used:";
        s.notices = {a.error.size() > 300 ? a.error.substr(0, 297) + "..." : a.error};
        return;
    }
    s.cfg.model.kind = ModelKind::architecture;
    s.cfg.model.arch = *a;
    s.loaded_name = a->name.empty() ? a->family : a->name;
    s.notices.clear();
    mark_changed(s);
}

// ---- test getter ----------------------------------------------------------------------------
extern "C" EMSCRIPTEN_KEEPALIVE const char* vramcalc_state_json() {
    static std::string out;
    AppState& s = app();
    nlohmann::json j;
    j["link"] = s.link;
    j["error"] = s.error;
    if (s.has_est) {
        const Estimate& e = s.est;
        j["params"] = {{"total", e.params.total}, {"trainable", e.params.trainable}, {"active", e.params.active}};
        nlohmann::json b = nlohmann::json::object();
        for (const auto& pi : part_table()) b[std::string(pi.key)] = e.bytes(pi.part);
        b["peak"] = e.peak;
        b["peak_reserved"] = e.peak_reserved;
        b["device_used"] = e.device_used;
        j["per_gpu_bytes"] = b;
        j["fits"] = e.fits;
        j["gpus_needed"] = e.gpus_needed;
        j["time_hours"] = e.time_hours;
        j["cost_usd"] = e.cost_usd;
        j["energy_kwh"] = e.energy_kwh;
        j["gpu_memory"] = e.gpu_memory;
    }
    j["notices"] = s.notices;
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& h : s.grid_hits) {
        const auto& c = s.grid.at(static_cast<size_t>(h.row), static_cast<size_t>(h.col));
        cells.push_back({{"row", h.row}, {"col", h.col}, {"x", (h.x0 + h.x1) / 2}, {"y", (h.y0 + h.y1) / 2},
                         {"rect", {h.x0, h.y0, h.x1, h.y1}}, {"ok", c.ok},
                         {"row_label", s.grid.rows[static_cast<size_t>(h.row)].label},
                         {"col_label", s.grid.columns[static_cast<size_t>(h.col)].label},
                         {"link", c.ok ? to_link(c.config) : std::string()}, {"device_used", c.device_used},
                         {"fits", c.fits}});
    }
    j["grid"] = cells;
    j["tab"] = s.tab;
    j["frames"] = {{"total", s.frames},
                   {"drawn", s.drawn_frames},
                   {"idle", s.idle_frames},
                   {"recomputes", s.recomputes},
                   {"avg_ms_drawn", s.drawn_frames ? s.frame_ms_sum_drawn / double(s.drawn_frames) : 0.0},
                   {"max_ms_drawn", s.frame_ms_max_drawn},
                   {"avg_ms_idle", s.idle_frames ? s.frame_ms_sum_idle / double(s.idle_frames) : 0.0},
                   {"idle_heap_growth", s.idle_heap_growth}};
    out = j.dump();
    return out.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE void vramcalc_reset_frame_stats() {
    AppState& s = app();
    s.frames = s.drawn_frames = s.idle_frames = s.recomputes = 0;
    s.frame_ms_sum_drawn = s.frame_ms_max_drawn = s.frame_ms_sum_idle = 0;
    s.idle_heap_growth = 0;
    s.heap_at_idle_start = -1;
}

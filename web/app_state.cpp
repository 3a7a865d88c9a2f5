// app_state.cpp — recomputation on change, link load/store, config.json loading and the test
// getter vramcalc_state_json() (the same numbers and keys as `vramcalc estimate --format json`).
#include "app_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <emscripten.h>

#include "catalog.h"
#include "imgui.h"
#include "imgui_internal.h"   // the windows' scroll, for vramcalc_state_json
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
        s.last_good = s.cfg;
        s.has_last_good = true;
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

void record_rect(AppState& s, UiRect which) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    float* r = s.ui_rects[static_cast<int>(which)];
    r[0] = a.x; r[1] = a.y; r[2] = b.x; r[3] = b.y;
}

// ---- test getter ----------------------------------------------------------------------------
// A small JSON writer (snprintf), so the page does not link nlohmann's serializer for this alone.
namespace {
struct Json {
    std::string out;
    bool first = true;
    void sep() { if (!first) out += ','; first = false; }
    void key(const char* k) { sep(); out += '"'; out += k; out += "\":"; first = true; }
    void open(char c) { sep(); out += c; first = true; }
    void close(char c) { out += c; first = false; }
    void str(std::string_view v) {
        sep();
        out += '"';
        for (char ch : v) {
            const auto u = static_cast<unsigned char>(ch);
            if (ch == '"' || ch == '\\') { out += '\\'; out += ch; }
            else if (u < 0x20) { char b[8]; std::snprintf(b, sizeof b, "\\u%04x", u); out += b; }
            else out += ch;
        }
        out += '"';
    }
    void num(long long v) { sep(); char b[32]; std::snprintf(b, sizeof b, "%lld", v); out += b; }
    void num(double v) {
        sep();
        if (!std::isfinite(v)) { out += "null"; return; }
        char b[40]; std::snprintf(b, sizeof b, "%.17g", v); out += b;
    }
    void boolean(bool v) { sep(); out += v ? "true" : "false"; }
    template <class T> void kv(const char* k, T v) { key(k); put(v); }
    void put(const std::string& v) { str(v); }
    void put(const char* v) { str(v); }
    void put(bool v) { boolean(v); }
    void put(int v) { num(static_cast<long long>(v)); }
    void put(long v) { num(static_cast<long long>(v)); }
    void put(long long v) { num(v); }
    void put(unsigned long long v) { num(static_cast<long long>(v)); }
    void put(double v) { num(v); }
    void put(float v) { num(static_cast<double>(v)); }
};
}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE const char* vramcalc_state_json() {
    static Json j;
    AppState& s = app();
    j.out.clear();
    j.first = true;
    j.open('{');
    j.kv("link", s.link);
    j.kv("error", s.error);
    if (s.has_est) {
        const Estimate& e = s.est;
        j.key("params");
        j.open('{');
        j.kv("total", static_cast<long long>(e.params.total));
        j.kv("trainable", static_cast<long long>(e.params.trainable));
        j.kv("active", static_cast<long long>(e.params.active));
        j.close('}');
        j.key("per_gpu_bytes");
        j.open('{');
        for (const auto& pi : part_table()) {
            const std::string k(pi.key);
            j.kv(k.c_str(), static_cast<long long>(e.bytes(pi.part)));
        }
        j.kv("peak", static_cast<long long>(e.peak));
        j.kv("peak_reserved", static_cast<long long>(e.peak_reserved));
        j.kv("device_used", static_cast<long long>(e.device_used));
        j.close('}');
        j.kv("fits", e.fits);
        j.kv("gpus_needed", e.gpus_needed);
        j.kv("time_known", e.time_known());
        j.kv("time_hours", e.time_hours);
        j.kv("cost_usd", e.cost_usd);
        j.kv("energy_kwh", e.energy_kwh);
        j.kv("gpu_memory", static_cast<long long>(e.gpu_memory));
    }
    j.key("verdict");
    j.open('[');
    for (const auto& v : s.verdict) j.str(v);
    j.close(']');
    j.key("notices");
    j.open('[');
    for (const auto& n : s.notices) j.str(n);
    j.close(']');
    j.key("grid");
    j.open('[');
    for (const auto& h : s.grid_hits) {
        if (h.x1 <= h.x0) continue;   // not drawn (grid tab not shown yet)
        const auto& c = s.grid.at(static_cast<size_t>(h.row), static_cast<size_t>(h.col));
        j.open('{');
        j.kv("row", h.row);
        j.kv("col", h.col);
        j.kv("x", (h.x0 + h.x1) / 2);
        j.kv("y", (h.y0 + h.y1) / 2);
        j.kv("row_label", s.grid.rows[static_cast<size_t>(h.row)].label);
        j.kv("col_label", s.grid.columns[static_cast<size_t>(h.col)].label);
        j.kv("ok", c.ok);
        j.kv("link", c.ok ? to_link(c.config) : std::string());
        j.kv("device_used", static_cast<long long>(c.device_used));
        j.kv("fits", c.fits);
        j.close('}');
    }
    j.close(']');
    j.kv("tab", s.tab);
    // How far the page's windows are scrolled, all together (tests of touch scrolling).
    double scroll_y = 0;
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) scroll_y += static_cast<double>(w->Scroll.y);
    j.kv("scroll_y", scroll_y);
    j.key("ui");
    j.open('{');
    for (int i = 0; i < static_cast<int>(UiRect::count); ++i) {
        j.key(kUiRectNames[i]);
        j.open('[');
        for (float v : s.ui_rects[i]) j.num(static_cast<double>(v));
        j.close(']');
    }
    j.close('}');
    j.kv("units", s.units == Units::GiB ? "GiB" : "GB");
    j.key("frames");
    j.open('{');
    j.kv("total", static_cast<unsigned long long>(s.frames));
    j.kv("drawn", static_cast<unsigned long long>(s.drawn_frames));
    j.kv("idle", static_cast<unsigned long long>(s.idle_frames));
    j.kv("recomputes", static_cast<unsigned long long>(s.recomputes));
    j.kv("avg_ms_drawn", s.drawn_frames ? s.frame_ms_sum_drawn / double(s.drawn_frames) : 0.0);
    j.kv("max_ms_drawn", s.frame_ms_max_drawn);
    j.kv("avg_ms_idle", s.idle_frames ? s.frame_ms_sum_idle / double(s.idle_frames) : 0.0);
    j.kv("idle_heap_growth", s.idle_heap_growth);
    j.kv("ms_recompute", s.ms_recompute);
    j.kv("ms_ui", s.ms_ui);
    j.kv("ms_gl", s.ms_gl);
    j.close('}');
    j.close('}');
    return j.out.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE void vramcalc_reset_frame_stats() {
    AppState& s = app();
    s.frames = s.drawn_frames = s.idle_frames = s.recomputes = 0;
    s.frame_ms_sum_drawn = s.frame_ms_max_drawn = s.frame_ms_sum_idle = 0;
    s.ms_recompute = s.ms_ui = s.ms_gl = 0;
    s.idle_heap_growth = 0;
    s.heap_at_idle_start = -1;
}

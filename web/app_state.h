// app_state.h — the page's one struct: the TrainingConfig the inputs edit, view options, and the
// results derived from them. Results are recomputed only when something changed (`dirty`), so an
// idle frame neither computes nor allocates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "estimate.h"
#include "grid.h"
#include "rules.h"

struct ImFont;

enum class GridColumns : uint8_t { sizes, catalog };

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* large = nullptr;      // 1.90 fallback: a separate atlas entry; 1.92: = regular
    float base = 15.0f;
    float large_size = 21.0f;
};

struct GridHit {                  // a cell's rectangle as drawn (CSS px), for tests and hover
    int row = 0, col = 0;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Rectangles of a few widgets, as drawn (CSS px), reported to the tests and bench/web.
enum class UiRect : uint8_t { tab_breakdown, tab_grid, tab_cost, input_seq, copy_link, grid_rule, undo, count };
inline constexpr const char* kUiRectNames[] = {"tab_breakdown", "tab_grid", "tab_cost", "input_seq", "copy_link", "grid_rule", "undo"};

struct AppState {
    vramcalc::TrainingConfig cfg;                 // what the inputs edit
    vramcalc::Units units = vramcalc::Units::GiB;

    // Grid view
    GridColumns grid_columns = GridColumns::sizes;
    vramcalc::Rule rule = vramcalc::Rule::none;

    // Derived (recomputed when dirty)
    bool dirty = true;
    bool grid_dirty = true;
    uint64_t generation = 0;                      // +1 per recompute
    std::string link;                             // to_link(cfg)
    std::string error;                            // estimate() failed: why
    vramcalc::Estimate est;
    bool has_est = false;
    vramcalc::Architecture arch;
    vramcalc::Grid grid;
    std::vector<GridHit> grid_hits;
    int grid_current = -1;                        // the cell matching the current configuration
    int hover_cell = -1;                          // detailed estimate of the hovered cell, cached
    vramcalc::Estimate hover_est;
    bool hover_ok = false;
    std::vector<std::string> verdict;             // the verdict's lines as last drawn (for the tests)
    vramcalc::TrainingConfig last_good;           // the last configuration that could be estimated (undo)
    bool has_last_good = false;

    // Notices (ignored link keys, config.json errors), shown until dismissed
    std::vector<std::string> notices;
    std::string notice_title;

    // Input scratch (text fields that parse on edit)
    char model_filter[64] = "";
    char gpu_filter[64] = "";
    char count_total[32] = "";
    char count_active[32] = "";
    char count_shared[32] = "";
    char tokens_text[32] = "";
    std::string loaded_name;                      // name of the config.json loaded, for display

    // Layout and misc
    Fonts fonts;
    float copy_flash = 0;                         // seconds the "Copied" label stays
    int tab = 0;                                  // result tabs: 0 breakdown, 1 grid, 2 time & cost, 3 inputs (narrow)
    int request_tab = -1;
    float tabs_content_h = 1e9f;                  // wide layout: height the result tabs' content took last frame

    float ui_rects[static_cast<int>(UiRect::count)][4] = {};

    // Frame accounting (bench/web and the tests read these through vramcalc_state_json)
    uint64_t frames = 0, drawn_frames = 0, recomputes = 0;
    double frame_ms_sum_drawn = 0, frame_ms_max_drawn = 0, frame_ms_sum_idle = 0;
    uint64_t idle_frames = 0;
    double ms_recompute = 0, ms_ui = 0, ms_gl = 0;  // drawn frames: estimate, ImGui (build UI), GL (draw + swap)
    long heap_at_idle_start = -1;
    long idle_heap_growth = 0;                    // bytes the heap grew across idle frames
};

AppState& app();

void mark_changed(AppState& s);                   // the configuration changed: recompute, update the URL
void recompute_if_dirty(AppState& s);             // estimate + link; cheap when nothing changed
void recompute_grid_if_dirty(AppState& s);
void load_link(AppState& s, const std::string& fragment, bool initial);
void load_config_json(AppState& s, const std::string& text);
void sync_text_fields(AppState& s);               // refill the text buffers from cfg
void record_rect(AppState& s, UiRect which);      // the last ImGui item's rectangle

// panels.h — one function per panel; each draws from AppState and calls mark_changed() when the
// user edits the configuration. None of them computes memory: they draw estimate()/make_grid().
#pragma once

#include "app_state.h"

void draw_app(AppState& s);            // layout.cpp: top bar, columns, notices (wide and narrow)
void draw_top_bar(AppState& s);        // layout.cpp
void draw_inputs(AppState& s);         // panel_inputs.cpp
void draw_verdict(AppState& s);        // panel_breakdown.cpp: fits?, by how much, fewest GPUs, what to change
void draw_memory_bar(AppState& s);     // panel_breakdown.cpp: stacked bar against the capacity line
void draw_memory_legend(AppState& s);   // panel_breakdown.cpp: the bar's colours named (narrow layout)
void draw_breakdown_table(AppState& s);   // panel_breakdown.cpp
void draw_grid(AppState& s);           // panel_grid.cpp: the VRAM-by-method table
void draw_cost(AppState& s);           // panel_cost.cpp: time, cost, energy
void draw_assumptions(AppState& s);    // panel_assumptions.cpp
void draw_estimate_tooltip(const AppState& s, const vramcalc::Estimate& e, const char* title);   // panel_breakdown.cpp

// ui.h — look and small widgets shared by the panels: theme and fonts, tooltips that say what an
// input is / its default / what frameworks call it, number formatting, part colours.
#pragma once

#include <cstdint>
#include <string>

#include "app_state.h"
#include "imgui.h"

namespace ui {

void setup_style_and_fonts(AppState& s, float dpr);

// Colours
inline constexpr ImU32 kGood = IM_COL32(76, 175, 110, 255);
inline constexpr ImU32 kBad = IM_COL32(226, 88, 80, 255);
inline constexpr ImU32 kWarn = IM_COL32(230, 170, 60, 255);
ImU32 part_color(int part_index);
ImVec4 to_vec4(ImU32 c);

// Emphasis: headings, large text (the verdict), strong (brighter) text.
void heading(const char* text);
void large_text(ImU32 color, const char* text);
void push_strong();
void pop_strong();

// The tooltip of the last item: what it is, its default, what frameworks call it.
void help(const char* what, const char* def = nullptr, const char* frameworks = nullptr);
// A "(?)" marker with a tooltip (for labels that are not items).
void help_marker(const char* what);

// Phones: a finger drag that starts on no widget scrolls the innermost scrollable window under it
// (ImGui itself scrolls only with a wheel or the scrollbar). Call once a frame, before Render().
void touch_drag_scroll();
// A row label in the two-column input layout; returns after positioning the cursor for the widget.
void label(const char* text);

// Wrap position for a tooltip n font-sizes wide, never wider than the screen (phones).
float wrap_em(float n);

// Number formatting (snprintf; Emscripten's libc++ has no std::format)
std::string bytes(const AppState& s, int64_t b, int decimals = 2);
std::string hours(double h);           // "3.2 h", "4.1 days"
std::string money(double usd);         // "$1,234"
std::string fixed(double v, int decimals);

}  // namespace ui

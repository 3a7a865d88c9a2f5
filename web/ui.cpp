// ui.cpp — theme, fonts (Inter subset from Debian's fonts-inter, embedded), tooltip helpers and
// number formatting for the panels.
#include "ui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui_internal.h"

extern const unsigned char kFontRegular[];
extern const size_t kFontRegularSize;

namespace ui {

static AppState* g_state = nullptr;

void setup_style_and_fonts(AppState& s, float dpr) {
    g_state = &s;
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x03C3, 0x03C3, 0x2013, 0x2026, 0x2190, 0x2193,
                                     0x2212, 0x2212, 0x2248, 0x2248, 0x2264, 0x2265, 0x221E, 0x221E, 0};
#if IMGUI_VERSION_NUM >= 19200
    // 1.92 rasterises at the framebuffer scale on demand: crisp at any devicePixelRatio.
    (void)dpr;
    (void)ranges;
    s.fonts.regular = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(kFontRegular),
                                                     static_cast<int>(kFontRegularSize), s.fonts.base, &cfg);
    s.fonts.large = s.fonts.regular;   // one font, drawn at any size
#else
    // 1.90 fallback: rasterise at size x devicePixelRatio and scale the UI back down.
    cfg.GlyphRanges = ranges;
    const float k = dpr > 0 ? dpr : 1.0f;
    s.fonts.regular = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(kFontRegular),
                                                     static_cast<int>(kFontRegularSize), s.fonts.base * k, &cfg);
    s.fonts.large = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(kFontRegular),
                                                   static_cast<int>(kFontRegularSize), s.fonts.large_size * k, &cfg);
    io.FontGlobalScale = 1.0f / k;
#endif
    io.FontDefault = s.fonts.regular;

    ImGui::StyleColorsDark();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.ChildRounding = 6;
    st.FrameRounding = 4;
    st.GrabRounding = 4;
    st.PopupRounding = 6;
    st.TabRounding = 4;
    st.ScrollbarRounding = 6;
    st.WindowPadding = ImVec2(12, 10);
    st.FramePadding = ImVec2(7, 4);
    st.ItemSpacing = ImVec2(8, 6);
    st.ItemInnerSpacing = ImVec2(6, 4);
    st.CellPadding = ImVec2(6, 3);
    st.ScrollbarSize = 12;
    st.WindowBorderSize = 0;
    st.FrameBorderSize = 0;
    st.IndentSpacing = 14;
    ImVec4* c = st.Colors;
    const ImVec4 bg(0.110f, 0.125f, 0.149f, 1.0f);
    c[ImGuiCol_WindowBg] = bg;
    c[ImGuiCol_ChildBg] = ImVec4(0.137f, 0.153f, 0.180f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.090f, 0.102f, 0.122f, 0.98f);
    c[ImGuiCol_Border] = ImVec4(0.25f, 0.28f, 0.33f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.18f, 0.20f, 0.24f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.23f, 0.26f, 0.31f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.26f, 0.30f, 0.36f, 1.0f);
    c[ImGuiCol_TitleBg] = bg;
    c[ImGuiCol_TitleBgActive] = bg;
    c[ImGuiCol_Header] = ImVec4(0.20f, 0.25f, 0.32f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.25f, 0.32f, 0.42f, 1.0f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.28f, 0.36f, 0.48f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.22f, 0.30f, 0.42f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.28f, 0.38f, 0.54f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.32f, 0.44f, 0.62f, 1.0f);
    c[ImGuiCol_CheckMark] = ImVec4(0.55f, 0.75f, 1.0f, 1.0f);
    c[ImGuiCol_SliderGrab] = ImVec4(0.45f, 0.62f, 0.90f, 1.0f);
    c[ImGuiCol_Tab] = ImVec4(0.16f, 0.19f, 0.23f, 1.0f);
    c[ImGuiCol_TabHovered] = ImVec4(0.28f, 0.38f, 0.54f, 1.0f);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.17f, 0.19f, 0.23f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
    c[ImGuiCol_Text] = ImVec4(0.90f, 0.92f, 0.95f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.58f, 0.62f, 0.68f, 1.0f);
}

ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

ImU32 part_color(int i) {
    static const ImU32 palette[] = {
        IM_COL32(66, 133, 244, 255),   // weights_trainable
        IM_COL32(100, 149, 200, 255),  // weights_frozen
        IM_COL32(80, 120, 170, 255),   // weights_quantized
        IM_COL32(171, 120, 230, 255),  // adapters
        IM_COL32(236, 112, 99, 255),   // gradients
        IM_COL32(245, 176, 65, 255),   // optimizer_states
        IM_COL32(220, 200, 90, 255),   // master_weights
        IM_COL32(72, 201, 176, 255),   // activations
        IM_COL32(46, 160, 140, 255),   // logits
        IM_COL32(200, 140, 60, 255),   // optimizer_temp
        IM_COL32(150, 160, 175, 255),  // buffers
        IM_COL32(110, 115, 125, 255),  // cuda_context
        IM_COL32(85, 90, 100, 255),    // allocator_reserve
    };
    return palette[(i >= 0 && i < 13) ? i : 12];
}

// Emphasis without a second font file (the size budget): brighter text.
void push_strong() { ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255)); }
void pop_strong() { ImGui::PopStyleColor(); }

void heading(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(160, 196, 255, 255));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
}

void large_text(ImU32 color, const char* text) {
#if IMGUI_VERSION_NUM >= 19200
    ImGui::PushFont(g_state->fonts.large, g_state->fonts.large_size);
#else
    ImGui::PushFont(g_state->fonts.large);
#endif
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

float wrap_em(float n) {
    const float screen = ImGui::GetIO().DisplaySize.x - ImGui::GetStyle().WindowPadding.x * 4;
    return std::max(std::min(ImGui::GetFontSize() * n, screen), ImGui::GetFontSize() * 8);
}

static void tooltip_body(const char* what, const char* def, const char* frameworks) {
    ImGui::PushTextWrapPos(wrap_em(28.0f));
    ImGui::TextUnformatted(what);
    if (def && *def) {
        ImGui::TextDisabled("Default:");
        ImGui::SameLine();
        ImGui::TextUnformatted(def);
    }
    if (frameworks && *frameworks) {
        ImGui::TextDisabled("Called:");
        ImGui::SameLine();
        ImGui::TextUnformatted(frameworks);
    }
    ImGui::PopTextWrapPos();
}

void help(const char* what, const char* def, const char* frameworks) {
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled) && ImGui::BeginTooltip()) {
        tooltip_body(what, def, frameworks);
        ImGui::EndTooltip();
    }
}

void help_marker(const char* what) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    help(what);
}

void label(const char* text) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    ImGui::SameLine(ImGui::GetFontSize() * 8.2f);
    ImGui::SetNextItemWidth(-FLT_MIN);
}

std::string bytes(const AppState& s, int64_t b, int decimals) {
    return vramcalc::format_bytes(b, s.units, decimals);
}

std::string hours(double h) {
    char buf[48];
    if (!std::isfinite(h) || h <= 0) return "–";
    if (h < 1.0 / 60) std::snprintf(buf, sizeof buf, "%.0f s", h * 3600);
    else if (h < 1) std::snprintf(buf, sizeof buf, "%.0f min", h * 60);
    else if (h < 48) std::snprintf(buf, sizeof buf, "%.1f h", h);
    else std::snprintf(buf, sizeof buf, "%.1f days", h / 24);
    return buf;
}

std::string money(double usd) {
    if (!std::isfinite(usd) || usd <= 0) return "–";
    char buf[48];
    if (usd < 10) std::snprintf(buf, sizeof buf, "$%.2f", usd);
    else if (usd < 1e6) {
        const long long v = static_cast<long long>(std::llround(usd));
        if (v >= 1000) std::snprintf(buf, sizeof buf, "$%lld,%03lld", v / 1000, v % 1000);
        else std::snprintf(buf, sizeof buf, "$%lld", v);
    } else std::snprintf(buf, sizeof buf, "$%.2fM", usd / 1e6);
    return buf;
}

std::string fixed(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

void touch_drag_scroll() {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const ImGuiIO& io = g.IO;
    // SDL turns touches into mouse events that the SDL2 backend marks as TouchScreen.
    if (io.MouseSource != ImGuiMouseSource_TouchScreen || !io.MouseDown[0] || io.MouseDelta.y == 0.0f) return;
    // A press on a window's background makes its MoveId active (ImGui's StartMouseMovingWindow,
    // even for windows that cannot move); any other active id is a slider, field or button under
    // the finger, and that widget keeps the gesture.
    ImGuiWindow* start = g.HoveredWindow;
    if (g.ActiveId != 0) {
        if (g.ActiveIdWindow == nullptr || g.ActiveId != g.ActiveIdWindow->MoveId) return;
        start = g.ActiveIdWindow;
    }
    for (ImGuiWindow* w = start; w != nullptr; w = w->ParentWindow) {
        if (w->ScrollMax.y <= 0.0f) continue;   // nothing to scroll here: try the window around it
        ImGui::SetScrollY(w, std::clamp(w->Scroll.y - io.MouseDelta.y, 0.0f, w->ScrollMax.y));
        return;
    }
}

}  // namespace ui

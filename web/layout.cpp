// layout.cpp — where the panels go. Wide screens (>= 900 CSS px): inputs on the left, results on
// the right (verdict and bar always on top, tabs below, assumptions always at the bottom).
// Narrow screens (phones): one scrolling column: verdict, bar and its legend, then tabs (inputs first).
#include <algorithm>
#include <cstdio>

#include "panels.h"
#include "platform_web.h"
#include "ui.h"

using namespace vramcalc;

void draw_top_bar(AppState& s) {
    ui::push_strong();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("vramcalc");
    ui::pop_strong();
    const float w = ImGui::GetContentRegionAvail().x;
    const bool narrow = ImGui::GetIO().DisplaySize.x < 700;
    if (!narrow) {
        ImGui::SameLine();
        ImGui::TextDisabled("GPU memory, time and cost of training and fine-tuning LLMs");
    }
    // Right-aligned actions
    const bool file = web::is_file_protocol();
    const char* copy_label = s.copy_flash > 0 ? "Copied!" : "Copy link";
    const ImGuiStyle& st = ImGui::GetStyle();
    float bw = ImGui::CalcTextSize("Copy link").x + st.FramePadding.x * 2 + st.ItemSpacing.x;
    if (!file) bw += ImGui::CalcTextSize("Download for offline use").x + st.FramePadding.x * 2 + st.ItemSpacing.x;
    bw += ImGui::CalcTextSize("GiB").x + ImGui::CalcTextSize("GB").x + st.FramePadding.x * 4 + st.ItemSpacing.x * 2 +
          ImGui::GetFrameHeight() * 2;
    if (!narrow) ImGui::SameLine(std::max(ImGui::GetCursorPosX(), w - bw + st.WindowPadding.x));
    int u = static_cast<int>(s.units);
    if (ImGui::RadioButton("GiB", &u, 0) || ImGui::IsItemActivated()) {}
    ui::help("Show memory in GiB (2^30 bytes, as PyTorch and nvidia-smi report).", "GiB", "MiB / GiB in nvidia-smi and torch.cuda.memory_summary()");
    ImGui::SameLine();
    ImGui::RadioButton("GB", &u, 1);
    ui::help("Show memory in GB (10^9 bytes, as vendors print capacities).", "off (GiB)", "the \"80GB\" in a GPU's name");
    if (u != static_cast<int>(s.units)) {
        s.units = static_cast<Units>(u);
    }
    ImGui::SameLine();
    if (ImGui::Button(copy_label)) {
        web::copy_to_clipboard(s.link);
        s.copy_flash = 1.5f;
    }
    record_rect(s, UiRect::copy_link);
    ui::help("Copy a link to this exact configuration. The same text works on the command line: "
             "vramcalc estimate --link '#v=1&...'");
    if (!file) {
        ImGui::SameLine();
        if (ImGui::Button("Download for offline use")) web::download_offline_copy();
        ui::help("Save vramcalc.html: the whole calculator in one file that works with no server and no network.");
    }
}

static void draw_notices(AppState& s) {
    if (s.notices.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.35f, 0.26f, 0.08f, 1.0f));
    // As tall as its lines (wrapped), at most about ten of them; longer lists scroll.
    const float max_h = ImGui::GetTextLineHeightWithSpacing() * 10 + ImGui::GetFrameHeightWithSpacing() +
                        ImGui::GetStyle().WindowPadding.y * 2;
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(FLT_MAX, max_h));
    if (ImGui::BeginChild("notice", ImVec2(0, 0), ImGuiChildFlags_AutoResizeY | ImGuiChildFlags_AlwaysUseWindowPadding)) {
        ui::push_strong();
        ImGui::TextWrapped("%s", s.notice_title.c_str());
        ui::pop_strong();
        for (const auto& n : s.notices) {
            ImGui::Bullet();
            ImGui::TextWrapped("%s", n.c_str());
        }
        if (ImGui::SmallButton("Dismiss")) s.notices.clear();
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// The result tabs. Narrow screens put the inputs in a first tab, so the breakdown, grid and cost are
// one tap away instead of below every input.
static void draw_results_tabs(AppState& s, bool with_inputs) {
    if (ImGui::BeginTabBar("results")) {
        if (with_inputs) {
            const bool open = ImGui::BeginTabItem("Inputs", nullptr, s.request_tab == 3 ? ImGuiTabItemFlags_SetSelected : 0);
            if (open) {
                s.tab = 3;
                draw_inputs(s);
                ImGui::EndTabItem();
            }
        }
        const char* wide_names[] = {"Memory breakdown", "VRAM by method", "Time, cost and energy"};
        const char* narrow_names[] = {"Memory", "By method", "Time & cost"};
        for (int i = 0; i < 3; ++i) {
            ImGuiTabItemFlags f = (s.request_tab == i) ? ImGuiTabItemFlags_SetSelected : 0;
            const bool open = ImGui::BeginTabItem(with_inputs ? narrow_names[i] : wide_names[i], nullptr, f);
            record_rect(s, static_cast<UiRect>(static_cast<int>(UiRect::tab_breakdown) + i));
            if (open) {
                s.tab = i;
                if (i == 0) draw_breakdown_table(s);
                if (i == 1) draw_grid(s);
                if (i == 2) draw_cost(s);
                ImGui::EndTabItem();
            }
        }
        s.request_tab = -1;
        ImGui::EndTabBar();
    }
}

static void draw_assumptions_block(AppState& s, bool fill) {
    ui::heading("Assumptions");
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("(what the numbers rest on; hover any figure for its formula)");
    ImGui::PopStyleColor();
    if (fill) {
        if (ImGui::BeginChild("assumptions", ImVec2(0, 0), false)) draw_assumptions(s);
        ImGui::EndChild();
    } else {
        draw_assumptions(s);
    }
}

void draw_app(AppState& s) {
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    const ImGuiWindowFlags root = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                  ImGuiWindowFlags_NoBringToFrontOnFocus;
    const bool wide = io.DisplaySize.x >= 900;
    ImGui::Begin("vramcalc", nullptr, root | (wide ? ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse : 0));
    draw_top_bar(s);
    ImGui::Separator();
    if (wide) {
        const float left_w = std::clamp(io.DisplaySize.x * 0.32f, 340.0f, 460.0f);
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 0));
        if (ImGui::BeginChild("inputs", ImVec2(left_w, 0), false)) draw_inputs(s);
        ImGui::EndChild();
        ImGui::SameLine();
        if (ImGui::BeginChild("results", ImVec2(0, 0), false)) {
            draw_notices(s);
            draw_verdict(s);
            ImGui::Spacing();
            draw_memory_bar(s);
            // The tabs take what their content needed last frame (no blank band above the assumptions),
            // leaving the assumptions at least a quarter of the height.
            const float avail = ImGui::GetContentRegionAvail().y;
            const float min_assumptions = std::max(avail * 0.25f, ImGui::GetTextLineHeightWithSpacing() * 4.5f);
            const float tabs_h = std::clamp(s.tabs_content_h, ImGui::GetFrameHeight() * 3, std::max(avail - min_assumptions, 1.0f));
            if (ImGui::BeginChild("tabs", ImVec2(0, tabs_h), false)) {
                draw_results_tabs(s, false);
                s.tabs_content_h = ImGui::GetCursorPosY() + ImGui::GetStyle().ItemSpacing.y;
            }
            ImGui::EndChild();
            ImGui::Separator();
            draw_assumptions_block(s, true);
        }
        ImGui::EndChild();
        ImGui::PopStyleColor();
    } else {
        draw_notices(s);
        draw_verdict(s);
        draw_memory_bar(s);
        draw_memory_legend(s);
        ImGui::Spacing();
        draw_results_tabs(s, true);
        ImGui::Separator();
        draw_assumptions_block(s, false);
    }
    ImGui::End();
}

// panel_assumptions.cpp — the estimate's assumptions in words, each naming its source.
#include "panels.h"
#include "ui.h"

void draw_assumptions(AppState& s) {
    if (!s.has_est) return;
    ImGui::PushTextWrapPos(0.0f);
    for (const auto& a : s.est.assumptions) {
        ImGui::Bullet();
        ImGui::TextUnformatted(a.c_str());
    }
    ImGui::PopTextWrapPos();
    if (s.est.assumptions.empty()) ImGui::TextDisabled("(none reported)");
}

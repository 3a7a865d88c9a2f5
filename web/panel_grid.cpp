// panel_grid.cpp — the VRAM-by-method grid (methods x model sizes or catalog models). Each cell is
// a full estimate coloured by whether it fits the chosen GPU; hover shows its breakdown, a click
// loads it into the inputs. A switch shows a seed article's rule-of-thumb figure beside it.
#include <algorithm>
#include <cstdio>

#include "catalog.h"
#include "link.h"
#include "panels.h"
#include "ui.h"

using namespace vramcalc;

void draw_grid(AppState& s) {
    recompute_grid_if_dirty(s);
    const Gpu* g = find_gpu(s.cfg.gpu_id);
    ImGui::TextWrapped("Per-GPU memory (what nvidia-smi would show) for each method and model, with everything else as in "
                       "your inputs, on %d x %s. Hover a cell for its breakdown; click it to load it.",
                       s.cfg.gpus, g ? g->name.c_str() : s.cfg.gpu_id.c_str());
    int cols_mode = static_cast<int>(s.grid_columns);
    bool ch = ImGui::RadioButton("Model sizes", &cols_mode, 0);
    ui::help("Columns are bare parameter counts (7B ... 110B), as the rule-of-thumb tables use them.", "on",
             "the \"7B\" / \"70B\" columns of the seed articles' tables");
    ImGui::SameLine();
    ch |= ImGui::RadioButton("Catalog models", &cols_mode, 1);
    ui::help("Columns are real models from the catalog (with their exact shapes), including the one you chose.", "off",
             "Hugging Face model ids");
    // Phones: the table has a fifth of the room, so cells drop the unit and the GPU count (both in
    // the hover), and the rule-of-thumb switch takes its own line.
    const bool compact = ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 40;
    if (!compact) {
        ImGui::SameLine();
        ImGui::TextDisabled("|");
        ImGui::SameLine();
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Rule of thumb:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
    const bool rule_open = ImGui::BeginCombo("##rule", s.rule == Rule::none ? "off" : label_of(s.rule).data());
    record_rect(s, UiRect::grid_rule);
    if (rule_open) {
        for (const auto& nv : enum_table<Rule>()) {
            if (ImGui::Selectable(nv.value == Rule::none ? "off" : nv.label.data(), nv.value == s.rule)) {
                s.rule = nv.value;
                ch = true;
            }
            ui::help(nv.help.data());
        }
        ImGui::EndCombo();
    }
    ui::help("Show a seed article's rule-of-thumb figure beside each detailed one, and why they differ (hover).", "off",
             "\"16 GB per 1B params\", \"2 bytes x params\" and the like");
    if (ch) {
        s.grid_columns = static_cast<GridColumns>(cols_mode);
        s.grid_dirty = true;
        recompute_grid_if_dirty(s);
    }

    const Grid& grid = s.grid;
    const int ncol = static_cast<int>(grid.columns.size());
    if (ncol == 0 || grid.rows.empty()) return;
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame;
    const float row_h = ImGui::GetTextLineHeight() * (s.rule != Rule::none ? 2.6f : 1.7f);
    const float method_w = ImGui::GetFontSize() * (compact ? 6.0f : 9.5f);
    if (compact) ImGui::TextDisabled("%s per GPU; tap a cell for its breakdown.", s.units == Units::GiB ? "GiB" : "GB");
    if (ImGui::BeginTable("grid", ncol + 1, flags)) {
        ImGui::TableSetupColumn("Method", ImGuiTableColumnFlags_WidthFixed, method_w);
        for (const auto& c : grid.columns) {
            const ModelEntry* m = c.model.kind == ModelKind::catalog ? find_model(c.model.id) : nullptr;
            ImGui::TableSetupColumn(m ? m->arch.name.c_str() : c.label.c_str(), ImGuiTableColumnFlags_WidthStretch);
        }
        ImGui::TableHeadersRow();
        const ImU32 fit_bg = IM_COL32(46, 110, 72, 255), nofit_bg = IM_COL32(122, 44, 44, 255), bad_bg = IM_COL32(55, 58, 64, 255);
        for (size_t r = 0; r < grid.rows.size(); ++r) {
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_h);
            ImGui::TableSetColumnIndex(0);
            if (compact) {
                ImGui::TextWrapped("%s", grid.rows[r].label.c_str());
            } else {
                ImGui::AlignTextToFramePadding();
                ImGui::TextUnformatted(grid.rows[r].label.c_str());
            }
            for (int c = 0; c < ncol; ++c) {
                const size_t idx = r * static_cast<size_t>(ncol) + static_cast<size_t>(c);
                const GridCell& cell = grid.cells[idx];
                ImGui::TableSetColumnIndex(c + 1);
                ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, !cell.ok ? bad_bg : (cell.fits ? fit_bg : nofit_bg));
                ImGui::PushID(static_cast<int>(idx));
                char text[96];
                if (!cell.ok) std::snprintf(text, sizeof text, "n/a");
                else if (compact) std::snprintf(text, sizeof text, "%.0f", to_units(cell.device_used, s.units));
                else if (cell.fits) std::snprintf(text, sizeof text, "%s", ui::bytes(s, cell.device_used, 1).c_str());
                else if (cell.gpus_needed > 0)
                    std::snprintf(text, sizeof text, "%s  (%d GPUs)", ui::bytes(s, cell.device_used, 1).c_str(), cell.gpus_needed);
                else std::snprintf(text, sizeof text, "%s", ui::bytes(s, cell.device_used, 1).c_str());
                const bool current = static_cast<int>(idx) == s.grid_current;
                if (ImGui::Selectable(text, current, ImGuiSelectableFlags_None, ImVec2(0, row_h - 4)) && cell.ok) {
                    s.cfg = cell.config;
                    sync_text_fields(s);
                    mark_changed(s);
                }
                const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
                if (idx < s.grid_hits.size()) {
                    GridHit& h = s.grid_hits[idx];
                    h.x0 = a.x; h.y0 = a.y; h.x1 = b.x; h.y1 = b.y;
                }
                if (s.rule != Rule::none && cell.ok) {
                    if (cell.rule.available)
                        ImGui::GetWindowDrawList()->AddText(ImVec2(a.x + 2, a.y + ImGui::GetTextLineHeight() * 1.15f),
                                                            IM_COL32(225, 225, 200, 200),
                                                            compact ? ("~" + ui::fixed(cell.rule.value, 0)).c_str()
                                                                    : (std::string("rule: ") + ui::fixed(cell.rule.value, 0) + " " + cell.rule.unit).c_str());
                }
                if (ImGui::IsItemHovered()) {
                    if (s.hover_cell != static_cast<int>(idx)) {
                        s.hover_cell = static_cast<int>(idx);
                        auto e = cell.ok ? estimate(cell.config) : Result<Estimate>::fail(cell.error);
                        s.hover_ok = static_cast<bool>(e);
                        if (e) s.hover_est = *e;
                    }
                    if (ImGui::BeginTooltip()) {
                        std::string title = grid.rows[r].label + ", " + grid.columns[static_cast<size_t>(c)].label;
                        if (!cell.ok || !s.hover_ok) {
                            ui::heading(title.c_str());
                            ImGui::PushTextWrapPos(ui::wrap_em(28.0f));
                            ImGui::TextUnformatted(cell.error.c_str());
                            ImGui::PopTextWrapPos();
                        } else {
                            draw_estimate_tooltip(s, s.hover_est, title.c_str());
                            if (cell.rule.available) {
                                ImGui::Separator();
                                ImGui::PushTextWrapPos(ui::wrap_em(30.0f));
                                ImGui::Text("Rule of thumb (%s): %s %s", label_of(s.rule).data(), ui::fixed(cell.rule.value, 1).c_str(),
                                            cell.rule.unit.c_str());
                                ImGui::TextDisabled("%s", cell.rule.formula.c_str());
                                ImGui::TextWrapped("Why it differs: %s", cell.rule.why_differs.c_str());
                                ImGui::PopTextWrapPos();
                            }
                            ImGui::TextDisabled("Click to load this configuration.");
                        }
                        ImGui::EndTooltip();
                    }
                }
                ImGui::PopID();
            }
        }
        ImGui::EndTable();
    }
    ImGui::TextColored(ui::to_vec4(IM_COL32(110, 200, 140, 255)), "green");
    ImGui::SameLine(0, 4);
    ImGui::TextDisabled("fits,");
    ImGui::SameLine(0, 4);
    ImGui::TextColored(ui::to_vec4(IM_COL32(230, 110, 110, 255)), "red");
    ImGui::SameLine(0, 4);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    const char* fewest = compact ? "tap a cell for the fewest GPUs that fit" : "fewest GPUs that fit in brackets";
    if (s.cfg.gpus > 1) ImGui::TextWrapped("does not fit, on %d GPUs each as configured (%s).", s.cfg.gpus, fewest);
    else ImGui::TextWrapped("does not fit, on one GPU as configured (%s).", fewest);
    ImGui::PopStyleColor();
}

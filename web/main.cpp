// main.cpp — the Emscripten loop and nothing else: SDL2 + WebGL2 + Dear ImGui set-up, then one
// frame per requestAnimationFrame. A frame with no input, no URL change and nothing recomputing
// is skipped entirely (no ImGui frame, no draw, no allocation): the canvas keeps its last image.
#include <SDL.h>
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <malloc.h>

#include "app_state.h"
#include "catalog.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#if __has_include("imgui_impl_sdl2.h")
#include "imgui_impl_sdl2.h"
#else
#include "imgui_impl_sdl.h"
#endif
#include "panels.h"
#include "platform_web.h"
#include "ui.h"

namespace {
SDL_Window* g_window = nullptr;
int g_busy_frames = 0;          // frames still to draw after the last event (hover delays, settling)
bool g_first_drawn = false;
constexpr int kSettleFrames = 40;

void frame() {
    AppState& s = app();
    const double t0 = web::now_ms();
    ++s.frames;
    bool active = false;
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        ImGui_ImplSDL2_ProcessEvent(&ev);
        active = true;
    }
    if (web::take_fragment_changed()) {
        load_link(s, web::read_fragment(), false);
        active = true;
    }
    std::string text;
    if (web::take_loaded_text(text)) {
        load_config_json(s, text);
        active = true;
    }
    if (s.copy_flash > 0) active = true;
    if (active || s.dirty) g_busy_frames = kSettleFrames;
    if (g_busy_frames <= 0) {   // idle: nothing to do
        struct mallinfo mi = mallinfo();
        if (s.heap_at_idle_start < 0) s.heap_at_idle_start = static_cast<long>(mi.uordblks);
        s.idle_heap_growth = static_cast<long>(mi.uordblks) - s.heap_at_idle_start;
        ++s.idle_frames;
        s.frame_ms_sum_idle += web::now_ms() - t0;
        return;
    }
    --g_busy_frames;
    s.heap_at_idle_start = -1;
    if (s.copy_flash > 0) s.copy_flash -= ImGui::GetIO().DeltaTime;

    if (!g_first_drawn) web::mark("vramcalc:first-frame-start");
    const double t_rc = web::now_ms();
    recompute_if_dirty(s);
    const double t_ui = web::now_ms();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    draw_app(s);
    ui::touch_drag_scroll();
    ImGui::Render();
    const double t_gl = web::now_ms();
    if (!g_first_drawn) web::mark("vramcalc:first-frame-ui-built");
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(g_window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.110f, 0.125f, 0.149f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(g_window);
    if (s.dirty) g_busy_frames = kSettleFrames;   // an edit during this frame: recompute next frame

    ++s.drawn_frames;
    const double t_end = web::now_ms();
    s.ms_recompute += t_ui - t_rc;
    s.ms_ui += t_gl - t_ui;
    s.ms_gl += t_end - t_gl;
    const double dt = t_end - t0;
    s.frame_ms_sum_drawn += dt;
    if (dt > s.frame_ms_max_drawn && s.drawn_frames > 2) s.frame_ms_max_drawn = dt;
    if (!g_first_drawn) {
        g_first_drawn = true;
        web::mark_first_frame(s.has_est);
        web::hide_loading();
    } else if (s.has_est) {
        web::mark_first_frame(true);
    }
}
}  // namespace

int main(int, char**) {
    web::install();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) return 1;
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    g_window = SDL_CreateWindow("vramcalc", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 720,
                                SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_GLContext gl = g_window ? SDL_GL_CreateContext(g_window) : nullptr;
    if (!gl) return 1;
    SDL_GL_MakeCurrent(g_window, gl);
    web::mark("vramcalc:gl-context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigInputTextCursorBlink = false;   // a blinking cursor would redraw forever
    AppState& s = app();
    ui::setup_style_and_fonts(s, static_cast<float>(web::device_pixel_ratio()));
    ImGui_ImplSDL2_InitForOpenGL(g_window, gl);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    web::mark("vramcalc:imgui-init");
    (void)vramcalc::models().size();   // the embedded catalog is parsed on first use
    (void)vramcalc::gpus().size();
    web::mark("vramcalc:catalog-parsed");
    load_link(s, web::read_fragment(), true);
    sync_text_fields(s);
    recompute_if_dirty(s);
    web::mark("vramcalc:first-estimate");
    emscripten_set_main_loop(frame, 0, 1);
    return 0;
}

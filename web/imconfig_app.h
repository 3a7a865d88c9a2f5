// imconfig_app.h — Dear ImGui build options for the page (IMGUI_USER_CONFIG).
#pragma once
#ifdef __EMSCRIPTEN__
#include <emscripten/em_macros.h>   // toolchain.md gotcha 8: em_js.h in 3.1.6 needs EMSCRIPTEN_KEEPALIVE
#endif
// Size levers (the whole page must stay under 350 KB gzip): no demo windows, no file I/O
// (the page is built with -sFILESYSTEM=0), no built-in ProggyClean (we embed Inter).
#define IMGUI_DISABLE_DEMO_WINDOWS
#define IMGUI_DISABLE_DEBUG_TOOLS
#define IMGUI_DISABLE_FILE_FUNCTIONS
#define IMGUI_DISABLE_DEFAULT_FONT
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS

// platform_web.h — the only door between the app and JavaScript (platform_web.cpp): the URL
// fragment, clipboard, downloads, the config.json dialog, timing marks and the test getter.
#pragma once

#include <string>

namespace web {

void install();                          // once at start: JS listeners (hashchange, drop, paste dialog)
std::string read_fragment();             // location.hash ("#v=1&..." or "")
void replace_fragment(const std::string& link);   // history.replaceState: no reload, no history spam
bool take_fragment_changed();            // the user edited the URL (hashchange) since the last call
bool take_loaded_text(std::string& out); // a config.json pasted or dropped since the last call
void copy_to_clipboard(const std::string& text);
void download_offline_copy();            // saves vramcalc.html (the self-contained page)
bool is_file_protocol();                 // opened from file:// (the single-file page)
void open_config_dialog();               // the DOM dialog where a config.json is pasted or picked
double device_pixel_ratio();
void mark_first_frame(bool with_numbers);   // performance marks for tests and bench/web
void hide_loading();                     // remove the "Loading..." overlay of the shell
double now_ms();
void mark(const char* name);             // performance.mark(name): start-up phases for bench/web

}  // namespace web

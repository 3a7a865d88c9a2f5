#!/usr/bin/env bash
# Installs what is missing for vramcalc on Debian 12 (bookworm), idempotently.
#   scripts/setup.sh native   apt packages for the native build (CLI, core tests)
#   scripts/setup.sh          the above + the web toolchain: emscripten, chromium, fonts, the
#                             pinned Debian sources of SDL2 and Dear ImGui built for Emscripten
#                             into .cache/, and playwright-core (npm ci).
# Everything it builds lives in .cache/ and is reused when present (delete .cache/ to redo).
# Recipe and gotchas: ../shared/notes/toolchain.md. Runs as root or through sudo.
#
# Pinned source versions (a build a year from now gets the same sources):
#   SDL2       libsdl2 2.26.5+dfsg-1 (bookworm)
#   Dear ImGui imgui 1.92.2b+ds-1 (sid: crisp HiDPI text, glyphs loaded on demand); sid can drop
#              it, so when it is gone we fall back to imgui 1.90.1+ds-1 (trixie). Force the
#              fallback with VRAMCALC_IMGUI=1.90.1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-web}
SDL2_VER=2.26.5+dfsg-1; SDL2_SUITE=bookworm; SDL2_DIR=libsdl2-2.26.5+dfsg
IMGUI_VER=1.92.2b+ds-1; IMGUI_SUITE=sid; IMGUI_SRC=imgui-1.92.2b+ds
IMGUI_FB_VER=1.90.1+ds-1; IMGUI_FB_SUITE=trixie; IMGUI_FB_SRC=imgui-1.90.1+ds
PLAYWRIGHT_VER=1.65.1

SUDO=()
if [ "$(id -u)" != 0 ]; then SUDO=(sudo); fi
log() { printf '[setup] %s\n' "$*" >&2; }

# ---- 1. apt packages ------------------------------------------------------------------------
pkgs=(g++ cmake ninja-build catch2 nlohmann-json3-dev libcli11-dev python3)
if [ "$mode" != native ]; then
  pkgs+=(emscripten clang-14 lld-14 llvm-14 binaryen chromium fonts-inter fonttools dpkg-dev xxd
         debian-archive-keyring ca-certificates)
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
[ "$mode" = native ] && exit 0

# ---- 2. pinned Debian sources ----------------------------------------------------------------
export NODE_PATH=/usr/share/nodejs    # gotcha 1: emcc -O2+ needs acorn from Debian's node path
cache=$root/.cache
mkdir -p "$cache/src"
fetch() {   # fetch SUITE PKG=VER DIR
  local suite=$1 spec=$2 dir=$3
  [ -d "$cache/src/$dir" ] && return 0
  log "fetching source $spec ($suite)"
  (cd "$cache/src" && bash "$root/scripts/apt-src.sh" "$cache/apt-$suite" "$suite" apt-get source -q "$spec" >&2)
}
fetch "$SDL2_SUITE" "libsdl2=$SDL2_VER" "$SDL2_DIR"
imgui_dir=
if [ "${VRAMCALC_IMGUI:-}" != 1.90.1 ]; then
  if fetch "$IMGUI_SUITE" "imgui=$IMGUI_VER" "$IMGUI_SRC"; then imgui_dir=$cache/src/$IMGUI_SRC
  else
    # the pinned version may have left sid; refresh the index once and try again, then fall back
    rm -f "$cache/apt-$IMGUI_SUITE/.updated"
    if fetch "$IMGUI_SUITE" "imgui=$IMGUI_VER" "$IMGUI_SRC"; then imgui_dir=$cache/src/$IMGUI_SRC
    else log "imgui $IMGUI_VER is no longer in $IMGUI_SUITE: falling back to $IMGUI_FB_VER"; fi
  fi
fi
if [ -z "$imgui_dir" ]; then
  fetch "$IMGUI_FB_SUITE" "imgui=$IMGUI_FB_VER" "$IMGUI_FB_SRC"
  imgui_dir=$cache/src/$IMGUI_FB_SRC
fi

# ---- 3. SDL2 for Emscripten, without CMake (toolchain.md §6B), trimmed for size ---------------
# The page needs only SDL's window, GL context and input events. Audio, joystick, haptic and
# sensor subsystems are compiled out (-DSDL_*_DISABLED, as SDL's own CMake config does for
# Emscripten), and the software blitters (SDL_blit*.c, SDL_RLEaccel.c: ~60 KB of wasm reached
# only through surface conversion, which the page never does) are replaced by a stub.
SDL2_VARIANT="$SDL2_VER trim2"
sdl_out=$cache/sdl2-wasm
if [ "$(cat "$sdl_out/.stamp" 2>/dev/null)" != "$SDL2_VARIANT" ]; then
  log "building SDL2 $SDL2_VER for Emscripten into $sdl_out"
  rm -rf "$sdl_out"; mkdir -p "$sdl_out/obj" "$sdl_out/lib" "$sdl_out/include/SDL2"
  S=$cache/src/$SDL2_DIR/src
  (cd "$S" && ls *.c {atomic,audio,cpuinfo,dynapi,events,file,haptic,joystick,libm,locale,misc,power,render,sensor,stdlib,thread,timer,video}/*.c \
     render/*/*.c video/yuv2rgb/*.c audio/{emscripten,disk,dummy}/*.c video/{emscripten,dummy}/*.c \
     joystick/{emscripten,virtual,dummy}/*.c haptic/dummy/*.c sensor/dummy/*.c power/emscripten/*.c \
     filesystem/emscripten/*.c timer/unix/*.c thread/generic/*.c loadso/dlopen/*.c \
     locale/emscripten/*.c misc/emscripten/*.c 2>/dev/null | grep -v -e '^video/SDL_blit' -e '^video/SDL_RLEaccel.c$') > "$sdl_out/files.txt"
  cat > "$sdl_out/SDL_blit_stub.c" <<'STUB'
/* vramcalc: software blitting is not built into this SDL (see scripts/setup.sh). */
#include "../SDL_internal.h"
#include "SDL_video.h"
#include "SDL_blit.h"
#include "SDL_RLEaccel_c.h"
int SDL_CalculateBlit(SDL_Surface *surface) { (void)surface; return SDL_SetError("blitting is not built into this SDL"); }
int SDL_RLESurface(SDL_Surface *surface) { (void)surface; return -1; }
void SDL_UnRLESurface(SDL_Surface *surface, int recode) { (void)surface; (void)recode; }
STUB
  cp "$sdl_out/SDL_blit_stub.c" "$S/video/vramcalc_blit_stub.c"
  echo video/vramcalc_blit_stub.c >> "$sdl_out/files.txt"
  jobs=$(nproc); [ "$jobs" -gt 2 ] && jobs=2
  flags="-Os -w -sUSE_SDL=0 -I../include -DSDL_AUDIO_DISABLED=1 -DSDL_JOYSTICK_DISABLED=1 -DSDL_HAPTIC_DISABLED=1 -DSDL_SENSOR_DISABLED=1"
  (cd "$S" && xargs -P "$jobs" -I{} sh -c 'o='"$sdl_out"'/obj/$(echo {} | tr / _).o; emcc '"$flags"' -c {} -o "$o"' < "$sdl_out/files.txt")
  emar rcs "$sdl_out/lib/libSDL2.a" "$sdl_out"/obj/*.o
  cp "$cache/src/$SDL2_DIR"/include/*.h "$sdl_out/include/SDL2/"
  rm -rf "$sdl_out/obj"
  echo "$SDL2_VARIANT" > "$sdl_out/.stamp"
fi

# ---- 4. header-only libraries for the wasm build (never the host /usr/include) -------------
if [ ! -f "$cache/wasm-include/nlohmann/json.hpp" ]; then
  mkdir -p "$cache/wasm-include"; cp -r /usr/include/nlohmann "$cache/wasm-include/"
fi

# ---- 5. playwright-core (drives Debian's /usr/bin/chromium; never downloads a browser) ----
if [ "$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null)" != "$PLAYWRIGHT_VER" ]; then
  log "npm ci (playwright-core $PLAYWRIGHT_VER)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
fi

# ---- 6. what the web build needs, for scripts/start.sh and scripts/web-test.sh -------------
cat > "$cache/web.env" <<ENV
IMGUI_DIR=$imgui_dir
SDL2_PREFIX=$sdl_out
VRAMCALC_WASM_INCLUDE=$cache/wasm-include
ENV
log "web toolchain ready (imgui: $(basename "$imgui_dir"), SDL2 $SDL2_VER)"

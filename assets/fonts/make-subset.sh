#!/bin/sh
# Regenerates the subset fonts embedded in the page from Debian's fonts-inter (SIL OFL 1.1).
# Needs: apt-get install fonts-inter fonttools. The outputs are committed; the build only reads them.
# Kept small on purpose (the page's budget is 350 KB gzip in all): ASCII plus the symbols the core's
# and the page's texts use (§ – — ≈; tests/test_catalog.cpp checks that the sources use no other)
# and a few likely ones (× … → ≤ ≥). No layout tables:
# Dear ImGui lays glyphs out by advance width alone (no GPOS kerning); no CFF hints: stb_truetype
# rasterises without them; desubroutinized CharStrings compress better (9.3 -> 7.9 KB gzip).
set -eu
cd "$(dirname "$0")"
src=/usr/share/fonts/opentype/inter
pyftsubset $src/Inter-Regular.otf --layout-features='' --no-layout-closure --no-hinting --desubroutinize \
  --output-file=Inter-Regular-subset.otf \
  --unicodes='U+0020-007E,U+00A0,U+00A7,U+00D7,U+2013-2014,U+2026,U+2192,U+2248,U+2264-2265'

#!/bin/sh
# Regenerates the subset fonts embedded in the page from Debian's fonts-inter (SIL OFL 1.1).
# Needs: apt-get install fonts-inter fonttools. The outputs are committed; the build only reads them.
set -eu
cd "$(dirname "$0")"
src=/usr/share/fonts/opentype/inter
# Latin-1, Greek (formulas), dashes, quotes, bullet, ellipsis, arrows, minus, approx, <= >=, infinity, times
pyftsubset $src/Inter-Regular.otf --layout-features=kern --output-file=Inter-Regular-subset.otf \
  --unicodes='U+0020-007E,U+00A0-00FF,U+0391-03C9,U+2013-2014,U+2018-201D,U+2022,U+2026,U+2190-2193,U+2212,U+2248,U+2264-2265,U+221E'
# Headings and the verdict: ASCII and a few symbols only
pyftsubset $src/Inter-SemiBold.otf --layout-features=kern --output-file=Inter-SemiBold-subset.otf \
  --unicodes='U+0020-007E,U+00D7,U+2013-2014,U+2212,U+2264-2265,U+2248'

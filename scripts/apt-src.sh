#!/bin/bash
# Fetch Debian *source* packages through a private apt configuration, never touching the
# machine's own apt setup (../shared/notes/toolchain.md §5). The mirror URI is read from the
# machine's apt sources at run time.
# Usage: apt-src.sh CACHE_DIR SUITE apt-get|apt-cache ARGS...
#   e.g. apt-src.sh .cache/apt-sid sid apt-get source -q imgui=1.92.2b+ds-1
set -euo pipefail
cache=$(realpath -m "$1"); suite=$2; shift 2
mkdir -p "$cache/lists/partial" "$cache/cache/archives/partial"
uri=$(awk '/^URIs:/{print $2}' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v -- '-security' | head -n1 || true)
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if($i ~ /^[a-z]+:\/\//){print $i; exit}}' /etc/apt/sources.list | grep -v -- '-security' | head -n1 || true)
fi
[ -n "$uri" ] || { echo "apt-src.sh: no Debian mirror found in apt sources" >&2; exit 1; }
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$cache/sources.list"
opts=(-o Dir::Etc::SourceList="$cache/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::State::Lists="$cache/lists" -o Dir::Cache="$cache/cache"
      -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::Only-Source=true)
[ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
if [ ! -e "$cache/.updated" ]; then apt-get "${opts[@]}" update >&2 && touch "$cache/.updated"; fi
tool=$1; shift; exec "$tool" "${opts[@]}" "$@"

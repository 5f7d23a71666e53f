#!/usr/bin/env bash
# Builds the comparison's two references, acexy-bin and floor, into acestream-proxy-bench/target/peers
# (where `compare` looks for them by default), with the team's shared script.
# usage: acestream-proxy-bench/peers/build.sh [ACEXY_SOURCE] [OUT_DIR]
#   ACEXY_SOURCE  a work tree or bare git directory of github.com/Javinator9889/acexy
#                 [$ACEXY_SOURCE, else /work/.mirror/Javinator9889+acexy/repo]
#   BUILD_PEERS   the shared script [$BUILD_PEERS, else ../shared/bench/build-peers.sh beside the repository]
# Needs root for apt-get (Go 1.22 from bookworm-backports and two Go libraries) on first use.
set -euo pipefail
bench=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$bench/.." && pwd)
src=${1:-${ACEXY_SOURCE:-/work/.mirror/Javinator9889+acexy/repo}}
out=${2:-$bench/target/peers}
script=${BUILD_PEERS:-$repo/../shared/bench/build-peers.sh}
[[ -x $script ]] || script=/work/shared/bench/build-peers.sh
[[ -x $script ]] || { echo "build-peers.sh not found: set BUILD_PEERS" >&2; exit 1; }
[[ -e $src ]] || { echo "no acexy source at $src: pass it as the first argument" >&2; exit 1; }
exec "$script" "$src" "$out"

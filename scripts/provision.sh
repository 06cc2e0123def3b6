#!/usr/bin/env bash
# Installs what the test tiers need and skips what is already there (safe to run repeatedly).
#  1. Debian packages (only when root; otherwise reports what is missing).
#  2. code-server 4.100.3 into .vscode-test/code-server (git-ignored cache), built the way
#     its postinstall would, but offline: Debian's ripgrep instead of a GitHub download.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION=4.100.3
CODE_SERVER_DIR="$ROOT/.vscode-test/code-server"

APT_PACKAGES=(
  python3 python3-torch python3-onnx python3-numpy python3-pyflakes
  openssh-server rsync slurm-wlm
  hipcc libamdhip64-dev libhiprand-dev librocrand-dev libhipsparse-dev
  ripgrep chromium imagemagick
  build-essential pkg-config libx11-dev libxkbfile-dev libsecret-1-dev libkrb5-dev
)
# `provision.sh --python-runtime` (npm run demo on a fresh machine): only what runs model code.
PYTHON_RUNTIME_PACKAGES=(python3 python3-torch python3-onnx python3-numpy)
if [[ "${1:-}" == "--python-runtime" ]]; then
  APT_PACKAGES=("${PYTHON_RUNTIME_PACKAGES[@]}")
fi

log() { printf '[provision] %s\n' "$*"; }

missing_packages() {
  local pkg status
  for pkg in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}

install_apt_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "Debian packages: all ${#APT_PACKAGES[@]} present"
    return
  fi
  if [[ "$(id -u)" -ne 0 ]]; then
    log "Debian packages missing (run as root to install): ${missing[*]}"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
}

code_server_ready() {
  [[ -x "$CODE_SERVER_DIR/node_modules/.bin/code-server" ]] &&
    "$CODE_SERVER_DIR/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}

install_code_server() {
  if code_server_ready; then
    log "code-server $CODE_SERVER_VERSION: present"
    return
  fi
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR"
  local start=$SECONDS
  mkdir -p "$CODE_SERVER_DIR"
  (
    cd "$CODE_SERVER_DIR"
    # npx inside node-pty's install script would otherwise stop to ask.
    export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    export npm_config_foreground_scripts=true
    [[ -f package.json ]] || npm init -y >/dev/null
    npm install --no-save "code-server@$CODE_SERVER_VERSION" --ignore-scripts
    npm rebuild argon2 # the prebuilt download fails fast here, then it builds from source
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm rebuild # node-pty, spdlog, kerberos, ... against /usr/include/node
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    (cd extensions && npm install --omit=dev)
  )
  code_server_ready || { log "code-server did not install correctly"; exit 1; }
  log "code-server installed in $((SECONDS - start)) s"
}

install_apt_packages
[[ "${1:-}" == "--python-runtime" ]] && exit 0
command -v rg >/dev/null || { log "ripgrep (rg) is required"; exit 1; }
install_code_server

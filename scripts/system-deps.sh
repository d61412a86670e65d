#!/usr/bin/env bash
# Ensure the Debian packages the project needs are present.
# As root, missing packages are installed with apt-get; otherwise the exact
# command to run is printed and the script fails.
set -eu

missing=""
python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$missing python3-venv"
fc-list 2>/dev/null | grep -q 'Noto Serif CJK SC' || missing="$missing fonts-noto-cjk"
fc-list 2>/dev/null | grep -q 'LXGW WenKai' || missing="$missing fonts-lxgw-wenkai"
command -v fc-list >/dev/null 2>&1 || missing="$missing fontconfig"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
# the tests serve site/ with a real web server, as a web server administrator would
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装系统软件包:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "缺少系统软件包:$missing" >&2
    echo "请先运行:sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi

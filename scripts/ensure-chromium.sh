#!/usr/bin/env bash
# The browser test drives JupyterLab in Debian's Chromium (Playwright's own browser downloads are
# not reachable from CI). Install it when missing and we may; otherwise say why the test will skip.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "ensure-chromium: /usr/bin/chromium is missing and cannot be installed without root;" >&2
  echo "ensure-chromium: the browser test will be skipped (install Debian's chromium to run it)." >&2
  exit 0
fi
/usr/bin/chromium --version

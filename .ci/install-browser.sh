#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver for sample-app's WatchPageInBrowserIT (Debian, as root).
# Does nothing when both are already there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
apt-get update
apt-get install -y chromium chromium-driver

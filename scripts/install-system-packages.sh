#!/usr/bin/env bash
# Debian packages the tasks and tests read: real datasets and a headless browser for the HTML report.
#   bible-kjv              King James Bible text (`bible "gen1:1-rev22:21"`), language-modelling task
#   fortunes               quotes by category under /usr/share/games/fortunes, LM and classification tasks
#   dataset-fashion-mnist  idx files under /usr/share/datasets/fashion-mnist, ViT image classification
#   chromium               renders results/<study>/report.html in the report test
set -euo pipefail
packages=(bible-kjv fortunes dataset-fashion-mnist chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

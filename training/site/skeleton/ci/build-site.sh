#!/bin/sh
# Builds the training site and runs the quality gates on it, then copies it to OUT (default:
# public/). Both CI workflows run this script, so what it does on your machine is what CI publishes:
#   pip install -r requirements.txt && ci/build-site.sh
set -eu
cd "$(dirname "$0")/.."
out="${1:-public}"
html=_build/site/html

hub-training build --site site.yaml --output "$html"
# Links and anchors, no request to another host, no unfilled value, alt text. Add --axe to check
# accessibility too (needs: pip install "hub-training[gates]" and Chromium).
hub-training gates "$html" --site site.yaml

rm -rf "$out"
cp -R "$html" "$out"
echo "The site is in $out/"

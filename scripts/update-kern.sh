#!/usr/bin/env bash
# Copies the pinned KERN UX build (package.json) into our static files.
# Run after changing the version: npm install && scripts/update-kern.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/@kern-ux/native
dest=forms_engine/static/vendor/kern
[ -d "$src" ] || { echo "run 'npm ci' first" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest/fonts"
cp "$src/dist/kern.min.css" "$src/LICENSE.md" "$dest/"
cp "$src/dist/fonts/fira-sans.css" "$dest/fonts/"
cp -r "$src/dist/fonts/fira-sans" "$dest/fonts/"
node -e 'console.log(require("./'"$src"'/package.json").version)' > "$dest/VERSION"
echo "KERN UX $(cat "$dest/VERSION") copied to $dest"

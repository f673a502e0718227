#!/usr/bin/env bash
# Build the .deb from a bundle: packaging/linux/build-deb.sh BUNDLE VERSION OUT_DIR
# (scripts/package calls it). The bundle goes to /opt/agentdesk, the command to
# /usr/bin/agentdesk, the desktop entry, AppStream data and icons to /usr/share.
# Only dpkg-deb is needed: no tool is downloaded.
set -euo pipefail
bundle="$(cd "$1" && pwd)"
version="$2"
out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
root_dir="$here/../.."
id="com.agentdesk.AgentDesk"
arch="$(dpkg --print-architecture)"

stage="$(mktemp -d)"
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$stage/opt/agentdesk"
ln -s /opt/agentdesk/agentdesk "$stage/usr/bin/agentdesk"
install -m 644 "$here/$id.desktop" "$stage/usr/share/applications/"
install -m 644 "$here/$id.metainfo.xml" "$stage/usr/share/metainfo/"
install -m 644 "$root_dir/resources/icons/agentdesk.svg" \
  "$stage/usr/share/icons/hicolor/scalable/apps/$id.svg"
for png in "$root_dir"/resources/icons/agentdesk-*.png; do
  size="$(basename "$png" .png)"
  size="${size#agentdesk-}"
  mkdir -p "$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
done

# Depends: the runtime libraries (either name of those renamed for 64-bit time)
depends="libc6 (>= 2.36)"
while read -r package; do
  case "$package" in
    lib*) depends+=", $package | ${package}t64" ;;
    *) depends+=", $package" ;;
  esac
done < <(grep -v '^#' "$here/runtime-packages.txt")

cat > "$stage/DEBIAN/control" <<CONTROL
Package: agentdesk
Version: $version
Architecture: $arch
Maintainer: AgentDesk team <agentdesk@localhost>
Section: misc
Priority: optional
Installed-Size: $(du -sk "$stage/opt" | cut -f1)
Depends: $depends
Description: The right script and macro for each situation, mid-call
 AgentDesk is a side panel for contact-center agents, branch staff and trainers:
 it asks a few questions and shows what to say and what to paste, rendered with
 the customer's details. It runs from offline content packs.
CONTROL

mkdir -p "$out"
deb="$out/agentdesk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
echo "$deb"

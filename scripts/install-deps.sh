#!/usr/bin/env bash
# Installs what building and testing xsend needs on Debian 12, if missing:
# Prosody (with prosody-modules for SASL2) and ejabberd (the real servers the tests run; the demo uses Prosody),
# openssl (sandbox certificates), Prometheus Alertmanager (xsend-serve's tests), a C toolchain with zlib for the Native AOT link, and AFL++ for the fuzzing pass
# (scripts/fuzz.sh); for the sendxmpp drop-in and recipe tests (docs/recipes/): the real sendxmpp,
# Nagios 4 (nagios4-core: the daemon alone, no web UI), Icinga 2 (icinga2-bin) and systemd-analyze.
# The .NET 10 SDK is assumed.
set -euo pipefail

command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

need=()
command -v prosody >/dev/null || need+=(prosody)
# SASL2, Bind2 and FAST modules for the SASL2 sandbox (scripts/prosody-sandbox.sh, SASL2=1).
[ -f /usr/lib/prosody/modules/mod_sasl2/mod_sasl2.lua ] || need+=(prosody-modules)
command -v patch >/dev/null || need+=(patch)
command -v ejabberdctl >/dev/null || need+=(ejabberd)
command -v openssl >/dev/null || need+=(openssl)
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
command -v afl-fuzz >/dev/null || need+=(afl++)
command -v sendxmpp >/dev/null || need+=(sendxmpp)
command -v nagios4 >/dev/null || need+=(nagios4-core)
command -v icinga2 >/dev/null || need+=(icinga2-bin icinga2-common)
command -v systemd-analyze >/dev/null || need+=(systemd)
# A real Alertmanager for xsend-serve's integration tests (started privately on loopback by the tests).
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  # No service may start during the install (icinga2-common ships an init script; the tests run
  # their own private daemons): a policy-rc.d that refuses, only while installing, unless one exists.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null >/dev/null
fi

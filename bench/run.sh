#!/usr/bin/env bash
# The one entry point of the benchmarks (docs/benchmarks.md): installs the scenario's peers from
# Debian packages when they are missing, then runs bench/<scenario> with the remaining arguments.
#   bench/run.sh issue [rounds calls [targets...]]   SM2 issuance vs cfssl serve (embedded, OpenLDAP)
#   bench/run.sh revoke [revocations]                revocation -> OCSP, HTTP CRL, sync receiver
#   bench/run.sh footprint [restarts [seconds [openldap]]]   start to ready, RSS idle and under load
#   bench/run.sh keystore [keys [opens]]             the CA key store as it grows: puts, opens in fresh JVMs
#   bench/run.sh ocsp|crl|ldap|crash ...             the other scenarios (their own scripts)
# Installing needs root (apt-get install -y); run as another user, install the packages first.
# Every benchmark JVM (most host the server too) runs with BENCH_JAVA_OPTS, by default the serial
# collector of the server's systemd unit (conf/systemd/egov-pki.service); BENCH_JAVA_OPTS=-XX:+UseG1GC
# measures with G1 instead. Servers started as processes of their own do not take it: footprint's
# take EGOVPKI_JAVA_OPTS (default the unit's -Xmx1g -XX:+UseSerialGC), crash's run -Xmx512m -XX:+UseSerialGC.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scenario="${1:-}"
if [[ -z "$scenario" ]]; then
  echo "usage: bench/run.sh <scenario> [args...]; scenarios:" \
       "$(cd "$here" && ls | grep -v -e '\.' -e '^src$' -e '^target$' -e '^run$' | tr '\n' ' ')" >&2
  exit 2
fi
shift
if [[ ! -x "$here/$scenario" || "$scenario" == */* || "$scenario" == run* ]]; then
  echo "bench/run.sh: no scenario '$scenario' (an executable bench/<scenario>)" >&2
  exit 2
fi

# scenario -> "package:command-it-provides ..." (a package is installed when its command is missing)
case "$scenario" in
  issue) peers="golang-cfssl:cfssl slapd:slapd ldap-utils:ldapmodify openssl:openssl" ;;
  ocsp) peers="wrk:wrk openssl:openssl" ;;
  crl) peers="openssl:openssl" ;;
  ldap) peers="slapd:slapd ldap-utils:ldapmodify" ;;
  footprint) [[ " $* " == *" openldap "* ]] && peers="slapd:slapd ldap-utils:ldapmodify" || peers="" ;;
  *) peers="" ;;
esac
missing=()
for peer in $peers; do
  command -v "${peer#*:}" >/dev/null 2>&1 || [[ -x "/usr/sbin/${peer#*:}" ]] || missing+=("${peer%%:*}")
done
if (( ${#missing[@]} )); then
  echo "bench/run.sh: installing ${missing[*]} for the $scenario scenario" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench/run.sh: not root; install them first: apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  # slapd's package would configure and start a system slapd: the benchmarks start their own.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
fi
echo "bench/run.sh $scenario $*: $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), load average$(uptime | sed 's/.*load average//')"
exec "$here/$scenario" "$@"

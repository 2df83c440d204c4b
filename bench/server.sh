# Sourced by the benchmark scripts (bench/measure.sh, bench/paired.sh): the benchmark's
# throwaway Prosody for the domain "localhost" on 127.0.0.1, through scripts/prosody-sandbox.sh.
#
#   bench_server_start DIR PORT ACCOUNT...   a random password per account in DIR/ACCOUNT.password
#                                            (0600), the server in DIR/prosody (DIR/prosody/ca.pem
#                                            is its CA); bench/harness.py reads both
#   bench_server_stop DIR                    stops it (the callers' EXIT traps)

bench_server_start() {
  local dir=$1 port=$2
  shift 2
  local pairs=() account password
  for account in "$@"; do
    password=$(openssl rand -hex 12)
    (umask 077; printf '%s\n' "$password" > "$dir/$account.password")
    pairs+=("$account:$password")
  done
  echo "bench: starting Prosody for localhost on 127.0.0.1:$port" >&2
  scripts/prosody-sandbox.sh start "$dir/prosody" "$port" localhost "${pairs[@]}"
}

bench_server_stop() {
  scripts/prosody-sandbox.sh stop "$1/prosody"
}

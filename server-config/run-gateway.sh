#!/usr/bin/env bash
# Starts the stream gateway alone on Payara Micro, configured from environment variables.
#
#   GATEWAY_HTTP_PORT                 HTTP port (default 8080)
#   GATEWAY_BIND_ADDRESS              address to listen on (default 127.0.0.1)
#   GATEWAY_DATA_DIR                  directory of the embedded H2 database, which survives
#                                     restarts (default ./gateway-data)
#   GATEWAY_DB_URL                    PostgreSQL JDBC URL, such as
#                                     jdbc:postgresql://127.0.0.1:5432/gateway; unset means
#                                     the embedded H2 database
#   GATEWAY_DB_USER, GATEWAY_DB_PASSWORD   PostgreSQL credentials
#   MP_JWT_VERIFY_ISSUER              issuer of API bearer tokens (required)
#   MP_JWT_VERIFY_PUBLICKEY_LOCATION  PEM public key of that issuer, a path or URL (required)
#   GATEWAY_TICKET_SIGNING_KEYS       ticket keys, kid:base64[,kid:base64]; without it tickets
#                                     stop working at every restart
#   GATEWAY_TICKET_ACTIVE_KEY_ID      key id that signs new tickets (default: the first)
#   GATEWAY_PUBLIC_URL                base URL of ticket URLs, such as https://stream.example.com
#   GATEWAY_CONFIG_FILE               properties file of further settings, such as tenants and
#                                     plans (see server-config/gateway.example.properties)
#   GATEWAY_CLUSTER_MEMBERS           the data grid's members, host:port[,host:port...]: every
#                                     node's GATEWAY_CLUSTER_ADDRESS and GATEWAY_CLUSTER_PORT.
#                                     Unset means one node without the data grid. Several nodes
#                                     need PostgreSQL (GATEWAY_DB_URL)
#   GATEWAY_CLUSTER_ADDRESS           address the data grid listens on and is reached at
#                                     (default: GATEWAY_BIND_ADDRESS)
#   GATEWAY_CLUSTER_PORT              this node's data grid port (default 6900)
#   GATEWAY_CLUSTER_NAME              the cluster's name, the same on every node
#                                     (default stream-gateway)
#   PAYARA_MICRO_JAR, GATEWAY_WAR     the runtime and the application (default: the build's)
#
# Every other gateway.* key of the README can be set the same way, as an environment variable
# in upper case with '.' and '-' turned into '_'.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
micro_jar="${PAYARA_MICRO_JAR:-$repo/web/target/payara-micro.jar}"
war="${GATEWAY_WAR:-$repo/web/target/stream-gateway.war}"
port="${GATEWAY_HTTP_PORT:-8080}"
bind_address="${GATEWAY_BIND_ADDRESS:-127.0.0.1}"
data_dir="${GATEWAY_DATA_DIR:-$PWD/gateway-data}"

fail() {
  echo "run-gateway: $*" >&2
  exit 2
}

[[ -f "$micro_jar" && -f "$war" ]] ||
  fail "$micro_jar or $war is missing: run 'mvn package -DskipTests' first"
[[ -n "${MP_JWT_VERIFY_ISSUER:-}" ]] || fail "set MP_JWT_VERIFY_ISSUER to the API token issuer"
[[ -n "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]] ||
  fail "set MP_JWT_VERIFY_PUBLICKEY_LOCATION to the issuer's PEM public key"
[[ "$port" =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) ||
  fail "GATEWAY_HTTP_PORT must be a port number from 1 to 65535, not '$port'"

# MicroProfile JWT reads a URL or a class path resource, so a file path becomes a file: URL.
key_location="$MP_JWT_VERIFY_PUBLICKEY_LOCATION"
if [[ "$key_location" != *:* ]]; then
  [[ -f "$key_location" ]] || fail "MP_JWT_VERIFY_PUBLICKEY_LOCATION: no file '$key_location'"
  export MP_JWT_VERIFY_PUBLICKEY_LOCATION="file://$(cd "$(dirname "$key_location")" && pwd)/$(basename "$key_location")"
elif [[ "$key_location" == file:* && ! -f "${key_location#file:}" && ! -f "${key_location#file://}" ]]; then
  fail "MP_JWT_VERIFY_PUBLICKEY_LOCATION: no file at '$key_location'"
fi

# The application reads the file from Payara Micro's working directory, so the path is made absolute.
if [[ -n "${GATEWAY_CONFIG_FILE:-}" ]]; then
  [[ -f "$GATEWAY_CONFIG_FILE" ]] || fail "GATEWAY_CONFIG_FILE: no file '$GATEWAY_CONFIG_FILE'"
  GATEWAY_CONFIG_FILE="$(cd "$(dirname "$GATEWAY_CONFIG_FILE")" && pwd)/$(basename "$GATEWAY_CONFIG_FILE")"
  export GATEWAY_CONFIG_FILE
fi

mkdir -p "$data_dir"
config_dir="$(mktemp -d)"
trap 'rm -rf "$config_dir"' EXIT

# Listen only on the requested address: Payara Micro binds every interface by default.
sed "s/=127\.0\.0\.1$/=$bind_address/" "$repo/server-config/micro/loopback.asadmin" \
  >"$config_dir/preboot.asadmin"
# Keep the embedded database in the data directory instead of Payara Micro's temporary one.
echo "set resources.jdbc-connection-pool.H2Pool.property.URL=jdbc:h2:$data_dir/gateway;AUTO_SERVER=TRUE" \
  >>"$config_dir/preboot.asadmin"

options=(--deploy "$war" --contextroot / --port "$port"
  --prebootcommandfile "$config_dir/preboot.asadmin")
java_options=()
if [[ -n "${GATEWAY_CLUSTER_MEMBERS:-}" ]]; then
  [[ -n "${GATEWAY_DB_URL:-}" ]] ||
    fail "GATEWAY_CLUSTER_MEMBERS needs GATEWAY_DB_URL: the nodes share one PostgreSQL database"
  [[ "$GATEWAY_CLUSTER_MEMBERS" =~ ^[A-Za-z0-9._-]+:[0-9]+(,[A-Za-z0-9._-]+:[0-9]+)*$ ]] ||
    fail "GATEWAY_CLUSTER_MEMBERS must be host:port[,host:port...], not '$GATEWAY_CLUSTER_MEMBERS'"
  cluster_port="${GATEWAY_CLUSTER_PORT:-6900}"
  [[ "$cluster_port" =~ ^[0-9]+$ ]] && ((cluster_port >= 1 && cluster_port <= 65535)) ||
    fail "GATEWAY_CLUSTER_PORT must be a port number from 1 to 65535, not '$cluster_port'"
  cluster_address="${GATEWAY_CLUSTER_ADDRESS:-$bind_address}"
  # Payara's data grid (Hazelcast) finds the listed members over TCP and listens on the cluster
  # address only, not on every interface.
  options+=(--clustermode "tcpip:$GATEWAY_CLUSTER_MEMBERS" --interfaces "$cluster_address"
    --startport "$cluster_port" --clustername "${GATEWAY_CLUSTER_NAME:-stream-gateway}"
    --name "gateway-$cluster_address-$cluster_port")
  java_options+=(-Dhazelcast.socket.bind.any=false)
else
  # One gateway node needs no data grid, and Hazelcast would listen on every interface.
  options+=(--nohazelcast)
fi

if [[ -n "${GATEWAY_DB_URL:-}" ]]; then
  driver="$repo/web/target/lib/postgresql.jar"
  [[ -f "$driver" ]] || fail "$driver is missing: run 'mvn package -DskipTests' first"
  # asadmin separates properties with ':', so colons inside values are escaped.
  escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/:/\\:/g; s/=/\\=/g'; }
  properties="url=$(escape "$GATEWAY_DB_URL")"
  [[ -n "${GATEWAY_DB_USER:-}" ]] && properties+=":user=$(escape "$GATEWAY_DB_USER")"
  # The pool insists on a password property; asadmin writes an empty one as ().
  password="${GATEWAY_DB_PASSWORD:-}"
  properties+=":password=$([[ -n "$password" ]] && escape "$password" || echo "()")"
  template="$(<"$repo/server-config/micro/postgresql.asadmin")"
  printf '%s\n' "${template//@PROPERTIES@/$properties}" >"$config_dir/postboot.asadmin"
  chmod 600 "$config_dir/postboot.asadmin"
  options+=(--addlibs "$driver" --postbootcommandfile "$config_dir/postboot.asadmin")
fi

echo "run-gateway: starting on http://$bind_address:$port, data in $data_dir"
# Stored times are UTC only while the JVM runs in UTC (see the README's known limits).
java -Duser.timezone=UTC "${java_options[@]}" ${GATEWAY_JAVA_OPTS:-} -jar "$micro_jar" "${options[@]}" &
micro_pid=$!
trap 'kill -TERM "$micro_pid" 2>/dev/null; wait "$micro_pid"; rm -rf "$config_dir"' EXIT INT TERM
wait "$micro_pid"

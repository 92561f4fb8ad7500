#!/bin/sh
# Configures a running Payara Server 6 domain for the stream gateway and deploys the EAR.
# It binds every listener to 127.0.0.1 (loopback.asadmin) and stores the gateway's settings as
# system properties of the domain, which MicroProfile Config reads on the admin server and on
# every instance (see create-deployment-group.sh). Then it restarts the domain and deploys the
# EAR as application "stream-gateway", which serves at context root "/".
#
# Usage: configure-domain.sh EAR_FILE
#
# Settings, read from the environment (all required):
#   GATEWAY_PUBLIC_URL                 base URL of ticket URLs, such as https://stream.example.com
#   GATEWAY_TICKET_SIGNING_KEYS        ticket keys, kid:base64[,kid:base64...], 32 bytes or more
#                                      each; for example k1:$(head -c 32 /dev/urandom | base64)
#   MP_JWT_VERIFY_PUBLICKEY_LOCATION   URL of the PEM public key that verifies API bearer tokens,
#                                      such as file:/etc/stream-gateway/api-key.pem
#   MP_JWT_VERIFY_ISSUER               expected "iss" of API bearer tokens
# Optional:
#   GATEWAY_DB_URL        PostgreSQL JDBC URL, such as jdbc:postgresql://127.0.0.1:5432/gateway;
#                         unset keeps the embedded H2 database. The default datasource
#                         (jdbc/__default) is pointed at a PostgreSQL pool, as on Payara Micro
#                         (../micro/postgresql.asadmin), and the gateway creates its tables.
#   GATEWAY_DB_USER, GATEWAY_DB_PASSWORD   PostgreSQL credentials
#   GATEWAY_DB_DRIVER     the PostgreSQL JDBC driver jar (default: the build's
#                         web/target/lib/postgresql.jar), added to the domain with add-library
#   GATEWAY_CONFIG_FILE   properties file of further settings, such as tenants and plans (see
#                         server-config/gateway.example.properties), stored as gateway.config-file
#   ASADMIN       asadmin command (default: asadmin on the PATH)
#   ADMIN_PORT    admin port of the domain (default: 4848)
#   DOMAIN_NAME   name of the domain (default: domain1)
#   DOMAIN_DIR    directory that contains the domain (default: the installation's domains/)
#
# Run it on the host of the domain, as the user that runs the server: it restarts the domain with
# asadmin's local stop-domain and start-domain.
#
# The domain must allow admin login without a password (create-domain --nopassword) or have the
# usual asadmin login in place (asadmin login, or AS_ADMIN_PASSWORDFILE in the environment).
# NOTE: system properties are stored in plain text in the domain's config/domain.xml, signing
# keys included; keep that directory readable by the server's user only.
set -eu

if [ $# -ne 1 ]; then
  echo "Usage: $0 EAR_FILE" >&2
  exit 2
fi
ear=$1
here=$(cd "$(dirname "$0")" && pwd)
asadmin=${ASADMIN:-asadmin}
admin_port=${ADMIN_PORT:-4848}
domain_name=${DOMAIN_NAME:-domain1}

for name in GATEWAY_PUBLIC_URL GATEWAY_TICKET_SIGNING_KEYS MP_JWT_VERIFY_PUBLICKEY_LOCATION \
    MP_JWT_VERIFY_ISSUER; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "$0: environment variable $name is missing; the header of $0 lists the settings" >&2
    exit 2
  fi
done
if [ ! -f "$ear" ]; then
  echo "$0: EAR file '$ear' not found" >&2
  exit 2
fi

remote() {
  "$asadmin" --host 127.0.0.1 --port "$admin_port" "$@"
}

# Runs stop-domain or start-domain on this host.
local_domain() {
  if [ -n "${DOMAIN_DIR:-}" ]; then
    "$asadmin" "$1" --domaindir "$DOMAIN_DIR" "$domain_name"
  else
    "$asadmin" "$1" "$domain_name"
  fi
}

# create-system-properties separates entries with ':' and names from values with '=', so both are
# escaped with a backslash inside a value.
set_property() {
  escaped=$(printf '%s' "$2" | sed 's/[:=]/\\&/g')
  remote create-system-properties --target domain "$1=$escaped"
}

# Whether the application is deployed is read now, while the server runs steadily.
if ! found=$(remote get applications.application.stream-gateway.name 2>&1); then
  case $found in
    *'not found'*) found= ;;
    *)
      echo "$0: reading the domain's applications failed: $found" >&2
      exit 1
      ;;
  esac
fi

remote multimode --file "$here/loopback.asadmin"

set_property gateway.public-url "$GATEWAY_PUBLIC_URL"
set_property gateway.ticket.signing-keys "$GATEWAY_TICKET_SIGNING_KEYS"
set_property mp.jwt.verify.publickey.location "$MP_JWT_VERIFY_PUBLICKEY_LOCATION"
set_property mp.jwt.verify.issuer "$MP_JWT_VERIFY_ISSUER"
if [ -n "${GATEWAY_CONFIG_FILE:-}" ]; then
  if [ ! -f "$GATEWAY_CONFIG_FILE" ]; then
    echo "$0: GATEWAY_CONFIG_FILE '$GATEWAY_CONFIG_FILE' not found" >&2
    exit 2
  fi
  config_file=$(cd "$(dirname "$GATEWAY_CONFIG_FILE")" && pwd)/$(basename "$GATEWAY_CONFIG_FILE")
  set_property gateway.config-file "$config_file"
fi

if [ -n "${GATEWAY_DB_URL:-}" ]; then
  driver=${GATEWAY_DB_DRIVER:-$here/../../web/target/lib/postgresql.jar}
  if [ ! -f "$driver" ]; then
    echo "$0: PostgreSQL driver '$driver' not found; build with 'mvn package' or set GATEWAY_DB_DRIVER" >&2
    exit 2
  fi
  # asadmin separates pool properties with ':', so colons, equals signs and backslashes inside
  # a value are escaped; an empty password is written as ().
  escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/[:=]/\\&/g'; }
  properties="url=$(escape "$GATEWAY_DB_URL")"
  if [ -n "${GATEWAY_DB_USER:-}" ]; then
    properties="$properties:user=$(escape "$GATEWAY_DB_USER")"
  fi
  if [ -n "${GATEWAY_DB_PASSWORD:-}" ]; then
    properties="$properties:password=$(escape "$GATEWAY_DB_PASSWORD")"
  else
    properties="$properties:password=()"
  fi
  commands=$(mktemp)
  trap 'rm -f "$commands"' EXIT
  chmod 600 "$commands"
  # A multimode file is read like a command line, which takes one level of backslashes away, so
  # they are doubled; then '|', '&' and '\' are escaped for sed.
  in_file=$(printf '%s' "$properties" | sed 's/\\/\\\\/g; s/[|&\\]/\\&/g')
  sed "s|@PROPERTIES@|$in_file|" "$here/../micro/postgresql.asadmin" >"$commands"

  if ! remote list-libraries --type common | grep -qx "$(basename "$driver")"; then
    remote add-library --type common "$driver"
  fi
  # The pool is created again on every run, so that a changed URL or password takes effect.
  remote set resources.jdbc-resource.jdbc/__default.pool-name=H2Pool
  if remote list-jdbc-connection-pools | grep -qx gateway-postgresql; then
    remote delete-jdbc-connection-pool gateway-postgresql
  fi
  remote multimode --file "$commands"
fi

# Stored times are UTC only while the JVM runs in UTC (see the README's known limits).
if ! remote list-jvm-options | grep -qx -- '-Duser.timezone=UTC'; then
  remote create-jvm-options -- '-Duser.timezone=UTC'
fi

# A new EAR replaces a deployed one before the restart, wherever it runs (on the admin server or a
# deployment group, see create-deployment-group.sh): the domain target keeps its references.
# NOTE: right after the restart the same deploy failed as "name already in use" and removed the
# application, while the server was still loading it (Payara 6.2025.10).
if [ -n "$found" ]; then
  remote deploy --force=true --target domain --name stream-gateway "$ear"
fi

# Listener addresses and the JMS host take effect on restart. NOTE: remote restart-domain is not
# used because, given a domain outside the installation's domains/, Payara 6.2025.10 started the
# installation's default domain1 as well.
local_domain stop-domain
local_domain start-domain

# A first deployment goes to the admin server.
if [ -z "$found" ]; then
  remote deploy --name stream-gateway "$ear"
fi

# The instances of a deployment group read the system properties when they start, so the groups
# that run the application restart, one instance after another.
for group in $(remote list-deployment-groups | sed -n 's/^[[:space:]]\{1,\}//p'); do
  if remote list-applications "$group" | grep -q '^stream-gateway '; then
    remote restart-deployment-group "$group"
  fi
done

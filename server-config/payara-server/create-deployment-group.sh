#!/bin/sh
# Runs the stream gateway on a Payara Server 6 deployment group: several instances on this host
# that form one cluster on Payara's data grid, behind a load balancer such as
# ../cluster/nginx.conf. Run configure-domain.sh first, with GATEWAY_DB_URL (the instances
# share one PostgreSQL database) and GATEWAY_PUBLIC_URL set to the load balancer's address.
#
# Usage: create-deployment-group.sh INSTANCE:PORTBASE [INSTANCE:PORTBASE ...]
#
# Each instance listens on its port base plus the offsets of create-instance --portbase, such as
# HTTP on PORTBASE+80 and its admin listener on PORTBASE+48. Its data grid port is PORTBASE+90.
# For example, "gw-1:28000 gw-2:28100" gives HTTP ports 28080 and 28180.
#
# What it does, and every step is safe to run again:
#   - creates the config GROUP-config from default-config, with every listener on
#     GATEWAY_GROUP_ADDRESS (loopback.asadmin with this config and address);
#   - turns the data grid on for that config, listening on GATEWAY_GROUP_ADDRESS only, with TCP
#     discovery among the instances; the domain admin server stays out of the grid; EJB timers
#     go to the grid too;
#   - creates the deployment group, its instances on the node of this host, and moves the
#     application "stream-gateway" from the admin server to the group;
#   - starts the group, or restarts it when it runs.
# The gateway's settings reach the instances because configure-domain.sh stores them as
# domain-wide system properties.
#
# Settings, read from the environment:
#   GATEWAY_GROUP           name of the deployment group (default: stream-gateway); its config
#                           is GROUP-config
#   GATEWAY_GROUP_ADDRESS   address the instances' listeners and data grid bind to (default:
#                           127.0.0.1); the load balancer connects to it
#   GATEWAY_CLUSTER_NAME    name of the data grid cluster (default: stream-gateway)
#   NODE_NAME     node of the instances (default: localhost-DOMAIN_NAME, the node of this host
#                 that create-domain makes)
#   ASADMIN       asadmin command (default: asadmin on the PATH)
#   ADMIN_PORT    admin port of the domain (default: 4848)
#   DOMAIN_NAME   name of the domain (default: domain1)
#
# The data grid has no authentication of its own: keep GATEWAY_GROUP_ADDRESS and the grid ports
# reachable by the instances alone.
set -eu

if [ $# -eq 0 ]; then
  echo "Usage: $0 INSTANCE:PORTBASE [INSTANCE:PORTBASE ...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
asadmin=${ASADMIN:-asadmin}
admin_port=${ADMIN_PORT:-4848}
domain_name=${DOMAIN_NAME:-domain1}
group=${GATEWAY_GROUP:-stream-gateway}
config=$group-config
address=${GATEWAY_GROUP_ADDRESS:-127.0.0.1}
cluster_name=${GATEWAY_CLUSTER_NAME:-stream-gateway}
node=${NODE_NAME:-localhost-$domain_name}
application=stream-gateway

fail() {
  echo "$0: $*" >&2
  exit 2
}

remote() {
  "$asadmin" --host 127.0.0.1 --port "$admin_port" "$@"
}

# Prints a list command's output a name per line, trimmed, without its status line.
names() {
  remote "$@" | sed '/^Command .* executed successfully\.$/d; s/^[[:space:]]*//; s/[[:space:]]*$//'
}

case $group in
  '' | *[!A-Za-z0-9_-]* | -*)
    fail "GATEWAY_GROUP '$group' is invalid: use letters, digits, '-' and '_'" ;;
esac
case $address in
  '' | *[!0-9A-Za-z.:-]*) fail "GATEWAY_GROUP_ADDRESS '$address' is invalid: use an IP address" ;;
esac

members=
for spec in "$@"; do
  name=${spec%%:*}
  portbase=${spec#*:}
  case $name in
    '' | *[!A-Za-z0-9_-]* | -*)
      fail "instance name in '$spec' is invalid: use letters, digits, '-' and '_'" ;;
  esac
  case $portbase in
    '' | *[!0-9]*) fail "port base in '$spec' is invalid: use a number from 1024 to 65400" ;;
  esac
  if [ "$portbase" -lt 1024 ] || [ "$portbase" -gt 65400 ]; then
    fail "port base in '$spec' must be from 1024 to 65400, so that PORTBASE+90 is a port"
  fi
  members="$members${members:+,}$address:$((portbase + 90))"
done

if ! remote uptime >/dev/null 2>&1; then
  fail "no domain admin server answers on 127.0.0.1:$admin_port: start the domain, or set" \
    "ADMIN_PORT to its admin port"
fi
if ! remote get "applications.application.$application.name" >/dev/null 2>&1; then
  fail "application '$application' is not deployed: run configure-domain.sh first"
fi
if remote get resources.jdbc-resource.jdbc/__default.pool-name | grep -q '=H2Pool$'; then
  fail "the default datasource is the embedded H2 database, which each instance would keep to" \
    "itself: run configure-domain.sh with GATEWAY_DB_URL first"
fi

if ! names list-configs | grep -qx "$config"; then
  remote copy-config default-config "$config"
fi

# loopback.asadmin names server-config and 127.0.0.1. The same commands go to the group's config
# and address.
commands=$(mktemp)
trap 'rm -f "$commands"' EXIT
sed -e "s/configs\.config\.server-config\./configs.config.$config./" \
  -e "s/127\.0\.0\.1/$address/g" \
  -e "s/^create-system-properties /create-system-properties --target $config /" \
  -e '/hazelcast-config-specific-configuration\.enabled=false/d' \
  "$here/loopback.asadmin" >"$commands"
remote multimode --file "$commands"

# The grid's discovery settings belong to the domain. Only instances of this config join, because
# the admin server's own grid stays off (loopback.asadmin).
remote set-hazelcast-configuration --target domain --clustermode tcpip --tcpipmembers "$members" \
  --interfaces "$address" --autoincrementport false --clustername "$cluster_name"
remote set-hazelcast-configuration --target "$config" --enabled true \
  --configspecificdatagridstartport '${HZ_LISTENER_PORT}'

# The default EJB timer service of a new instance finds no timer table in its embedded database,
# so the application fails to load. The data grid's timer service needs no table, and the
# gateway's own timer is not persistent.
remote set "configs.config.$config.ejb-container.ejb-timer-service.ejb-timer-service=DataGrid"

# Without hazelcast.socket.bind.any=false the grid listens on every interface.
for option in -Duser.timezone=UTC -Dhazelcast.socket.bind.any=false; do
  if ! remote list-jvm-options --target "$config" | grep -qx -- "$option"; then
    remote create-jvm-options --target "$config" -- "$option"
  fi
done

if ! names list-deployment-groups | grep -qx "$group"; then
  remote create-deployment-group "$group"
fi
for spec in "$@"; do
  name=${spec%%:*}
  portbase=${spec#*:}
  if ! names list-instances --nostatus | grep -qx "$name"; then
    remote create-instance --node "$node" --config "$config" --portbase "$portbase" \
      --systemproperties "HZ_LISTENER_PORT=$((portbase + 90))" "$name"
  fi
  if ! names list-instances --nostatus "$group" | grep -qx "$name"; then
    remote add-instance-to-deployment-group --instance "$name" --deploymentgroup "$group"
  fi
done

# The admin server is not in the grid, so its streams would not hear of revocations made on the
# instances: the application runs on the group only.
if ! names list-applications "$group" | grep -q "^$application "; then
  remote create-application-ref --target "$group" "$application"
fi
if names list-applications server | grep -q "^$application "; then
  remote delete-application-ref --target server "$application"
fi

if remote list-instances "$group" | awk '$2 == "running" { found = 1 } END { exit !found }'; then
  remote restart-deployment-group "$group"
else
  remote start-deployment-group "$group"
fi

for spec in "$@"; do
  echo "Instance ${spec%%:*}: http://$address:$((${spec#*:} + 80))/"
done

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
# For example, "gw-1:28000 gw-2:28100" gives HTTP ports 28080 and 28180. The ports of a new
# instance must be free.
#
# What it does:
#   - creates the config GROUP-config from default-config, with every listener on
#     GATEWAY_GROUP_ADDRESS (loopback.asadmin with this config and address) and no JMS broker;
#   - turns the data grid on for that config, listening on GATEWAY_GROUP_ADDRESS only, with TCP
#     discovery among the instances, and keeps EJB timers there too. The domain admin server
#     stays out of the grid;
#   - creates the deployment group and the instances that do not exist yet, on the node of this
#     host, and moves the application "stream-gateway" from the admin server to the group;
#   - restarts the group's running instances one after another, starts the others, and waits
#     until every instance is ready (GET /health/ready, with curl).
# Every step checks first, so it can run again. Instances of the group that the command line
# leaves out stay in the group and in the data grid's member list, so adding an instance needs
# only the new one. To remove one, run asadmin stop-instance NAME,
# remove-instance-from-deployment-group --instance NAME --deploymentgroup GROUP and
# delete-instance NAME, then this script with any instance of the group.
# The gateway's settings reach the instances because configure-domain.sh stores them as
# domain-wide system properties, and that script restarts the group after a change.
#
# Settings, read from the environment:
#   GATEWAY_GROUP           name of the deployment group (default: stream-gateway); its config
#                           is GROUP-config
#   GATEWAY_GROUP_ADDRESS   IPv4 address the instances' listeners and data grid bind to, and
#                           that the load balancer connects to (default: 127.0.0.1)
#   GATEWAY_CLUSTER_NAME    name of the data grid cluster (default: stream-gateway)
#   NODE_NAME     node of the instances (default: localhost-DOMAIN_NAME, the node of this host
#                 that create-domain makes)
#   ASADMIN       asadmin command (default: asadmin on the PATH)
#   ADMIN_PORT    admin port of the domain (default: 4848)
#   DOMAIN_NAME   name of the domain (default: domain1)
#   READY_TIMEOUT seconds to wait for each instance to be ready (default: 300)
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

# Prints a list command's output a name per line, trimmed, without its status lines, or fails
# with the command.
names() {
  listed=$(remote "$@") || return 1
  printf '%s\n' "$listed" |
    sed -e '/^Command .* executed successfully\.$/d' -e '/^Nothing to list/d' \
      -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}

# Prints the value of a dotted name, or nothing when it does not exist.
value_of() {
  remote get "$1" 2>/dev/null | sed -n "s|^$1=||p"
}

# The port offsets of create-instance --portbase, and the data grid's.
port_offsets="9 37 38 39 48 66 76 80 81 86 90"

case $group in
  '' | *[!A-Za-z0-9_-]* | -* | server | domain | default)
    fail "GATEWAY_GROUP '$group' is invalid: use letters, digits, '-' and '_', other than" \
      "server, domain and default" ;;
esac
if ! printf '%s\n' "$address" | awk -F. 'NF != 4 { exit 1 }
    { for (i = 1; i <= 4; i++) if ($i !~ /^(0|[1-9][0-9]?[0-9]?)$/ || $i > 255) exit 1 }' ||
  [ "$address" = 0.0.0.0 ]; then
  fail "GATEWAY_GROUP_ADDRESS '$address' is invalid: use the IPv4 address that the load" \
    "balancer connects to, such as 127.0.0.1"
fi

names_seen=
bases_seen=
for spec in "$@"; do
  name=${spec%%:*}
  portbase=${spec#*:}
  case $name in
    '' | *[!A-Za-z0-9_-]* | -*)
      fail "instance name in '$spec' is invalid: use letters, digits, '-' and '_'" ;;
  esac
  case $portbase in
    '' | *[!0-9]* | 0* | ??????*)
      fail "port base in '$spec' is invalid: use a number from 1024 to 65400" ;;
  esac
  if [ "$portbase" -lt 1024 ] || [ "$portbase" -gt 65400 ]; then
    fail "port base in '$spec' must be from 1024 to 65400, so that PORTBASE+90 is a port"
  fi
  case " $names_seen " in
    *" $name "*) fail "instance $name is listed twice" ;;
  esac
  case " $bases_seen " in
    *" $portbase "*) fail "port base $portbase is listed twice" ;;
  esac
  names_seen="$names_seen $name"
  bases_seen="$bases_seen $portbase"
done

if ! remote uptime >/dev/null 2>&1; then
  fail "no domain admin server answers on 127.0.0.1:$admin_port: start the domain, or set" \
    "ADMIN_PORT to its admin port"
fi
if [ -z "$(value_of "applications.application.$application.name")" ]; then
  fail "application '$application' is not deployed: run configure-domain.sh first"
fi
if [ "$(value_of resources.jdbc-resource.jdbc/__default.pool-name)" = H2Pool ]; then
  fail "the default datasource is the embedded H2 database, which each instance would keep to" \
    "itself: run configure-domain.sh with GATEWAY_DB_URL first"
fi
if ! names list-nodes | awk '{ print $1 }' | grep -qx -- "$node"; then
  fail "node '$node' not found: set DOMAIN_NAME to the domain's name, or NODE_NAME to a node"
fi
existing=$(names list-instances --nostatus)
if printf '%s\n' "$existing" | grep -qx -- "$group"; then
  fail "GATEWAY_GROUP '$group' is the name of an instance: pick another group name"
fi

# An instance that exists must be the group's, on the same port base. A new one needs free ports.
for spec in "$@"; do
  name=${spec%%:*}
  portbase=${spec#*:}
  if printf '%s\n' "$existing" | grep -qx -- "$name"; then
    instance_config=$(value_of "servers.server.$name.config-ref")
    http_port=$(value_of "servers.server.$name.system-property.HTTP_LISTENER_PORT.value")
    if [ "$instance_config" != "$config" ]; then
      fail "instance $name exists with config '$instance_config', not $config: pick another name"
    fi
    if [ "$http_port" != $((portbase + 80)) ]; then
      fail "instance $name exists with HTTP port $http_port, not $((portbase + 80)): give it" \
        "port base $((http_port - 80))"
    fi
  elif command -v ss >/dev/null 2>&1; then
    for offset in $port_offsets; do
      port=$((portbase + offset))
      if [ -n "$(ss -Hltn "sport = :$port")" ]; then
        fail "port $port of port base $portbase ($name) is in use: pick another port base"
      fi
    done
  fi
done

# The grid's members: the instances on the command line and those the group has already.
members=
for spec in "$@"; do
  members="$members${members:+,}$address:$((${spec#*:} + 90))"
done
group_instances=$(names list-instances --nostatus "$group" 2>/dev/null || true)
for name in $group_instances; do
  case " $names_seen " in
    *" $name "*) ;;
    *)
      grid_port=$(value_of "servers.server.$name.system-property.HZ_LISTENER_PORT.value")
      members="$members,$address:$grid_port"
      ;;
  esac
done

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

# The gateway uses no JMS, and an instance's embedded broker listens on every interface.
remote set "configs.config.$config.jms-service.type=DISABLED"

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
  if ! printf '%s\n' "$existing" | grep -qx -- "$name"; then
    remote create-instance --node "$node" --config "$config" --portbase "$portbase" \
      --systemproperties "HZ_LISTENER_PORT=$((portbase + 90))" "$name"
    # create-instance moves a port that is in use elsewhere without failing.
    http_port=$(value_of "servers.server.$name.system-property.HTTP_LISTENER_PORT.value")
    if [ "$http_port" != $((portbase + 80)) ]; then
      remote delete-instance "$name"
      fail "HTTP port $((portbase + 80)) of instance $name is in use: pick another port base"
    fi
  fi
  if ! names list-instances --nostatus "$group" | grep -qx -- "$name"; then
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

# A running instance reads the new settings only when it starts again.
if remote list-instances "$group" | awk '$2 ~ /^running/ { found = 1 } END { exit !found }'; then
  remote restart-deployment-group "$group"
fi
remote start-deployment-group "$group"

ready_timeout=${READY_TIMEOUT:-300}
failed=
for name in $(names list-instances --nostatus "$group"); do
  url="http://$address:$(value_of "servers.server.$name.system-property.HTTP_LISTENER_PORT.value")/"
  if command -v curl >/dev/null 2>&1; then
    waited=0
    until curl -fsS -o /dev/null --max-time 5 "${url}health/ready" 2>/dev/null; do
      if [ "$waited" -ge "$ready_timeout" ]; then
        echo "$0: instance $name is not ready at ${url}health/ready after $ready_timeout s;" \
          "see its logs/server.log in the node directory $node of the Payara installation" >&2
        failed=yes
        break
      fi
      sleep 2
      waited=$((waited + 2))
    done
  fi
  echo "Instance $name: $url"
done
if [ -n "$failed" ]; then
  exit 1
fi

#!/usr/bin/with-contenv bashio
# Turn the add-on's options (/data/options.json) into the worker's YAML and run the worker.
# An empty broker host means the Mosquitto broker add-on (its address and credentials come from
# the Supervisor). JSON is valid YAML, so jq writes the file.
set -euo pipefail

CONFIG=/data/worker.yaml

host="$(bashio::config 'broker_host' '')"
port="$(bashio::config 'broker_port' '1883')"
username="$(bashio::config 'broker_username' '')"
password="$(bashio::config 'broker_password' '')"
tls="$(bashio::config 'broker_tls' 'false')"

if [ -z "${host}" ] || [ "${host}" = "null" ]; then
  if bashio::services.available "mqtt"; then
    host="$(bashio::services mqtt 'host')"
    port="$(bashio::services mqtt 'port')"
    username="$(bashio::services mqtt 'username')"
    password="$(bashio::services mqtt 'password')"
    tls="$(bashio::services mqtt 'ssl')"
    bashio::log.info "Using the Mosquitto broker add-on at ${host}:${port}"
  else
    bashio::exit.nok "No MQTT broker: set broker_host, or install the Mosquitto broker add-on / Chưa có máy chủ MQTT: điền broker_host hoặc cài add-on Mosquitto broker"
  fi
fi

worker_id="$(bashio::config 'worker_id' '')"
if [ -z "${worker_id}" ] || [ "${worker_id}" = "null" ]; then
  worker_id="addon-$(hostname)"
fi

jq -n \
  --arg host "${host}" \
  --argjson port "${port}" \
  --arg username "${username}" \
  --arg password "${password}" \
  --argjson tls "${tls}" \
  --arg site "$(bashio::config 'site')" \
  --arg worker_id "${worker_id}" \
  --argjson max_cameras "$(bashio::config 'max_cameras' '16')" \
  --arg detector "$(bashio::config 'detector' 'none')" \
  --arg log_level "$(bashio::config 'log_level' 'info')" \
  '{
    broker: {
      host: $host, port: $port, tls: $tls,
      username: (if $username == "" or $username == "null" then null else $username end),
      password: (if $password == "" or $password == "null" then null else $password end)
    },
    site: $site,
    worker_id: $worker_id,
    max_cameras: $max_cameras,
    detector: $detector,
    state_dir: "/data/state",
    log_level: $log_level
  }' > "${CONFIG}"

bashio::log.info "Worker ${worker_id} for site $(bashio::config 'site')"
exec /opt/worker/bin/quephong-vision-worker --config "${CONFIG}"

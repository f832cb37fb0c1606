#!/usr/bin/env bash
# Make sure MariaDB and Redis answer on 127.0.0.1 (start them if they are down), then create
# the database the tests and the sandbox use. RabbitMQ is started too when the broker is named.
set -euo pipefail
DB_NAME="${XUESHI_DB_NAME:-xueshi}"

wait_for() {  # wait_for NAME COMMAND...
  local name=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && { echo "$name: up"; return 0; }; sleep 1; done
  echo "$name: did not come up" >&2; return 1
}

if ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
  echo "MariaDB: starting"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql || true
fi
wait_for MariaDB mariadb-admin -h 127.0.0.1 -u root ping
mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "Redis: starting"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis-cli -h 127.0.0.1 ping

if [ -n "${XUESHI_CELERY_BROKER:-}" ] && [[ "$XUESHI_CELERY_BROKER" == amqp* ]]; then
  if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    echo "RabbitMQ: starting"; rabbitmq-server -detached || true
  fi
  wait_for RabbitMQ rabbitmq-diagnostics -q ping
fi

#!/bin/sh
# One image, several roles. The first argument selects:
#   web                 gunicorn (deploy/gunicorn.conf.py)
#   worker [QUEUES]     Celery worker for QUEUES (comma-separated; default $WORKER_QUEUES or "default")
#   beat                Celery beat (exactly one per installation)
#   migrate             apply database migrations, then exit
#   manage ARGS...      any manage.py command (createsuperuser, reencrypt, ...)
#   check-heartbeat worker|beat
#                       liveness probe: exit 0 when the heartbeat file is fresh
#   anything else       run as given
set -eu
cd "$(dirname "$0")/.."

role="${1:-web}"
[ "$#" -gt 0 ] && shift

# prometheus_client's multi-process files: one directory per container,
# emptied at start (files of dead processes would otherwise be counted).
prepare_metrics_dir() {
  if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -type f -delete
  fi
}

case "$role" in
  web)
    prepare_metrics_dir
    exec gunicorn -c deploy/gunicorn.conf.py config.wsgi "$@"
    ;;
  worker)
    queues="${1:-${WORKER_QUEUES:-default}}"
    [ "$#" -gt 0 ] && shift
    prepare_metrics_dir
    exec celery -A config worker \
      --queues "$queues" \
      --hostname "${queues%%,*}@%h" \
      --concurrency "${WORKER_CONCURRENCY:-2}" \
      --loglevel "${LOG_LEVEL:-INFO}" \
      "$@"
    ;;
  beat)
    # Without a multiproc dir: beat has no metrics of its own.
    unset PROMETHEUS_MULTIPROC_DIR
    exec celery -A config beat \
      --schedule "${BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" \
      --loglevel "${LOG_LEVEL:-INFO}" \
      "$@"
    ;;
  migrate)
    unset PROMETHEUS_MULTIPROC_DIR
    exec python manage.py migrate --noinput "$@"
    ;;
  manage)
    unset PROMETHEUS_MULTIPROC_DIR
    exec python manage.py "$@"
    ;;
  check-heartbeat)
    kind="${1:-worker}"
    if [ "$kind" = "beat" ]; then
      file="${BEAT_HEARTBEAT_FILE:-/tmp/beat-heartbeat}"
      max_age="${BEAT_HEARTBEAT_MAX_AGE:-120}"
    else
      file="${WORKER_HEARTBEAT_FILE:-/tmp/worker-heartbeat}"
      max_age="${WORKER_HEARTBEAT_MAX_AGE:-120}"
    fi
    exec python -c 'import os, sys, time; p, m = sys.argv[1], float(sys.argv[2]); sys.exit(0 if os.path.exists(p) and time.time() - os.stat(p).st_mtime < m else 1)' \
      "$file" "$max_age"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac

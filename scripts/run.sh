#!/usr/bin/env bash
# make run: web server on :8000 and a real Celery worker (with beat for the sweep).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
py=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed var/broker/control
"$py" manage.py migrate --noinput -v 0
"$py" manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*'
"$py" manage.py demo
.venv/bin/celery -A config worker -B -Q default,pdf,delivery --concurrency 2 --loglevel WARNING \
  --schedule var/celerybeat-schedule &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo
echo "Gemeinsam runs. Open a city:"
for c in fulda giessen limburg marburg offenbach wetzlar; do echo "  http://$c.localhost:8000/"; done
echo "Operator admin: http://localhost:8000/admin/   (Ctrl+C stops web server and worker)"
"$py" manage.py runserver 0.0.0.0:8000 --noreload

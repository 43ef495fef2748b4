#!/usr/bin/env bash
# make run: web server on :8000 and a real Celery worker (with beat for the sweep).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
port="${PORT:-8000}"
# The host check and the cities' links follow the chosen port.
export ALLOWED_PORTS="${ALLOWED_PORTS:-$port}" SITE_PORT_SUFFIX="${SITE_PORT_SUFFIX:-:$port}"
py=.venv/bin/python
mkdir -p var/broker/queue var/broker/processed var/broker/control
"$py" manage.py migrate --noinput -v 0
"$py" manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'node_modules/*'
# A local stand-in for FIT-Connect (NOT the real FITKO service): Offenbach's
# Unterhaltsvorschuss is delivered through it and accepted, see docs/fitconnect.md.
rm -f var/zustelldienst.json
"$py" -m forms_engine.demo.zustelldienst --state var/zustelldienst.json --leika 99107021017000 &
standin=$!
# A local stand-in for an XBezahldienste payment provider (NOT epay21/pmPayment/ePayBL, no real
# money): Offenbach's resident parking permit fee is paid on it, see docs/payments.md.
rm -f var/bezahldienst.json
"$py" -m forms_engine.demo.bezahldienst --state var/bezahldienst.json &
paystandin=$!
# A local stand-in for BundID (NOT the Nutzerkonto Bund, no real identities): the demo cities
# offer "Mit BundID anmelden" against it, with two test identities, see docs/bundid.md.
rm -f var/bundid.json
"$py" -m forms_engine.demo.bundid_idp --state var/bundid.json &
idstandin=$!
trap 'kill $standin $paystandin $idstandin 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 300); do [ -s var/zustelldienst.json ] && [ -s var/bezahldienst.json ] && [ -s var/bundid.json ] && break; sleep 0.1; done
"$py" manage.py demo --fitconnect-standin var/zustelldienst.json --payment-standin var/bezahldienst.json \
  --bundid-standin var/bundid.json
# The demo's far sides listen on 127.0.0.1; the event log is read every 10 s.
export DELIVERY_ALLOW_PRIVATE_TARGETS="${DELIVERY_ALLOW_PRIVATE_TARGETS:-1}" FITCONNECT_POLL_SECONDS="${FITCONNECT_POLL_SECONDS:-10}"
.venv/bin/celery -A config worker -B -Q default,pdf,delivery --concurrency 2 --loglevel WARNING \
  --schedule var/celerybeat-schedule &
worker=$!
trap 'kill $worker $standin $paystandin $idstandin 2>/dev/null; wait $worker $standin $paystandin $idstandin 2>/dev/null' EXIT INT TERM
echo
echo "Gemeinsam runs. Open a city:"
for c in fulda giessen limburg marburg offenbach wetzlar; do echo "  http://$c.localhost:$port/"; done
echo "Operator admin: http://localhost:$port/admin/   (Ctrl+C stops web server and worker)"
echo "FIT-Connect: Offenbach's Unterhaltsvorschuss goes to a LOCAL STAND-IN of the Zustelldienst"
echo "  (settings to type into the admin: var/zustelldienst.json)"
echo "Payment: Offenbach's Bewohnerparkausweis is paid on a LOCAL STAND-IN of a payment provider"
echo "  (XBezahldienste, no real money; settings: var/bezahldienst.json)"
echo "BundID: \"Mit BundID anmelden\" goes to a LOCAL STAND-IN of BundID (not BundID; two test identities,"
echo "  Erika Mustermann with the online ID card, Max Beispiel with a password); Gießen requires it for"
echo "  the Unterhaltsvorschuss. IdP metadata: var/bundid.json"
"$py" manage.py runserver "0.0.0.0:$port" --noreload

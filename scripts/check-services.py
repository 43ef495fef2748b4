"""Stops `make test` with one clear line when PostgreSQL or Redis is not there.
The tests never fall back to SQLite."""

import socket
import sys

SERVICES = [
    ("PostgreSQL", "127.0.0.1", 5432, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"),
    ("Redis", "127.0.0.1", 6379, "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"),
]

for name, host, port, start in SERVICES:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError:
        print(f"{name} is not reachable on {host}:{port} — start it with: {start}", file=sys.stderr)
        sys.exit(1)


DB_NAME = sys.argv[1] if len(sys.argv) > 1 else "gemeinsam"
if not DB_NAME.replace("_", "").isalnum():
    sys.exit(f"not a database name: {DB_NAME!r}")

# The test run's own database: pytest creates test_<name>, but `manage.py
# makemigrations --check` connects to <name> itself.
try:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
except Exception as exc:
    print(f"PostgreSQL answers, but the database {DB_NAME!r} could not be created: {exc}", file=sys.stderr)
    sys.exit(1)

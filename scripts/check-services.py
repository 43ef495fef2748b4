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

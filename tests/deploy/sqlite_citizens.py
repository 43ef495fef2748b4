"""Citizens submitting at once against the embedded SQLite demo: run as its own
process (`python -m tests.deploy.sqlite_citizens <parallel> <rounds> <result file>`) with the
demo's environment, so the settings under test are the embedded ones. Each
thread walks services through the real wizard (Django's test client, in
process), like a phone would over HTTP. Writes JSON to the result file: the
confirmation URLs and every error."""

from __future__ import annotations

import json
import os
import sys
import threading
import traceback

import django


def main(parallel: int, rounds: int, result_file: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.test import Client
    from django_scopes import scopes_disabled

    from forms_engine.catalog import registry
    from forms_engine.catalog.models import CityService
    from forms_engine.tenants.models import Domain
    from tests.wizard.walk import walk

    with scopes_disabled():
        domain = Domain.objects.select_related("city").filter(host="giessen.localhost").get()
        enabled = set(CityService.objects.filter(city=domain.city, enabled=True).values_list("service_slug", flat=True))
    services = sorted((s for s in registry.all_services() if s.slug in enabled), key=lambda s: s.slug)
    # Found-item reports first: the demo's worst case (21 of 24 failed).
    services.sort(key=lambda s: s.slug != "fundsache")
    done: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(parallel)

    def citizen(index: int) -> None:
        barrier.wait()  # all start together
        for round_ in range(rounds):
            service = services[(index + round_) % len(services)]
            answers = dict(next(iter(service.sample_answers.values())))
            try:
                result = walk(Client(HTTP_HOST="giessen.localhost"), service.slug, answers)
                with lock:
                    done.append(str(result["done_url"]))
            except Exception as error:  # every failure is a finding, reported below
                with lock:
                    errors.append(f"{service.slug}: {type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}")

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(result_file, "w") as out:
        json.dump({"submitted": done, "errors": errors}, out)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])

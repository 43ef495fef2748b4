"""The dashboard draws the online payments per service and payment method
(as eGovSAD shows them), as an accessible chart over a table, and the CSV
download carries the same figures."""

from __future__ import annotations

from typing import Any

from forms_engine.analytics.rollup import rollup_day

from .conftest import DAY, SLUG, add
from .test_outputs_match_dashboard import PERIOD, csv_rows, signed_in


def test_payment_methods_per_service(giessen: Any, giessen_admin: Any, demo_service: Any) -> None:
    add(giessen, "started", 4)
    add(giessen, "paid", 3, step="PAYPAL")
    add(giessen, "paid", 1, step="CREDITCARD")
    add(giessen, "paid", 2, step="GIROPAY", slug="bewohnerparkausweis")
    rollup_day(giessen, DAY)
    client = signed_in(giessen_admin)
    page = client.get(f"/statistik/?{PERIOD}").content.decode()
    table = page.split('data-table="payments"', 1)[1].split("</table>", 1)[0]
    assert '<title id="chart-payments-title">' in page and 'href="#table-payments"' in page
    assert "<th" in table and 'scope="col"' in table and 'scope="row"' in table
    header, *rows = csv_rows(client.get(f"/statistik/?{PERIOD}&format=csv&csv=plain&table=payments"))
    assert header[1:] == ["PayPal", "giropay", "Kreditkarte", "Online-Zahlungen"]
    assert sorted(rows[:-1]) == [["Bewohnerparkausweis", "0", "2", "0", "2"], ["Demo service", "3", "0", "1", "4"]]
    assert rows[-1] == ["Alle Onlinedienste", "3", "2", "1", "6"]


def test_no_payments_no_table_rows(giessen: Any, giessen_admin: Any, demo_service: Any) -> None:
    add(giessen, "started", 2)
    rollup_day(giessen, DAY)
    page = signed_in(giessen_admin).get(f"/statistik/?{PERIOD}").content.decode()
    section = page.split('id="table-payments"', 1)[1].split("</section>", 1)[0]
    assert "Keine Zahlen für diesen Zeitraum" in section and SLUG not in section

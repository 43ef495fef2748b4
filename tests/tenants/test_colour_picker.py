"""A colour picker beside the accent colour's #rrggbb box; the box stays what is
saved, and the contrast check on saving stays too."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import host_client, sign_in


def test_the_city_form_has_a_picker_beside_the_hex_field(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get(f"/admin/tenants/city/{giessen.pk}/change/").content.decode()
    box = re.search(r'<input type="text" name="accent_colour" value="#004b87"[^>]*>', page)
    assert box and 'pattern="#[0-9a-fA-F]{6}"' in box.group(0)
    picker = re.search(
        r'<input type="color" class="colour-picker" value="#004b87" data-for="id_accent_colour"[^>]*>', page
    )
    assert picker and "hidden" in picker.group(0)  # shown by the script; without it the box works alone
    assert 'aria-label="Akzentfarbe wählen"' in picker.group(0)
    assert "/static/gemeinsam/colour-picker.js" in page
    assert 'data-text="Kontrast zu Weiß: {ratio}:1."' in page

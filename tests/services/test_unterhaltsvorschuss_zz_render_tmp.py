from pathlib import Path

from forms_engine.catalog import registry
from tests.conftest import enable_service, host_client
from tests.wizard.walk import step_post_data


def test_dump(giessen):
    enable_service(giessen, "unterhaltsvorschuss")
    client = host_client("giessen.localhost")
    s = registry.get("unterhaltsvorschuss")
    sample = dict(s.sample_answers["elternteil_verstorben"])
    r = client.post("/unterhaltsvorschuss/", {"action": "start"})
    url = r["Location"]
    first = True
    while not url.endswith("/check/"):
        name = url.rstrip("/").rsplit("/", 1)[-1]
        html = client.get(url).content.decode()
        if first and name == "antragsteller":
            first = False
            bad = client.post(url, step_post_data("unterhaltsvorschuss", name, html, {**sample[name], "plz": "12", "familienstand_seit": ""}))
            Path("/tmp/uvg/error_antragsteller.html").write_text(bad.content.decode())
            html = bad.content.decode()
        Path(f"/tmp/uvg/step_{name}.html").write_text(html)
        r = client.post(url, step_post_data("unterhaltsvorschuss", name, html, sample[name]))
        assert r.status_code == 302, name
        url = r["Location"]
    Path("/tmp/uvg/check.html").write_text(client.get(url).content.decode())

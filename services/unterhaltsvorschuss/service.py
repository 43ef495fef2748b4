from django import forms

from forms_engine.catalog.base import OnlineService, Step


class _Placeholder(forms.Form):
    name = forms.CharField()


class UnterhaltsvorschussService(OnlineService):
    slug = "unterhaltsvorschuss"
    version = "0"
    title = "Unterhaltsvorschuss"
    leika_key = "99107021017000"
    reference_code = "UVG"
    steps = [Step("antragsteller", "Antragsteller", _Placeholder)]

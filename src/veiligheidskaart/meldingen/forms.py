"""Django forms for the public pages and the inbox; the services validate again.

Each form has a size limit on every field, and the public forms a honeypot (``website``):
a field hidden from people that bots fill in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from veiligheidskaart.areas.models import Area, Level
from veiligheidskaart.catalogue.registry import VELDEN
from veiligheidskaart.meldingen import registry
from veiligheidskaart.meldingen.aandachtspunten import AANDACHTSPUNT_THEMES
from veiligheidskaart.meldingen.models import AandachtspuntStatus, Status
from veiligheidskaart.meldingen.routing import buurt_choices
from veiligheidskaart.meldingen.rules import (
    AANDACHTSPUNT_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    NOTE_MAX,
)
from veiligheidskaart.observations.queries import home_gemeente

HONEYPOT_MESSAGE = "Dit veld moet leeg blijven; de melding is niet verstuurd."
# service error keys → the form field that shows the message
FIELD_OF = {
    "location": "buurt_code",
    "lat": "buurt_code",
    "lon": "buurt_code",
    "stadsdeel_code": "stadsdeel",
    "text": "text",
}


class Honeypot(forms.Form):
    website = forms.CharField(
        label="Laat dit veld leeg",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            raise forms.ValidationError(HONEYPOT_MESSAGE)
        return value

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            name = FIELD_OF.get(key, key)
            self.add_error(name if name in self.fields else None, message)


def category_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", "— Kies een categorie —")]
    for group, cats in registry.grouped():
        choices.append((group.name, [(c.code, c.name) for c in cats]))
    return choices


class MeldingForm(Honeypot):
    category = forms.ChoiceField(label="Waar gaat uw melding over?")
    description = forms.CharField(
        label="Omschrijving",
        max_length=DESCRIPTION_MAX,
        help_text=f"Wat ziet u, en wanneer? Ten hoogste {DESCRIPTION_MAX} tekens. "
        "Noem geen namen of kentekens.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    buurt_code = forms.ChoiceField(
        label="Buurt",
        required=False,
        help_text="Klik op de kaart, of kies de buurt uit de lijst.",
    )
    lat = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    email = forms.EmailField(
        label="E-mailadres (niet verplicht)",
        required=False,
        max_length=EMAIL_MAX,
        help_text="Alleen om u te laten weten hoe het afloopt. Wij tonen het nergens.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["category", "buurt_code", "lat", "lon", "description", "email", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["buurt_code"].choices = [("", "— Kies een buurt —"), *buurt_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lat") and not data.get("lon") and not data.get("buurt_code"):
            self.add_error("buurt_code", "Geef de plek aan: klik op de kaart of kies een buurt.")
        return data


def stadsdeel_choices() -> list[tuple[str, str]]:
    gemeente = home_gemeente()
    rows = Area.objects.filter(level=Level.STADSDEEL)
    if gemeente is not None:
        rows = rows.filter(gemeente_code=gemeente.code)
    seen: dict[str, str] = {}
    for area in rows.order_by("name", "-vintage"):
        seen.setdefault(area.code, area.name)
    return [("", "— Kies een stadsdeel —"), *seen.items()]


def theme_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", "— Kies een thema —")]
    for veld in VELDEN:
        themes = [(t.code, t.name) for t in AANDACHTSPUNT_THEMES if t.veld == veld.code]
        if themes:
            choices.append((veld.name, themes))
    return choices


def year_choices() -> list[tuple[str, str]]:
    year = timezone.localdate().year
    return [(str(year + 1), f"{year + 1} (volgend jaar)"), (str(year), f"{year} (dit jaar)")]


class AandachtspuntForm(Honeypot):
    stadsdeel = forms.ChoiceField(label="Stadsdeel")
    theme = forms.ChoiceField(label="Thema")
    year = forms.ChoiceField(label="Voor de agenda van")
    text = forms.CharField(
        label="Uw aandachtspunt",
        max_length=AANDACHTSPUNT_MAX,
        help_text=f"Wat moet het stadsdeel aanpakken, en waar? Ten hoogste {AANDACHTSPUNT_MAX} "
        "tekens.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(
        label="E-mailadres (niet verplicht)",
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stadsdeel"].choices = stadsdeel_choices()
        self.fields["theme"].choices = theme_choices()
        self.fields["year"].choices = year_choices()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nieuwe status")
    note = forms.CharField(
        label="Toelichting (niet verplicht)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_public = forms.BooleanField(
        label="Toelichting tonen op de statuspagina van de melder", required=False
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in allowed]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Notitie", max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(label="Openbaar: tonen op de statuspagina", required=False)


class AandachtspuntStatusForm(forms.Form):
    status = forms.ChoiceField(choices=AandachtspuntStatus.choices)

"""Contact details in typed text: found in the ways people write them, and only those."""

from __future__ import annotations

import pytest

from models.contacts import ContactKind, NameHasContact, contact_kinds, without_contacts
from models.text import clean_name

P, E, U = ContactKind.PHONE, ContactKind.EMAIL, ContactKind.USERNAME


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Bel me op 06-12345678", {P}),
        ("of +31 6 1234 5678", {P}),
        ("0611112222", {P}),
        ("vast nummer 020 123 4567", {P}),
        ("mail henk@example.nl", {E}),
        ("of @henk_h", {U}),
        ("@naam_x 0611112222", {P, U}),
        # Everyday numbers and words are no contact details.
        ("Wie helpt om 10:30 met de ladder van 3 meter?", set()),
        ("Postcode 1234 AB, huisnummer 12", set()),
        ("Kost 20 euro, terug op 12-12", set()),
        ("@jo", set()),
        ("Anna", set()),
    ],
)
def test_contact_details_are_found(text: str, kinds: set[ContactKind]) -> None:
    assert contact_kinds(text) == kinds


def test_contact_details_can_be_taken_out() -> None:
    text = "Lamp ophangen? Bel me op 06-12345678 of +31 6 1234 5678, mail henk@example.nl"
    assert without_contacts(text) == "Lamp ophangen? Bel me op … of …, mail …"


def test_a_display_name_may_not_hold_contact_details() -> None:
    assert clean_name("  Anna ") == "Anna"
    for name in ("@naam_x 0611112222", "Piet 06-12345678", "piet@example.nl"):
        with pytest.raises(NameHasContact):
            clean_name(name)

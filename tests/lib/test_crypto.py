"""Encryption at rest: round trip, key rotation, and the name blind index."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken

from forms_engine.lib.crypto import (
    decrypt_bytes,
    decrypt_json,
    encrypt_bytes,
    encrypt_json,
    keyed_hash,
    name_digests,
    name_token_digest,
    name_tokens,
    normalise_name,
    rotate_token,
)

OLD_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE="
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def old_key_only(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]


def test_bytes_round_trip(old_key_only):
    token = encrypt_bytes(b"Erika Mustermann")
    assert b"Erika" not in token
    assert decrypt_bytes(token) == b"Erika Mustermann"


def test_json_round_trip_keeps_umlauts_and_types(old_key_only):
    value = {"name": "Jürgen Groß", "kinder": 2, "betrag": "123.45", "liste": [True, None]}
    token = encrypt_json(value)
    assert "Jürgen" not in token
    assert decrypt_json(token) == value


def test_the_same_value_encrypts_differently_each_time(old_key_only):
    assert encrypt_bytes(b"x") != encrypt_bytes(b"x")


def test_old_tokens_still_decrypt_after_a_new_key_is_prepended(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = encrypt_json({"name": "Erika"})
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert decrypt_json(old_token) == {"name": "Erika"}


def test_rotate_token_re_encrypts_with_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = encrypt_bytes(b"Erika")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotated = rotate_token(old_token)
    assert rotated != old_token
    assert Fernet(NEW_KEY.encode()).decrypt(rotated) == b"Erika"
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is dropped after re-encryption
    assert decrypt_bytes(rotated) == b"Erika"
    with pytest.raises(InvalidToken):
        decrypt_bytes(old_token)


def test_a_token_made_with_an_unknown_key_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    token = encrypt_bytes(b"x")
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    with pytest.raises(InvalidToken):
        decrypt_bytes(token)


def test_a_non_fernet_secret_is_turned_into_a_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["a passphrase from a secret store"]
    assert decrypt_bytes(encrypt_bytes(b"x")) == b"x"


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Müller", "mueller"),
        ("MÜLLER", "mueller"),
        ("  Anna   Maria  Müller ", "anna maria mueller"),
        ("Müller-Lüdenscheidt", "mueller luedenscheidt"),
        ("Jürgen Groß", "juergen gross"),
        ("Groß", "gross"),
        ("GROSS", "gross"),
        ("Zoë Çelik", "zoe celik"),
        ("ﬁscher", "fischer"),  # ligature, NFKD
    ],
)
def test_names_are_normalised_by_case_accents_and_spaces(name, normalised):
    assert normalise_name(name) == normalised


def test_the_umlaut_spelled_out_is_the_same_name():
    """Decided (issue 12): a citizen types "Müller" or "Mueller"; a caseworker
    searching either must find both."""
    assert normalise_name("Müller") == normalise_name("Mueller")
    assert normalise_name("Müller") != normalise_name("Muller")


def test_a_name_becomes_distinct_word_digests_without_plaintext():
    assert name_tokens("Ben Neumann-Neumann") == ["ben", "neumann"]
    digests = name_digests("Ben Neumann")
    assert digests == [name_token_digest("ben"), name_token_digest("neumann")]
    assert all(len(d) == 64 and "neumann" not in d for d in digests)
    assert name_digests("NEUMANN") == [name_token_digest("neumann")]


def test_keyed_hashes_depend_on_purpose_and_key(settings):
    assert keyed_hash("x", purpose="name") != keyed_hash("x", purpose="resume")
    before = keyed_hash("x", purpose="name")
    settings.BLIND_INDEX_KEY = "another-key"
    assert keyed_hash("x", purpose="name") != before

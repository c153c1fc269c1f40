"""API keys: only the hash is kept, the CLI prints the key alone on its last line, revoke works."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from veiligheidskaart.accounts import apikeys
from veiligheidskaart.accounts.demo import DEMO_KEY_NAME, key_file, seed
from veiligheidskaart.accounts.models import ApiKey
from veiligheidskaart.cli import main

pytestmark = pytest.mark.django_db


def test_create_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash(capsys):
    assert main(["apikey", "create", "buurtapp"]) == 0
    key = capsys.readouterr().out.splitlines()[-1]
    assert len(key) >= 43 and " " not in key
    row = ApiKey.objects.get(name="buurtapp")
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {row.key_hash, row.prefix, row.name}
    assert apikeys.check_key(key) == row


def test_revoke_stops_the_key_and_list_shows_it(capsys):
    main(["apikey", "create", "buurtapp"])
    key = capsys.readouterr().out.splitlines()[-1]
    assert main(["apikey", "revoke", "buurtapp"]) == 0
    assert apikeys.check_key(key) is None
    assert main(["apikey", "list"]) == 0
    listed = capsys.readouterr().out
    assert "buurtapp" in listed and "ingetrokken" in listed and key not in listed


def test_a_name_has_one_active_key_and_can_get_a_new_one_after_revoke(capsys):
    assert main(["apikey", "create", "buurtapp"]) == 0
    assert main(["apikey", "create", "buurtapp"]) == 2
    assert "al een actieve sleutel" in capsys.readouterr().err
    assert main(["apikey", "revoke", "buurtapp"]) == 0
    assert main(["apikey", "create", "buurtapp"]) == 0
    assert ApiKey.objects.filter(name="buurtapp").count() == 2


@pytest.mark.parametrize("args", [["revoke", "onbekend"], ["create", ""], ["create", "x" * 101]])
def test_bad_input_exits_2(args, capsys):
    assert main(["apikey", *args]) == 2
    assert capsys.readouterr().err.startswith("fout: ")


@pytest.mark.parametrize("offered", [None, "", "niet-bestaand", "x" * 5000])
def test_check_refuses_missing_unknown_and_oversized_keys(offered):
    assert apikeys.check_key(offered) is None


def test_demo_seed_keeps_one_key_in_a_private_file_and_is_idempotent():
    noop = lambda *a: None  # noqa: E731
    seed("GM9999", noop)
    path = key_file()
    key = path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert apikeys.check_key(key) is not None
    seed("GM9999", noop)
    assert path.read_text() == key
    assert ApiKey.objects.filter(name=DEMO_KEY_NAME).count() == 1

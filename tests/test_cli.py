"""The console script: exit codes 0 / 2 (bad input, one line naming file, row and column) / 1."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.helpers import table_counts, write_crime
from veiligheidskaart.cli import main

pytestmark = pytest.mark.django_db


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["import"])
    assert caught.value.code == 2


def test_missing_file_exits_2_and_names_it(tmp_path, capsys):
    assert main(["import", "crime", str(tmp_path / "weg.csv")]) == 2
    assert "weg.csv: bestand niet gevonden" in capsys.readouterr().err


def test_bad_row_exits_2_names_file_row_column_and_writes_nothing(tmp_path, capsys):
    rows = [("1.1.1", "BU99990101", "2024JJ00", "4"), ("1.1.1", "BU99990102", "2024JJ13", "4")]
    path = write_crime(tmp_path / "fout.csv", rows)
    before = table_counts()
    assert main(["import", "crime", str(path)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout:")]
    assert errors == ["fout: fout.csv, rij 3, kolom 'Perioden': onbekende periodecode '2024JJ13'"]
    assert table_counts() == before


def test_import_prints_version_and_is_idempotent(tmp_path, capsys):
    path = write_crime(tmp_path / "goed.csv", [("1.1.1", "BU99990101", "2023JJ00", "4")])
    assert main(["import", "crime", str(path)]) == 0
    assert "versie 1, 1 rijen" in capsys.readouterr().out
    assert main(["import", "crime", str(path)]) == 0
    assert "ongewijzigd" in capsys.readouterr().out


def test_users_create_with_role_and_stadsdeel(capsys):
    code = main(["users", "create", "wijkregisseur", "--role", "stadsdeelmanager",
                 "--stadsdeel", "SD999901", "--password", "een-lang-wachtwoord"])  # fmt: skip
    assert code == 0
    user = User.objects.get(username="wijkregisseur")
    assert list(user.groups.values_list("name", flat=True)) == ["stadsdeelmanager"]
    assert [s.stadsdeel.code for s in user.stadsdeel_scopes.all()] == ["SD999901"]
    assert user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "koning"], "onbekende rol"),
        (["--role", "stadsdeelmanager"], "minstens één --stadsdeel"),
        (["--role", "stadsdeelmanager", "--stadsdeel", "SD000000"], "onbekend stadsdeel"),
    ],
)
def test_users_create_rejects_bad_input_with_exit_2(capsys, args, message):
    assert main(["users", "create", "iemand", *args]) == 2
    assert message in capsys.readouterr().err
    assert not User.objects.filter(username="iemand").exists()


def test_partner_role_can_only_view():
    main(["users", "create", "politie", "--role", "partner", "--password", "x" * 16])
    user = User.objects.get(username="politie")
    perms = user.get_all_permissions()
    assert perms and all(p.split(".")[1].startswith("view_") for p in perms)

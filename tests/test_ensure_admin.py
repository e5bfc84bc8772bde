from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_it_creates_admin_with_a_printed_password_once(db, capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("admin / ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    call_command("ensure_admin")
    assert password not in capsys.readouterr().out
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_it_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-local-password")
    call_command("ensure_admin")
    assert get_user_model().objects.get(username="admin").check_password("a-long-local-password")

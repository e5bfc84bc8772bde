"""The shipped nginx configuration (deploy/nginx.conf): it sets the client's address itself,
limits each address's connections and requests and the site's downloads and searches at once,
and nginx accepts it. tests/test_abuse_load.py runs a flood through it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


def directives(name):
    return re.findall(rf"^\s*{name}\s+([^;]*);", CONFIG.read_text(), flags=re.MULTILINE)


def test_the_proxy_sets_x_forwarded_for_to_the_address_it_saw():
    forwarded = [d for d in directives("proxy_set_header") if d.startswith("X-Forwarded-For")]
    assert forwarded and set(forwarded) == {"X-Forwarded-For $remote_addr"}
    assert "$proxy_add_x_forwarded_for" not in CONFIG.read_text()


def test_the_proxy_limits_connections_and_request_rates_per_address():
    assert all("$binary_remote_addr" in zone for zone in directives("limit_req_zone"))
    assert directives("limit_conn_zone") and directives("limit_conn")
    assert directives("limit_req")
    assert directives("limit_req_status") == ["429"]


def test_the_proxy_caps_downloads_and_searches_over_all_clients():
    # One count for the whole site, whatever the address: a flood from many addresses is held.
    zones = dict(zone.split(" zone=") for zone in directives("limit_conn_zone"))
    assert zones["$server_name"].startswith("sco_downloads_at_once:")
    assert zones["$sco_search"].startswith("sco_searches_at_once:")
    assert "limit_conn sco_downloads_at_once 1" in CONFIG.read_text()
    assert "limit_conn sco_searches_at_once 4" in CONFIG.read_text()


def test_the_proxy_says_when_to_try_again():
    assert directives("error_page") == ["429 @too_many"]
    assert directives("add_header") == ["Retry-After 10 always"]  # the flood test sees it sent


def test_nginx_accepts_the_configuration(tmp_path):
    nginx, openssl = shutil.which("nginx") or "/usr/sbin/nginx", shutil.which("openssl")
    if not Path(nginx).exists() or not openssl:
        pytest.skip("needs nginx and openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = re.sub(r"/etc/letsencrypt/live/[^;]*/fullchain.pem", str(tmp_path / "cert.pem"),
                  CONFIG.read_text())  # fmt: skip
    site = re.sub(r"/etc/letsencrypt/live/[^;]*/privkey.pem", str(tmp_path / "key.pem"), site)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-c", tmp_path / "main.conf", "-p", tmp_path],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr

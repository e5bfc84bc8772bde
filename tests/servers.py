"""Real processes for the fault tests, each of its own, never the machine's shared ones: a Redis,
a PostgreSQL cluster, the site under gunicorn and nginx in front of it, on free ports in
temporary folders."""

import functools
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = Path("/usr/bin/redis-server")
NGINX = Path(shutil.which("nginx") or "/usr/sbin/nginx")
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not happen within {seconds} s")


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Redis:
    """redis-server on a free port, without persistence, with a memory limit (as the README
    says to run it: 64 MB here, dropping the least recently used keys)."""

    def __init__(self, maxmemory="64mb", policy="allkeys-lru"):
        self.folder = tempfile.mkdtemp(prefix="sco-redis-")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.memory = ["--maxmemory", maxmemory, "--maxmemory-policy", policy]
        self.process = None

    def start(self):
        args = [REDIS_SERVER, "--port", self.port, "--bind", "127.0.0.1", "--dir", self.folder,
                "--save", "", "--appendonly", "no", *self.memory]  # fmt: skip
        self.process = subprocess.Popen(
            [str(a) for a in args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: answers(self.port), 10, "Redis answering")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process and self.process.poll() is None:
            self.resume()
            self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class Postgres:
    """A PostgreSQL cluster of its own (initdb) on a free port, trust authentication.

    PostgreSQL refuses to run as root; as root, it runs as the postgres user.
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="sco-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/sco_faults"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def run(self, command, *args):
        subprocess.run(
            [*self.as_user, str(POSTGRES_BIN / command), *map(str, args)],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "start", "-w", "-D", self.data, "-l", self.folder / "log", "-o", options)

    def stop(self):
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)

    def create_database(self):
        subprocess.run(
            [POSTGRES_BIN / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "sco_faults"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def close(self):
        try:
            self.run("pg_ctl", "stop", "-m", "immediate", "-D", self.data)
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


class Site:
    """The site under gunicorn with the shipped settings (deploy/gunicorn.conf.py) and 2 workers,
    PRODUCTION=1, DEBUG off, its errors in a file."""

    def __init__(self, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log = tempfile.NamedTemporaryFile(prefix="sco-site-", suffix=".log", delete=False)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [ROOT / ".venv" / "bin" / "gunicorn", "sco_tracker.wsgi", "--config",
             ROOT / "deploy" / "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "60"],
            cwd=ROOT, env={**os.environ, **self.env}, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: answers(self.port), 60, "gunicorn answering")

    def errors(self):
        return Path(self.log.name).read_text()

    def workers(self):
        """The process ids of gunicorn's workers (its master's children)."""
        children = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                ppid = re.search(r"^PPid:\s+(\d+)", status.read_text(), re.MULTILINE)
            except OSError:
                continue  # the process has ended
            if ppid and int(ppid[1]) == self.process.pid:
                children.append(int(status.parent.name))
        return children

    def worker_with_connection(self, port):
        """The worker whose TCP connection leaves from local port `port` (pg_stat_activity's
        client_port of the database session serving it), or None."""
        sockets = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rpartition(":")[2], 16) == port:
                sockets.add(f"socket:[{fields[9]}]")
        for pid in self.workers():
            for fd in Path(f"/proc/{pid}/fd").glob("*"):
                try:
                    if os.readlink(fd) in sockets:
                        return pid
                except OSError:
                    continue
        return None

    def close(self):
        if self.process:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        os.unlink(self.log.name)


class Proxy:
    """nginx with the shipped configuration (deploy/nginx.conf) in front of the site on
    `site_port`, on free ports of 127.0.0.1: its plain-HTTP server (where a load balancer asks for
    /healthz) at `health_url`, and its HTTPS server at `url`, without TLS as there is no
    certificate here (it tells the site the scheme is https, as it would). Only the listening
    addresses, the certificates and the site's port differ from the shipped file; nginx runs with
    Debian's default of one worker process per core."""

    def __init__(self, site_port):
        self.folder = Path(tempfile.mkdtemp(prefix="sco-nginx-"))
        http_port, https_port = free_port(), free_port()
        self.health_url = f"http://127.0.0.1:{http_port}"
        self.url = f"http://127.0.0.1:{https_port}"
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        for pattern, replacement in [
            (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
            (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port};"),
            (r"\n\s*listen \[::\]:\d+[^;]*;", ""),
            (r"\n\s*ssl_certificate(_key)? [^;]*;", ""),
            (r"X-Forwarded-Proto \$scheme", "X-Forwarded-Proto https"),
            (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{site_port};"),
        ]:
            site, count = re.subn(pattern, replacement, site)
            if not count:
                raise RuntimeError(f"deploy/nginx.conf has nothing like {pattern}")
        (self.folder / "site.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes auto;\npid {self.folder}/nginx.pid;\ndaemon off;\n"
            f"error_log {self.folder}/error.log;\nevents {{}}\nhttp {{\n access_log off;\n"
            f" client_body_temp_path {self.folder}/body;\n proxy_temp_path {self.folder}/proxy;\n"
            f" include {self.folder}/site.conf;\n}}\n"
        )
        self.process = None

    def browser(self, source, patience=30):
        """A browser connecting from `source` to the HTTPS server, whose address it shows without
        the port, as nginx passes the host on (proxy_set_header Host $host)."""
        return Browser(self.url, patience, source=source, origin="https://127.0.0.1")

    def start(self):
        self.process = subprocess.Popen(
            [NGINX, "-c", self.folder / "nginx.conf", "-p", self.folder, "-e",
             self.folder / "error.log"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        port = int(self.url.rsplit(":", 1)[1])
        wait_until(lambda: answers(port) or self.process.poll() is not None, 10, "nginx answering")
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def errors(self):
        log = self.folder / "error.log"
        return log.read_text() if log.exists() else ""

    def connections(self):
        """How many client connections nginx holds open now (established, on its HTTPS port)."""
        port = int(self.url.rsplit(":", 1)[1])
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
        return sum(
            1
            for fields in map(str.split, lines)
            if int(fields[1].rpartition(":")[2], 16) == port and fields[3] == "01"
        )

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


class Browser:
    """Requests to the site as a browser behind the TLS proxy sends them: with the header the
    proxy adds (PRODUCTION=1 redirects plain HTTP) and the cookies the site set, Secure ones
    included (the proxy's HTTPS is outside this test)."""

    def __init__(self, url, patience=30, address=None, source=None, origin=None):
        self.url = url
        # The site's address as the browser shows it, which its Referer names.
        self.origin = origin or f"https://{url[7:]}"
        self.patience = patience  # seconds to wait for an answer before giving up (status 0)
        # The client's address as the proxy in front of the site would give it (X-Forwarded-For,
        # read with API_NUM_PROXIES=1); None for none.
        self.address = address
        self.cookies = {}
        handlers = [NoRedirect()]
        if source:  # the address this client connects from (any of 127.0.0.0/8 on Linux)
            handlers.append(FromAddress(source))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path, data=None):
        """(status, seconds, headers, body) of one request; a failed connection is status 0."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"X-Forwarded-Proto": "https", "Referer": f"{self.origin}{path}"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.patience) as response:
                status, answer = response.status, response
                content = response.read().decode()
        except urllib.error.HTTPError as error:
            status, answer, content = error.code, error, error.read().decode()
        except OSError:
            return 0, time.monotonic() - started, {}, ""
        for cookie in answer.headers.get_all("Set-Cookie") or ():
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return status, time.monotonic() - started, answer.headers, content

    def log_in(self, username, password):
        form = form_fields(self.request("/admin/login/")[3])
        form.update(username=username, password=password)
        status = self.request("/admin/login/", form)[0]
        assert status == 302, f"the login answered {status}"

    def save(self, path, **changes):
        """Sends the admin form at `path` back with `changes`, as the Save button does."""
        form = form_fields(self.request(path)[3])
        form.update(changes, _save="Save")
        return self.request(path, form)


class FromAddress(urllib.request.HTTPHandler):
    """Connects from the given local address, so that a proxy sees the client's own address."""

    def __init__(self, source):
        super().__init__()
        self.source = source

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormFields(html.parser.HTMLParser):
    """The fields a browser would send from the page's forms (their names and values)."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.setdefault(self.select, []).append(attrs.get("value") or "")

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the newline that starts a textarea's content.
            self.fields[self.textarea][0] = self.fields[self.textarea][0].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_fields(page):
    parser = FormFields()
    parser.feed(page)
    return parser.fields

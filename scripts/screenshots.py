"""Save screenshots of the meetings list and of the 4 June 2022 meeting, 1280 pixels wide.

    .venv/bin/python scripts/screenshots.py [output folder, default docs/screenshots]

The pages come from a throwaway SQLite database holding the bundled data (loaded with
`load_sco_data`, as a user would), served on a free local port and photographed with Debian's
Chromium through Playwright. Your own database is not touched.
"""

import os
import shutil
import sys
import tempfile
import threading
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1280, 800
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MEETING_SLUG = "2022-06-04-zhang-ming-meets-akan-rakhmetullin"


def set_up_django(database_path):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sco_tracker.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    # Static files are then served straight from static/, without collectstatic.
    os.environ["DEBUG"] = "1"
    import django

    django.setup()


def load_bundled_data():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_sco_data", stdout=StringIO())


def serve():
    """Serve the site on a free local port in a background thread; return the server."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def take_screenshots(base_url, out_dir):
    """Photograph each page (full length, 1280 pixels wide); return the files written."""
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Needs Debian's chromium: apt-get install chromium")
    shots = {
        "meetings-list.png": reverse("meetings:meeting_list"),
        "meeting-2022-06-04.png": reverse("meetings:meeting_detail", kwargs={"slug": MEETING_SLUG}),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name, path in shots.items():
            response = page.goto(base_url + path, wait_until="networkidle")
            if not response.ok:
                sys.exit(f"{path} answered {response.status}")
            page.screenshot(path=out_dir / name, full_page=True)
            written.append(out_dir / name)
        browser.close()
    return written


def main(out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        set_up_django(Path(tmp) / "screenshots.sqlite3")
        load_bundled_data()
        server = serve()
        try:
            host, port = server.server_address[:2]
            for path in take_screenshots(f"http://{host}:{port}", out_dir):
                print(path)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")

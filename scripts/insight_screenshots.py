"""Save screenshots of the timeline and of the Kazakhstan–SCO Secretariat page, 1280 pixels wide.

    .venv/bin/python scripts/insight_screenshots.py [output folder, default docs/screenshots]

Like scripts/screenshots.py (whose helpers it uses): a throwaway SQLite database with the bundled
data, served on a free local port and photographed with Debian's Chromium through Playwright.
The timeline is taken as the first screen of the page (the chart and its controls), the pair
page whole.
"""

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshots  # noqa: E402

WIDTH, HEIGHT = 1280, 960


def take_screenshots(base_url, out_dir):
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Needs Debian's chromium: apt-get install chromium")
    shots = [
        ("timeline.png", reverse("insights:timeline"), False),
        (
            "relations-kz-sco-secretariat.png",
            reverse("insights:pair", kwargs={"a": "kz", "b": "sco-secretariat"}),
            True,
        ),
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=screenshots.CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name, path, full_page in shots:
            response = page.goto(base_url + path, wait_until="networkidle")
            if not response.ok:
                sys.exit(f"{path} answered {response.status}")
            page.screenshot(path=out_dir / name, full_page=full_page)
            written.append(out_dir / name)
        browser.close()
    return written


def main(out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        screenshots.set_up_django(Path(tmp) / "screenshots.sqlite3")
        screenshots.load_bundled_data()
        server = screenshots.serve()
        try:
            host, port = server.server_address[:2]
            for path in take_screenshots(f"http://{host}:{port}", out_dir):
                print(path)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else screenshots.BASE_DIR / "docs" / "screenshots")

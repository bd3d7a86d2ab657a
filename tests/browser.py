"""Open a generated HTML file in headless Chromium and report what a reader would see.

Shared by the HTML report tests (case report, caseload report). Uses Debian's ``chromium``
(``/usr/bin/chromium``, installed by ``make test`` when missing) through Playwright; never a
browser Playwright downloads itself. Every request other than the file itself is blocked and
recorded, so a page that needs the network (a CDN script, a web font) fails its test.

    from tests.browser import open_html
    with open_html(path) as page:
        assert page.errors == []                  # console errors, page errors, blocked requests
        assert page.page.locator("#timeline").count() == 1
        assert page.screenshot_is_not_blank()
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, Request, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class OpenedPage:
    page: Page
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def screenshot(self) -> bytes:
        return self.page.screenshot(full_page=True)

    def screenshot_is_not_blank(self, min_colours: int = 8) -> bool:
        """True when the rendered page has real content: many colours, not one flat fill."""
        img = Image.open(io.BytesIO(self.screenshot())).convert("RGB")
        colours = img.getcolors(maxcolors=1 << 16)
        return colours is None or len(colours) >= min_colours


@contextmanager
def open_html(path: Path, width: int = 1280, height: int = 900) -> Iterator[OpenedPage]:
    """Load ``path`` (a local HTML file) and yield it once the page has finished loading."""
    url = Path(path).resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            opened = OpenedPage(page)

            def on_console(msg: ConsoleMessage) -> None:
                if msg.type == "error":
                    opened.errors.append(f"console: {msg.text}")

            def on_route(route: Route, request: Request) -> None:
                if request.url == url:
                    route.continue_()
                else:
                    opened.blocked.append(request.url)
                    opened.errors.append(f"blocked request: {request.url}")
                    route.abort()

            page.on("console", on_console)
            page.on("pageerror", lambda exc: opened.errors.append(f"page error: {exc}"))
            page.route("**/*", on_route)
            page.goto(url, wait_until="load")
            yield opened
        finally:
            browser.close()

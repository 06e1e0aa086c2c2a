"""Real-browser check of the static docs site built by tools/build_docs.py (the fallback for machines without Quarto).

It builds the site into a scratch folder, serves it on 127.0.0.1, and opens it in Debian's Chromium with Playwright:
the index page must list every lesson in the sidebar, in the order of nbs/sidebar.yml; following the sidebar link to
the rendering lesson must show its replays as playing GIFs (images that loaded, several frames each). Screenshots of
both pages go to artifacts/browser/ (git-ignored).

Run from the repository root: python tests/browser/check_docs.py   (prints "1 passed, 0 failed" or exits non-zero)
"""
import base64
import functools
import http.server
import io
import re
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_docs  # noqa: E402
from check_render import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, ensure_chromium  # noqa: E402


def check(condition: bool, message: str):
    if not condition: raise AssertionError(message)


def main():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ensure_chromium()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        pages = build_docs.build(site)
        lessons = build_docs.lessons()
        check([page.name for page in pages] == [build_docs.page_name(name) for name in lessons],
              f"expected one page per lesson, got {[page.name for page in pages]}")
        # Each replay GIF must be an animation (more than one frame): that is what makes it play without Python.
        encoded = re.findall(r"data:image/gif;base64,([A-Za-z0-9+/=]+)", (site / "06_render.html").read_text())
        frames = [Image.open(io.BytesIO(base64.b64decode(gif))).n_frames for gif in encoded]
        check(len(frames) >= 3 and min(frames) > 1, f"the rendering page's GIFs have these frame counts: {frames}")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/index.html")
                links = page.locator(".lerax-sidebar a")
                hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
                check(hrefs == [build_docs.page_name(name) for name in lessons], f"sidebar links out of order: {hrefs}")
                check(page.locator("h1").first.inner_text().strip() == "Lerax", "the index page has no Lerax title")
                page.screenshot(path=str(ARTIFACTS / "docs-index.png"))
                page.locator(".lerax-sidebar a[href='06_render.html']").click()
                page.wait_for_load_state("load")
                check(page.url.endswith("/06_render.html"), f"the sidebar link led to {page.url}")
                gifs = page.locator("img[src^='data:image/gif']")
                check(gifs.count() >= 3, f"expected the replays' GIFs on the rendering page, found {gifs.count()}")
                gifs.first.scroll_into_view_if_needed()
                loaded = page.evaluate("""() => [...document.querySelectorAll("img[src^='data:image/gif']")]
                    .map(img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().height > 0)""")
                check(all(loaded), f"some replay GIFs did not load or are hidden: {loaded}")
                page.screenshot(path=str(ARTIFACTS / "docs-render.png"))
                browser.close()
        finally:
            server.shutdown()
    print("docs check: index and rendering lesson open in Chromium; screenshots in artifacts/browser/")
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()

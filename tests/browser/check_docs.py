"""Real-browser check of the static docs site built by tools/build_docs.py (the fallback for machines without Quarto).

It builds the site into a scratch folder, serves it on 127.0.0.1, and opens it in Debian's Chromium with Playwright,
with every request that leaves the site aborted (as in a classroom without internet): the index page must list every
lesson in the sidebar, in the order of nbs/sidebar.yml; following the sidebar link to the rendering lesson must show
its replays as playing GIFs (images that loaded, several frames each); the rollouts lesson must show its TD-error
equation typeset by the bundled MathJax, in its web fonts, with no raw `$$\delta_t` left in the text; no page may
show an `In [ ]:` prompt, and no request may fail. The rollouts lesson is then opened once more from the folder itself
(file://, browser offline), as a copied site is read. Screenshots go to artifacts/browser/ (git-ignored).

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
import unicodedata
from pathlib import Path

from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_docs  # noqa: E402
from check_render import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, ensure_chromium  # noqa: E402


MATHS_PAGE = "04_buffer.html"  # the rollouts lesson
EQUATION = r"\delta_t = r_t + \gamma V_{t+1} - V_t"  # its TD error, a display equation
# Anything a page would load from outside the site: a script, style sheet, image or frame from another host.
EXTERNAL = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"')
# What the browser shows of the equation and its page, once MathJax has finished with it.
TYPESET = """equation => {
    const script = [...document.querySelectorAll("script[type^='math/tex']")].find(s => s.textContent.includes(equation));
    const frame = script && document.getElementById(script.id + "-Frame");
    // HTML-CSS draws the maths in `nobr > span.math`; beside it is a visually hidden MathML copy for screen readers.
    const drawn = frame && frame.querySelector("nobr > span.math");
    const box = drawn ? drawn.getBoundingClientRect() : {width: 0, height: 0};
    return {found: !!script, display: !!script && script.type.includes("mode=display"), id: frame ? frame.id : "",
            frameClass: frame ? frame.className : "", inDisplay: !!frame && !!frame.closest(".MathJax_Display"),
            width: box.width, height: box.height, shown: drawn ? drawn.innerText : "",
            typeset: document.querySelectorAll(".MathJax").length,
            errors: document.querySelectorAll(".MathJax_Error, merror").length,
            font: MathJax.OutputJax["HTML-CSS"].fontInUse,
            fonts: [...document.fonts].filter(font => font.status === "loaded").map(font => font.family),
            text: proseText()}
    function proseText() {   // the page's visible text outside code cells (code may hold TeX in plot labels)
        const code = [...document.querySelectorAll("pre, code, .highlight, .jp-InputArea, .input_area")];
        const before = code.map(element => element.style.display);
        code.forEach(element => { element.style.display = "none"; });
        const text = document.body.innerText;
        code.forEach((element, i) => { element.style.display = before[i]; });
        return text;
    }
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    "Serves the site without a log line per file (each page loads a dozen of MathJax's)."
    def log_message(self, format, *args): pass


def check(condition: bool, message: str):
    if not condition: raise AssertionError(message)


def check_no_prompts(page, where: str):
    "No `In [ ]:`/`Out[ ]:` prompts: the saved notebooks carry no execution counts, so each would be an empty one."
    prompts = page.locator(".jp-InputPrompt, .jp-OutputPrompt").count()
    check(prompts == 0 and not re.search(r"(In|Out)\s*\[\s*\d*\s*\]:", page.locator("body").inner_text()),
          f"{where} shows {prompts} cell prompts")


def check_maths(page, where: str):
    "The rollouts lesson's TD-error equation typeset by the bundled MathJax, in its web fonts, and no raw TeX shown."
    try: page.wait_for_function("() => window.MathJax && MathJax.isReady", timeout=30_000)
    except PlaywrightTimeout: raise AssertionError(f"{where}: MathJax did not load within 30 s") from None
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")  # after every typesetting step
    shown = page.evaluate(TYPESET, EQUATION)
    text = shown.pop("text")
    check(shown["found"] and shown["display"], f"{where}: MathJax did not take up the display equation {EQUATION}: {shown}")
    check(shown["id"] and shown["frameClass"] == "MathJax" and shown["inDisplay"],
          f"{where}: the equation was not typeset as display maths: {shown}")
    check(shown["width"] > 60 and shown["height"] > 8, f"{where}: the typeset equation is not visible: {shown}")
    # The glyphs drawn, read back: STIX draws the letters as mathematical italics (𝛿, 𝑡), which NFKC maps to δ, t.
    drawn = "".join(unicodedata.normalize("NFKC", shown["shown"]).split())
    check(drawn.startswith("δt=rt+γVt+1−Vt"), f"{where}: the typeset equation reads {drawn!r}")
    check(shown["errors"] == 0, f"{where}: MathJax reported {shown['errors']} errors in the page's maths")
    check(shown["font"] == "STIX-Web" and "STIXMathJax_Main" in shown["fonts"],
          f"{where}: the maths is not in MathJax's bundled web fonts: {shown['font']}, loaded {shown['fonts']}")
    check("$$" not in text and r"\delta" not in text and r"\gamma" not in text,
          f"{where}: raw TeX is still visible: {[line for line in text.splitlines() if '$' in line or chr(92) in line][:3]}")
    return shown


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
        # Self-contained: MathJax is in the site, and no page loads anything from elsewhere (nor shows a prompt).
        check((site / build_docs.MATHJAX_FOLDER / "MathJax.js").exists(), "the site has no MathJax of its own")
        check("$$" + EQUATION in (site / MATHS_PAGE).read_text(), f"{MATHS_PAGE} no longer has the equation {EQUATION}")
        for built in pages:
            outside = EXTERNAL.findall(built.read_text())
            check(not outside, f"{built.name} loads from outside the site: {outside[:3]}")
        handler = functools.partial(QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                # No network beyond the site itself: any other request is recorded and aborted.
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                outside, failed = [], []
                def only_the_site(route):
                    if route.request.url.startswith((base + "/", "data:", "about:")): return route.continue_()
                    outside.append(route.request.url)
                    return route.abort("internetdisconnected")
                context.route("**/*", only_the_site)
                context.on("requestfailed", lambda request: request.url.startswith("about:") or
                           failed.append(f"{request.url} ({request.failure})"))
                context.on("response", lambda response: response.status >= 400 and
                           failed.append(f"{response.url} ({response.status})"))
                page = context.new_page()
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
                check_no_prompts(page, "the rendering lesson")
                page.screenshot(path=str(ARTIFACTS / "docs-render.png"))
                page.locator(f".lerax-sidebar a[href='{MATHS_PAGE}']").click()
                page.wait_for_load_state("load")
                check(page.url.endswith("/" + MATHS_PAGE), f"the sidebar link led to {page.url}")
                shown = check_maths(page, "the rollouts lesson, served")
                check_no_prompts(page, "the rollouts lesson")
                page.locator(f"[id='{shown['id']}']").scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / "docs-maths.png"))
                check(not outside, f"the pages asked for things outside the site: {outside[:5]}")
                check(not failed, f"some of the site's requests failed: {failed[:5]}")
                context.close()
                # A copied site: the same lesson read from the folder, the browser offline.
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.set_offline(True)
                page = context.new_page()
                page.on("requestfailed", lambda request: request.url.startswith("about:") or
                        failed.append(f"{request.url} ({request.failure})"))
                page.goto((site / MATHS_PAGE).as_uri())
                copied = check_maths(page, "the rollouts lesson, opened as a file offline")
                check(not failed, f"some of the copied site's requests failed: {failed[:5]}")
                context.close()
                browser.close()
        finally:
            server.shutdown()
    print("docs check: index and rendering lesson open in Chromium offline; the rollouts lesson's maths is typeset "
          f"({shown['typeset']} formulas served, {copied['typeset']} from file://); screenshots in artifacts/browser/")
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()

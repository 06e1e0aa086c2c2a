"""Real-browser check of the rendering lesson: JupyterLab + headless Chromium driven by Playwright.

It copies nbs/06_render.ipynb to a scratch folder (so JupyterLab's autosave cannot touch the repository), starts
JupyterLab on 127.0.0.1 with a token, and opens the notebook in Debian's Chromium. Before running anything it checks
that the saved outputs show the static fallback and no raw widget text. Then it runs all cells, presses Play on every
replay on the page, and checks that each one's displayed frame changes over time, that the trained replay's value
plot cursor moves, and that the static fallback is hidden while the live widgets are shown. Screenshots go to
artifacts/browser/ (git-ignored).

Run from the repository root: python tests/browser/check_render.py   (prints "1 passed, 0 failed" or exits non-zero)
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]



def changed_screenshot(locator, previous: bytes, timeout: float = 10.0) -> bytes | None:
    "A screenshot of `locator` that differs from `previous`, polling for up to `timeout` seconds; None if none does."
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.3)
        shot = locator.screenshot()
        if shot != previous: return shot
    return None

def ensure_chromium():
    "Install Debian's chromium if it is missing (never a downloaded browser build)."
    if Path(CHROMIUM).exists(): return
    print("installing Debian's chromium ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_jupyterlab(folder: Path, port: int, token: str) -> subprocess.Popen:
    log = open(ARTIFACTS / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.open_browser=False", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback never goes through a proxy
    for _ in range(120):
        if server.poll() is not None: break
        try:
            direct.open(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.terminate()
    raise RuntimeError("JupyterLab did not start; see artifacts/browser/jupyterlab.log")


def check(page, port: int, token: str):
    page.goto(f"http://127.0.0.1:{port}/lab/tree/06_render.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator, .jp-Toolbar-kernelStatus", timeout=120_000)
    time.sleep(3)                                    # let the kernel connect
    failures = []
    saved = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent).join(' ')")
    if "VBox(" in saved or "HBox(" in saved: failures.append("the saved outputs show a raw widget repr before running")
    if page.locator("img[alt^='replay of']").count() == 0: failures.append("the saved outputs have no static fallback")
    page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
    page.click("div.lm-Menu-itemLabel:text-is('Run All Cells')")
    page.wait_for_selector(".widget-play", timeout=600_000)          # the first replay widget exists
    page.wait_for_function("document.querySelectorAll('.widget-play').length >= 3", timeout=600_000)  # all replays
    # the widget's images are updated by the kernel, so wait until it has finished running every cell
    page.wait_for_function("""() => ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))
                              && document.body.innerText.includes('| Idle')""", timeout=600_000)
    page.screenshot(path=str(ARTIFACTS / "notebook.png"), full_page=False)

    replay = page.locator(".widget-vbox:has(.widget-play):has-text('after PPO training')").first
    replay.scroll_into_view_if_needed()
    frame_image, plot_image = replay.locator("img").nth(0), replay.locator("img").nth(1)
    fallback_hidden = page.evaluate(
        "() => [...document.querySelectorAll('[class$=\"-fallback\"]')].every(e => getComputedStyle(e).display === 'none')")
    before_frame, before_plot = frame_image.screenshot(), plot_image.screenshot()
    replay.screenshot(path=str(ARTIFACTS / "replay-start.png"))
    replay.locator(".widget-play button").first.click()               # Play
    after_frame = changed_screenshot(frame_image, before_frame)        # a loaded machine may take a moment to advance
    after_plot = changed_screenshot(plot_image, before_plot)
    replay.screenshot(path=str(ARTIFACTS / "replay-playing.png"))
    later_frame = changed_screenshot(frame_image, after_frame) if after_frame is not None else None
    if after_frame is None or later_frame is None: failures.append("the displayed frame did not change while playing")
    if after_plot is None: failures.append("the value plot's cursor did not move while playing")
    if not fallback_hidden: failures.append("the static fallback is visible next to the live widget")
    replays = page.locator(".widget-vbox:has(.widget-play)")
    for i in range(replays.count()):                                   # every replay, including those shown side by side
        other = replays.nth(i)
        other.scroll_into_view_if_needed()
        # the whole view, slider and frame counter included: a balanced pole can look the same for many frames
        if changed_screenshot(other, other.screenshot(), timeout=1.0) is not None: continue   # already playing
        other.locator(".widget-play button").first.click()                 # (at the last frame, Play starts over)
        if changed_screenshot(other, other.screenshot()) is None:
            failures.append(f"replay {i + 1} of {replays.count()} did not advance when its Play was pressed")
    return failures


def main():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ensure_chromium()
    folder = Path(tempfile.mkdtemp(prefix="lerax-browser-"))
    shutil.copy(ROOT / "nbs" / "06_render.ipynb", folder / "06_render.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    server = start_jupyterlab(folder, port, token)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                failures = check(page, port, token)
            except Exception as error:
                page.screenshot(path=str(ARTIFACTS / "failure.png"))
                failures = [f"{type(error).__name__}: {error}"]
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    for failure in failures: print(f"FAILED: {failure}")
    print(f"browser check of 06_render.ipynb: screenshots in {ARTIFACTS.relative_to(ROOT)}/")
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

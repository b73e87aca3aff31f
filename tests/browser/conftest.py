"""Playwright driving Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: Chromium is /usr/bin/chromium (installed by .ci/run from Debian), or
CHROMIUM=/path. Without it these tests skip locally with that reason; in CI a skip is a failure.
axe-core comes from npm (tests/browser/package.json, `npm ci` in bin/test).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent.parent / "artifacts" / "screenshots"
DEMO_URL = "/briefs/amazon-invests-up-to-4-billion-in-anthropic/"

# Collects what a page reports: CSP violations (from the DOM event), console errors, uncaught errors.
WATCH_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium (as .ci/run does) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop open in this thread; the ORM calls made by the test
    # itself (fixtures, assertions) are still plain synchronous calls, so Django may allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Watched:
    """A page plus everything it reported."""

    def __init__(self, context, base_url):
        self.base_url = base_url
        self.page = context.new_page()
        self.console_errors, self.page_errors, self.dialogs = [], [], []
        self.page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        self.page.on("dialog", on_dialog)

    def goto(self, path, **kwargs):
        response = self.page.goto(self.base_url + path, **kwargs)
        return response

    def csp_violations(self):
        return self.page.evaluate("window.__violations || []")

    def axe(self, **options):
        """Serious and critical axe-core violations of the page as it is now."""
        if not AXE_JS.exists():
            pytest.fail(f"axe-core is not installed at {AXE_JS}: run `npm ci` in tests/browser (bin/test does)")
        if not self.page.evaluate("typeof window.axe === 'object'"):
            # Runtime evaluation through the DevTools protocol is not subject to the page's CSP.
            self.page.evaluate(AXE_JS.read_text() + "\n;0")
        violations = self.page.evaluate(
            """async (options) => {
                const result = await axe.run(document, options);
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary),
                }));
            }""",
            {"resultTypes": ["violations"], **options},
        )
        return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(**context_options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
        context.add_init_script(WATCH_SCRIPT)
        contexts.append(context)
        return Watched(context, live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

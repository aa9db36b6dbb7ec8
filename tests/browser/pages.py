"""What browser tests do with a page: open it with every request and console error watched, run
axe-core on it, read its CSP violations, and move through it by keyboard as a person would."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlparse

from survey_app.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    event => window.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`), true);
"""

FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


class OffHostRecorder:
    """Aborts and remembers every request that leaves the live server."""

    def __init__(self, origin: str):
        self.host = urlparse(origin).netloc
        self.off_host: list[str] = []
        self.console_errors: list[str] = []

    def route(self, route):
        url = route.request.url
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).netloc == self.host:
            route.continue_()
        else:
            self.off_host.append(url)
            route.abort()


@contextmanager
def opened_page(browser, live_server, javascript: bool = True, width: int = 1280, height: int = 800,
                language: str | None = None):
    """A fresh page, from a browser set to `language` if given (its Accept-Language); fails the
    test afterwards if it asked any other host for anything or logged a console error (a blocked
    script or style shows up there)."""
    recorder = OffHostRecorder(live_server)
    headers = {"Accept-Language": language} if language else {}
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript,
                                  extra_http_headers=headers)
    context.route("**/*", recorder.route)
    # Added through the DevTools protocol, so it runs before the page's own scripts and the CSP
    # does not apply to it.
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and recorder.console_errors.append(message.text))
    page.on("pageerror", lambda error: recorder.console_errors.append(str(error)))
    page.set_default_timeout(15_000)
    page.live_server = live_server
    page.recorder = recorder
    page.javascript = javascript
    try:
        yield page
    finally:
        if getattr(page, "scriptless_copier", None):
            page.scriptless_copier.close()
        context.close()
    assert recorder.off_host == [], f"requests to other hosts: {recorder.off_host}"
    assert recorder.console_errors == [], f"console errors: {recorder.console_errors}"


def axe_violations(page) -> list[str]:
    """Run axe-core's WCAG 2.2 AA rules on the page; one line per violation and element."""
    if not getattr(page, "javascript", True):
        with scriptless_copy(page) as copy:
            return _run_axe(copy)
    return _run_axe(page)


@contextmanager
def scriptless_copy(page):
    """The page's current document, as it stands, in a page where JavaScript runs but the page's
    own scripts may not. axe needs timers, and a page with JavaScript turned off never fires them,
    so axe would wait for ever. One copying page is kept for each page checked, and closed with it
    (a new context for each check cost a second or more on a loaded machine)."""
    copier = getattr(page, "scriptless_copier", None)
    if copier is None:
        copier = page.scriptless_copier = _ScriptlessCopier(page)
    yield copier.copy()


class _ScriptlessCopier:
    def __init__(self, page):
        self.page = page
        self.context = page.context.browser.new_context(viewport=page.viewport_size)
        self.context.route("**/*", self._serve)
        self.copied = self.context.new_page()
        self.copied.set_default_timeout(15_000)
        self.url, self.html = "", ""

    def close(self):
        self.context.close()

    def copy(self):
        self.url, self.html = self.page.url, self.page.content()
        self.copied.set_viewport_size(self.page.viewport_size)
        self.copied.goto(self.url)
        return self.copied

    def _serve(self, route):
        if route.request.url == self.url and route.request.resource_type == "document":
            route.fulfill(status=200, body=self.html, headers={"Content-Type": "text/html; charset=utf-8",
                                                              "Content-Security-Policy": "script-src 'none'"})
        else:
            route.continue_()


def _run_axe(page) -> list[str]:
    # Evaluated through the DevTools protocol, so the page's strict CSP (rightly) does not block it,
    # and the page's own headers are tested as they are.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [f"{v['id']} ({v['impact']}): {node['target']}" for v in result["violations"] for node in v["nodes"]]


def csp_violations(page) -> list[str]:
    """What the page's Content Security Policy has blocked since it loaded: "directive blocked-URI"."""
    return page.evaluate("window.__cspViolations || []")


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def check_page(page) -> None:
    assert page.evaluate(FITS), f"{page.url} scrolls sideways at 320 px"
    assert axe_violations(page) == [], page.url
    if getattr(page, "javascript", True):
        assert unstarted_components(page) == [], page.url


def unstarted_components(page) -> list[str]:
    """GOV.UK Frontend components on the page whose JavaScript has not started. The build bundles only
    the components survey_app/static/js/init.js names: a page that uses another must add it there."""
    return page.evaluate("""[...document.querySelectorAll('[data-module^="govuk-"]')]
        .filter(element => !element.hasAttribute(`data-${element.dataset.module}-init`))
        .map(element => element.dataset.module)""")


def choose(page, value: str) -> None:
    """Pick a radio and continue, by keyboard: Tab to the group, arrows to the answer, Enter."""
    tab_to(page, "input[type=radio]")
    for _ in range(5):
        if page.evaluate("v => document.activeElement.value === v", value):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    submit_by_keyboard(page)


def submit_by_keyboard(page) -> None:
    """Tab to the page's first submit button and press Enter, waiting for the next page."""
    tab_to(page, "main form button[type=submit], main form input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_language(page, language: str) -> None:
    """Choose the page language as a participant does: on the link's first page (the access code,
    or "Before you start"), the button naming the language in itself. The one place browser tests
    choose a language."""
    button = page.locator(f"#languages button[value='{language}']")
    assert button.count() == 1, f"no button for {language} on the first page, at {page.url}"
    with page.expect_navigation():
        button.click()

"""What a page looks like, measured in the browser: the checks every public page passes at every width.

Each check returns a list of problems (empty when the page is right), so one assertion reports them all.
"""

# Text controls (inputs, selects, buttons) are one line: taller than three times their font size
# plus their padding and borders means the layout stretched them.
TEXT_CONTROLS_TOO_TALL = """() => {
  const selector = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), select:not([multiple]), button';
  return Array.from(document.querySelectorAll(selector)).filter(el => {
    const r = el.getBoundingClientRect();
    // Django admin's sidebar toggle is a full-height strip by design, not a text control.
    if (!r.width || !r.height || el.id === 'toggle-nav-sidebar') return false;
    const s = getComputedStyle(el);
    const chrome = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
      .reduce((sum, key) => sum + parseFloat(s[key] || 0), 0);
    if (el.tagName === 'BUTTON') {
      // A button holds what it holds (Redoc's hold whole lines): as tall as that, never stretched.
      const range = document.createRange();
      range.selectNodeContents(el);
      return r.height > range.getBoundingClientRect().height + chrome + 1.5 * parseFloat(s.fontSize);
    }
    return r.height > Math.max(3 * parseFloat(s.fontSize) + chrome, 48);  // 48 px: a touch target's height
  }).map(el => `${el.tagName.toLowerCase()}#${el.id || '?'}.${el.className} is ${Math.round(el.getBoundingClientRect().height)} px tall`);
}"""

# Multi-line text boxes may be as tall as their rows ask for, never taller.
TEXTAREAS_TOO_TALL = """() => Array.from(document.querySelectorAll('textarea')).filter(el => {
  const r = el.getBoundingClientRect();
  if (!r.width) return false;
  const s = getComputedStyle(el);
  const line = parseFloat(s.lineHeight) || 1.4 * parseFloat(s.fontSize);
  const chrome = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
    .reduce((sum, key) => sum + parseFloat(s[key] || 0), 0);
  const rows = Math.max(el.rows || 2, 2);
  return r.height > rows * line + chrome + 2 * line && r.height > el.scrollHeight + line;
}).map(el => `textarea#${el.id} is ${Math.round(el.getBoundingClientRect().height)} px tall`)"""

PAST_THE_EDGES = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => { const r = el.getBoundingClientRect(); return r.width && (r.right > window.innerWidth + 1 || r.left < -1); })
  .filter(el => !el.closest('.visually-hidden, .skip-link, [hidden], .anno-card'))
  .filter(el => { let p = el.parentElement; while (p) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; p = p.parentElement; } return true; })
  .map(el => `${el.tagName.toLowerCase()}.${el.className} reaches ${Math.round(el.getBoundingClientRect().right)} px`)
  .slice(0, 10)"""

# Nothing of the page (outside the header) starts above the header's bottom edge, seen from the top.
OVER_THE_HEADER = """() => {
  window.scrollTo(0, 0);
  const header = document.querySelector('header.masthead, #header');
  if (!header) return ['no header'];
  const bottom = header.getBoundingClientRect().bottom;
  const main = document.querySelector('main, #content');
  return Array.from(main.querySelectorAll('*')).filter(el => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('.visually-hidden, .skip-link, [hidden]')) return false;
    return r.top < bottom - 1 && getComputedStyle(el).visibility !== 'hidden';
  }).map(el => `${el.tagName.toLowerCase()}.${el.className} starts at ${Math.round(el.getBoundingClientRect().top)} px, above the header's ${Math.round(bottom)}`).slice(0, 10);
}"""

# The page's content column starts where the masthead's content starts (the brand's left edge).
COLUMN_EDGES = """(selector) => {
  const brand = document.querySelector('.masthead .brand');
  const column = document.querySelector(selector);
  if (!brand || !column) return null;
  const inner = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return { left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight), top: r.top, width: r.width }; };
  return { brand: brand.getBoundingClientRect().left, column: inner(column) };
}"""


def overflow_problems(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    problems = []
    if max(widths[:2]) > widths[2]:
        problems.append(f"the page is {max(widths[:2])} px wide in a {widths[2]} px window and scrolls sideways")
    problems += page.evaluate(PAST_THE_EDGES)
    return problems


def tall_control_problems(page):
    return page.evaluate(TEXT_CONTROLS_TOO_TALL) + page.evaluate(TEXTAREAS_TOO_TALL)


def header_overlap_problems(page):
    return page.evaluate(OVER_THE_HEADER)


def column_problems(page, selector):
    """The first element matching `selector` starts in the masthead's column (its content edge lines up
    with the brand's)."""
    edges = page.evaluate(COLUMN_EDGES, selector)
    if edges is None:
        return [f"no {selector} on the page"]
    if abs(edges["column"]["left"] - edges["brand"]) > 2:
        return [f"{selector} starts at {edges['column']['left']:.0f} px, the masthead at {edges['brand']:.0f} px"]
    return []


def box(page, selector):
    return page.locator(selector).first.bounding_box()

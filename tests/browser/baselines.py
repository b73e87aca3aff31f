"""Screenshot baselines: a page's screenshot compared with the one committed under
tests/browser/baselines/, pixel by pixel with a small tolerance.

Refresh them after an intended change with `UPDATE_BASELINES=1 bin/test tests/browser/test_layout.py`
(or `bin/test --update-baselines …`): every compared screenshot then replaces its baseline. When a
comparison fails, the screenshot, the baseline and an image of the differing pixels (red) are kept
under artifacts/screenshot-diffs/ for CI to keep.
"""

import io
import os
from pathlib import Path

from PIL import Image, ImageChops

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
DIFFS = HERE.parent.parent / "artifacts" / "screenshot-diffs"

# A pixel differs when a channel moved by more than CHANNEL_TOLERANCE (anti-aliasing noise stays
# under it); a screenshot matches while at most MAX_DIFFERING of its pixels differ.
CHANNEL_TOLERANCE = 48
MAX_DIFFERING = 0.002


def updating():
    return os.environ.get("UPDATE_BASELINES", "").lower() in ("1", "true", "yes")


def compare(name, png_bytes):
    """None when the screenshot matches its baseline (or the baselines are being refreshed), else
    what differs."""
    BASELINES.mkdir(exist_ok=True)
    baseline_path = BASELINES / f"{name}.png"
    actual = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    if updating() or not baseline_path.exists():
        actual.save(baseline_path, optimize=True)
        return None if updating() else f"no baseline for {name}: wrote {baseline_path}, commit it"
    expected = Image.open(baseline_path).convert("RGB")
    if expected.size != actual.size:
        problem = f"{name}: {actual.size[0]}×{actual.size[1]} px, the baseline is {expected.size[0]}×{expected.size[1]}"
        _keep(name, actual, expected, None)
        return problem
    difference = (
        ImageChops.difference(expected, actual).convert("L").point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    )
    differing = sum(1 for v in difference.getdata() if v)
    share = differing / (actual.size[0] * actual.size[1])
    if share <= MAX_DIFFERING:
        return None
    _keep(name, actual, expected, difference)
    return f"{name}: {share:.2%} of the pixels differ from the baseline (at most {MAX_DIFFERING:.2%}); see {DIFFS}"


def _keep(name, actual, expected, difference):
    DIFFS.mkdir(parents=True, exist_ok=True)
    actual.save(DIFFS / f"{name}-actual.png")
    expected.save(DIFFS / f"{name}-baseline.png")
    if difference is not None:
        red = Image.new("RGB", actual.size, (255, 0, 0))
        faded = Image.blend(actual, Image.new("RGB", actual.size, (255, 255, 255)), 0.7)
        Image.composite(red, faded, difference).save(DIFFS / f"{name}-diff.png")

"""The cyclic garbage collector during a bulk command (generate_briefs, render_page_parts).

A bulk command allocates millions of short-lived objects (rows, model instances, rendered parts),
and at Python's default thresholds the collector runs so often, over every live object, that it
took a third of a load's time. Python's gc module has the knobs; this is only how the commands set
them for the length of their work.
"""

import contextlib
import gc

# Allocations between young-generation collections during the load (Python's default is 700).
LOAD_GC_THRESHOLD = 100_000


@contextlib.contextmanager
def fewer_collections():
    """The objects made before the work (the app, its URL resolvers and templates) are frozen, never
    traversed again, and young collections run less often; each batch's garbage is collected when the
    batch is done (batch_done), which keeps memory flat however many briefs there are. Restored
    after the work."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(LOAD_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def batch_done(bar):
    """The progress callback of a batched step: the batch's garbage is freed (while little else is
    there to traverse), then the bar moves on."""

    def done(count):
        gc.collect()
        bar.update(count)

    return done

"""Named, parameterised queries: the data-access layer every service reads and writes through.

One module per domain (:mod:`.ews`, :mod:`.lng`, :mod:`.indicators`, :mod:`.io`,
:mod:`.gravity`, :mod:`.reference`, :mod:`.catalog`). Each function is small and named after
what it returns; values are always passed as parameters (``?``), never formatted into the
text, and the only identifiers formatted in come from fixed sets (``DATA_TABLES``, a column
list checked against the table). Reads take the :class:`~econsec.store.Store` and return a
labelled frame (named columns) or a scalar. Writes take the connection of the caller's
:meth:`Store.transaction` and never open or commit one themselves, so a service decides what
is atomic: it loads with these functions, calls the analytics kernels, and persists with these
functions inside one transaction.

``tests/test_layers.py`` fails when SQL appears in services, interfaces or the presentation
layer; the import-linter contract in ``pyproject.toml`` keeps ``duckdb`` inside the store.
"""

from econsec.store.queries import catalog, ews, gravity, indicators, io, lng, reference

__all__ = ["catalog", "ews", "gravity", "indicators", "io", "lng", "reference"]

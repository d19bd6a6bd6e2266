"""Source adapters: one per published dataset (see :mod:`econsec.sources.registry`).

Each adapter parses the real published format into econsec's canonical tables (pure
``parse()``) and knows the real download path (``fetch()``, never run in tests).
"""

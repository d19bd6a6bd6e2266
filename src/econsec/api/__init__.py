"""REST API and web dashboard over the econsec services (FastAPI; ``econsec serve``).

``create_app(config)`` builds the app: JSON endpoints under ``/api`` (each answer
``{"provenance", "rows", "tables"}``), OpenAPI docs at ``/api/docs`` and the dashboard at ``/``.
Interfaces hold no economics: every route parses its parameters, calls one service and
serialises the result (docs/api.md).
"""

from econsec.api.app import create_app

__all__ = ["create_app"]

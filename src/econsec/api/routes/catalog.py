"""Health, the catalog of ingested sources, and the country catalog."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from econsec import __version__
from econsec.api.deps import Reader
from econsec.api.responses import frame_response, translate
from econsec.services import catalog as svc

router = APIRouter(tags=["catalog"])


def _store_provenance(request: Request, store: Reader) -> dict[str, object]:
    db = request.app.state.db
    return {"db": db.path, "read_only": db.read_only, "schema_version": store.schema_version(),
            "econsec_version": __version__}


@router.get("/health")
def health(request: Request, store: Reader) -> Response:
    """Liveness: the store answers; its path, schema version and mode."""
    import pandas as pd

    return frame_response(pd.DataFrame([{"status": "ok"}]),
                          {**_store_provenance(request, store), "method": "a read-only query answered by the store"})


@router.get("/sources")
def sources(request: Request, store: Reader) -> Response:
    """The catalog: each ingested source with vintage, files, rows, sha256 and coverage."""
    with translate():
        df = svc.catalog(store)
    return frame_response(df, {**_store_provenance(request, store),
                               "method": "ingest_log (current rows) and row counts per data table",
                               "sources": len(df)})


@router.get("/countries")
def countries(request: Request, store: Reader) -> Response:
    """Every country the store knows: ISO3, name, codes per scheme, group memberships."""
    with translate():
        df = svc.countries(store)
    return frame_response(df, {**_store_provenance(request, store),
                               "method": "view country_catalog (reference tables shipped with "
                                         "econsec plus the code tables of ingested sources)"})

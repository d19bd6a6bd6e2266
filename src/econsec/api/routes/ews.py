"""Early warning: watchlist, alerts, scans and the alert lifecycle (econsec.services.ews).

Scans, acknowledgements and resolutions write to the store: each route is ``async`` and hands
its whole operation to the single writer thread (``await db.write(job)``, see
:mod:`econsec.api.db`), which runs it inside the service's own transaction; no request thread
waits for the writer, and a full write queue answers 503 with ``Retry-After``. Notifications (webhook, e-mail)
are a CLI feature: the server never contacts an address a request names.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from econsec.api.deps import Reader, Writer, country
from econsec.api.responses import ApiError, NotFound, frame_response, translate
from econsec.errors import NotFoundError, OptionError
from econsec.services import args, ews
from econsec.store import Store

router = APIRouter(prefix="/ews", tags=["early warning"])

Status = Literal["new", "acknowledged", "confirmed", "no_impact", "resolved"]
AlertId = Annotated[int, Path(ge=1, description="Alert id.")]
METHOD = ("signals → explained 0–100 score → level (watch/warning/alert), as of the data month, "
          "no look-ahead (docs/ews.md)")


class ScanBody(BaseModel):
    source: str = Field(default="japan_customs", max_length=64, description="Trade source with monthly data.")
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$", description="Data month YYYY-MM (default: latest).")
    pair: tuple[str, str] | None = Field(default=None, description="Joint mode: importer A and partner B.")
    all_items: bool = Field(default=False, description="Check every item, not only those due by their "
                            "grade's check frequency.")


class AckBody(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class ResolveBody(BaseModel):
    status: Literal["confirmed", "no_impact", "resolved"] = "resolved"
    note: str | None = Field(default=None, max_length=2000)


def _alerts_provenance(store: Store) -> dict[str, object]:
    v = ews.alerts_provenance(store)
    return {"table": "ews_alerts", "method": METHOD,
            "sources": [{"source": s, "vintage": vi, "latest_month": str(m)[:7], "alerts": int(n)}
                        for s, vi, m, n in v.itertuples(index=False)]}


@router.get("/watchlist")
def watchlist(store: Reader,
              importer: Annotated[str | None, Query(max_length=8, description="Only this importer.")] = None
              ) -> Response:
    """Watched items (importer × item, grade A–D, frequency, origin)."""
    with translate():
        df = ews.watchlist(store, country(store, importer, "importer") if importer else None)
    return frame_response(df, {"table": "ews_watchlist",
                               "method": "generated: single-supplier screen (top share ≥ 50 %) "
                                         "or the critical-item screens; manual entries kept"})


@router.get("/alerts")
def alerts(store: Reader, status: Status | None = None) -> Response:
    """Stored alerts with their explanation (``signals``) and status."""
    with translate():
        df = ews.alerts(store, status)
        prov = _alerts_provenance(store)
    return frame_response(df, prov)


@router.post("/scan")
async def scan(db: Writer, body: ScanBody | None = None) -> Response:
    """Score the watched items due as of a month (every item with ``all_items``); store and
    deduplicate alerts and the items' last check (one transaction)."""
    return await db.write(lambda store: _scan(store, body or ScanBody()))


def _scan(store: Store, body: ScanBody) -> Response:
    with translate():
        pair = args.pair(store, *body.pair, options=("body field 'pair'[0]", "body field 'pair'[1]")) \
            if body.pair else None
        try:
            r = ews.scan(store, body.source, as_of=body.as_of, pair=pair, all_items=body.all_items)
        except OptionError as e:   # the only option left unchecked: a month outside the panel
            raise ApiError(422, f"body field 'as_of': {e}") from e
    touched = r.alerts[r.alerts["alert_id"].isin(r.created + r.updated)]
    return frame_response(touched.reset_index(drop=True), {
        "operation": "ews scan", "method": METHOD, "source": r.source, "vintage": r.vintage,
        "as_of": r.as_of, "items": r.items, "due": r.due, "checked": r.checked,
        "skipped": r.skipped, "created": r.created, "updated": r.updated})


def _move(store: Store, alert_id: int, to: str, note: str | None) -> Response:
    with translate():
        try:
            ews.alert(store, alert_id)
        except NotFoundError:
            raise NotFound(f"path parameter 'alert_id': no alert {alert_id}") from None
        ews.transition(store, alert_id, to, note)
        row = ews.alert(store, alert_id)
        hist = ews.history(store, alert_id)
    return frame_response(row, {"operation": f"ews transition to {to}", "table": "ews_alerts",
                                "method": "lifecycle new → acknowledged → confirmed | no_impact → "
                                          "resolved; each change in ews_alert_history"},
                          {"history": hist})


@router.post("/alerts/{alert_id}/ack")
async def ack(db: Writer, alert_id: AlertId, body: AckBody | None = None) -> Response:
    """Acknowledge an alert."""
    note = (body or AckBody()).note
    return await db.write(lambda store: _move(store, alert_id, "acknowledged", note))


@router.post("/alerts/{alert_id}/resolve")
async def resolve(db: Writer, alert_id: AlertId, body: ResolveBody | None = None) -> Response:
    """Close an alert (``resolved``) or mark it ``confirmed`` / ``no_impact``."""
    b = body or ResolveBody()
    return await db.write(lambda store: _move(store, alert_id, b.status, b.note))

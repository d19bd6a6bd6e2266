"""`econsec ews …`: supply-chain early warning — watchlists, scans, alerts, backtest."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from econsec.cli.render import emit, out, records
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Supply-chain early warning (watchlists, scans, alerts).")
watch_app = typer.Typer(no_args_is_help=True, help="Watchlists: items per importer, grade A–D.")
app.add_typer(watch_app, name="watchlist")

SourceOpt = Annotated[str, typer.Option("--source", help="Trade source with monthly data.")]



@watch_app.command("generate")
def wl_generate(ctx: typer.Context, source: SourceOpt = "japan_customs",
                importer: Annotated[list[str] | None, typer.Option("--importer", help="Only these importers.")] = None,
                min_share: Annotated[float, typer.Option("--min-share", help="Top-supplier share to watch.")] = 0.5) -> None:
    """Generate watchlists from the single-supplier screen (Korea rule, top share ≥ 50 %)."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            g = ews.generate_watchlist(store, source, importers=importer, min_share=min_share)
    except EconsecError as e:
        raise _fail(e) from e
    emit(g.drop(columns=["added_at"]), as_json=ctx.obj.json, title=f"generated watchlist ({len(g)} items)")


@watch_app.command("add")
def wl_add(ctx: typer.Context, importer: str, classification: str, product: str,
           grade: Annotated[str, typer.Option("--grade", help="A | B | C | D")] = "B",
           note: Annotated[str | None, typer.Option("--note")] = None) -> None:
    """Add an item to an importer's watchlist by hand."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            ews.add_watch(store, importer, classification, product, grade=grade, note=note)
    except EconsecError as e:
        raise _fail(e) from e
    out.print(f"watching {importer} {classification} {product} (grade {grade})", highlight=False)


@watch_app.command("list")
def wl_list(ctx: typer.Context, importer: Annotated[str | None, typer.Option("--importer")] = None) -> None:
    """List watched items."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            emit(ews.watchlist(store, importer), as_json=ctx.obj.json, title="watchlist")
    except EconsecError as e:
        raise _fail(e) from e


@app.command()
def scan(ctx: typer.Context, source: SourceOpt = "japan_customs",
         as_of: Annotated[str | None, typer.Option("--as-of", help="Data month YYYY-MM (default: latest).")] = None,
         pair: Annotated[tuple[str, str] | None, typer.Option("--pair", help="Joint mode: importer A and partner B.")] = None,
         webhook: Annotated[str | None, typer.Option("--webhook", help="POST new alerts to this URL.")] = None) -> None:
    """Score every watched item as of a month; store, deduplicate and notify alerts."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            r = ews.scan(store, source, as_of=as_of, pair=pair, webhook=webhook)
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    if ctx.obj.json:
        sys.stdout.write(json.dumps({"as_of": r.as_of, "source": r.source, "vintage": r.vintage,
                                     "items": r.items, "created": r.created, "updated": r.updated,
                                     "deliveries": [d.__dict__ for d in r.deliveries]}) + "\n")
        return
    out.print(f"scan {r.source} as of {r.as_of}: {r.items} items, {len(r.created)} new alerts, "
              f"{len(r.updated)} updated", highlight=False)
    cols = ["alert_id", "importer", "product", "level", "score", "status"]
    emit(r.alerts[r.alerts.alert_id.isin(r.created + r.updated)][cols], as_json=False, title="alerts")


@app.command("alerts")
def alerts_(ctx: typer.Context, status: Annotated[str | None, typer.Option("--status")] = None) -> None:
    """List stored alerts (with their explanation in JSON output)."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            a = ews.alerts(store, status)
    except EconsecError as e:
        raise _fail(e) from e
    if ctx.obj.json:
        sys.stdout.write(json.dumps(records(a), default=str) + "\n")
    else:
        emit(a.drop(columns=["signals", "dedup_key"]), as_json=False, title="alerts")


def _move(ctx: typer.Context, alert_id: int, to: str, note: str | None) -> None:
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            ews.transition(store, alert_id, to, note)
    except EconsecError as e:
        raise _fail(e) from e
    out.print(f"alert {alert_id}: {to}", highlight=False)


@app.command()
def ack(ctx: typer.Context, alert_id: int, note: Annotated[str | None, typer.Option("--note")] = None) -> None:
    """Acknowledge an alert."""
    _move(ctx, alert_id, "acknowledged", note)


@app.command()
def resolve(ctx: typer.Context, alert_id: int,
            status: Annotated[str, typer.Option("--as", help="confirmed | no_impact | resolved")] = "resolved",
            note: Annotated[str | None, typer.Option("--note")] = None) -> None:
    """Close an alert (or mark it confirmed / no impact)."""
    _move(ctx, alert_id, status, note)


@app.command()
def backtest(ctx: typer.Context) -> None:
    """Backtest on Japan customs and China monthly trade (tune first half, report second)."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            r = ews.backtest(store)
    except EconsecError as e:
        raise _fail(e) from e
    if ctx.obj.json:
        sys.stdout.write(json.dumps({"method": r.method, "vintage": r.vintage, "rules": r.rules.as_dict(),
                                     "events": records(r.events), "summary": records(r.summary)},
                                    default=str) + "\n")
        return
    out.print(r.method, highlight=False)
    emit(r.events.drop(columns=["reference"]), as_json=False, title="events")
    emit(r.summary, as_json=False, title="summary")

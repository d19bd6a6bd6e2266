"""`econsec ews …`: supply-chain early warning — watchlists, scans, alerts, backtest."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from econsec.cli.options import split
from econsec.cli.render import emit, out, records
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError
from econsec.services import args

app = typer.Typer(no_args_is_help=True, help="Supply-chain early warning (watchlists, scans, alerts).")
watch_app = typer.Typer(no_args_is_help=True, help="Watchlists: items per importer, grade A–D.")
app.add_typer(watch_app, name="watchlist")
event_app = typer.Typer(no_args_is_help=True, help="Policy events feeding the policy_event signal.")
app.add_typer(event_app, name="event")

SourceOpt = Annotated[str, typer.Option("--source", help="Trade source with monthly data.")]
ImporterArg = Annotated[str, typer.Argument(help="ISO3 importer.")]
ImporterOpt = Annotated[str | None, typer.Option("--importer", help="Only this importer (ISO3).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free-text note stored with the change.")]
AlertArg = Annotated[int, typer.Argument(help="Alert id (see `econsec ews alerts`).")]


def _read(ctx: typer.Context, fetch: Callable[[Any], Any]) -> Any:
    """``fetch(store)`` on the store opened read-only; errors econsec raises exit with status 1."""
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            return fetch(store)
    except EconsecError as e:
        raise _fail(e) from e



@watch_app.command("generate")
def wl_generate(ctx: typer.Context, source: SourceOpt = "japan_customs",
                importer: Annotated[list[str] | None, typer.Option("--importer", callback=split, help="Only these importers (ISO3, comma-separated or repeated).")] = None,
                min_share: Annotated[float, typer.Option("--min-share", help="Top-supplier share to watch.")] = 0.5,
                from_screens: Annotated[bool, typer.Option("--from-screens", help="Use the four critical-item screens on an annual HS source (needs --importer, --year).")] = False,
                year: Annotated[int | None, typer.Option("--year", help="Year for --from-screens.")] = None) -> None:
    """Generate watchlists from the single-supplier screen (Korea rule, top share ≥ 50 %),
    or with --from-screens from the critical-item screens (EU, GeoDep, MERICS, Korea)."""
    import pandas as pd

    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            importer = list(args.countries(store, importer, option="--importer")) or None
            if from_screens:
                if not importer or year is None:
                    raise ews.EwsError("--from-screens needs --importer and --year")
                g = pd.concat([ews.watchlist_from_screens(store, imp, year=year, source=source)
                               for imp in importer], ignore_index=True)
            else:
                g = ews.generate_watchlist(store, source, importers=importer, min_share=min_share)
    except EconsecError as e:
        raise _fail(e) from e
    emit(g.drop(columns=["added_at"]), as_json=ctx.obj.json, title=f"generated watchlist ({len(g)} items)")


@watch_app.command("add")
def wl_add(ctx: typer.Context, importer: ImporterArg,
           classification: Annotated[str, typer.Argument(help="Product classification of the source, e.g. HS9 or HS6.")],
           product: Annotated[str, typer.Argument(help="Product code in that classification.")],
           grade: Annotated[str, typer.Option("--grade", help="A | B | C | D")] = "B",
           note: NoteOpt = None) -> None:
    """Add an item to an importer's watchlist by hand."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            importer = args.country(store, importer, option="IMPORTER")
            ews.add_watch(store, importer, classification, product, grade=grade, note=note)
    except EconsecError as e:
        raise _fail(e) from e
    out.print(f"watching {importer} {classification} {product} (grade {grade})", highlight=False)


@watch_app.command("list")
def wl_list(ctx: typer.Context, importer: ImporterOpt = None) -> None:
    """List watched items."""
    from econsec.services import ews

    emit(_read(ctx, lambda s: ews.watchlist(s, args.country(s, importer, option="--importer")
                                            if importer else None)),
         as_json=ctx.obj.json, title="watchlist")


@app.command()
def scan(ctx: typer.Context, source: SourceOpt = "japan_customs",
         as_of: Annotated[str | None, typer.Option("--as-of", help="Data month YYYY-MM (default: latest).")] = None,
         pair: Annotated[tuple[str, str] | None, typer.Option("--pair", help="Joint mode: importer A and partner B.")] = None,
         webhook: Annotated[str | None, typer.Option("--webhook", help="POST new alerts to this URL.")] = None,
         smtp: Annotated[str | None, typer.Option("--smtp", help="Mail alerts through this relay, HOST:PORT.")] = None,
         mail_to: Annotated[list[str] | None, typer.Option("--mail-to", callback=split, help="Recipients, comma-separated or repeated; needs --smtp.")] = None,
         mail_from: Annotated[str, typer.Option("--mail-from", help="Sender address of alert mails.")] = "econsec-ews@localhost",
         all_items: Annotated[bool, typer.Option("--all", help="Check every item, not only those due by grade frequency.")] = False,
         value_signal: Annotated[str, typer.Option("--value-signal", help="value_drop | stl_drop (default: the backtested default).")] = "") -> None:
    """Score the watched items due as of a month (or --all); store, deduplicate and notify alerts."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            pair = args.pair(store, *pair, options=("--pair A", "--pair B")) if pair else None
            relay = None
            if smtp is not None:
                host, _, port = smtp.rpartition(":")
                if not host or not port.isdigit() or not mail_to:
                    raise ews.EwsError(f"--smtp must be HOST:PORT and needs --mail-to, got {smtp!r}")
                relay = (host, int(port))
            r = ews.scan(store, source, as_of=as_of, pair=pair, webhook=webhook, smtp=relay,
                         mail_to=mail_to, mail_from=mail_from, all_items=all_items,
                         rules=ews.rules_for(value_signal or None))
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    if ctx.obj.json:
        sys.stdout.write(json.dumps({"as_of": r.as_of, "source": r.source, "vintage": r.vintage,
                                     "items": r.items, "due": r.due, "checked": r.checked,
                                     "skipped": r.skipped, "forced": r.forced, "kept": r.kept,
                                     "created": r.created, "updated": r.updated,
                                     "deliveries": [d.__dict__ for d in r.deliveries]}) + "\n")
        return
    out.print(r.summary(), highlight=False)
    cols = ["alert_id", "importer", "product", "level", "score", "status"]
    emit(r.alerts[r.alerts.alert_id.isin(r.created + r.updated)][cols], as_json=False, title="alerts")


@app.command("alerts")
def alerts_(ctx: typer.Context, status: Annotated[str | None, typer.Option("--status", help="Only alerts with this status: new | acknowledged | confirmed | no_impact | resolved.")] = None) -> None:
    """List stored alerts (with their explanation in JSON output)."""
    from econsec.services import ews

    a = _read(ctx, lambda s: ews.alerts(s, status))
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
def ack(ctx: typer.Context, alert_id: AlertArg, note: NoteOpt = None) -> None:
    """Acknowledge an alert."""
    _move(ctx, alert_id, "acknowledged", note)


@app.command()
def resolve(ctx: typer.Context, alert_id: AlertArg,
            status: Annotated[str, typer.Option("--as", help="confirmed | no_impact | resolved")] = "resolved",
            note: NoteOpt = None) -> None:
    """Close an alert (or mark it confirmed / no impact)."""
    _move(ctx, alert_id, status, note)


@app.command()
def backtest(ctx: typer.Context,
             value_signal: Annotated[str, typer.Option("--value-signal", help="value_drop | stl_drop (default: the backtested default).")] = "") -> None:
    """Backtest on Japan customs and China monthly trade (tune first half, report second)."""
    from econsec.services import ews

    try:
        rules = ews.rules_for(value_signal or None)
    except EconsecError as e:
        raise _fail(e) from e
    r = _read(ctx, lambda s: ews.backtest(s, rules=rules))
    if ctx.obj.json:
        sys.stdout.write(json.dumps({"method": r.method, "vintage": r.vintage, "rules": r.rules.as_dict(),
                                     "events": records(r.events), "summary": records(r.summary)},
                                    default=str) + "\n")
        return
    out.print(r.method, highlight=False, markup=False)   # "[start−3, start]" is not markup
    emit(r.events.drop(columns=["reference"]), as_json=False, title="events")
    emit(r.summary, as_json=False, title="summary")


@event_app.command("add")
def ev_add(ctx: typer.Context, importer: ImporterArg,
           start: Annotated[str, typer.Option("--start", help="First month YYYY-MM.")],
           note: Annotated[str, typer.Option("--note", help="What happened (stored as the description).")],
           partner: Annotated[str | None, typer.Option("--partner", help="Supplier ISO3 it hits (default: all).")] = None,
           item: Annotated[str | None, typer.Option("--item", help="CLASS:CODE (code or HS prefix; default: all items).")] = None,
           end: Annotated[str | None, typer.Option("--end", help="Last month YYYY-MM (default: open).")] = None,
           severity: Annotated[float, typer.Option("--severity", help="Strength in z-units.")] = 3.0,
           reference: Annotated[str | None, typer.Option("--reference", help="Where the event is documented (URL or citation).")] = None) -> None:
    """Record a policy event for an importer (optionally one supplier and one item)."""
    from econsec.services import ews
    from econsec.store import Store

    cls, code = (item.split(":", 1) if item and ":" in item else (None, item))
    try:
        with Store(ctx.obj.config.db) as store:
            importer = args.country(store, importer, option="IMPORTER")
            partner = args.country(store, partner, option="--partner") if partner else None
            eid = ews.add_event(store, importer, start, note, severity=severity, end=end,
                                classification=cls or None, product=code or None,
                                reference=reference, partner=partner)
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    out.print(f"event {eid}: {importer}{' from ' + partner if partner else ''} from {start}, "
              f"severity {severity:g}", highlight=False)


@event_app.command("list")
def ev_list(ctx: typer.Context, importer: ImporterOpt = None) -> None:
    """List policy events."""
    from econsec.services import ews

    emit(_read(ctx, lambda s: ews.events(s, args.country(s, importer, option="--importer")
                                         if importer else None)),
         as_json=ctx.obj.json, title="policy events")


@event_app.command("from-preset")
def ev_from_preset(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Scenario preset name (see `econsec scenario list`).")],
                   start: Annotated[str | None, typer.Option("--start", help="Start for measures without an effective date.")] = None) -> None:
    """Turn a tariff preset's measures into policy events (importer = imposer, partner = target)."""
    from econsec.services import ews
    from econsec.store import Store

    try:
        with Store(ctx.obj.config.db) as store:
            ev = ews.events_from_preset(store, name, start=start)
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    emit(ev, as_json=ctx.obj.json, title=f"events from preset {name} ({len(ev)})")

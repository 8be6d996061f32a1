"""Overview, signals, search (with export), briefs and settings pages."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from fastapi import FastAPI, Form, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import func, select

from monitio.detect.store import list_signals
from monitio.reports.curve_svg import curve_svg
from monitio.store.schema import ALL, UNKNOWN, rollups
from monitio.web.routes import back, base_ctx, check_csrf, current, page, taxonomy_of, trend_json

SORTS = {
    "severity": lambda s: (-s["severity"], -s["score"]),
    "first_seen": lambda s: s["first_seen"],
    "last_seen": lambda s: s["last_seen"],
    "score": lambda s: -s["score"],
}


def _newest(conn):
    from datetime import UTC, datetime

    return conn.execute(select(func.max(rollups.c.bucket))).scalar() or datetime.now(UTC)


def register(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def overview(request: Request):
        from datetime import timedelta

        user, csrf = current(request)
        ws = request.app.state.ws
        names = {cid: c.name for cid, c in taxonomy_of(request).categories.items()}
        with ws.engine.connect() as conn:
            end = _newest(conn)
            rows = conn.execute(
                select(rollups.c.market, rollups.c.category, func.sum(rollups.c.count))
                .where(
                    rollups.c.bucket >= end - timedelta(days=7),
                    rollups.c.category != ALL,
                    rollups.c.market != UNKNOWN,
                )
                .group_by(rollups.c.market, rollups.c.category)
            ).all()
            daily = conn.execute(
                select(rollups.c.bucket, rollups.c.category, rollups.c.count).where(
                    rollups.c.bucket >= end - timedelta(days=30), rollups.c.category != ALL
                )
            ).all()
        cells = {(cat, m): int(n) for m, cat, n in rows}
        markets = sorted({m for _, m in cells}, key=lambda m: -sum(v for (c, mm), v in cells.items() if mm == m))
        cats = sorted({c for c, _ in cells}, key=lambda c: -sum(v for (cc, m), v in cells.items() if cc == c))
        per_day: dict[str, dict] = defaultdict(lambda: defaultdict(int))
        for bucket, cat, n in daily:
            per_day[cat][bucket.replace(hour=0)] += int(n)
        top = sorted(per_day, key=lambda c: -sum(per_day[c].values()))[:6]
        signals = list_signals(ws.engine, status="open", limit=10)
        from datetime import datetime

        notes = [
            (
                datetime.fromisoformat(s["first_seen"].replace("Z", "+00:00")).replace(hour=0, minute=0, second=0),
                f"sev {s['severity']}: {s['why'][:120]}",
            )
            for s in signals
        ]
        return page(
            request,
            "overview.html",
            {
                **base_ctx(request, user, csrf, "Overview"),
                "days": 7,
                "period_end": f"{end:%Y-%m-%d %H:00} UTC",
                "heat": {
                    "markets": markets[:16],
                    "categories": cats,
                    "cells": cells,
                    "max": max(cells.values(), default=1),
                },
                "names": names,
                "trend_json": trend_json({c: per_day[c] for c in top}, notes, names),
                "signals": signals,
            },
        )

    @app.get("/signals", include_in_schema=False)
    def signals_page(
        request: Request,
        status: str = "open",
        category: str = "",
        market: str = "",
        min_severity: str = "1",
        sort: str = "severity",
    ):
        user, csrf = current(request)
        if not user.can("signals:read"):
            return page(request, "login.html", {"user": None, "error": "Your role cannot read signals."}, 403)
        try:
            min_sev = max(1, min(10, int(min_severity)))
        except ValueError:
            min_sev = 1
        items = list_signals(request.app.state.ws.engine, status=None if status == "all" else status, limit=2000)
        items = [
            s
            for s in items
            if s["severity"] >= min_sev
            and (not category or category in s["categories"])
            and (not market or market.upper() in s["markets"])
        ]
        items.sort(key=SORTS.get(sort, SORTS["severity"]))
        tax = taxonomy_of(request)
        return page(
            request,
            "signals.html",
            {
                **base_ctx(request, user, csrf, "Signals"),
                "signals": items,
                "categories": list(tax.categories),
                "names": {k: c.name for k, c in tax.categories.items()},
                "can_write": user.can("cases:write"),
                "f": {
                    "status": status,
                    "category": category,
                    "market": market,
                    "min_severity": min_sev,
                    "sort": sort,
                },
            },
        )

    @app.get("/signals/{signal_id}", include_in_schema=False)
    def signal_page(request: Request, signal_id: int):
        from monitio.store.schema_collab import case_links

        user, csrf = current(request)
        found = list_signals(request.app.state.ws.engine, status=None, ids=[signal_id])
        if not found or not user.can("signals:read"):
            return back("/signals", "No such signal.")
        s = found[0]
        tax = taxonomy_of(request)
        cat = next((tax.categories[c] for c in s["categories"] if c in tax.categories), None)
        with request.app.state.ws.engine.connect() as conn:
            linked = (
                conn.execute(
                    select(case_links.c.case_id).where(
                        case_links.c.kind == "signal", case_links.c.ref_id == str(signal_id)
                    )
                )
                .scalars()
                .all()
            )
        return page(
            request,
            "signal.html",
            {
                **base_ctx(request, user, csrf, "Signals"),
                "s": s,
                "cases": linked,
                "can_write": user.can("cases:write"),
                "playbook": list(cat.playbook) if cat else [],
                "owner": cat.owner_team if cat else "",
                "curve_svg": Markup(curve_svg(s.get("curve") or [], window_start=s["window_start"], title=s["kind"])),
            },
        )

    @app.post("/signals/bulk-case", include_in_schema=False)
    async def bulk_case(request: Request):
        from monitio.cases import service as svc

        user, csrf = current(request)
        form = await request.form()
        check_csrf(csrf, form.get("csrf_token"))
        ids = [int(v) for v in form.getlist("signal_id") if str(v).isdigit()]
        if not user.can("cases:write") or not ids:
            return back("/signals", "Select at least one signal (and you need a role that can create cases).")
        tax = taxonomy_of(request)
        try:
            with request.app.state.ws.engine.begin() as conn:
                case_id = svc.case_from_signal(conn, ids[0], actor=user, taxonomy=tax)
                for extra in ids[1:]:
                    svc.merge(
                        conn,
                        case_id,
                        [svc.case_from_signal(conn, extra, actor=user, taxonomy=tax)],
                        actor=user,
                    )
        except svc.CaseError as exc:
            return back("/signals", str(exc))
        return back(f"/cases/{case_id}", f"Case #{case_id} created from {len(ids)} signal(s).")

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, q: str = ""):
        user, csrf = current(request)
        results, total, error = _search(request, user, q) if q else ([], 0, None)
        return page(
            request,
            "search.html",
            {
                **base_ctx(request, user, csrf, "Search"),
                "q": q,
                "results": results[:200],
                "total": total,
                "error": error,
            },
        )

    @app.get("/search/export", include_in_schema=False)
    def search_export(request: Request, q: str, format: str = "xlsx"):
        from monitio.reports.safe import safe_cell

        user, _ = current(request)
        results, _, error = _search(request, user, q, limit=100_000)
        if error:
            return back("/search?q=" + q, error)
        cols = [
            "published_at",
            "source",
            "source_id",
            "market",
            "lang",
            "sentiment",
            "categories",
            "text",
            "url",
        ]
        rows = [[safe_cell(", ".join(r[c]) if isinstance(r[c], list) else r[c]) for c in cols] for r in results]
        if format == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(cols)
            writer.writerows(rows)
            return Response(
                buf.getvalue().encode("utf-8-sig"),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="monitio-search.csv"'},
            )
        import xlsxwriter

        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        sheet = wb.add_worksheet("Search")
        sheet.write_string(0, 0, safe_cell(f"Query: {q}"))
        for j, col in enumerate(cols):
            sheet.write_string(1, j, col)
        for i, row in enumerate(rows, start=2):
            for j, value in enumerate(row):
                if isinstance(value, int | float):
                    sheet.write_number(i, j, value)
                else:
                    sheet.write_string(i, j, "" if value is None else str(value))
        sheet.autofilter(1, 0, max(1, len(rows) + 1), len(cols) - 1)
        sheet.freeze_panes(2, 0)
        wb.close()
        return Response(
            out.getvalue(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="monitio-search.xlsx"'},
        )

    @app.get("/briefs", include_in_schema=False)
    def briefs_page(request: Request):
        from monitio.api.routes_signals import BRIEF_ID, MEDIA

        user, csrf = current(request)
        root = request.app.state.ws.path / "briefs"
        ids = sorted((p.name for p in root.iterdir() if BRIEF_ID.match(p.name)), reverse=True) if root.exists() else []
        return page(
            request,
            "briefs.html",
            {
                **base_ctx(request, user, csrf, "Briefs"),
                "can_write": user.can("briefs:write"),
                "briefs": [{"id": b, "formats": {f: f"/briefs/{b}.{f}" for f in MEDIA}} for b in ids],
            },
        )

    @app.post("/briefs/generate", include_in_schema=False)
    def briefs_generate(request: Request, csrf_token: str = Form("")):
        from monitio.api.routes_signals import generate_brief
        from monitio.api.security import Caller

        user, csrf = current(request)
        check_csrf(csrf, csrf_token)
        if not user.can("briefs:write"):
            return back("/briefs", "Your role cannot generate briefs.")
        made = generate_brief(request, Caller(user, "session", csrf), top=10)
        return back("/briefs", f"Brief {made.id} generated.")

    @app.get("/briefs/{brief_id}.{fmt}", include_in_schema=False)
    def briefs_download(request: Request, brief_id: str, fmt: str):
        from monitio.api.routes_signals import download_brief
        from monitio.api.security import Caller

        user, csrf = current(request)
        return download_brief(brief_id, fmt, request, Caller(user, "session", csrf))

    from monitio.web.pages_narratives import register as register_narratives
    from monitio.web.pages_settings import register as register_settings

    register_settings(app)
    register_narratives(app)


def _search(request: Request, user, q: str, limit: int = 5000):
    """Posts matching `q` as dicts (at most `limit`), the total, and an error message or None."""
    from monitio.api.errors import ApiError
    from monitio.api.routes_data import find_posts, post_json

    if not user.can("posts:read"):
        return [], 0, "Your role cannot search posts."
    try:
        rows, total = find_posts(request.app.state.ws.engine, q=q, limit=limit)
    except ApiError as exc:
        return [], 0, exc.message
    return [post_json(r) for r in rows], total, None

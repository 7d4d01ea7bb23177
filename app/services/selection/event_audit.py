"""活动稽核 — load an event's rows and run the pure auditor (app.domain.selection_audit) over them."""
from __future__ import annotations

import uuid

from sqlalchemy import or_, select

from app.db import Database
from app.domain import selection_audit
from app.services.selection import stock
from models import (
    Buyer,
    Commission,
    DocumentReview,
    DocumentSeries,
    Flat,
    FlatHold,
    Project,
    SelectionDocument,
)


def audit_project(db: Database, *, project_id: uuid.UUID) -> list[str]:
    """Every finding of one project's selection event; [] when everything adds up."""
    d, f = SelectionDocument.__table__, Flat.__table__
    with db.read() as s:
        conn = s.connection()
        docs = [dict(r) for r in conn.execute(select(d).where(d.c.project_id == project_id)).mappings()]
        flats = [{"id": r.id, "status": r.status, "label": stock.flat_label(r.building, r.entrance, r.room)}
                 for r in conn.execute(select(f).where(f.c.project_id == project_id))]
        holds = [dict(r) for r in conn.execute(
            select(FlatHold.__table__).join(f, f.c.id == FlatHold.__table__.c.flat_id)
            .where(f.c.project_id == project_id)).mappings()]
        series = [dict(r) for r in conn.execute(select(DocumentSeries.__table__)
                                                .where(DocumentSeries.project_id == project_id)).mappings()]
        reviews = {r.document_id: {"reviewer": r.reviewer, "reviewer_id": r.reviewer_id}
                   for r in conn.execute(select(DocumentReview.__table__).join(d, d.c.id == DocumentReview.document_id)
                                         .where(d.c.project_id == project_id))}
        names = dict(conn.execute(select(Buyer.id, Buyer.name).join(Commission, Commission.id == Buyer.commission_id)
                                  .where(Commission.project_id == project_id)).all())
    return selection_audit.audit(documents=docs, holds=holds, flats=flats, series=series, buyers=names,
                                 reviews=reviews)


def find_projects(db: Database, text: str) -> list[tuple[uuid.UUID, str]]:
    """Projects whose code or name is exactly `text` (the CLI's argument)."""
    with db.read() as s:
        return list(s.execute(select(Project.id, Project.name)
                              .where(or_(Project.code == text.strip(), Project.name == text.strip()))).all())


def audit_all(db: Database) -> dict[str, list[str]]:
    """Findings of every project on the database, by project name (tests run this after each selection test)."""
    with db.read() as s:
        projects = s.execute(select(Project.id, Project.name)).all()
    return {name: audit_project(db, project_id=pid) for pid, name in projects}

"""Where customers are and who visits which area (客户坐标 / 拜访区域, DOMAIN.md §4).

An area is a set of places — districts, or whole cities — named by their 6-digit division codes. A place
belongs to at most one area: the primary key of visit_area_place is the place code, so two areas can
never both hold the same district, and the service refuses a city whose districts another area holds
(or a district of a city another area holds whole), naming the clash. Boundaries are therefore the
districts' own boundaries: clear, and without overlap by construction.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow, uuid_pk


class CustomerLocation(Base):
    """客户坐标 — entered by hand, or the centre of the district (or city) the address names."""

    __tablename__ = "customer_location"
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))  # entered / district / city
    place_code: Mapped[str] = mapped_column(String(6), default="", index=True)  # the district the address names
    updated_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class VisitArea(Base):
    """拜访区域 — a named set of districts with the rep responsible for visiting it."""

    __tablename__ = "visit_area"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(40), unique=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VisitAreaPlace(Base):
    """One district or city of an area; the place code is the key, so no place is in two areas."""

    __tablename__ = "visit_area_place"
    place_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit_area.id", ondelete="CASCADE"), index=True)

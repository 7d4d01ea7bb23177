"""Use-case services: keyword-only functions over a Database, returning plain DTOs (no ORM objects)."""

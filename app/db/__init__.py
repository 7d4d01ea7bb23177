"""Database access: engine creation, migrations, sessions and transactions."""
from app.db.engine import DatabaseError, make_engine
from app.db.session import Database

__all__ = ["Database", "DatabaseError", "make_engine"]

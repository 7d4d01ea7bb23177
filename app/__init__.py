"""KeDesk (客台) application core: configuration, database, services and domain rules. Qt-free."""
__version__ = "0.1.0"

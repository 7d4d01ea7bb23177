"""Offline field laptops (离线外出): check-out, journal, push, pull, conflicts, encryption at rest.

See docs/offline.md for the design. The laptop keeps an encrypted SQLite replica (crypto) of the
customers its user may read (checkout); triggers journal every local change as an operation (journal);
sync pushes the operations to the central database (push), then pulls central changes (pull).
"""

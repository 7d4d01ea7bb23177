"""Pure domain rules: no database, no Qt; every function testable on plain values."""

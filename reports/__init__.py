"""Printed documents (reportlab PDF) and Excel files: plain data in, bytes or files out."""

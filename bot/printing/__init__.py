"""Printable documents (PDF) for neighbours who are not online."""

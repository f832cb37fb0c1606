"""Unit layer: pure logic, no database."""

"""Xueshi question bank: versioned questions per course, import/export, attempts and statistics."""

"""Xueshi access control: one device at a time, the sign-in audit and suspicious-IP statistics."""

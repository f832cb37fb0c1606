"""Tutor plugin that deploys Open edX with Xueshi (学时) included."""

"""Notifications by email, SMS and WeChat: learners' choices, templates, a send log."""

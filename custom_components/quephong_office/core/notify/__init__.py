"""Reminders: message templates and delivery channels (email; Zalo to come)."""

"""The flow widgets the desk panel and the kiosk both show: start list, step, cards, details."""

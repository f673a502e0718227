"""The branch kiosk: full screen, touch first, locked down, resets itself."""

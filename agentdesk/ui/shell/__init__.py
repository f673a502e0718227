"""What every surface shares: start-up, the theme, common widgets, the pack watcher."""

"""Managing installed packs from the app: install, update, roll back."""

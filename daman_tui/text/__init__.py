"""Text for people: the UI string catalogues and the Arabic display pipeline."""

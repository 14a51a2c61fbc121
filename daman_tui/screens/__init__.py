"""Textual screens: UI only; they call services in workers."""

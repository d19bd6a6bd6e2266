"""Presentation shared by the interfaces (CLI, REST API, Python session): charts and the HTML
report. Draws and lays out what the services computed; no economics here."""

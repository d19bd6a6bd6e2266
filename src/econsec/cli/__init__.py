"""Command-line interface (typer + rich). Thin: parses options, calls services, renders."""

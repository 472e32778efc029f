"""The client record: its schema (the one source of truth), YAML I/O and the project's errors.

Nothing here imports from the layers above (coaching, workbook, batch, app, cli).
"""

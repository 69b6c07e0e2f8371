"""The dashboard's building blocks: connection, selection, data preparation, figures and layout helpers."""

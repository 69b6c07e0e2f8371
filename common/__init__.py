"""Small shared pieces used by loaders, indicators, pages and reports."""

"""Loaders: the one way data gets into the store (CBS StatLine files and the municipality's own exports)."""

from loaders.demo import build_demo
from loaders.pipeline import check_file, detect_kind, load_file
from loaders.registry import KIND_NAMES as KINDS
from loaders.report import FileRefused, LoadOptions, LoadReport, Problem

__all__ = [
    "KINDS", "FileRefused", "LoadOptions", "LoadReport", "Problem", "build_demo", "check_file", "detect_kind",
    "load_file",
]

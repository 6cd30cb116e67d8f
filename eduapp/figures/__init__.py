"""Figures: images checked by content, stored once by SHA-256, served immutable.

``store()`` is the one way in: the course importer calls it, and the studio's uploads will.
"""

from .inspect import MAX_BYTES, MAX_SIDE, FigureError, FigureInfo, inspect
from .services import store

__all__ = ["MAX_BYTES", "MAX_SIDE", "FigureError", "FigureInfo", "inspect", "store"]

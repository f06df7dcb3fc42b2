"""Where the project's data directories are: the ontology, the named and page queries, the bundled corpus.

They are installed beside the ``graph`` package (in the source tree and in site-packages
alike), so they are found relative to it, whatever the install mode.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


class DataDir(StrEnum):
    ONTOLOGY = "ontology"
    ALIGNMENTS = "ontology/alignments"
    QUERIES = "queries"
    PAGE_QUERIES = "queries/pages"
    EXAMPLE_QUERIES = "queries/examples"
    QUALITY_CHECKS = "queries/qc"
    CORPUS = "corpus"
    WEB = "graph/web"
    """The pages' templates (``templates/``) and the files served as they are (``static/``)."""


def data_dir(which: DataDir) -> Path:
    """The directory holding one kind of project data."""
    return _ROOT / which.value

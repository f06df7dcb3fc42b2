"""Stores: where a built graph lives and how it is read, updated and replaced.

- :mod:`graph.store.base`: the configuration (:class:`StoreConfig`), the :class:`Store`
  interface every command uses, and :class:`Staging` (a whole new graph, committed or discarded);
- :mod:`graph.store.embedded`: a directory on this machine (pyoxigraph generations), the default;
- :mod:`graph.store.remote`: a SPARQL 1.1 server (Oxigraph server, Virtuoso).

:func:`open_store` picks one from the configuration, so every command works unchanged on either.
"""

from __future__ import annotations

from .base import (
    ENV_GSP_URL,
    ENV_STORE,
    ENV_UPDATE_URL,
    ProgressCallback,
    Staging,
    Store,
    StoreConfig,
    default_store_path,
)
from .embedded import EmbeddedStore, Generation
from .remote import RemoteStore, require_update_url

__all__ = [
    "ENV_GSP_URL",
    "ENV_STORE",
    "ENV_UPDATE_URL",
    "EmbeddedStore",
    "Generation",
    "ProgressCallback",
    "RemoteStore",
    "Staging",
    "Store",
    "StoreConfig",
    "default_store_path",
    "open_store",
    "require_update_url",
]


def open_store(config: StoreConfig) -> Store:
    """The store a configuration names: remote for an http(s) URL, else embedded."""
    if config.is_remote:
        return RemoteStore(config)
    return EmbeddedStore(config)

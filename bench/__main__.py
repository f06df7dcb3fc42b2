"""``python -m bench``: the build at scale (see :mod:`bench.scale`)."""

from bench.scale import main

main()

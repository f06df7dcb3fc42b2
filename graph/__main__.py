"""``python -m graph`` runs the adcs-kg command line."""

from graph.cli import main

main()

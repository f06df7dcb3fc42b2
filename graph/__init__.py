"""adcs-kg: build, store, reason over, validate, query and serve the children's-services policy graph."""

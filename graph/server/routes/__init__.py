"""The route families of the server, one ``APIRouter`` (``router``) each, included by ``create_app``."""

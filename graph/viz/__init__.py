"""Pictures of the graph, for the ``adcs-kg viz`` commands and the endpoint's pages.

- :mod:`graph.viz.network`: the network projection of the graph, its reduction, analytics and exports;
- :mod:`graph.viz.page`: the network drawn as one self-contained HTML page;
- :mod:`graph.viz.charts`: the officer timeline and a measure across reports (matplotlib).

The names the endpoint draws with are importable from here.
"""

from .charts import ChartFormat, measure_chart, officers_chart
from .page import neighbourhood_html

__all__ = ["ChartFormat", "measure_chart", "neighbourhood_html", "officers_chart"]

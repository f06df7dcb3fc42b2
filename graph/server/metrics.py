"""Request and query counters, exposed at ``/metrics`` in the Prometheus text format."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class Metrics:
    """Counters exposed at ``/metrics`` in the Prometheus text format."""

    requests: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    latency_buckets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * len(_BUCKETS)))
    latency_sum: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    latency_count: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    timeouts: int = 0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        buckets = self.latency_buckets[route]
        for index, bound in enumerate(_BUCKETS):
            if seconds <= bound:
                buckets[index] += 1
        self.latency_sum[route] += seconds
        self.latency_count[route] += 1

    def render(self) -> str:
        lines = [
            "# HELP adcs_kg_requests_total HTTP requests by method, route and status.",
            "# TYPE adcs_kg_requests_total counter",
        ]
        for (method, route, status), n in sorted(self.requests.items()):
            lines.append(f'adcs_kg_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}')
        lines += [
            "# HELP adcs_kg_request_seconds Request latency by route.",
            "# TYPE adcs_kg_request_seconds histogram",
        ]
        for route, buckets in sorted(self.latency_buckets.items()):
            for bound, n in zip(_BUCKETS, buckets, strict=True):
                lines.append(f'adcs_kg_request_seconds_bucket{{route="{route}",le="{bound}"}} {n}')
            lines.append(f'adcs_kg_request_seconds_bucket{{route="{route}",le="+Inf"}} {self.latency_count[route]}')
            lines.append(f'adcs_kg_request_seconds_sum{{route="{route}"}} {self.latency_sum[route]:.6f}')
            lines.append(f'adcs_kg_request_seconds_count{{route="{route}"}} {self.latency_count[route]}')
        lines += [
            "# HELP adcs_kg_query_errors_total Queries that failed, by reason.",
            "# TYPE adcs_kg_query_errors_total counter",
        ]
        lines += [f'adcs_kg_query_errors_total{{reason="{k}"}} {n}' for k, n in sorted(self.errors.items())]
        lines += [
            "# HELP adcs_kg_query_timeouts_total Queries stopped for running over the time limit.",
            "# TYPE adcs_kg_query_timeouts_total counter",
            f"adcs_kg_query_timeouts_total {self.timeouts}",
        ]
        return "\n".join(lines) + "\n"

"""metta-dash: Datadog dashboards as code."""

__version__ = "0.1.0"

"""metta-dash: Datadog dashboards as code."""

# Semantic versioning; CHANGELOG.md says what each version changed.
__version__ = "0.2.0"

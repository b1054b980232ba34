"""Test support: a local emulator of the Datadog v1 Dashboards API (`python -m metta_dash.testing`)."""

from metta_dash.testing.emulator import Emulator, Fault, RecordedRequest
from metta_dash.testing.server_checks import Rejected, check_dashboard

__all__ = ["Emulator", "Fault", "RecordedRequest", "Rejected", "check_dashboard"]

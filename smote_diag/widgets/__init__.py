"""The interactive face: an ipywidgets dashboard over a DiagnosisSession."""

from ._dashboard import VIEWS, Dashboard, dashboard, resampled_table

__all__ = ["VIEWS", "Dashboard", "dashboard", "resampled_table"]

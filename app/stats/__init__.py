"""Statistics of the cultivation work, the annual work-summary report, and alerts."""

"""District indicators from the statistics bureau, and the yearly targets the bureau is assessed on."""

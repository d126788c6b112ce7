"""What the record kinds of the annual summary share: one service and one route builder for archivable records."""

"""Industry–university cooperation agreements (产学研合作协议)."""

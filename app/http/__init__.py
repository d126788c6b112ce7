"""HTTP pieces shared by every router: pagination, sorting, ETags, response helpers."""

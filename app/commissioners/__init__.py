"""Science and technology commissioners (科技特派员) and the services they render."""

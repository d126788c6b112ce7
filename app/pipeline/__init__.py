"""The cultivation pipeline: programs declared as data, applications, transitions, derived alerts."""

"""Province-scale statistics benchmark (issue 20): drill-down and export against seeded roll-ups."""

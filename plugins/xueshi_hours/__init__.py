"""Study hours: rule sets per region and category, course hours, hour accounts, the learning archive."""

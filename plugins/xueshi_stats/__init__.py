"""Regional statistics: roll-ups, supervisor figures, queries and exports."""

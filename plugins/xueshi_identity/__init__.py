"""Real-name identity (实名制) of learners: profile, ID validation, regions, categories, bulk import."""

"""Learner services: the portal, course ratings, questionnaires, Q&A and complaints, My study."""

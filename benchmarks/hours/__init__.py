"""The hour-account benchmark: one learner with a year of ledger rows, the account computed on demand."""

"""The whole learner path under load (issue 23): sign-in to exam, per page and per API."""

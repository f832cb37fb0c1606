"""The ``xueshi_practice`` XBlock: practice and timed mock exams drawn from the question bank."""

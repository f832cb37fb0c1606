"""The ``xueshi_questionnaire`` XBlock: a questionnaire of ``xueshi_services`` answered in a course unit."""

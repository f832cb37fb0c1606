"""The ``xueshi_questionnaire`` XBlock: a questionnaire of ``xueshi_services`` answered inside a course unit."""

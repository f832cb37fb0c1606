"""Face checks (人脸核验) for Xueshi.

Enrolment of a learner's registered photo, checks at sign-in and at random times during study,
pluggable engines (local dlib, Tencent Cloud, Alibaba Cloud), kept records.
"""

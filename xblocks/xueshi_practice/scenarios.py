"""Demo units for the sandbox course: a practice set and a mock exam on the demo bank.

The demo bank (``xueshi_questionbank.demo``, imported by ``xueshi_questionbank_demo``) holds
questions for 电工, 焊工, 安全生产 and 会计.
"""

from __future__ import annotations

SCENARIOS: tuple[tuple[str, str], ...] = (
    (
        "练习：电工安全用电",
        '<xueshi_practice url_name="practice_electrician" display_name="练习：电工安全用电" mode="practice"'
        ' trades=\'["电工"]\' question_count="5"/>',
    ),
    (
        "模拟考试：安全生产",
        '<xueshi_practice url_name="exam_safety" display_name="模拟考试：安全生产" mode="exam"'
        ' trades=\'["安全生产"]\' question_count="10" time_limit_minutes="20" pass_percent="60"'
        ' max_attempts="3"/>',
    ),
)

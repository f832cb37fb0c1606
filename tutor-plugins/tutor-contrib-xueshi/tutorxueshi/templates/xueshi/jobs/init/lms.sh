# Xueshi (学时) initialisation, run by `tutor local|k8s do init` after Tutor's own
# LMS init (migrations). Both commands are idempotent: safe on every launch.
./manage.py lms xueshi_init
{% if XUESHI_DEMO_DATA %}
./manage.py lms xueshi_demo
{% else %}
echo "Xueshi demo data not loaded (XUESHI_DEMO_DATA is false)"
{% endif %}

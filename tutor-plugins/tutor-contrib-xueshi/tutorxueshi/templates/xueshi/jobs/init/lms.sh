# Xueshi (学时) initialisation, run by `tutor local|k8s do init` after Tutor's own
# LMS init (migrations). Both commands are idempotent: safe on every launch.
./manage.py lms xueshi_init
{% if XUESHI_DEMO_DATA %}
# Tutor's LMS always runs the production settings layer, where xueshi_demo refuses to seed logins
# with a published password; XUESHI_DEMO_DATA=true is the operator's explicit demo opt-in.
echo "Xueshi demo data: seeding demo logins with a published password (XUESHI_DEMO_DATA is true)"
./manage.py lms xueshi_demo --force
{% else %}
echo "Xueshi demo data not loaded (XUESHI_DEMO_DATA is false)"
{% endif %}
{% if XUESHI_PREVIEWS %}
# Previews (试听, ADR 0321): runs whose visibility is 'public' may be seen without enrolment.
./manage.py lms waffle_flag --create --everyone {{ xueshi_preview_flag }}
{% endif %}

#!/usr/bin/env bash
# Print the path of a working Python 3.12 (Open edX Verawood's Python), or fail with advice.
# pyenv's shim may exist without 3.12 being active, so every candidate is actually run.
for candidate in "${PYTHON:-}" python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
                 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1; then
    command -v "$candidate" || echo "$candidate"
    exit 0
  fi
done
echo "Python 3.12 not found: install it (pyenv install 3.12, or your distribution's python3.12)" >&2
exit 1

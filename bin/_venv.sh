# Shared by bin/dev and bin/test: make .venv with Python 3.11 and install a requirements file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Dealsite needs Python 3.11; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
install_requirements() {
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
}

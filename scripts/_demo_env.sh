# Sourced by scripts/develop and scripts/e2e (after _lanes.sh, with PY set): installs what the
# demo's integrations need beyond the test environment (the frontend above all).
if ! "$PY" -c 'import hass_frontend' 2>/dev/null; then
  echo "installing Home Assistant's frontend and the demo's integrations' requirements"
  "$PY" - > .venv/demo-requirements.txt <<'PY'
import json, pathlib, homeassistant
base = pathlib.Path(homeassistant.__file__).parent / "components"
todo = ["frontend", "config", "http", "recorder", "history", "logbook", "camera", "stream",
        "media_source", "system_health", "mobile_app", "person", "onboarding", "lovelace"]
seen, reqs = set(), []
while todo:
    name = todo.pop()
    if name in seen or not (base / name / "manifest.json").exists():
        continue
    seen.add(name)
    manifest = json.loads((base / name / "manifest.json").read_text())
    reqs += manifest.get("requirements", [])
    todo += manifest.get("dependencies", []) + manifest.get("after_dependencies", [])
print("\n".join(sorted(set(reqs))))
PY
  "$PY" -m pip install -q --disable-pip-version-check -c .venv/ha-constraints.txt \
    -r .venv/demo-requirements.txt 2>&1 | grep -v '^WARNING: Location' || true
fi


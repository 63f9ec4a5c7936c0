# Shared by scripts/setup, scripts/test, scripts/lint and scripts/develop (sourced, not run).
# A lane is one Home Assistant version on one Python: see requirements/lanes.txt.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LANES_FILE="$ROOT/requirements/lanes.txt"

lanes() { grep -v '^#' "$LANES_FILE" | awk 'NF {print $1}'; }
lane_field() { grep -v '^#' "$LANES_FILE" | awk -v l="$1" -v f="$2" '$1 == l {print $f}'; }
lane_venv() { echo "$ROOT/.venv-$1"; }
newest_lane() { lanes | tail -n 1; }

# Print the interpreter for a lane, or print why not to stderr and fail.
lane_python() {
  local want; want="$(lane_field "$1" 2)"
  case "$want" in
    3.13.0)
      local root; root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
      local py="$root/versions/3.13.0/bin/python3.13"
      if [ -x "$py" ]; then echo "$py"; return 0; fi
      if command -v python3.13 >/dev/null && python3.13 -c 'import sys; sys.exit(sys.version_info[:3] != (3, 13, 0) and sys.version_info[:2] != (3, 13))'; then
        command -v python3.13; return 0
      fi
      echo "Python 3.13 not found (pyenv 3.13.0 or python3.13 on PATH)" >&2; return 1 ;;
    3.14)
      local cand
      for cand in "${QUEPHONG_PYTHON314:-}" "$(command -v python3.14 2>/dev/null)"; do
        if [ -n "$cand" ] && [ -x "$cand" ] && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 14, 2))'; then
          echo "$cand"; return 0
        fi
      done
      local boot="$ROOT/../shared/tools/bootstrap-python314"
      if [ -x "$boot" ]; then
        local out; if out="$("$boot" 2>/dev/null | tail -n 1)" && [ -x "$out" ]; then echo "$out"; return 0; fi
        echo "bootstrap-python314 could not provide Python 3.14" >&2; return 1
      fi
      echo "Python >= 3.14.2 not found (python3.14 on PATH, QUEPHONG_PYTHON314, or ../shared/tools/bootstrap-python314)" >&2
      return 1 ;;
  esac
  echo "unknown lane $1" >&2; return 1
}

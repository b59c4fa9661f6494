# Sourced by ./bantam and .ci/run: selects a JDK 25 (or newer) and quiets Maven's own JDK 25 warnings.
_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/java" || "$(_java_major "$JAVA_HOME")" -lt 25 ]]; then
  JAVA_HOME=""
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [[ -x "$d/bin/javac" ]] && [[ "$(_java_major "$d")" -ge 25 ]]; then JAVA_HOME="$d"; break; fi
  done
  if [[ -z "$JAVA_HOME" ]]; then
    echo "bantam: needs a JDK 25; none found in JAVA_HOME or /usr/lib/jvm" >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

# Shared by the bench/ scripts (sourced, not run): the jar, a fresh database, and dropping it again.
# Expects ROOT (the project root) and a log() function.

# Sets JAR to Herald's jar, building it first when it is missing or older than a source file.
bench_jar() {
  JAR="$(ls "$ROOT"/target/herald-*.jar 2>/dev/null | grep -v original | head -1 || true)"
  if [[ -z "$JAR" || -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]]; then
    log "building the jar..."
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
    JAR="$(ls "$ROOT"/target/herald-*.jar | grep -v original | head -1)"
  fi
}

# bench_fresh_db DB NAME H2_DIR: creates database NAME on PostgreSQL/MariaDB on 127.0.0.1 (or names an H2 file in
# H2_DIR) and sets DB_URL and DB_USER (the password is empty everywhere).
bench_fresh_db() {
  local db=$1 name=$2 h2_dir=$3
  case "$db" in
    h2) DB_URL="jdbc:h2:file:$h2_dir/h2${H2_SETTINGS:+;$H2_SETTINGS}"; DB_USER=sa ;;
    postgres)
      psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $name" >/dev/null
      DB_URL="jdbc:postgresql://127.0.0.1:5432/$name"; DB_USER=postgres ;;
    mariadb)
      mariadb -h 127.0.0.1 -u root -e "CREATE DATABASE $name"
      DB_URL="jdbc:mariadb://127.0.0.1:3306/$name"; DB_USER=root ;;
    *) echo "--db must be h2, postgres or mariadb" >&2; exit 2 ;;
  esac
}

# bench_drop_db DB NAME: drops what bench_fresh_db created (an H2 file stays with the run's output).
bench_drop_db() {
  case "$1" in
    postgres) psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $2" >/dev/null 2>&1 || true ;;
    mariadb) mariadb -h 127.0.0.1 -u root -e "DROP DATABASE IF EXISTS $2" >/dev/null 2>&1 || true ;;
  esac
}

# Prints where a JFR recording's CPU samples went: the top frames, then by package (any frame on the stack).
bench_print_profile() {
  local jfr_file=$1
  jfr print --events jdk.ExecutionSample "$jfr_file" | awk '
    /stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++; n++ }
    END { for (f in top) printf "%6.1f%%  %s\n", 100 * top[f] / n, f }' | sort -rn | head -25 >&2 || true
  log "by package (any frame on the stack):"
  jfr print --events jdk.ExecutionSample "$jfr_file" | awk '
    /stackTrace = \[/ { inside = 1; delete seen; n++; next }
    inside && /^[ \t]*\]/ { inside = 0; next }
    inside { sub(/^[ \t]+/, ""); split($0, p, "."); key = p[1] "." p[2] "." p[3];
             if (!(key in seen)) { seen[key] = 1; pk[key]++ } }
    END { for (k in pk) printf "%6.1f%%  %s\n", 100 * pk[k] / n, k }' | sort -rn | head -15 >&2 || true
}

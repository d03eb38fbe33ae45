# Sourced by run.sh before notifications.e2e.mjs (with $run, the suite's folder): a D-Bus
# session bus and dunst, a real notification server, on the suite's display. The app inherits
# DBUS_SESSION_BUS_ADDRESS; suite_teardown stops both after the suite.
mkdir -p "$run/dunst"
cat >"$run/dunst/dunstrc" <<'CONF'
[global]
    history_length = 100
    sort = no
    idle_threshold = 0
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
CONF
{ read -r SUITE_DBUS_ADDRESS; read -r SUITE_DBUS_PID; } < <(dbus-daemon --session --fork --print-address=1 --print-pid=1)
export DBUS_SESSION_BUS_ADDRESS="$SUITE_DBUS_ADDRESS"
PIDS+=("$SUITE_DBUS_PID")
dunst -config "$run/dunst/dunstrc" >"$run/dunst.log" 2>&1 &
SUITE_DUNST_PID=$!
PIDS+=("$SUITE_DUNST_PID")
for _ in $(seq 1 100); do dunstctl count displayed >/dev/null 2>&1 && break; sleep 0.1; done
suite_teardown() {
  kill "$SUITE_DUNST_PID" "$SUITE_DBUS_PID" 2>/dev/null || true
  unset DBUS_SESSION_BUS_ADDRESS
}

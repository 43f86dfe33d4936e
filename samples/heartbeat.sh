#!/bin/sh
# A tiny fork-mode worker for ecosystem.toml.example: one timestamped line every 5 seconds,
# and a clean exit on SIGTERM/SIGINT so `pmx stop` never has to escalate to SIGKILL.
now() { date '+%Y-%m-%dT%H:%M:%S%z'; }

sleeper=""
stop() {
  echo "$(now) heartbeat: got $1, exiting"
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  exit 0
}
trap 'stop SIGTERM' TERM
trap 'stop SIGINT' INT

echo "$(now) heartbeat: started (pid $$)"
while :; do
  echo "$(now) heartbeat: alive"
  # Sleep in the background and wait for it: a trapped signal interrupts `wait` at once,
  # whereas a foreground `sleep` would delay the exit by up to 5 seconds.
  sleep 5 &
  sleeper=$!
  wait "$sleeper"
done

#!/bin/sh
# A tiny fork-mode worker for ecosystem.toml.example: one timestamped line every 5 seconds,
# and a clean exit on SIGTERM/SIGINT so `pmx stop` never has to escalate to SIGKILL.
stop() {
  echo "$(date '+%Y-%m-%dT%H:%M:%S%z') heartbeat: got $1, exiting"
  exit 0
}
trap 'stop SIGTERM' TERM
trap 'stop SIGINT' INT

echo "$(date '+%Y-%m-%dT%H:%M:%S%z') heartbeat: started (pid $$)"
while :; do
  echo "$(date '+%Y-%m-%dT%H:%M:%S%z') heartbeat: alive"
  # sleep in the background and wait for it: a trapped signal interrupts `wait` at once,
  # whereas a foreground `sleep` would delay the exit by up to 5 seconds.
  sleep 5 &
  wait $!
done

// The seed's express app with its bugs fixed, and a graceful stop that loses no request.
//
// Runs unchanged under pmx, PM2 (cluster mode) or plain `node server.js`:
//   - Listening: under pmx the socket is already bound and arrives as fd 3 (the systemd
//     socket-activation protocol: LISTEN_FDS=1), so the app listens on { fd: 3 } and never binds.
//     Otherwise it listens on PORT (default 8080) and HOST (default: every interface); PM2's
//     cluster mode needs exactly that, because its primary intercepts `listen(port)`.
//   - Readiness: `process.send('ready')` once listening, when an IPC channel exists (PM2's
//     `wait_ready`; pmx offers the same channel through NODE_CHANNEL_FD).
//   - Graceful stop (SIGINT is PM2's kill signal and pmx's when configured so; SIGTERM too):
//     1. every further response carries `Connection: close`, so keep-alive clients that send one
//        more request learn to reconnect elsewhere instead of reusing a socket about to close;
//     2. keep serving for DRAIN_MS (default 1000 ms, below kill_timeout) so busy keep-alive
//        clients receive that last response. Node >= 19's server.close() closes idle keep-alive
//        sockets at once, and a client that reuses one at that moment gets a reset;
//     3. then server.close(): stop accepting (only this process's copy of a shared listening
//        socket is closed) and exit once in-flight requests have finished.
//
// Routes: GET /          -> "hello world from pid <pid>"
//         GET /slow?ms=N -> the same after N ms (at most 60000)
'use strict';

const express = require('express');

const drainMs = Number(process.env.DRAIN_MS ?? 1000);
const app = express();
let isDraining = false;

app.use((req, res, next) => {
  if (isDraining) res.set('Connection', 'close');
  next();
});

app.get('/', (req, res) => {
  res.send(`hello world from pid ${process.pid}\n`);
});

app.get('/slow', (req, res) => {
  const ms = Math.min(Math.max(Number(req.query.ms) || 0, 0), 60000);
  setTimeout(() => res.send(`hello world from pid ${process.pid} after ${ms} ms\n`), ms);
});

// LISTEN_PID names the process the sockets are meant for; a child of this app must not take them.
const hasActivationSocket =
  process.env.LISTEN_FDS === '1' &&
  (!process.env.LISTEN_PID || Number(process.env.LISTEN_PID) === process.pid);
const where = hasActivationSocket
  ? { fd: 3 }
  : { port: Number(process.env.PORT || 8080), host: process.env.HOST || undefined };

const server = app.listen(where, () => {
  if (process.send) process.send('ready');
  console.log(`listening on ${hasActivationSocket ? 'fd 3' : `port ${where.port}`}, pid ${process.pid}`);
});

function stop(signal) {
  if (isDraining) return;
  isDraining = true;
  console.log(`${signal}: answering with Connection: close for ${drainMs} ms, then closing`);
  setTimeout(() => {
    server.close(() => {
      console.log('server closed; every request answered');
      process.exit(0);
    });
  }, drainMs);
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

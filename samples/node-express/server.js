// The benchmark's variant of the seed's app (app.js): the same graceful stop, plus the pid in every
// answer (so a load generator can tell workers apart) and a slow route. Nothing pmx-specific: it
// listens on PORT (default 8080) and HOST (default: every interface), and runs unchanged under pmx
// (whose Node preload serves that listen from the socket pmx owns), PM2's cluster mode, or plain node.
//   - Readiness: `process.send('ready')` once listening, when an IPC channel exists (wait_ready).
//   - Graceful stop (SIGINT, PM2's kill signal; SIGTERM too): Connection: close on every further
//     response, keep serving for DRAIN_MS (default 1000 ms, below kill_timeout), then
//     server.close() and exit once in-flight requests have finished (DESIGN §10).
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

const where = { port: Number(process.env.PORT || 8080), host: process.env.HOST || undefined };

const server = app.listen(where, () => {
  if (process.send) process.send('ready');
  console.log(`listening on port ${where.port}, pid ${process.pid}`);
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

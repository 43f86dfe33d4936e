// The seed's express app (DESIGN §11), with only its bugs fixed and nothing pmx-specific:
// - the server returned by app.listen is what closes (the seed called app.close, which express lacks);
// - process.send exists only when a manager opened an IPC channel (plain `node app.js` has none);
// - the graceful stop of DESIGN §10: after SIGINT every response says Connection: close, the
//   server keeps serving for DRAIN_MS (default 1000 ms, below kill_timeout) so busy keep-alive
//   clients get that last answer, then server.close() and exit once in-flight requests are done.
// PORT chooses the port (default 8080, as in the seed). Under pmx the listen(port) is served from
// the socket pmx owns for the app, so four instances share it and a reload drops no connection.
const express = require('express');
const app = express();
const port = Number(process.env.PORT) || 8080;
const drainMs = Number(process.env.DRAIN_MS ?? 1000);
let isDisableKeepAlive = false;

app.use((req, res, next) => {
  if (isDisableKeepAlive) {
    res.set('Connection', 'close');
  }
  next();
});

app.get('/', (req, res) => {
  res.send('hello world');
});

const server = app.listen(port, () => {
  if (process.send) process.send('ready');
  console.log('server start');
});

process.on('SIGINT', function () {
  if (isDisableKeepAlive) return;
  isDisableKeepAlive = true;
  setTimeout(() => {
    server.close(function () {
      console.log('server closed');
      process.exit(0);
    });
  }, drainMs);
});

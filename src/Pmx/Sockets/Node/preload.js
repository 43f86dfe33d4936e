'use strict';
// pmx's Node preload (DESIGN §11), loaded into every Node worker with NODE_OPTIONS --require.
// A TCP listen(port[, host]) becomes a listen on the socket the pmx daemon owns for this app,
// host and port, so N unchanged instances share one port and a reload never closes it.
// The daemon sends that socket over Node's own IPC channel, the way the cluster module shares
// handles: a NODE_HANDLE message of type net.Native carries the fd (SCM_RIGHTS).
// Port 0, unix socket paths, {fd}, handles and exclusive listens pass through untouched, and so
// does everything when there is no channel to pmx (a child of the worker, or node outside pmx).
(function pmxPreload() {
  if (typeof process.send !== 'function' || !process.env.PMX_APP) return;
  const net = require('net');
  const originalListen = net.Server.prototype.listen;
  const pending = new Map();
  let nextId = 1;
  let keepAlive = null;

  process.on('internalMessage', (message, handle) => {
    if (message === null || typeof message !== 'object' || message.cmd !== 'NODE_PMX_LISTEN') return;
    const reply = pending.get(message.id);
    if (!reply) {
      if (handle) handle.close();
      return;
    }
    pending.delete(message.id);
    // The channel does not keep the event loop alive; this timer does while a listen waits.
    if (pending.size === 0 && keepAlive !== null) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
    reply(message, handle);
  });

  // Windows has no signals for pmx to send: a graceful stop arrives on the channel, and becomes the
  // app's own handler for kill_signal, or PM2's 'shutdown' message for an app that only listens to
  // messages. An app with neither ends now, as the signal's default action would end it.
  process.on('internalMessage', (message) => {
    if (message === null || typeof message !== 'object' || message.cmd !== 'NODE_PMX_STOP') return;
    const signal = typeof message.signal === 'string' ? message.signal : 'SIGINT';
    if (process.listenerCount(signal) > 0) process.emit(signal, signal);
    else if (process.listenerCount('message') > 0) process.emit('message', 'shutdown');
    else process.exit(1);
  });

  function isPort(value) {
    if (typeof value === 'number') return Number.isInteger(value);
    return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value));
  }

  // Node's own argument forms: (port[, host][, backlog][, cb]) or (options[, cb]).
  function tcpListen(args) {
    const cb = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    const first = args[0];
    let port, host, backlog;
    if (first !== null && typeof first === 'object') {
      if (first.fd !== undefined || first.handle !== undefined || first._handle !== undefined) return null;
      if (first.path !== undefined || first.exclusive || first.reusePort || first.ipv6Only) return null;
      if (!isPort(first.port)) return null;
      port = Number(first.port);
      host = typeof first.host === 'string' ? first.host : undefined;
      backlog = first.backlog;
    } else {
      if (!isPort(first)) return null;
      port = Number(first);
      if (typeof args[1] === 'string') {
        host = args[1];
        if (typeof args[2] === 'number') backlog = args[2];
      } else if (typeof args[1] === 'number') {
        backlog = args[1];
      }
    }
    if (port <= 0 || port > 65535) return null;
    return { port, host, backlog, cb };
  }

  net.Server.prototype.listen = function pmxListen(...args) {
    const request = tcpListen(args);
    if (request === null) return originalListen.apply(this, args);
    const server = this;
    if (request.cb) server.once('listening', request.cb);
    const id = nextId++;
    pending.set(id, (message, handle) => {
      if (message.error) {
        const error = new Error(`listen ${message.code || 'EINVAL'}: ${message.error}`);
        error.code = message.code || 'EINVAL';
        error.errno = message.errno;
        error.syscall = 'listen';
        error.address = request.host || '::';
        error.port = request.port;
        server.emit('error', error);
      } else if (typeof message.fd === 'number') {
        originalListen.call(server, { fd: message.fd, backlog: request.backlog });
      } else if (handle) {
        originalListen.call(server, handle, request.backlog);
      } else {
        const error = new Error(`listen EINVAL: pmx sent no socket for port ${request.port}`);
        error.code = 'EINVAL';
        server.emit('error', error);
      }
    });
    if (keepAlive === null) keepAlive = setInterval(() => {}, 1 << 30);
    process.send({ cmd: 'pmx:listen', id, host: request.host === undefined ? null : request.host, port: request.port });
    return this;
  };
})();

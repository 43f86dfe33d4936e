#!/usr/bin/env node
// A closed-loop HTTP load generator that counts every failure by kind and keeps a timeline.
//
// Each lane sends one request, waits for the answer (or the failure), then sends the next, until
// the duration ends or the process gets SIGINT/SIGTERM. Then no new request starts; in-flight
// ones finish (bounded by the request timeout) and one JSON document goes to stdout.
//   node load.js --url http://127.0.0.1:8080/ [--lanes 8] [--keep-alive] [--duration-ms 60000]
//                [--timeout-ms 10000] [--slow-lanes 0 --slow-ms 2000] [--bucket-ms 100]
// Failure kinds: refused (ECONNREFUSED), reset (ECONNRESET while connecting or reading),
// hangup (the server closed the socket with no response: the keep-alive reuse race), timeout,
// http_<status> (a non-2xx answer), and the error code for anything else.
// No retries: an HTTP client that retries would hide exactly what this counts.
'use strict';

const http = require('node:http');

function parseArgs(argv) {
  const options = {
    url: 'http://127.0.0.1:8080/', lanes: 8, keepAlive: false, durationMs: 60000,
    timeoutMs: 10000, slowLanes: 0, slowMs: 2000, bucketMs: 100,
  };
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i];
    const value = () => argv[++i];
    switch (key) {
      case '--url': options.url = value(); break;
      case '--lanes': options.lanes = Number(value()); break;
      case '--keep-alive': options.keepAlive = true; break;
      case '--duration-ms': options.durationMs = Number(value()); break;
      case '--timeout-ms': options.timeoutMs = Number(value()); break;
      case '--slow-lanes': options.slowLanes = Number(value()); break;
      case '--slow-ms': options.slowMs = Number(value()); break;
      case '--bucket-ms': options.bucketMs = Number(value()); break;
      default: throw new Error(`load.js: unknown option ${key}`);
    }
  }
  const target = new URL(options.url);
  if (target.hostname !== '127.0.0.1') throw new Error('load.js: only 127.0.0.1 is a valid target');
  return options;
}

const options = parseArgs(process.argv);
const nowMs = () => performance.timeOrigin + performance.now();
const startMs = nowMs();
const agent = options.keepAlive
  ? new http.Agent({ keepAlive: true, maxSockets: options.lanes + options.slowLanes })
  : false;

const totals = { ok: 0, failed: 0, byKind: {}, slowOk: 0, slowFailed: 0 };
const buckets = [];        // index = floor((t - start) / bucketMs) -> { ok, fail }
const failures = [];       // first 5000 failures: { t (failed at), startedMs, kind, slow }
const firstSeenByPid = {}; // pid -> epoch ms of its first successful answer
const latenciesMs = [];    // fast lanes only
let lastOkMs = 0;
let longestGap = { ms: 0, fromMs: 0, toMs: 0 };
let isStopping = false;
let stopMs = null;
let inFlight = 0;

function bucket(t) {
  const index = Math.max(0, Math.floor((t - startMs) / options.bucketMs));
  while (buckets.length <= index) buckets.push({ ok: 0, fail: 0 });
  return buckets[index];
}

function recordOk(t, body, isSlow, latencyMs) {
  totals.ok++;
  if (isSlow) totals.slowOk++;
  else latenciesMs.push(latencyMs);
  bucket(t).ok++;
  // Only while every lane is still sending: once stopping, the fast lanes are idle by design.
  if (!isStopping) {
    if (lastOkMs && t - lastOkMs > longestGap.ms) longestGap = { ms: t - lastOkMs, fromMs: lastOkMs, toMs: t };
    lastOkMs = t;
  }
  const match = /from pid (\d+)/.exec(body);
  if (match && !(match[1] in firstSeenByPid)) firstSeenByPid[match[1]] = t;
}

function recordFailure(t, kind, isSlow, startedMs) {
  totals.failed++;
  if (isSlow) totals.slowFailed++;
  totals.byKind[kind] = (totals.byKind[kind] || 0) + 1;
  bucket(t).fail++;
  if (failures.length < 5000) failures.push({ t, startedMs, kind, slow: isSlow });
}

function kindOf(error) {
  if (error.code === 'ETIMEDOUT_BENCH') return 'timeout';
  if (error.code === 'ECONNREFUSED') return 'refused';
  if (error.code === 'ECONNRESET') return error.message === 'socket hang up' ? 'hangup' : 'reset';
  return error.code || error.message;
}

function requestOnce(path, isSlow) {
  return new Promise((resolve) => {
    const begin = nowMs();
    let isDone = false;
    const finish = (failureKind, body) => {
      if (isDone) return;
      isDone = true;
      const t = nowMs();
      if (failureKind) recordFailure(t, failureKind, isSlow, begin);
      else recordOk(t, body, isSlow, t - begin);
      resolve();
    };
    const request = http.get(options.url.replace(/\/$/, '') + path, { agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const isSuccess = response.statusCode >= 200 && response.statusCode < 300;
        finish(isSuccess ? null : `http_${response.statusCode}`, Buffer.concat(chunks).toString());
      });
      response.on('error', (error) => finish(kindOf(error)));
      response.on('aborted', () => finish('reset'));
    });
    request.setTimeout(options.timeoutMs, () => {
      const error = new Error('timeout');
      error.code = 'ETIMEDOUT_BENCH';
      request.destroy(error);
    });
    request.on('error', (error) => finish(kindOf(error)));
  });
}

async function lane(path, isSlow) {
  while (!isStopping) {
    inFlight++;
    await requestOnce(path, isSlow);
    inFlight--;
  }
}

function report() {
  latenciesMs.sort((a, b) => a - b);
  const at = (q) => (latenciesMs.length ? latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))] : null);
  const result = {
    options, startMs, stopMs, endMs: nowMs(),
    ok: totals.ok, failed: totals.failed, byKind: totals.byKind,
    slowOk: totals.slowOk, slowFailed: totals.slowFailed,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: latenciesMs[latenciesMs.length - 1] ?? null },
    longestGap, firstSeenByPid, failures, buckets,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

function stop() {
  if (isStopping) return;
  isStopping = true;
  stopMs = nowMs();
  const deadline = nowMs() + options.timeoutMs + 1000;
  const poll = setInterval(() => {
    if (inFlight === 0 || nowMs() > deadline) { clearInterval(poll); report(); }
  }, 20);
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setTimeout(stop, options.durationMs);
for (let i = 0; i < options.lanes; i++) lane('/', false);
for (let i = 0; i < options.slowLanes; i++) lane(`/slow?ms=${options.slowMs}`, true);
process.stderr.write('load: running\n');

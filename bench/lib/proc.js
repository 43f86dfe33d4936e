// Child processes, clocks, memory and HTTP probes shared by the scenarios.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const { spawn } = require('node:child_process');

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command, args, { env = process.env, timeoutMs = 60000, onLine } = {}) {
  return new Promise((resolve) => {
    const begin = nowMs();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      lines.forEach((line) => onLine(line, nowMs()));
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (onLine && pending) onLine(pending, nowMs());
      resolve({ code: code ?? 128, signal, stdout, stderr, ms: nowMs() - begin });
    });
  });
}

function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has exited; only its parent's wait is missing
  } catch { return false; }
}

// RSS from /proc/PID/status and PSS from /proc/PID/smaps_rollup, in KiB.
function memoryKiB(pid) {
  const read = (file, key) => {
    try {
      const match = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(`/proc/${pid}/${file}`, 'utf8'));
      return match ? Number(match[1]) : null;
    } catch { return null; }
  };
  return { rss: read('status', 'VmRSS'), pss: read('smaps_rollup', 'Pss') };
}

// One GET with a fresh connection: the pid that answered, or null.
function probe(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => {
        const match = /from pid (\d+)/.exec(body);
        resolve(response.statusCode === 200 && match ? Number(match[1]) : null);
      });
      response.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

// Polls until every pid in `pids` has answered a request, or the deadline passes.
// Bursts of concurrent requests, because with one shared socket the first idle worker to wake
// takes the connection, and a sequential client could keep meeting the same one.
async function untilEveryPidAnswers(port, pids, deadlineMs) {
  const seen = new Set();
  let firstAnswerMs = null;
  while (nowMs() < deadlineMs) {
    const answers = await Promise.all(Array.from({ length: 8 }, () => probe(port)));
    for (const pid of answers) {
      if (pid === null) continue;
      if (firstAnswerMs === null) firstAnswerMs = nowMs();
      seen.add(pid);
    }
    if (pids.length && pids.every((pid) => seen.has(pid))) return { isComplete: true, firstAnswerMs, seen };
    await sleep(10);
  }
  return { isComplete: false, firstAnswerMs, seen };
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

module.exports = { nowMs, sleep, run, isAlive, memoryKiB, probe, untilEveryPidAnswers, median };

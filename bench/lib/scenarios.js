// The measured scenarios. Each takes a manager (or a plain port) and returns raw numbers;
// bench.js decides the order, the repetitions and the medians.
'use strict';

const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { nowMs, sleep, run, isAlive, memoryKiB, untilEveryPidAnswers, median } = require('./proc');

const LOAD = path.join(__dirname, 'load.js');
const TIME_CMD = path.join(__dirname, 'time-cmd.sh');

async function untilOnline(manager, count, deadlineMs, name = 'web') {
  let rows = [];
  while (nowMs() < deadlineMs) {
    rows = (await manager.workers()).filter((r) => r.name === name);
    if (rows.length === count && rows.every((r) => r.status === 'online' && r.pid)) return rows;
    await sleep(count > 50 ? 200 : 50);
  }
  return null;
}

// Scenario 3: the manager starts (its daemon too) until every instance answers HTTP.
async function start(manager, file, port, instances) {
  const t0 = nowMs();
  const up = await manager.up(file);
  const cliMs = nowMs() - t0;
  const rows = await untilOnline(manager, instances, t0 + 30000);
  const onlineMs = nowMs() - t0;
  const answers = await untilEveryPidAnswers(port, (rows || []).map((r) => r.pid), t0 + 30000);
  return {
    upExitCode: up.code, cliMs, onlineMs: rows ? onlineMs : null,
    firstAnswerMs: answers.firstAnswerMs ? answers.firstAnswerMs - t0 : null,
    everyInstanceAnswersMs: answers.isComplete ? nowMs() - t0 : null,
    pids: (rows || []).map((r) => r.pid),
  };
}

// Scenario 2: the daemon's memory, and the workers' for context.
function memory(manager, workerPids) {
  const daemon = memoryKiB(manager.daemonPid());
  const workers = workerPids.map(memoryKiB);
  return { daemonRssKiB: daemon.rss, daemonPssKiB: daemon.pss, workersRssKiB: workers.reduce((s, m) => s + (m.rss || 0), 0) };
}

// Scenario 1 (and 7): wall time of a CLI command, microseconds per run.
function cliTimes(command, runs, env) {
  const result = spawnSync('bash', [TIME_CMD, String(runs), ...command], { env, encoding: 'utf8', timeout: 600000 });
  return result.stdout.trim().split('\n').filter(Boolean).map(Number);
}

function startLoad(port, { lanes = 8, isKeepAlive = false, slowLanes = 0, slowMs = 2000, durationMs = 60000 }) {
  const args = [LOAD, '--url', `http://127.0.0.1:${port}/`, '--lanes', String(lanes), '--duration-ms', String(durationMs)];
  if (isKeepAlive) args.push('--keep-alive');
  if (slowLanes) args.push('--slow-lanes', String(slowLanes), '--slow-ms', String(slowMs));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  const isRunning = new Promise((resolve) => child.stderr.once('data', resolve));
  const finished = new Promise((resolve) => child.on('close', () => resolve(stdout ? JSON.parse(stdout) : null)));
  return { child, isRunning, stop: () => { child.kill('SIGINT'); return finished; } };
}

// Scenario 4: a reload while the load generator runs. Timeline and failures are kept relative to
// the moment the reload command started.
async function reloadUnderLoad(manager, port, variant) {
  const load = startLoad(port, variant.load);
  await load.isRunning;
  await sleep(1500);
  const lines = [];
  const t0 = nowMs();
  const [command, args] = manager.reloadCommand();
  const reload = await run(command, args, {
    env: manager.env, timeoutMs: 120000,
    onLine: (line, t) => { const text = line.replace(/\x1b\[[0-9;]*m/g, '').trim(); if (text) lines.push({ atMs: Math.round(t - t0), text }); },
  });
  const t1 = nowMs();
  await sleep(variant.load.slowLanes ? 2500 : 1500);
  const result = await load.stop();
  const rows = await untilOnline(manager, 4, nowMs() + 20000);
  const bucketMs = result.options.bucketMs;
  const offsetMs = result.startMs - t0; // timeline bucket i starts at offsetMs + i*bucketMs after reload start
  return {
    variant: variant.key, reloadExitCode: reload.code, reloadMs: t1 - t0, reloadOutput: lines,
    ok: result.ok, okPerSecond: result.ok / ((result.stopMs - result.startMs) / 1000),
    failed: result.failed, byKind: result.byKind, slowOk: result.slowOk, slowFailed: result.slowFailed,
    longestGapMs: result.longestGap.ms,
    longestGapAtMs: [result.longestGap.fromMs - t0, result.longestGap.toMs - t0],
    failuresAtMs: result.failures.map((f) => ({ atMs: Math.round(f.t - t0), startedAtMs: Math.round(f.startedMs - t0), kind: f.kind, slow: f.slow })),
    timeline: { bucketMs, offsetMs, reloadEndMs: t1 - t0, ok: result.buckets.map((b) => b.ok), fail: result.buckets.map((b) => b.fail) },
    isBackToFourOnline: rows !== null,
  };
}

// Scenario 6: kill -9 one worker under load; the time until a new pid answers.
async function crash(manager, port) {
  const load = startLoad(port, { lanes: 8 });
  await load.isRunning;
  await sleep(1000);
  const before = await manager.workers();
  const victim = before.find((r) => r.name === 'web' && r.pid)?.pid;
  const beforePids = new Set(before.map((r) => String(r.pid)));
  const t0 = nowMs();
  process.kill(victim, 'SIGKILL');
  const rows = await untilOnline(manager, 4, t0 + 15000);
  const managerOnlineMs = rows && !rows.some((r) => r.pid === victim) ? nowMs() - t0 : null;
  await sleep(1500);
  const result = await load.stop();
  const newPids = Object.entries(result.firstSeenByPid).filter(([pid]) => !beforePids.has(pid));
  const firstNew = newPids.length ? Math.min(...newPids.map(([, t]) => t)) : null;
  return {
    victim, managerOnlineMs, replacementAnswersMs: firstNew ? firstNew - t0 : null,
    ok: result.ok, failed: result.failed, byKind: result.byKind, longestGapMs: result.longestGap.ms,
    failuresAtMs: result.failures.map((f) => ({ atMs: Math.round(f.t - t0), startedAtMs: Math.round(f.startedMs - t0), kind: f.kind })),
  };
}

// Scenario 5: wrk against a port. Keep-alive connections, as wrk always does.
async function throughput(port, { seconds = 4, connections = 32 } = {}) {
  // One unreported second first, so every target is measured with warmed-up (JIT-compiled) workers.
  await run('wrk', ['-t1', `-c${connections}`, '-d1s', `http://127.0.0.1:${port}/`], { timeoutMs: 20000 });
  const result = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/`], { timeoutMs: (seconds + 20) * 1000 });
  const text = result.stdout;
  const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
    return match ? toMs(match[1], match[2]) : null;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requestsPerSecond: rps ? Number(rps[1]) : null, p50Ms: percentile(50), p99Ms: percentile(99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socketErrors ? socketErrors.slice(1).reduce((s, v) => s + Number(v), 0) : 0,
    wrkExitCode: result.code, loadavg1: os.loadavg()[0],
  };
}

// Scenario 7: the manager alone with COUNT idle `sleep` processes.
async function idleScale(manager, count, listRuns) {
  const file = manager.writeIdleConfig(count);
  const t0 = nowMs();
  const up = await manager.up(file);
  const cliMs = nowMs() - t0;
  const rows = await untilOnline(manager, count, t0 + 240000, 'idle');
  const onlineMs = rows ? nowMs() - t0 : null;
  await sleep(1000);
  const daemon = memoryKiB(manager.daemonPid());
  const commands = manager.listCommands();
  const listUs = cliTimes(commands.list, listRuns, manager.env);
  const jsonUs = cliTimes(commands.json, listRuns, manager.env);
  const pids = (rows || []).map((r) => r.pid);
  const t1 = nowMs();
  const down = await manager.down();
  const downCliMs = nowMs() - t1;
  while (pids.some(isAlive) && nowMs() - t1 < 60000) await sleep(20);
  const allGoneMs = pids.some(isAlive) ? null : nowMs() - t1;
  return {
    count, upExitCode: up.code, upCliMs: cliMs, upOnlineMs: onlineMs, daemonRssKiB: daemon.rss, daemonPssKiB: daemon.pss,
    listMedianMs: median(listUs) / 1000, listJsonMedianMs: median(jsonUs) / 1000, listRuns,
    downExitCode: down.code, downCliMs, downAllGoneMs: allGoneMs,
  };
}

module.exports = { start, memory, cliTimes, reloadUnderLoad, crash, throughput, idleScale, untilOnline };

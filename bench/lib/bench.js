#!/usr/bin/env node
// Runs every scenario against pmx and PM2 with the same Node app and the same policy, alternating
// A/B order per repetition (pmx,PM2 / PM2,pmx / ...), and writes the raw numbers as JSON.
//   node bench/lib/bench.js OUT.json      (bench/run.sh sets the environment below)
// Environment: PMX_BIN, PM2_BIN, BENCH_PMX_HOME, BENCH_PM2_HOME, BENCH_APP, BENCH_REPS (default 3),
//              BENCH_SCALE_PMX ("1,10,100,500"), BENCH_SCALE_PM2 ("1,10,100").
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { spawn, spawnSync } = require('node:child_process');
const { nowMs, sleep, probe } = require('./proc');
const { Pmx, Pm2, webApp } = require('./managers');
const scenarios = require('./scenarios');

const outFile = process.argv[2];
const reps = Number(process.env.BENCH_REPS || 3);
const cliRunsPerRep = Math.ceil(21 / reps);
const appScript = process.env.BENCH_APP;
const pmx = new Pmx({ binary: process.env.PMX_BIN, home: process.env.BENCH_PMX_HOME });
const pm2 = new Pm2({ binary: process.env.PM2_BIN, home: process.env.BENCH_PM2_HOME });
const benchStart = nowMs();

const RELOAD_VARIANTS = [
  { key: 'fresh', title: 'new connection per request', load: { lanes: 8 } },
  { key: 'keepalive', title: 'keep-alive connections', load: { lanes: 8, isKeepAlive: true } },
  { key: 'slow', title: '2 s requests in flight (8 lanes of /slow?ms=2000 + 8 fast lanes)', load: { lanes: 8, slowLanes: 8, slowMs: 2000 } },
];

function progress(message) {
  const seconds = ((nowMs() - benchStart) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${seconds} s] ${message}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

const brief = (r) => `${r.failed} failed ${JSON.stringify(r.byKind)}, ${r.reloadMs ? `reload ${(r.reloadMs / 1000).toFixed(1)} s, ` : ''}longest gap ${Math.round(r.longestGapMs)} ms`;

// One repetition of scenarios 1-6 on one manager, from a cold daemon to `kill`.
async function managerSession(manager, rep) {
  const port = await freePort();
  const file = manager.writeWebConfig(webApp({ script: appScript, port, instances: 4 }));
  const session = { rep, port, loadavgAtStart: os.loadavg() };
  try {
    progress(`${manager.name} rep ${rep + 1}: start (4 instances, port ${port})`);
    session.start = await scenarios.start(manager, file, port, 4);
    if (session.start.everyInstanceAnswersMs === null) throw new Error(`${manager.name}: not every instance answered within 30 s`);
    progress(`${manager.name} rep ${rep + 1}:   every instance answers after ${Math.round(session.start.everyInstanceAnswersMs)} ms`);
    await sleep(1000);
    session.memory = scenarios.memory(manager, session.start.pids);
    const commands = manager.listCommands();
    session.cliUs = { list: scenarios.cliTimes(commands.list, cliRunsPerRep, manager.env), json: scenarios.cliTimes(commands.json, cliRunsPerRep, manager.env) };
    progress(`${manager.name} rep ${rep + 1}: throughput (wrk 4 s)`);
    session.throughput = await scenarios.throughput(port);
    session.reload = {};
    for (const variant of RELOAD_VARIANTS) {
      progress(`${manager.name} rep ${rep + 1}: reload under load, ${variant.title}`);
      session.reload[variant.key] = await scenarios.reloadUnderLoad(manager, port, variant);
      progress(`${manager.name} rep ${rep + 1}:   ${brief(session.reload[variant.key])}`);
    }
    progress(`${manager.name} rep ${rep + 1}: kill -9 one worker under load`);
    session.crash = await scenarios.crash(manager, port);
    progress(`${manager.name} rep ${rep + 1}:   replacement answers after ${Math.round(session.crash.replacementAnswersMs)} ms, ${session.crash.failed} failed ${JSON.stringify(session.crash.byKind)}`);
    if (manager === pmx) {
      session.workersThroughput = {};
      for (const count of [2, 1]) {
        progress(`pmx rep ${rep + 1}: scale to ${count}, throughput`);
        await manager.scale(count);
        await scenarios.untilOnline(manager, count, nowMs() + 20000);
        await sleep(200);
        session.workersThroughput[count] = await scenarios.throughput(port);
      }
    }
  } catch (error) {
    session.error = String(error.stack || error);
    progress(`${manager.name} rep ${rep + 1}: FAILED: ${error.message}`);
  } finally {
    await manager.kill();
  }
  return session;
}

// The baseline: one plain node process, no manager.
async function plainNodeThroughput() {
  const port = await freePort();
  const child = spawn(process.execPath, [appScript], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
  try {
    const deadline = nowMs() + 10000;
    while (nowMs() < deadline && (await probe(port)) === null) await sleep(20);
    return await scenarios.throughput(port);
  } finally {
    child.kill('SIGKILL');
  }
}

async function main() {
  const results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, kernel: os.release(), memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), loadavgAtStart: os.loadavg() },
    versions: {
      pmx: spawnSync(pmx.binary, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      pm2: spawnSync(process.execPath, [pm2.binary, '--version'], { encoding: 'utf8', env: pm2.env }).stdout.trim().split('\n').pop(),
      node: process.version,
      wrk: (spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout || '').split('\n')[0].trim(),
    },
    settings: { reps, cliRunsPerRep, instances: 4, killSignal: 'SIGINT', killTimeoutMs: 5000, listenTimeoutMs: 10000, drainMs: Number(process.env.DRAIN_MS || 1000), wrk: '-t1 -c32 -d4s', reloadVariants: RELOAD_VARIANTS },
    sessions: { pmx: [], pm2: [] }, plainNode: [], scale: { pmx: [], pm2: [] },
  };
  // `pm2 --version` spawns PM2's daemon; stop it so every start below is cold for both managers.
  await pm2.kill();
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? [pmx, pm2] : [pm2, pmx];
    for (const manager of order) results.sessions[manager === pmx ? 'pmx' : 'pm2'].push(await managerSession(manager, rep));
    progress(`plain node rep ${rep + 1}: throughput (wrk 4 s)`);
    results.plainNode.push(await plainNodeThroughput());
  }
  const pmxCounts = (process.env.BENCH_SCALE_PMX || '1,10,100,500').split(',').map(Number);
  const pm2Counts = new Set((process.env.BENCH_SCALE_PM2 || '1,10,100').split(',').map(Number));
  for (const [index, count] of pmxCounts.entries()) {
    const order = index % 2 === 0 ? [pmx, pm2] : [pm2, pmx];
    for (const manager of order) {
      const key = manager === pmx ? 'pmx' : 'pm2';
      if (key === 'pm2' && !pm2Counts.has(count)) continue;
      progress(`${manager.name}: ${count} idle processes`);
      try {
        const row = await scenarios.idleScale(manager, count, count >= 100 ? 5 : 10);
        results.scale[key].push(row);
        progress(`${manager.name}:   up ${Math.round(row.upOnlineMs)} ms, daemon RSS ${(row.daemonRssKiB / 1024).toFixed(1)} MB, list ${row.listMedianMs.toFixed(1)} ms, down ${Math.round(row.downCliMs)} ms`);
      } catch (error) {
        results.scale[key].push({ count, error: String(error.stack || error) });
        progress(`${manager.name}: ${count} idle processes FAILED: ${error.message}`);
      } finally {
        await manager.kill();
      }
    }
  }
  results.finishedAt = new Date().toISOString();
  results.durationS = Math.round((nowMs() - benchStart) / 1000);
  fs.writeFileSync(outFile, JSON.stringify(results, null, 1) + '\n');
  progress(`raw numbers written to ${outFile}`);
}

async function cleanUpAndExit(code) {
  await Promise.allSettled([pmx.kill(), pm2.kill()]);
  process.exit(code);
}

process.on('SIGINT', () => cleanUpAndExit(130));
process.on('SIGTERM', () => cleanUpAndExit(143));
main().then(() => cleanUpAndExit(0), (error) => { process.stderr.write(`bench: ${error.stack || error}\n`); cleanUpAndExit(1); });

// The two process managers behind one small interface, so every scenario runs the same steps
// against both: write a config, bring it up, list workers, reload, scale, stop, and clean up.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { run, isAlive, sleep } = require('./proc');

const WEB = 'web';

function webApp({ script, port, instances }) {
  // The same app and the same policy for both managers.
  return { name: WEB, script, port, instances, waitReady: true, listenTimeoutMs: 10000, killSignal: 'SIGINT', killTimeoutMs: 5000 };
}

class Pmx {
  constructor({ binary, home }) {
    this.name = 'pmx';
    this.binary = binary;
    this.home = home;
    this.env = { ...process.env, PMX_HOME: home };
    this.seenPids = new Set();
  }

  writeWebConfig(app) {
    const file = path.join(this.home, 'web.toml');
    fs.writeFileSync(file, [
      '[[apps]]', `name = "${app.name}"`, `script = "${app.script}"`, `instances = ${app.instances}`,
      'exec_mode = "cluster"', `port = ${app.port}`, 'host = "127.0.0.1"', `wait_ready = ${app.waitReady}`,
      `listen_timeout = ${app.listenTimeoutMs}`, `kill_signal = "${app.killSignal}"`,
      `kill_timeout = ${app.killTimeoutMs}`, '',
    ].join('\n'));
    return file;
  }

  writeIdleConfig(count) {
    const file = path.join(this.home, 'idle.toml');
    fs.writeFileSync(file, [
      '[[apps]]', 'name = "idle"', 'script = "sleep"', 'args = ["100000"]', 'interpreter = "none"',
      `instances = ${count}`, '',
    ].join('\n'));
    return file;
  }

  up(file) { return run(this.binary, ['up', '-c', file], { env: this.env, timeoutMs: 180000 }); }
  reloadCommand(name = WEB) { return [this.binary, ['reload', name]]; }
  scale(count, name = WEB) { return run(this.binary, ['scale', name, String(count)], { env: this.env, timeoutMs: 60000 }); }
  listCommands() { return { list: [this.binary, 'list'], json: [this.binary, 'list', '--json'] }; }
  down() { return run(this.binary, ['down'], { env: this.env, timeoutMs: 180000 }); }

  async workers() {
    const result = await run(this.binary, ['list', '--json'], { env: this.env, timeoutMs: 20000 });
    if (result.code !== 0) return [];
    const rows = JSON.parse(result.stdout).map((r) => ({ name: r.name, instance: r.instance, pid: r.pid, status: r.status }));
    rows.forEach((r) => r.pid && this.seenPids.add(r.pid));
    return rows;
  }

  daemonPid() {
    try { return Number(fs.readFileSync(path.join(this.home, 'daemon.pid'), 'utf8').trim()) || 0; } catch { return 0; }
  }

  async kill() {
    const daemon = this.daemonPid();
    await run(this.binary, ['kill'], { env: this.env, timeoutMs: 30000 });
    if (daemon && isAlive(daemon)) { try { process.kill(daemon, 'SIGKILL'); } catch { /* already gone */ } }
    await killLeftovers(this.seenPids);
  }
}

class Pm2 {
  constructor({ binary, home }) {
    this.name = 'PM2';
    this.binary = binary;
    this.home = home;
    this.env = { ...process.env, PM2_HOME: home };
    this.seenPids = new Set();
  }

  writeWebConfig(app) {
    const file = path.join(this.home, 'web.config.js');
    const config = {
      apps: [{
        name: app.name, script: app.script, instances: app.instances, exec_mode: 'cluster',
        wait_ready: app.waitReady, listen_timeout: app.listenTimeoutMs, kill_timeout: app.killTimeoutMs,
        env: { PORT: String(app.port), HOST: '127.0.0.1' },
      }],
    };
    fs.writeFileSync(file, `module.exports = ${JSON.stringify(config, null, 2)};\n`);
    return file;
  }

  writeIdleConfig(count) {
    const file = path.join(this.home, 'idle.config.js');
    const config = { apps: [{ name: 'idle', script: 'sleep', args: '100000', interpreter: 'none', instances: count, exec_mode: 'fork' }] };
    fs.writeFileSync(file, `module.exports = ${JSON.stringify(config, null, 2)};\n`);
    return file;
  }

  up(file) { return run(this.binary, ['start', file], { env: this.env, timeoutMs: 180000 }); }
  reloadCommand(name = WEB) { return [this.binary, ['reload', name]]; }
  scale(count, name = WEB) { return run(this.binary, ['scale', name, String(count)], { env: this.env, timeoutMs: 60000 }); }
  listCommands() { return { list: [this.binary, 'list'], json: [this.binary, 'jlist'] }; }
  // PM2 has no "stop everything and exit"; `pm2 kill` (stop every process, then the daemon) is the closest.
  down() { return run(this.binary, ['kill'], { env: this.env, timeoutMs: 180000 }); }

  async workers() {
    const result = await run(this.binary, ['jlist'], { env: this.env, timeoutMs: 60000 });
    if (result.code !== 0) return [];
    const start = result.stdout.indexOf('[');
    if (start < 0) return [];
    const rows = JSON.parse(result.stdout.slice(start)).map((r) => ({
      name: r.name, instance: r.pm2_env?.NODE_APP_INSTANCE ?? r.pm_id, pid: r.pid, status: r.pm2_env?.status,
    }));
    rows.forEach((r) => r.pid && this.seenPids.add(r.pid));
    return rows;
  }

  daemonPid() {
    try { return Number(fs.readFileSync(path.join(this.home, 'pm2.pid'), 'utf8').trim()) || 0; } catch { return 0; }
  }

  async kill() {
    const daemon = this.daemonPid();
    await run(this.binary, ['kill'], { env: this.env, timeoutMs: 60000 });
    if (daemon && isAlive(daemon)) { try { process.kill(daemon, 'SIGKILL'); } catch { /* already gone */ } }
    await killLeftovers(this.seenPids);
  }
}

// A worker a manager failed to stop is killed here, so a run never leaks a process.
async function killLeftovers(pids) {
  await sleep(100);
  for (const pid of pids) {
    if (isAlive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
  }
  pids.clear();
}

module.exports = { Pmx, Pm2, webApp, WEB };

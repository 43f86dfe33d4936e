#!/usr/bin/env node
// Turns bench.js's raw JSON into the markdown report: medians across repetitions, pmx | PM2 | ratio.
//   node bench/lib/report.js bench/results/latest.json > bench/results/latest.md
'use strict';

const fs = require('node:fs');
const { median } = require('./proc');

const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = [];
const say = (line = '') => out.push(line);
const ok = (sessions) => sessions.filter((s) => !s.error);
const pmxS = ok(r.sessions.pmx);
const pm2S = ok(r.sessions.pm2);

const fmt = (v, digits = 0, unit = '') => (v === null || v === undefined ? 'n/a' : `${Number(v).toFixed(digits)}${unit}`);
const ratio = (a, b) => (a && b ? `${(b / a).toFixed(b / a >= 10 ? 0 : 1)}×` : '—'); // PM2 ÷ pmx
const med = (sessions, pick) => median(sessions.map((s) => { try { return pick(s); } catch { return null; } }));
const all = (sessions, pick) => sessions.map((s) => { try { return pick(s); } catch { return null; } });
const row = (cells) => say(`| ${cells.join(' | ')} |`);
const header = (cells) => { row(cells); row(cells.map(() => '---')); };
const kinds = (list) => {
  const total = {};
  list.forEach((byKind) => Object.entries(byKind || {}).forEach(([k, n]) => { total[k] = (total[k] || 0) + n; }));
  const keys = Object.keys(total);
  return keys.length ? keys.map((k) => `${k} ${total[k]}`).join(', ') : 'none';
};
const mb = (kib) => (kib ? kib / 1024 : null);

say('# pmx vs PM2: benchmark results');
say();
say(`Run ${r.startedAt} → ${r.finishedAt} (**${Math.floor(r.durationS / 60)} min ${r.durationS % 60} s**). ` +
  `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, Linux ${r.machine.kernel}. ` +
  `pmx ${r.versions.pmx}, PM2 ${r.versions.pm2}, Node ${r.versions.node}, ${r.versions.wrk}.`);
say();
say(`Both managers run \`samples/node-express/server.js\` with the same policy: 4 instances, cluster, wait_ready, ` +
  `listen_timeout ${r.settings.listenTimeoutMs} ms, kill_signal ${r.settings.killSignal}, kill_timeout ${r.settings.killTimeoutMs} ms; ` +
  `the app drains for ${r.settings.drainMs} ms after the signal. ${r.settings.reps} repetitions, alternating the order ` +
  `(pmx→PM2, PM2→pmx, …); every number is the **median across repetitions** unless it says otherwise. ` +
  `**Ratio = PM2 ÷ pmx** (above 1×: PM2 takes more time or memory, or serves more requests per second).`);
say();
say(`Noise: this machine's 2 cores may be shared with another workload; the 1-minute load average (which also counts ` +
  `this benchmark's own previous step) was ` +
  `${r.machine.loadavgAtStart.map((v) => v.toFixed(1)).join(' / ')} (1/5/15 min) at the start and ` +
  `${[...r.sessions.pmx, ...r.sessions.pm2].map((s) => s.loadavgAtStart?.[0]?.toFixed(1)).join(', ')} at the start of each session. ` +
  'Treat differences under ~20 % in time and throughput as noise.');
const errors = [...r.sessions.pmx, ...r.sessions.pm2].filter((s) => s.error);
if (errors.length) {
  say();
  say(`**${errors.length} session(s) failed and are left out of the medians:**`);
  errors.forEach((s) => say(`- rep ${s.rep + 1}: \`${s.error.split('\n')[0]}\``));
}

// Targets the project has set for itself (README, bench/supervisor.sh) and for this comparison.
const reloadFailures = (sessions, key) => all(sessions, (s) => s.reload[key].failed);
const targets = [
  ...r.settings.reloadVariants.map((v) => {
    const counts = reloadFailures(pmxS, v.key);
    return [`pmx reload loses no request (${v.title})`, `${counts.join(', ')} failed per run`, counts.every((c) => c === 0)];
  }),
  (() => {
    const row10 = r.scale.pmx.find((x) => x.count === 10);
    return ['pmx daemon RSS < 15 MB with 10 idle workers', `${fmt(mb(row10?.daemonRssKiB), 1)} MB`, row10 && mb(row10.daemonRssKiB) < 15];
  })(),
  (() => {
    const row10 = r.scale.pmx.find((x) => x.count === 10);
    return ['`pmx list` median < 10 ms with 10 workers', `${fmt(row10?.listMedianMs, 1)} ms`, row10 && row10.listMedianMs < 10];
  })(),
];
say();
say('## Targets');
say();
header(['target', 'measured', 'met?']);
targets.forEach(([what, value, isMet]) => row([what, value, isMet ? 'met' : '**MISSED**']));

say();
say('## 1. CLI latency (wall time of the command, daemon running with the 4 workers)');
say();
header(['command', 'pmx', 'PM2', 'ratio', 'runs']);
const cli = (sessions, key) => median(sessions.flatMap((s) => s.cliUs[key])) / 1000;
const cliRuns = (sessions, key) => sessions.reduce((n, s) => n + s.cliUs[key].length, 0);
row(['`pmx list` vs `pm2 list`', fmt(cli(pmxS, 'list'), 1, ' ms'), fmt(cli(pm2S, 'list'), 1, ' ms'), ratio(cli(pmxS, 'list'), cli(pm2S, 'list')), `${cliRuns(pmxS, 'list')} / ${cliRuns(pm2S, 'list')}`]);
row(['`pmx list --json` vs `pm2 jlist`', fmt(cli(pmxS, 'json'), 1, ' ms'), fmt(cli(pm2S, 'json'), 1, ' ms'), ratio(cli(pmxS, 'json'), cli(pm2S, 'json')), `${cliRuns(pmxS, 'json')} / ${cliRuns(pm2S, 'json')}`]);
say();
say('Median over every run of every repetition.');

say();
say('## 2. Memory with the 4 workers');
say();
header(['', 'pmx', 'PM2', 'ratio']);
for (const [label, key] of [['manager daemon RSS', 'daemonRssKiB'], ['manager daemon PSS', 'daemonPssKiB'], ['4 workers RSS, total (same app: context)', 'workersRssKiB']]) {
  const a = mb(med(pmxS, (s) => s.memory[key]));
  const b = mb(med(pm2S, (s) => s.memory[key]));
  row([label, fmt(a, 1, ' MB'), fmt(b, 1, ' MB'), ratio(a, b)]);
}
say();
say('PM2\'s daemon is also the Node cluster primary that accepts every connection; pmx\'s daemon only holds the listening socket.');

say();
say('## 3. Start (cold: no daemon running)');
say();
header(['', 'pmx', 'PM2', 'ratio']);
for (const [label, key] of [['`up` / `pm2 start` returns', 'cliMs'], ['all 4 listed online', 'onlineMs'], ['first HTTP answer', 'firstAnswerMs'], ['every instance has answered HTTP', 'everyInstanceAnswersMs']]) {
  const a = med(pmxS, (s) => s.start[key]);
  const b = med(pm2S, (s) => s.start[key]);
  row([label, fmt(a, 0, ' ms'), fmt(b, 0, ' ms'), ratio(a, b)]);
}

say();
say('## 4. Reload under load');
say();
say('Load: 8 closed-loop lanes (each sends the next request when the previous one ends), no retries, 10 s timeout; ' +
  'the reload starts after 1.5 s of load, the load stops 1.5 s (2.5 s with slow requests) after the reload command returns. ' +
  'Failure kinds: `refused` ECONNREFUSED, `reset` ECONNRESET, `hangup` the server closed the connection without an answer, ' +
  '`timeout` no answer within 10 s, `http_NNN` a non-2xx answer.');
for (const variant of r.settings.reloadVariants) {
  const k = variant.key;
  say();
  say(`### ${variant.title}`);
  say();
  header(['', 'pmx', 'PM2', 'ratio']);
  row(['failed requests, median (per run)', `${fmt(med(pmxS, (s) => s.reload[k].failed))} (${reloadFailures(pmxS, k).join(', ')})`, `${fmt(med(pm2S, (s) => s.reload[k].failed))} (${reloadFailures(pm2S, k).join(', ')})`, '—']);
  row(['failures by kind, all runs', kinds(all(pmxS, (s) => s.reload[k].byKind)), kinds(all(pm2S, (s) => s.reload[k].byKind)), '—']);
  if (variant.load.slowLanes) row(['2 s requests failed, all runs', String(pmxS.reduce((n, s) => n + s.reload[k].slowFailed, 0)), String(pm2S.reduce((n, s) => n + s.reload[k].slowFailed, 0)), '—']);
  row(['successful requests per second of load', fmt(med(pmxS, (s) => s.reload[k].okPerSecond)), fmt(med(pm2S, (s) => s.reload[k].okPerSecond)), ratio(med(pmxS, (s) => s.reload[k].okPerSecond), med(pm2S, (s) => s.reload[k].okPerSecond))]);
  const a = med(pmxS, (s) => s.reload[k].reloadMs);
  const b = med(pm2S, (s) => s.reload[k].reloadMs);
  row(['reload command duration', fmt(a / 1000, 1, ' s'), fmt(b / 1000, 1, ' s'), ratio(a, b)]);
  const ga = med(pmxS, (s) => s.reload[k].longestGapMs);
  const gb = med(pm2S, (s) => s.reload[k].longestGapMs);
  row(['longest gap between successful responses', fmt(ga, 0, ' ms'), fmt(gb, 0, ' ms'), ratio(ga, gb)]);
  row(['reload exit codes', all(pmxS, (s) => s.reload[k].reloadExitCode).join(', '), all(pm2S, (s) => s.reload[k].reloadExitCode).join(', '), '—']);
}
say();
say('pmx replaces a slot only after the previous old worker has exited (it drains for the app\'s drain window); ' +
  'PM2 moves to the next instance once the new one is ready and stops the old one in the background, so its reload command returns sooner.');

// Where in the reload each failure happened: the evidence for any loss.
const failureLines = [];
for (const [name, sessions] of [['pmx', pmxS], ['PM2', pm2S]]) {
  for (const s of sessions) {
    for (const variant of r.settings.reloadVariants) {
      const x = s.reload[variant.key];
      if (!x.failed) continue;
      const groups = {};
      x.failuresAtMs.forEach((f) => { (groups[f.kind] ||= []).push(f); });
      const parts = Object.entries(groups).map(([kind, list]) => {
        const started = list.map((f) => f.startedAtMs);
        const ended = list.map((f) => f.atMs);
        return `${list.length} ${kind} (sent +${(Math.min(...started) / 1000).toFixed(2)}…+${(Math.max(...started) / 1000).toFixed(2)} s, failed +${(Math.min(...ended) / 1000).toFixed(2)}…+${(Math.max(...ended) / 1000).toFixed(2)} s)`;
      });
      const steps = x.reloadOutput.filter((l) => /ready|✓|reloaded|fail|error/i.test(l.text)).map((l) => `+${(l.atMs / 1000).toFixed(2)} s ${l.text.replace(/\|/g, '/')}`);
      failureLines.push(`- **${name}**, ${variant.key}, rep ${s.rep + 1}: ${parts.join('; ')}. Reload steps: ${steps.join(' · ') || 'none printed'}`);
    }
  }
}
say();
say('### When the failures happened (times relative to the start of the reload command)');
say();
if (failureLines.length) failureLines.forEach((line) => say(line));
else say('No request failed in any reload.');

say();
say('## 5. Throughput (wrk ' + r.settings.wrk + ' after a 1 s warm-up, keep-alive, GET /)');
say();
header(['target', 'requests/s', 'p50', 'p99', 'vs PM2 (req/s)']);
const tp = (sessions, pick) => ({ rps: med(sessions, (s) => pick(s).requestsPerSecond), p50: med(sessions, (s) => pick(s).p50Ms), p99: med(sessions, (s) => pick(s).p99Ms) });
const pm2Tp = tp(pm2S, (s) => s.throughput);
const lines = [
  ['pmx, 4 workers', tp(pmxS, (s) => s.throughput)],
  ['PM2, 4 workers', pm2Tp],
  ['plain `node server.js`, 1 process (baseline)', tp(r.plainNode.map((t) => ({ t })), (s) => s.t)],
  ['pmx, 2 workers', tp(pmxS, (s) => s.workersThroughput[2])],
  ['pmx, 1 worker', tp(pmxS, (s) => s.workersThroughput[1])],
];
lines.forEach(([label, t]) => row([label, fmt(t.rps), fmt(t.p50, 2, ' ms'), fmt(t.p99, 2, ' ms'), t.rps && pm2Tp.rps ? `${(t.rps / pm2Tp.rps).toFixed(2)}×` : 'n/a']));
say();
say('wrk itself needs one of the 2 cores, so 4 workers compete for about one core: this measures per-request overhead more than scaling. ' +
  `Per run, pmx 4 workers: ${all(pmxS, (s) => s.throughput.requestsPerSecond).map((v) => fmt(v)).join(', ')} req/s; ` +
  `PM2: ${all(pm2S, (s) => s.throughput.requestsPerSecond).map((v) => fmt(v)).join(', ')} req/s; ` +
  `plain node: ${r.plainNode.map((t) => fmt(t.requestsPerSecond)).join(', ')} req/s.`);

say();
say('## 6. Crash: `kill -9` of one worker under load (8 lanes, new connection per request)');
say();
header(['', 'pmx', 'PM2', 'ratio']);
const ca = med(pmxS, (s) => s.crash.replacementAnswersMs);
const cb = med(pm2S, (s) => s.crash.replacementAnswersMs);
row(['until a replacement answers HTTP', fmt(ca, 0, ' ms'), fmt(cb, 0, ' ms'), ratio(ca, cb)]);
const oa = med(pmxS, (s) => s.crash.managerOnlineMs);
const ob = med(pm2S, (s) => s.crash.managerOnlineMs);
row(['until the manager lists 4 online (polled)', fmt(oa, 0, ' ms'), fmt(ob, 0, ' ms'), ratio(oa, ob)]);
row(['failed requests, median (per run)', `${fmt(med(pmxS, (s) => s.crash.failed))} (${all(pmxS, (s) => s.crash.failed).join(', ')})`, `${fmt(med(pm2S, (s) => s.crash.failed))} (${all(pm2S, (s) => s.crash.failed).join(', ')})`, '—']);
row(['failures by kind, all runs', kinds(all(pmxS, (s) => s.crash.byKind)), kinds(all(pm2S, (s) => s.crash.byKind)), '—']);
say();
say('A SIGKILLed worker takes its in-flight requests with it under any manager; the difference that matters is whether *other* requests fail.');

say();
say('## 7. The manager itself with N idle processes (`sleep 100000`, fork mode, one run each)');
say();
header(['N', 'metric', 'pmx', 'PM2', 'ratio']);
const counts = [...new Set(r.scale.pmx.map((x) => x.count))];
for (const n of counts) {
  const a = r.scale.pmx.find((x) => x.count === n) || {};
  const b = r.scale.pm2.find((x) => x.count === n) || {};
  const metrics = [
    ['`up` until all online', a.upOnlineMs, b.upOnlineMs, 0, ' ms'],
    ['daemon RSS', mb(a.daemonRssKiB), mb(b.daemonRssKiB), 1, ' MB'],
    ['daemon PSS', mb(a.daemonPssKiB), mb(b.daemonPssKiB), 1, ' MB'],
    ['`list` median', a.listMedianMs, b.listMedianMs, 1, ' ms'],
    ['`list --json` / `jlist` median', a.listJsonMedianMs, b.listJsonMedianMs, 1, ' ms'],
    ['`down` / `pm2 kill` until every process is gone', a.downAllGoneMs, b.downAllGoneMs, 0, ' ms'],
  ];
  metrics.forEach(([label, x, y, d, u], i) => row([i === 0 ? `**${n}**` : '', label, a.error ? 'failed' : fmt(x, d, u), b.count ? (b.error ? 'failed' : fmt(y, d, u)) : 'not run', b.count ? ratio(x, y) : '—']));
}
const scaleErrors = [...r.scale.pmx, ...r.scale.pm2].filter((x) => x.error);
if (scaleErrors.length) { say(); scaleErrors.forEach((x) => say(`- N=${x.count} failed: \`${x.error.split('\n')[0]}\``)); }
say();
say('PM2 has no single "stop everything and exit" verb; `pm2 kill` (stop every process, then the daemon) is compared with `pmx down`.');
say();
say('Raw numbers: `latest.json`. Timeline of the reloads: `reload.svg`. Reproduce: `bench/run.sh`.');
process.stdout.write(out.join('\n') + '\n');

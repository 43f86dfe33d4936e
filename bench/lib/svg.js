#!/usr/bin/env node
// Draws successful (green, up) and failed (red, down) requests per 100 ms across a reload:
// one column per load variant, pmx above PM2, from the repetition with the median failure count.
// Plain SVG written by hand: no plotting library.
//   node bench/lib/svg.js bench/results/latest.json > bench/results/reload.svg
'use strict';

const fs = require('node:fs');

const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const variants = r.settings.reloadVariants;
const managers = [['pmx', r.sessions.pmx.filter((s) => !s.error)], ['PM2', r.sessions.pm2.filter((s) => !s.error)]];

const panelW = 400;
const panelH = 200;
const margin = { left: 50, right: 15, top: 46, bottom: 34 };
const cellW = margin.left + panelW + margin.right;
const cellH = margin.top + panelH + margin.bottom;
const width = cellW * variants.length;
const height = 40 + cellH * managers.length + 30;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// The repetition whose failure count is the median (ties: the earlier one).
function medianRun(sessions, key) {
  const runs = sessions.map((s) => s.reload[key]).sort((a, b) => a.failed - b.failed);
  return runs[Math.floor((runs.length - 1) / 2)];
}

const parts = [];
parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
parts.push(`<text x="10" y="20" font-size="14" font-weight="bold">Requests per 100 ms across a reload of 4 workers: successful (green, up) and failed (red, down, at the moment they failed)</text>`);
parts.push(`<text x="10" y="34" fill="#555">pmx ${esc(r.versions.pmx)} (top row) vs PM2 ${esc(r.versions.pm2)} (bottom row); same app and policy; the repetition with the median failure count; grey band = reload command running; t = 0 when it starts</text>`);

variants.forEach((variant, column) => {
  const runs = managers.map(([, sessions]) => (sessions.length ? medianRun(sessions, variant.key) : null));
  // One x range and one y scale per column, so pmx and PM2 compare at a glance.
  const spans = runs.filter(Boolean).map((x) => [x.timeline.offsetMs, x.timeline.offsetMs + x.timeline.ok.length * x.timeline.bucketMs]);
  const xMin = Math.min(...spans.map((s) => s[0]), -1500);
  const xMax = Math.max(...spans.map((s) => s[1]), 1000);
  const yMax = Math.max(1, ...runs.filter(Boolean).flatMap((x) => x.timeline.ok));
  const failMax = Math.max(1, ...runs.filter(Boolean).flatMap((x) => x.timeline.fail));
  runs.forEach((run, rowIndex) => {
    const ox = column * cellW + margin.left;
    const oy = 40 + rowIndex * cellH + margin.top;
    const [name] = managers[rowIndex];
    const upH = panelH * 0.75; // successes above the axis, failures in the quarter below
    const downH = panelH * 0.25;
    const xOf = (ms) => ox + ((ms - xMin) / (xMax - xMin)) * panelW;
    const title = run
      ? `${name}, ${variant.key}: ${run.failed} failed${run.failed ? ` (${Object.entries(run.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}, reload ${(run.reloadMs / 1000).toFixed(1)} s`
      : `${name}, ${variant.key}: no data`;
    parts.push(`<text x="${ox}" y="${oy - 22}" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<text x="${ox}" y="${oy - 9}" fill="#555">${esc(variant.title)}</text>`);
    parts.push(`<rect x="${ox}" y="${oy}" width="${panelW}" height="${panelH}" fill="#fafafa" stroke="#ccc"/>`);
    if (!run) return;
    const tl = run.timeline;
    parts.push(`<rect x="${xOf(0).toFixed(1)}" y="${oy}" width="${(xOf(tl.reloadEndMs) - xOf(0)).toFixed(1)}" height="${panelH}" fill="#e8e8e8"/>`);
    const axisY = oy + upH;
    const barW = Math.max(0.6, (tl.bucketMs / (xMax - xMin)) * panelW - 0.3);
    let bars = '';
    tl.ok.forEach((count, i) => {
      if (!count) return;
      const h = (count / yMax) * (upH - 4);
      bars += `<rect x="${xOf(tl.offsetMs + i * tl.bucketMs).toFixed(1)}" y="${(axisY - h).toFixed(1)}" width="${barW.toFixed(2)}" height="${h.toFixed(1)}"/>`;
    });
    parts.push(`<g fill="#2e9d4c">${bars}</g>`);
    let fails = '';
    tl.fail.forEach((count, i) => {
      if (!count) return;
      const h = Math.max(3, (count / failMax) * (downH - 4));
      fails += `<rect x="${xOf(tl.offsetMs + i * tl.bucketMs).toFixed(1)}" y="${axisY.toFixed(1)}" width="${Math.max(2, barW).toFixed(2)}" height="${h.toFixed(1)}"><title>${count} failed</title></rect>`;
    });
    parts.push(`<g fill="#d62728">${fails}</g>`);
    parts.push(`<line x1="${ox}" y1="${axisY}" x2="${ox + panelW}" y2="${axisY}" stroke="#333"/>`);
    // y labels: successes at the top, failures at the bottom
    parts.push(`<text x="${ox - 4}" y="${oy + 10}" text-anchor="end">${yMax}</text>`);
    parts.push(`<text x="${ox - 4}" y="${axisY + 4}" text-anchor="end">0</text>`);
    parts.push(`<text x="${ox - 4}" y="${oy + panelH}" text-anchor="end" fill="#d62728">−${failMax}</text>`);
    // x ticks every second
    for (let t = Math.ceil(xMin / 1000) * 1000; t <= xMax; t += 1000) {
      const x = xOf(t).toFixed(1);
      parts.push(`<line x1="${x}" y1="${oy + panelH}" x2="${x}" y2="${oy + panelH + 4}" stroke="#333"/>`);
      if ((t / 1000) % (xMax - xMin > 12000 ? 2 : 1) === 0) parts.push(`<text x="${x}" y="${oy + panelH + 15}" text-anchor="middle">${t / 1000}</text>`);
    }
    parts.push(`<text x="${ox + panelW}" y="${oy + panelH + 28}" text-anchor="end" fill="#555">seconds since the reload started</text>`);
  });
});
parts.push(`<text x="10" y="${height - 10}" fill="#555">Failures are drawn when they happened (a timeout shows 10 s after its request was sent). Generated by bench/lib/svg.js from latest.json, ${esc(r.startedAt)}.</text>`);
parts.push('</svg>');
process.stdout.write(parts.join('\n') + '\n');

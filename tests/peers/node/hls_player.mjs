#!/usr/bin/env node
// An LL-HLS viewer: hls.js (npm) in low-latency mode in headless Chromium, on a page of
// another origin than the stream (so CORS is exercised, as on a Chromecast, whose
// receiver app has its own origin): the stream's server under the other loopback name
// (tv_page.mjs's crossOriginPageUrl, playHls). Plays --url until --frames frames are
// decoded and audio was decoded, or --timeout seconds pass. Prints one JSON line:
//   {"type":"report","ok":..,"frames":..,"dropped":..,"audio_bytes":..,"latency_s":..,
//    "pdt_latency_s":..,"error":..}
// latency_s is hls.js's own (live edge minus playhead); pdt_latency_s is now minus the
// PROGRAM-DATE-TIME of the playhead.
// --ll false plays with hls.js's defaults (plain HLS, not low-latency mode).
// --sample-seconds N: once playing, takes N samples, one a second, of both latencies and
// the frames decoded ("samples": [{t_s, latency_s, pdt_latency_s, frames}], t_s from the
// first sample); the report's figures are then the last sample's. first_frame_s is the
// time from loadSource() to the first video frame presented.
import { parseArgs } from 'node:util';
import { openPage, waitFor } from './chromium_page.mjs';
import { crossOriginPageUrl, playHls } from './tv_page.mjs';

const { values: a } = parseArgs({ options: {
  url: { type: 'string' }, frames: { type: 'string', default: '60' }, timeout: { type: 'string', default: '45' },
  ll: { type: 'string', default: 'true' }, 'sample-seconds': { type: 'string', default: '0' } } });
const lowLatency = a.ll !== 'false';
const sampleSeconds = Number(a['sample-seconds']);
const timeoutMs = Number(a.timeout) * 1000;
const report = { type: 'report', ok: false, frames: 0, dropped: 0, audio_bytes: 0, latency_s: null,
  pdt_latency_s: null, first_frame_s: null, low_latency: lowLatency, samples: [], error: null, console: [] };

let browser;
try {
  const opened = await openPage({ url: crossOriginPageUrl(a.url), timeoutMs, onConsole: (l) => report.console.push(l) });
  browser = opened.browser;
  const page = opened.page;
  await playHls(page, a.url, { lowLatency });
  const frames = Number(a.frames);
  await waitFor(page, `(() => { const v = document.getElementById('v'); const q = v.getVideoPlaybackQuality();
    if (window.hlsErrors.length) throw new Error('hls.js: ' + window.hlsErrors.join(', '));
    return q.totalVideoFrames - q.droppedVideoFrames >= ${frames} && v.webkitAudioDecodedByteCount > 0; })()`, timeoutMs);
  const measure = () => page.evaluate(() => {
    const v = document.getElementById('v');
    const q = v.getVideoPlaybackQuality();
    const playhead = window.hls.playingDate;
    return { frames: q.totalVideoFrames - q.droppedVideoFrames, dropped: q.droppedVideoFrames,
      audio_bytes: v.webkitAudioDecodedByteCount, latency_s: window.hls.latency,
      pdt_latency_s: playhead ? (Date.now() - playhead.getTime()) / 1000 : null, first_frame_s: window.firstFrameS };
  });
  const sampleStart = Date.now();
  for (let i = 0; i < sampleSeconds; ++i) {
    if (i) await new Promise((r) => setTimeout(r, sampleStart + i * 1000 - Date.now()));
    const m = await measure();
    if (await page.evaluate(() => window.hlsErrors.join(', '))) throw new Error('hls.js failed while sampling');
    report.samples.push({ t_s: (Date.now() - sampleStart) / 1000, latency_s: m.latency_s,
      pdt_latency_s: m.pdt_latency_s, frames: m.frames });
  }
  Object.assign(report, await measure());
  report.ok = true;
} catch (e) {
  report.error = e.message.split('\n')[0];
}
await browser?.close();
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(report.ok ? 0 : 1);

#!/usr/bin/env node
// Checks that headless Chromium does WebRTC over 127.0.0.1 through chromium_page.mjs:
// two RTCPeerConnections in one page, a canvas video track, only 127.0.0.1 candidates
// exchanged. Prints {"type":"report","ok":..,"state":..,"frames_decoded":..,
// "candidates":[..]} and exits 0 when the pair connected and decoded >= 30 frames.
import { createServer } from 'node:http';
import { openPage, waitFor, evaluate } from './chromium_page.mjs';

// An http://127.0.0.1 origin is a secure context (about:blank is not): getUserMedia works.
const server = createServer((req, res) => res.end('<!doctype html><title>selftest</title>'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { browser, page } = await openPage({ url: `http://127.0.0.1:${server.address().port}/`, timeoutMs: 30000 });
let report;
try {
  await evaluate(page, `(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 240;
    const g = canvas.getContext('2d');
    let n = 0;
    setInterval(() => { g.fillStyle = n++ % 2 ? '#246' : '#642'; g.fillRect(0, 0, 320, 240); }, 33);
    // Chromium offers loopback candidates only once media permission was used.
    (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop());
    const a = new RTCPeerConnection(), b = new RTCPeerConnection();
    window.seen = [];
    const relay = (to) => (e) => {
      if (!e.candidate || !e.candidate.candidate) return;
      window.seen.push(e.candidate.candidate);
      if (e.candidate.candidate.split(' ')[4] === '127.0.0.1') to.addIceCandidate(e.candidate);
    };
    a.onicecandidate = relay(b); b.onicecandidate = relay(a);
    a.addTrack(canvas.captureStream(30).getVideoTracks()[0]);
    await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
    window.pcs = { a, b };
  })()`);
  await waitFor(page, `(async () => {
    const s = [...(await window.pcs.b.getStats()).values()].find((x) => x.type === 'inbound-rtp');
    window.framesDecoded = s ? s.framesDecoded : 0;
    return window.pcs.b.connectionState === 'connected' && window.framesDecoded >= 30;
  })()`, 20000).catch((e) => process.stderr.write(`${e.message}\n`));
  const r = await evaluate(page, `({ state: window.pcs.b.connectionState, frames: window.framesDecoded,
    candidates: window.seen, version: navigator.userAgent })`);
  report = { type: 'report', ok: r.state === 'connected' && r.frames >= 30, state: r.state,
    frames_decoded: r.frames, candidates: r.candidates, user_agent: r.version };
} catch (e) {
  report = { type: 'report', ok: false, error: e.message.split('\n')[0] };
}
await browser.close();
server.close();
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(report.ok ? 0 : 1);

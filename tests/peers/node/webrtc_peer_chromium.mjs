#!/usr/bin/env node
// WebRTC test peer in headless Chromium (Debian's /usr/bin/chromium through
// chromium_page.mjs), with the line-based JSON protocol of webrtc_peer_wrtc.mjs:
//   node webrtc_peer_chromium.mjs --role offer|answer [--codec any|vp8|h264] [--size 320x240]
//        [--fps 30] [--duration 3] [--timeout 30] [--min-frames 10] [--connect HOST:PORT]
//        [--trickle [--no-end-of-candidates]]
// The page sends a canvas video carrying the frame stamp (stamp.mjs's layout, drawn in
// grey levels that BT.601 maps to Y=235/16) and a 440 Hz WebAudio tone; it counts decoded
// frames, reads the stamp from received frames, and measures the received audio's RMS
// level in dBFS with a WebAudio AnalyserNode (libwebrtc's totalAudioEnergy is built on a
// peak level, not RMS, so it would not compare with the other peers' figures).
// Only 127.0.0.1 candidates are signalled, in both directions.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { openPage, evaluate } from './chromium_page.mjs';

const T0 = Date.now();
const { values: a } = parseArgs({ options: {
  role: { type: 'string' }, codec: { type: 'string', default: 'any' },
  size: { type: 'string', default: '320x240' }, fps: { type: 'string', default: '30' },
  duration: { type: 'string', default: '3' }, timeout: { type: 'string', default: '30' },
  'min-frames': { type: 'string', default: '10' }, connect: { type: 'string' },
  trickle: { type: 'boolean', default: false }, 'no-end-of-candidates': { type: 'boolean', default: false } } });
if (!['offer', 'answer'].includes(a.role)) { console.error('--role offer|answer is required'); process.exit(2); }
const [width, height] = a.size.split('x').map(Number);

let signal = null;
const emit = (o) => {
  const line = JSON.stringify(o) + '\n';
  process.stdout.write(line);
  if (signal && !signal.writableEnded) signal.write(line);
};
const event = (name, extra = {}) => emit({ type: 'event', peer: 'chromium', event: name, t_ms: Date.now() - T0, ...extra });
const loopback = (c) => c.split(' ')[4] === '127.0.0.1';
const mungeSdp = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || loopback(l.slice(2))).join('\r\n');

// Runs in the page. Everything the Node side needs comes back through window.peerEvent.
const PAGE = ({ width, height, fps, codec, trickle, role }) => {
  const out = (o) => window.peerEvent(JSON.stringify(o));
  const st = window.st = { framesDecoded: 0, latencies: [], sent: 0, candidates: 0, afterDescription: 0, described: false };
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const g = canvas.getContext('2d');
  const b = Math.floor(width / 40);
  const draw = () => {
    st.sent++;
    const grad = g.createLinearGradient(0, 0, width, 0);
    grad.addColorStop(0, 'rgb(40,40,40)'); grad.addColorStop(1, 'rgb(200,200,200)');
    g.fillStyle = grad; g.fillRect(0, 0, width, height);
    g.fillStyle = 'rgb(255,255,255)'; g.fillRect((st.sent * 8) % width, 0, 16, height);
    const ms32 = Date.now() % 2 ** 32;
    [[ms32, 32], [st.sent % 65536, 16]].forEach(([value, bits], row) => {
      for (let i = 0; i < bits; i++) {
        g.fillStyle = Math.floor(value / 2 ** (bits - 1 - i)) % 2 ? 'rgb(255,255,255)' : 'rgb(0,0,0)';
        g.fillRect(i * b, row * b, b, b);
      }
    });
  };
  setInterval(draw, 1000 / fps);
  const video = canvas.captureStream(fps).getVideoTracks()[0];
  const ac = new AudioContext({ sampleRate: 48000 });
  const osc = ac.createOscillator(); const gain = ac.createGain(); const dest = ac.createMediaStreamDestination();
  osc.frequency.value = 440; gain.gain.value = 0.25;
  osc.connect(gain).connect(dest); osc.start();
  const audio = dest.stream.getAudioTracks()[0];

  const pc = window.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  const stream = new MediaStream([audio, video]);
  // An offerer adds its transceivers; an answerer must use the ones the remote offer
  // creates (an addTransceiver() one is never matched to an offered m-line).
  if (role === 'offer') {
    pc.addTransceiver(audio, { direction: 'sendrecv', streams: [stream] });
    pc.addTransceiver(video, { direction: 'sendrecv', streams: [stream] });
  }
  window.attachTracks = async () => {
    for (const t of pc.getTransceivers()) {
      const track = t.receiver.track.kind === 'audio' ? audio : video;
      await t.sender.replaceTrack(track);
      t.sender.setStreams(stream);
      t.direction = 'sendrecv';
    }
  };
  window.preferCodec = () => {
    if (codec === 'any') return;
    const caps = RTCRtpReceiver.getCapabilities('video').codecs;
    const keep = caps.filter((c) => c.mimeType.toLowerCase() === `video/${codec}` &&
      (codec !== 'h264' || /packetization-mode=1/.test(c.sdpFmtpLine || '')));
    if (!keep.length) throw new Error(`codec ${codec} not available here`);
    for (const t of pc.getTransceivers()) if (t.receiver.track.kind === 'video') t.setCodecPreferences(keep);
  };
  if (role === 'offer') window.preferCodec();
  pc.onconnectionstatechange = () => out({ kind: 'state', state: pc.connectionState });
  pc.onicecandidate = ({ candidate }) => {
    if (!trickle) return;
    out({ kind: 'candidate', candidate: candidate ? candidate.candidate : '', sdpMid: candidate ? candidate.sdpMid : '0' });
  };
  pc.ontrack = ({ track }) => {
    if (track.kind !== 'video') {
      // Chromium feeds a remote track to WebAudio only while a media element plays it.
      const el = new Audio(); el.muted = true; el.srcObject = new MediaStream([track]); el.play().catch(() => {});
      const an = ac.createAnalyser();
      an.fftSize = 2048;
      ac.createMediaStreamSource(new MediaStream([track])).connect(an);
      const buf = new Float32Array(an.fftSize);
      st.audio = { sum: 0, n: 0, polls: 0 };
      setInterval(() => {  // 2048 samples every 40 ms: no overlap at 48 kHz
        an.getFloatTimeDomainData(buf);
        if (++st.audio.polls <= 12) return;  // the first 0.5 s may be the decoder settling
        for (const v of buf) st.audio.sum += v * v;
        st.audio.n += buf.length;
      }, 40);
      return;
    }
    const el = document.createElement('video');
    el.muted = true; el.srcObject = new MediaStream([track]);
    document.body.appendChild(el);
    const read = document.createElement('canvas');
    const rg = read.getContext('2d', { willReadFrequently: true });
    const onFrame = (now, meta) => {
      st.framesDecoded++;
      if (st.framesDecoded === 1) out({ kind: 'first_frame', resolution: `${meta.width}x${meta.height}` });
      if (st.framesDecoded % 5 === 1 && meta.width >= 320) {
        read.width = meta.width; read.height = meta.height;
        rg.drawImage(el, 0, 0);
        const bb = Math.floor(meta.width / 40);
        const px = rg.getImageData(0, 0, meta.width, 2 * bb).data;
        let v = 0;
        for (let i = 0; i < 32; i++) {
          const o = ((bb >> 1) * meta.width + i * bb + (bb >> 1)) * 4;
          v = v * 2 + (0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2] > 125 ? 1 : 0);
        }
        const age = (Date.now() % 2 ** 32 - v + 2 ** 32) % 2 ** 32;
        if (age < 60000) st.latencies.push(age);
      }
      el.requestVideoFrameCallback(onFrame);
    };
    el.requestVideoFrameCallback(onFrame);
    el.play().catch(() => {});
  };
};

const report = { type: 'report', peer: 'chromium', role: a.role, ok: false, reason: null, frames_decoded: 0 };
let finish;
const done = new Promise((r) => { finish = r; });
const st = { candidatesSent: 0, afterDescription: 0, described: false, remoteCandidates: 0, remoteEnd: false,
  connectedAt: null, pending: [] };
// Trickled candidates wait until the description went out.
const sendCandidate = (c) => {
  if (c.candidate && !loopback(c.candidate)) return;
  if (!c.candidate && a['no-end-of-candidates']) return;
  if (!st.described) { st.pending.push(c); return; }
  if (c.candidate) { st.candidatesSent++; st.afterDescription++; }
  emit({ type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid ?? '0', sdpMLineIndex: 0 });
};

const server = createServer((req, res) => res.end('<!doctype html><title>chromium peer</title><body></body>'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { browser, page } = await openPage({ url: `http://127.0.0.1:${server.address().port}/`, timeoutMs: 30000 });
let page_ready = false;
await page.exposeFunction('peerEvent', (json) => {
  const e = JSON.parse(json);
  if (e.kind === 'state') {
    event('connection_state', { state: e.state });
    if (e.state === 'connected' && !st.connectedAt) st.connectedAt = Date.now();
    if (['failed', 'closed'].includes(e.state)) { report.reason ??= `connection ${e.state}`; finish(); }
  } else if (e.kind === 'candidate') {
    sendCandidate(e);
  } else if (e.kind === 'first_frame') {
    event('first_frame', { resolution: e.resolution });
    report.first_frame_after_connected_ms = st.connectedAt ? Date.now() - st.connectedAt : null;
    setTimeout(finish, Number(a.duration) * 1000);
  }
});
try {
  // Chromium lists loopback only to a page that used its media permission.
  await evaluate(page, `navigator.mediaDevices.getUserMedia({ audio: true }).then((s) => s.getTracks().forEach((t) => t.stop()))`);
  await page.evaluate(PAGE, { width, height, fps: Number(a.fps), codec: a.codec, trickle: a.trickle, role: a.role });
  page_ready = true;
} catch (e) {
  report.reason = `error: ${e.message.split('\n')[0]}`;
  finish();
}

async function sendLocal(kind) {
  await page.evaluate(async (kind) => {
    await window.pc.setLocalDescription(kind === 'offer' ? await window.pc.createOffer() : await window.pc.createAnswer());
  }, kind);
  if (!a.trickle) {
    await page.evaluate(() => new Promise((r) => {
      if (window.pc.iceGatheringState === 'complete') return r();
      window.pc.addEventListener('icegatheringstatechange', () => window.pc.iceGatheringState === 'complete' && r());
      setTimeout(r, 5000);
    }));
  }
  const sdp = await page.evaluate(() => window.pc.localDescription.sdp);
  emit({ type: kind, sdp: mungeSdp(sdp) });
  st.described = true;
  for (const c of st.pending.splice(0)) sendCandidate(c);
}

if (a.connect) {
  const i = a.connect.lastIndexOf(':');
  signal = connect(Number(a.connect.slice(i + 1)), a.connect.slice(0, i));
  await new Promise((resolve, reject) => { signal.once('connect', resolve); signal.once('error', reject); });
  signal.on('error', () => {});
}
if (page_ready && a.role === 'offer') {
  await sendLocal('offer').catch((e) => { report.reason = `error: ${e.message.split('\n')[0]}`; finish(); });
}
createInterface({ input: signal ?? process.stdin }).on('line', async (line) => {
  let msg; try { msg = JSON.parse(line); } catch { return; }
  try {
    if (msg.type === 'offer' && a.role === 'answer') {
      await page.evaluate(async (sdp) => {
        await window.pc.setRemoteDescription({ type: 'offer', sdp });
        await window.attachTracks();
        window.preferCodec();
      }, msg.sdp);
      await sendLocal('answer');
    } else if (msg.type === 'answer' && a.role === 'offer') {
      await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), msg.sdp);
    } else if (msg.type === 'candidate' && msg.candidate && loopback(msg.candidate)) {
      await page.evaluate((c) => window.pc.addIceCandidate(c), { candidate: msg.candidate, sdpMid: msg.sdpMid ?? '0', sdpMLineIndex: msg.sdpMLineIndex ?? 0 });
      st.remoteCandidates++;
    } else if (msg.type === 'candidate' && !msg.candidate) {
      st.remoteEnd = true;
      await page.evaluate(() => window.pc.addIceCandidate({ candidate: '', sdpMid: '0' })).catch(() => {});
    } else if (msg.type === 'bye') { report.reason ??= 'remote bye'; finish(); }
  } catch (e) { report.reason = `error: ${e.message.split('\n')[0]}`; event('error', { message: report.reason }); finish(); }
});

const timer = setTimeout(() => { report.reason ??= 'timeout'; finish(); }, Number(a.timeout) * 1000);
await done;
clearTimeout(timer);
report.reason ??= 'duration reached';
emit({ type: 'bye' });
if (page_ready) {
  const r = await page.evaluate(async () => {
    const stats = [...(await window.pc.getStats()).values()];
    const v = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'video');
    const au = stats.find((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
    const codec = stats.find((s) => s.id === v?.codecId);
    const a = window.st.audio;
    const ms = a && a.n ? a.sum / a.n : 0;
    return { frames: window.st.framesDecoded, libwebrtcFrames: v?.framesDecoded ?? null, sent: window.st.sent,
      latencies: window.st.latencies, codec: codec ? { mimeType: codec.mimeType, payloadType: codec.payloadType, fmtp: codec.sdpFmtpLine ?? null } : null,
      audioSamples: au?.totalSamplesReceived ?? 0, dbfs: ms > 0 ? Math.round(100 * Math.log10(ms)) / 10 : null,
      ua: navigator.userAgent };
  }).catch((e) => ({ error: e.message }));
  const lat = [...(r.latencies ?? [])].sort((x, y) => x - y);
  // Decoded is libwebrtc's count; rendered (requestVideoFrameCallback) can skip frames.
  Object.assign(report, { version: r.ua, codec: r.codec, frames_decoded: r.libwebrtcFrames ?? 0,
    frames_rendered: r.frames ?? 0, frames_sent: r.sent,
    stamp_latency_ms: { samples: lat.length, median: lat.length ? lat[lat.length >> 1] : null, max: lat.length ? lat[lat.length - 1] : null },
    audio_frames_received: Math.floor((r.audioSamples ?? 0) / 480), audio_level_dbfs: r.dbfs ?? null });
}
Object.assign(report, { candidates_sent: st.candidatesSent, candidates_sent_after_description: st.afterDescription,
  remote_candidates_added: st.remoteCandidates, remote_end_of_candidates: st.remoteEnd });
report.ok = report.frames_decoded >= Number(a['min-frames']);
emit(report);
await browser.close().catch(() => {});
server.close();
signal?.end();
setTimeout(() => process.exit(report.ok ? 0 : 1), 100);

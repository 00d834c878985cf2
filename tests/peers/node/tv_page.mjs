// What a TV shows, seen from outside: helpers for a headless Chromium page (chromium_page.mjs)
// that plays video, used by hls_player.mjs and cast_receiver.mjs.
//  - probeVideo(page): installs (once per document) a probe of the page's first <video> and
//    returns what it measured so far: frames presented (requestVideoFrameCallback), frames
//    decoded (getVideoPlaybackQuality), the glass-to-glass latency of frames carrying
//    stamp.mjs's stamp, the audio level of a MediaStream's audio track (RMS dBFS, the max over
//    the last second), webkitAudioDecodedByteCount, and hls.js's figures when window.hls exists.
//    The page needs nothing special: the probe polls until a <video> exists, and follows a new
//    element or a new srcObject.
//  - playHls(page, url): hls.js (npm) in low-latency mode on the page, into a new <video>
//    (debug: hls.js logs to the page's console).
//  - crossOriginPageUrl(url): a page URL of the same server under the other loopback name, so
//    that the stream is fetched cross-origin (CORS exercised, as from a Chromecast receiver
//    app's own origin; about:blank would not do: Private Network Access blocks a non-secure
//    null origin from loopback). The server must answer that URL (a 404 with no body fails the
//    navigation); a document made up by playwright's route would not do either: it has no
//    loopback address space, so PNA blocks its requests to loopback.
import { createRequire } from 'node:module';

const hlsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

export function crossOriginPageUrl(streamUrl) {
  const u = new URL(streamUrl);
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  u.pathname = '/';
  u.search = '';
  u.hash = '';
  return u.href;
}

export async function playHls(page, url, { lowLatency = true, debug = false } = {}) {
  await page.setContent('<video id="v" autoplay playsinline style="width:640px"></video>');
  await page.addScriptTag({ path: hlsPath });
  await page.evaluate(({ src, ll, debug }) => {
    window.hlsErrors = [];
    const hls = new Hls({ ...(ll ? { lowLatencyMode: true, backBufferLength: 10 } : {}), debug });
    window.hls = hls;
    hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) window.hlsErrors.push(`${d.type}/${d.details}`); });
    const v = document.getElementById('v');
    // Seconds from loadSource() to the first frame presented.
    window.firstFrameS = null;
    const loadedAt = performance.now();
    v.requestVideoFrameCallback(() => { window.firstFrameS = (performance.now() - loadedAt) / 1000; });
    hls.loadSource(src);
    hls.attachMedia(v);
    // As a TV's player does: play once there is something to play. A play() that comes
    // before MSE is open is cut short ("interrupted by a new load request"), so ask again.
    const play = () => { if (v.paused) v.play().catch(() => {}); };
    hls.on(Hls.Events.MANIFEST_PARSED, play);
    v.addEventListener('canplay', play);
    v.addEventListener('loadeddata', play);
  }, { src: url, ll: lowLatency, debug });
}

// Runs in the page (serialized by page.evaluate: everything it uses is inside it).
/* global document, window, MediaStream, AudioContext */
function probeInPage() {
  const P = window.__tvProbe ??= { video: null, stream: null, presented: 0, latencies: [], lastCounter: -1,
    levels: [], canvas: document.createElement('canvas') };
  const g = P.g ??= P.canvas.getContext('2d', { willReadFrequently: true });

  // The stamp (stamp.mjs): two rows of blocks of width/40, row 0 = ms mod 2^32, row 1 = a
  // counter. Only a frame whose every sampled block is clearly dark or light counts, so a
  // picture without a stamp yields no latency rather than noise.
  const readStamp = (v) => {
    const w = v.videoWidth; const b = Math.floor(w / 40);
    if (b < 2) return null;
    if (P.canvas.width !== w || P.canvas.height !== 2 * b) { P.canvas.width = w; P.canvas.height = 2 * b; }
    g.drawImage(v, 0, 0, w, 2 * b, 0, 0, w, 2 * b);
    const px = g.getImageData(0, 0, w, 2 * b).data;
    const row = (r, bits) => {
      let value = 0;
      for (let i = 0; i < bits; i++) {
        const o = ((r * b + (b >> 1)) * w + i * b + (b >> 1)) * 4;
        const y = 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2];
        if (Math.abs(y - 125) < 50) return null;
        value = value * 2 + (y > 125 ? 1 : 0);
      }
      return value;
    };
    const ms32 = row(0, 32); const counter = row(1, 16);
    return ms32 === null || counter === null ? null : [ms32, counter];
  };
  const onFrame = (v) => () => {
    if (v !== P.video) return;  // a replaced element: its callbacks end here
    P.presented++;
    const s = readStamp(v);
    if (s && s[1] !== P.lastCounter) {  // a repeated frame is not a new sample
      P.lastCounter = s[1];
      const age = (Date.now() % 2 ** 32 - s[0] + 2 ** 32) % 2 ** 32;
      if (age < 60000) { P.latencies.push(age); if (P.latencies.length > 5000) P.latencies.shift(); }
    }
    v.requestVideoFrameCallback(onFrame(v));
  };
  // WebAudio on the element's MediaStream (an MSE-fed element has none: webkitAudioDecodedByteCount
  // stands in there). The level is sampled every 50 ms and kept for a second.
  const attachAudio = (stream) => {
    P.stream = stream;
    if (P.audio) { clearInterval(P.audio.timer); P.audio.ctx.close().catch(() => {}); P.audio = null; }
    if (!(stream instanceof MediaStream) || !stream.getAudioTracks().length) return;
    const ctx = new AudioContext();
    ctx.resume().catch(() => {});
    const an = ctx.createAnalyser(); an.fftSize = 2048;
    ctx.createMediaStreamSource(stream).connect(an);
    const buf = new Float32Array(an.fftSize);
    const timer = setInterval(() => {
      an.getFloatTimeDomainData(buf);
      let sum = 0; for (const x of buf) sum += x * x;
      const rms = Math.sqrt(sum / buf.length);
      P.levels.push({ t: Date.now(), db: rms > 0 ? 20 * Math.log10(rms) : -200 });
      while (P.levels.length && P.levels[0].t < Date.now() - 1000) P.levels.shift();
    }, 50);
    P.audio = { ctx, timer };
  };

  const v = document.querySelector('video');
  if (v && v !== P.video) { P.video = v; v.requestVideoFrameCallback(onFrame(v)); }
  if (v && v.srcObject !== P.stream) attachAudio(v.srcObject);
  if (!v) return { video: false };

  const sorted = [...P.latencies].sort((x, y) => x - y);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const q = v.getVideoPlaybackQuality();
  const hls = window.hls; const pdt = hls?.playingDate;
  const db = P.levels.length ? Math.max(...P.levels.map((l) => l.db)) : null;
  return {
    video: true, frames: P.presented, decoded: q.totalVideoFrames - q.droppedVideoFrames, dropped: q.droppedVideoFrames,
    size: v.videoWidth ? `${v.videoWidth}x${v.videoHeight}` : null, muted: v.muted, paused: v.paused,
    current_time: v.currentTime, audio_track: !!P.audio, audio_dbfs: db === null ? null : Math.round(db * 10) / 10,
    audio_bytes: v.webkitAudioDecodedByteCount ?? 0,
    latency_ms: sorted.length ? { p50: pct(0.5), p90: pct(0.9), max: sorted.at(-1), n: sorted.length } : null,
    ...(hls ? { latency_s: hls.latency ?? null, pdt_latency_s: pdt ? (Date.now() - pdt.getTime()) / 1000 : null,
      hls_errors: window.hlsErrors ?? [] } : {}),
  };
}

// The probe's figures, or null while the page is between documents.
// A page that hangs (a busy script) answers null after timeoutMs rather than never.
export async function probeVideo(page, timeoutMs = 3000) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
  try { return await Promise.race([page.evaluate(probeInPage), late]); } catch { return null; } finally { clearTimeout(timer); }
}

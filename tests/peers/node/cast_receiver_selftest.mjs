#!/usr/bin/env node
// Self-test of cast_receiver.mjs, acting as a sender with npm castv2's Client (TLS, all on
// 127.0.0.1, every child ended by its PID, every wait bounded):
//   1. web app: LAUNCH DashCast, a url message to its transportId; the page (served here: a
//      <video> playing a canvas.captureStream() carrying stamp.mjs's stamp, plus a 440 Hz
//      oscillator track) is probed: frames, stamp latency, audio level; the printed URL hides
//      the token; the stats file follows; a second url navigates the same page;
//   2. an unknown app id: LAUNCH_ERROR NOT_FOUND; a --web-app id replaces DashCast (its page
//      closes) and shows a page; STOP closes it;
//   3. media mode: a LOAD of an MP4 URL nothing serves is fetched and ffprobed (IDLE, ERROR);
//      a LOAD of a live HLS stream (ffmpeg, fMP4 segments, served here with CORS)
//      on the Default Media Receiver: BUFFERING -> PLAYING, frames and audio decoded;
//      SIGTERM: exit 0 and no Chromium left;
//   4. --silent-after (a second emulator, run alongside): PINGs stop getting PONGs, a new
//      connection is served; after a SIGKILL of the emulator, its Chromium exits too.
// Prints one line per check, then a JSON report; exit 0 when all passed.
//   node cast_receiver_selftest.mjs
import castv2 from 'castv2';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const T0 = Date.now();
const NS = { connection: 'urn:x-cast:com.google.cast.tp.connection', heartbeat: 'urn:x-cast:com.google.cast.tp.heartbeat',
  receiver: 'urn:x-cast:com.google.cast.receiver', media: 'urn:x-cast:com.google.cast.media',
  dashcast: 'urn:x-cast:com.madmod.dashcast' };
const WEB_APPS = ['5C3F0A3C', 'ABCD1234'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const figures = (e) => { if (!e) return null; const { type: _t, event: _e, ...rest } = e; return rest; };

const results = [];
const check = (ok, what, detail = '') => {
  results.push({ ok: !!ok, what, ...(ok ? {} : { detail }) });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${ok || !detail ? '' : `: ${detail}`}`);
};

// Polls cond() until it returns something truthy; throws after ms.
async function until(cond, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

// Every process below this one's PID (Chromium's are grandchildren of the emulator's node).
function descendants(pid) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) || []), Number(d)]);
    } catch { /* gone meanwhile */ }
  }
  const out = []; const todo = [pid];
  while (todo.length) for (const c of children.get(todo.pop()) || []) { out.push(c); todo.push(c); }
  return out;
}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

// --- the emulator as a child: its stdout events ---------------------------------------------
const children = [];
async function startEmulator(args) {
  const child = spawn(process.execPath, [join(here, 'cast_receiver.mjs'), '--port', '0', '--timeout', '90', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const emu = { child, events: [], exit: null, listening: null };
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
      let o; try { o = JSON.parse(buf.slice(0, i)); } catch { continue; }
      if (o.type === 'listening') emu.listening = o; else emu.events.push(o);
    }
  });
  child.on('exit', (code, signal) => { emu.exit = { code, signal }; });
  emu.waitEvent = (pred, ms, what, from = 0) => until(() => emu.events.slice(from).find(pred), ms, what);
  await until(() => emu.listening || emu.exit, 20000, 'the emulator to listen');
  if (!emu.listening) throw new Error(`the emulator exited: ${JSON.stringify(emu.exit)}`);
  return emu;
}

// --- a sender: castv2 Client, JSON messages, requests matched by requestId --------------------
let nextRequestId = 1;
class Sender {
  static async connect(port) {
    const c = new castv2.Client();
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('TLS connect timed out')), 5000);
      c.once('error', reject);
      c.connect({ host: '127.0.0.1', port }, () => { clearTimeout(t); resolve(); });
    });
    return new Sender(c);
  }
  constructor(c) {
    this.c = c; this.inbox = [];
    c.on('message', (src, dst, ns, data) => {
      try { this.inbox.push({ src, dst, ns, body: JSON.parse(data), t: Date.now() }); } catch { /* not JSON */ }
    });
    c.on('error', () => {});
  }
  send(dst, ns, body) { this.c.send('sender-0', dst, ns, JSON.stringify(body)); }
  waitFor(pred, ms, what) { return until(() => this.inbox.find(pred), ms, what); }
  request(dst, ns, body, ms = 5000) {
    const requestId = nextRequestId++;
    this.send(dst, ns, { ...body, requestId });
    return this.waitFor((m) => m.body.requestId === requestId, ms, `the answer to ${body.type}`).then((m) => m.body);
  }
  close() { if (this.c.socket) this.c.close(); }  // castv2 throws on a socket already gone
}

// --- what the TV is shown: a stamped canvas video with a tone, and a live HLS stream ---------
const TV_PAGE = `<!doctype html><title>tv</title><body style="margin:0;background:#000">
<video autoplay playsinline></video>
<script>
const w = 640, h = 360, b = Math.floor(w / 40);
const c = document.createElement('canvas'); c.width = w; c.height = h;
const g = c.getContext('2d');
let n = 0;
// stamp.mjs's layout, in grey levels that BT.601 maps to Y=235/16
const draw = () => {
  n++;
  g.fillStyle = '#345'; g.fillRect(0, 0, w, h);
  g.fillStyle = '#ccc'; g.fillRect((n * 8) % w, 2 * b, 16, h - 2 * b);
  const ms32 = Date.now() % 2 ** 32;
  [[ms32, 32], [n % 65536, 16]].forEach(([value, bits], row) => {
    for (let i = 0; i < bits; i++) {
      g.fillStyle = Math.floor(value / 2 ** (bits - 1 - i)) % 2 ? 'rgb(235,235,235)' : 'rgb(16,16,16)';
      g.fillRect(i * b, row * b, b, b);
    }
  });
};
draw(); setInterval(draw, 1000 / 30);
const ac = new AudioContext();
const osc = ac.createOscillator(), gain = ac.createGain(), dest = ac.createMediaStreamDestination();
osc.frequency.value = 440; gain.gain.value = 0.25;
osc.connect(gain).connect(dest); osc.start();
const v = document.querySelector('video');
v.srcObject = new MediaStream([...c.captureStream(30).getVideoTracks(), ...dest.stream.getAudioTracks()]);
v.muted = false;
v.play().catch((e) => console.log(e.message));
</script>`;

const hlsDir = mkdtempSync(join(tmpdir(), 'cast-selftest-hls-'));
const TYPES = { '.m3u8': 'application/vnd.apple.mpegurl', '.m4s': 'video/iso.segment', '.mp4': 'video/mp4' };
const web = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  res.setHeader('Access-Control-Allow-Origin', '*');  // the HLS player's page is on localhost
  if (path === '/tv') { res.setHeader('Content-Type', 'text/html'); res.end(TV_PAGE); return; }
  if (path.startsWith('/hls/') && !path.includes('..')) {
    try {
      const body = readFileSync(join(hlsDir, path.slice(5)));
      res.setHeader('Content-Type', TYPES[extname(path)] || 'application/octet-stream');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(body);
    } catch { res.statusCode = 404; res.end(); }
    return;
  }
  res.setHeader('Content-Type', 'text/html');
  res.end('<!doctype html><title>origin</title>');
});
await new Promise((r) => web.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${web.address().port}`;

const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re',
  '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-pix_fmt', 'yuv420p',
  '-c:a', 'aac', '-b:a', '64k', '-t', '80',
  '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_segment_type', 'fmp4',
  '-hls_flags', 'independent_segments+program_date_time+temp_file', join(hlsDir, 'live.m3u8')],
{ stdio: ['ignore', 'ignore', 'inherit'] });
children.push(ffmpeg);

// castv2 parses only once its protobuf schema has loaded (asynchronously).
const proto = createRequire(import.meta.url)('castv2/lib/proto.js');
await until(() => { try { proto.CastMessage.parse(Buffer.alloc(0)); return true; } catch (e) { return e.message !== 'extension not loaded yet'; } },
  5000, 'castv2 to load its schema');

const watchdog = setTimeout(() => { check(false, 'finished within 80 s'); finish(); }, 80000);
const report = { type: 'report', ok: false };

// --- 1-3: the main emulator --------------------------------------------------------------------
async function mainChecks() {
  const statsFile = join(hlsDir, 'stats.json');
  const readStats = () => { try { return JSON.parse(readFileSync(statsFile, 'utf8')); } catch { return null; } };
  const emu = await startEmulator(['--stats-file', statsFile, '--web-app', WEB_APPS.join(',')]);
  const tx = await Sender.connect(emu.listening.port);
  tx.send('receiver-0', NS.connection, { type: 'CONNECT' });
  const status = await tx.request('receiver-0', NS.receiver, { type: 'GET_STATUS' });
  check(status.type === 'RECEIVER_STATUS' && status.status.applications.length === 0, 'GET_STATUS: no app running');

  // 1. DashCast
  let launched = await tx.request('receiver-0', NS.receiver, { type: 'LAUNCH', appId: '84912283' });
  let app = launched.status?.applications?.[0];
  check(app?.appId === '84912283' && app.displayName === 'DashCast' && /^[0-9a-f-]{36}$/.test(app.transportId)
    && app.namespaces.some((n) => n.name === NS.dashcast), 'LAUNCH DashCast: an app with a transportId and the dashcast namespace',
  JSON.stringify(launched));
  tx.send(app.transportId, NS.connection, { type: 'CONNECT' });
  const token = 'abcdef0123456789';
  tx.send(app.transportId, NS.dashcast, { url: `${base}/tv?token=${token}&x=1`, force: true, reload: false, reload_time: 0 });
  const opened = await emu.waitEvent((e) => e.event === 'page_opened', 20000, 'page_opened');
  check(opened.url.includes('token=abcd…&x=1') && !JSON.stringify(emu.events).includes(token), 'page_opened prints the token redacted',
    opened.url);
  let stats;
  try {
    stats = await emu.waitEvent((e) => e.event === 'tv_stats' && e.frames >= 60 && e.latency_ms?.n > 0 && e.audio_dbfs > -40,
      20000, 'tv_stats with frames, latency and audio');
  } catch (e) { stats = emu.events.filter((x) => x.event === 'tv_stats').at(-1); }
  check(stats?.frames >= 60, 'the page\'s video frames are counted', JSON.stringify(stats));
  check(typeof stats?.latency_ms?.p50 === 'number' && stats.latency_ms.p50 < 1000, 'the stamp gives a latency', JSON.stringify(stats?.latency_ms));
  check(stats?.audio_dbfs > -40 && stats.muted === false, 'the tone is heard (dBFS), the video is not muted', `${stats?.audio_dbfs} ${stats?.muted}`);
  report.web_app = figures(stats);
  const file = await until(() => { const s = readStats(); return s?.tv_stats?.frames > 0 ? s : null; }, 3000, 'the stats file').catch(() => readStats());
  check(file?.app === '84912283' && file.launches === 1 && file.connections === 1 && file.url.includes('token=' + token),
    'the stats file has the app, the url and the figures', JSON.stringify(file));

  let mark = emu.events.length;
  tx.send(app.transportId, NS.dashcast, { url: `${base}/tv?second=1`, force: true, reload: false, reload_time: 0 });
  await emu.waitEvent((e) => e.event === 'page_opened' && e.url.endsWith('second=1'), 15000, 'the second page_opened', mark);
  const again = await emu.waitEvent((e) => e.event === 'tv_stats' && e.frames > 0, 10000, 'tv_stats after navigating', mark)
    .catch(() => null);
  check(again && !emu.events.slice(mark).some((e) => e.event === 'page_closed'), 'a second url navigates the same page');

  // 2. unknown app, --web-app replaces DashCast, STOP
  const unknown = await tx.request('receiver-0', NS.receiver, { type: 'LAUNCH', appId: '0BADA990' });
  check(unknown.type === 'LAUNCH_ERROR' && unknown.reason === 'NOT_FOUND', 'an unknown app: LAUNCH_ERROR NOT_FOUND', JSON.stringify(unknown));
  mark = emu.events.length;
  launched = await tx.request('receiver-0', NS.receiver, { type: 'LAUNCH', appId: WEB_APPS[1] });
  app = launched.status?.applications?.[0];
  check(app?.appId === WEB_APPS[1] && launched.status.applications.length === 1, 'a --web-app id launches', JSON.stringify(launched));
  await emu.waitEvent((e) => e.event === 'page_closed', 10000, 'DashCast\'s page to close', mark);
  check(emu.events.slice(mark).some((e) => e.event === 'stop' && e.appId === '84912283' && e.reason === 'replaced'),
    'the launch replaced DashCast (stop, page closed)');
  tx.send(app.transportId, NS.connection, { type: 'CONNECT' });
  tx.send(app.transportId, NS.dashcast, { url: `${base}/tv`, force: true, reload: false, reload_time: 0 });
  const webStats = await emu.waitEvent((e) => e.event === 'tv_stats' && e.frames > 0, 20000, 'the web app\'s frames', mark)
    .catch(() => null);
  check(webStats, 'the --web-app shows its page', JSON.stringify(emu.events.slice(mark).filter((e) => e.event !== 'tv_stats')));
  mark = emu.events.length;
  const stopped = await tx.request('receiver-0', NS.receiver, { type: 'STOP', sessionId: app.sessionId });
  check(stopped.type === 'RECEIVER_STATUS' && stopped.status.applications.length === 0, 'STOP: no app running');
  const closed = await emu.waitEvent((e) => e.event === 'page_closed', 10000, 'page_closed after STOP', mark).catch(() => null);
  const fileAfter = await until(() => { const s = readStats(); return s?.app === null ? s : null; }, 3000, 'app null').catch(() => readStats());
  check(closed && fileAfter?.app === null && fileAfter.stops === 2 && fileAfter.launches === 2, 'STOP closes the page; the stats file follows',
    JSON.stringify(fileAfter));

  // 3. media mode: HLS in Chromium
  launched = await tx.request('receiver-0', NS.receiver, { type: 'LAUNCH', appId: 'CC1AD845' });
  app = launched.status?.applications?.[0];
  tx.send(app.transportId, NS.connection, { type: 'CONNECT' });
  // Not HLS: fetched and ffprobed as before (here a URL nothing serves: IDLE, ERROR).
  const mp4 = await tx.request(app.transportId, NS.media, { type: 'LOAD', autoplay: true, currentTime: 0,
    media: { contentId: `${base}/none.mp4`, contentType: 'video/mp4', streamType: 'BUFFERED' } });
  const idle = await tx.waitFor((m) => m.ns === NS.media && m.body.status?.[0]?.playerState === 'IDLE', 15000, 'IDLE')
    .catch(() => null);
  check(mp4.status?.[0]?.playerState === 'BUFFERING' && idle?.body.status[0].idleReason === 'ERROR'
    && emu.events.some((e) => e.event === 'media_checked' && e.ffprobe?.ok === false)
    && emu.events.find((e) => e.event === 'load')?.currentTime_present === true,
  'a non-HLS LOAD is fetched and ffprobed: BUFFERING, then IDLE/ERROR', JSON.stringify(idle?.body));
  await until(() => readdirSync(hlsDir).filter((f) => f.endsWith('.m4s')).length >= 3, 15000, 'three HLS segments');
  const loaded = await tx.request(app.transportId, NS.media, { type: 'LOAD', autoplay: true,
    media: { contentId: `${base}/hls/live.m3u8`, contentType: 'application/x-mpegurl', streamType: 'LIVE', hlsVideoSegmentFormat: 'fmp4' } });
  check(loaded.type === 'MEDIA_STATUS' && loaded.status[0]?.playerState === 'BUFFERING', 'LOAD answered BUFFERING', JSON.stringify(loaded));
  const load = emu.events.filter((e) => e.event === 'load').at(-1);
  check(load?.player === 'chromium' && load.streamType === 'LIVE' && load.hlsVideoSegmentFormat === 'fmp4' && load.currentTime_present === false,
    'the load event records what LOAD carried', JSON.stringify(load));
  const playing = await tx.waitFor((m) => m.ns === NS.media && m.body.status?.[0]?.playerState === 'PLAYING', 30000, 'PLAYING')
    .catch(() => null);
  check(playing, 'MEDIA_STATUS PLAYING once frames decode', JSON.stringify(emu.events.filter((e) => /media|page/.test(e.event))));
  let hls;
  try {
    hls = await emu.waitEvent((e) => e.event === 'tv_stats' && e.frames >= 30 && e.audio_bytes > 0, 20000, 'HLS frames and audio');
  } catch { hls = emu.events.filter((x) => x.event === 'tv_stats').at(-1); }
  check(hls?.frames >= 30 && hls.audio_bytes > 0 && typeof hls.latency_s === 'number', 'hls.js decodes frames and audio', JSON.stringify(hls));
  report.media = figures(hls);
  tx.close();

  const browsers = descendants(emu.child.pid);
  emu.child.kill('SIGTERM');
  await until(() => emu.exit, 8000, 'the emulator to exit').catch(() => {});
  await until(() => !browsers.some(alive), 5000, 'Chromium to exit').catch(() => {});
  check(emu.exit?.code === 0 && browsers.length > 0 && !browsers.some(alive), 'SIGTERM: exit 0, Chromium closed',
    `${JSON.stringify(emu.exit)}, ${browsers.filter(alive).length} of ${browsers.length} left`);
}

// --- 4: --silent-after, and a SIGKILLed emulator --------------------------------------------------
async function silenceChecks() {
  const SILENT_S = 2;
  const emu = await startEmulator(['--silent-after', String(SILENT_S)]);
  const tx = await Sender.connect(emu.listening.port);
  const connectedAt = Date.now();
  tx.send('receiver-0', NS.connection, { type: 'CONNECT' });
  const pinger = setInterval(() => tx.send('receiver-0', NS.heartbeat, { type: 'PING' }), 400);
  await sleep(SILENT_S * 1000 + 2500);
  clearInterval(pinger);
  const pongs = tx.inbox.filter((m) => m.body.type === 'PONG').map((m) => m.t - connectedAt);
  check(pongs.length >= 3 && pongs.every((t) => t < SILENT_S * 1000 + 300), '--silent-after: PONGs stop after S seconds',
    JSON.stringify(pongs));
  check(emu.events.some((e) => e.event === 'silenced'), 'the silenced event');
  const none = await tx.request('receiver-0', NS.receiver, { type: 'GET_STATUS' }, 1000).catch(() => null);
  check(!none, 'a silenced connection gets no answer at all');
  tx.close();

  const tx2 = await Sender.connect(emu.listening.port);
  tx2.send('receiver-0', NS.connection, { type: 'CONNECT' });
  const st = await tx2.request('receiver-0', NS.receiver, { type: 'GET_STATUS' }, 3000).catch(() => null);
  check(st?.type === 'RECEIVER_STATUS', 'a new connection is served');
  const app = (await tx2.request('receiver-0', NS.receiver, { type: 'LAUNCH', appId: '84912283' })).status.applications[0];
  tx2.send(app.transportId, NS.connection, { type: 'CONNECT' });
  tx2.send(app.transportId, NS.dashcast, { url: `${base}/tv`, force: true });
  await emu.waitEvent((e) => e.event === 'tv_stats' && e.frames > 0, 20000, 'the page before the SIGKILL');
  const browsers = descendants(emu.child.pid);
  emu.child.kill('SIGKILL');
  await until(() => !browsers.some(alive), 8000, 'Chromium to exit after the SIGKILL').catch(() => {});
  check(browsers.length > 0 && !browsers.some(alive), 'SIGKILL of the emulator: Chromium exits too (its pipe closed)',
    `${browsers.filter(alive).length} of ${browsers.length} left`);
  tx2.close();
}

function finish() {
  clearTimeout(watchdog);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  web.close();
  rmSync(hlsDir, { recursive: true, force: true });
  report.ok = results.length > 0 && results.every((r) => r.ok);
  Object.assign(report, { passed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length,
    seconds: (Date.now() - T0) / 1000, failures: results.filter((r) => !r.ok) });
  process.stdout.write(JSON.stringify(report) + '\n');
  process.exit(report.ok ? 0 : 1);
}

const run = (f) => f().catch((e) => check(false, `${f.name} ran`, e.message));
await Promise.all([run(mainChecks), run(silenceChecks)]);
finish();

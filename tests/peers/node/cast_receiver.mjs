#!/usr/bin/env node
// Copied from ../shared/peers/node/ and extended with --misbehave, web receiver apps, a TV
// screen in headless Chromium, --silent-after and --stats-file.
// Chromecast emulator: a CASTV2 receiver (npm castv2's Server, TLS with a throw-away
// self-signed certificate made by the openssl CLI) that speaks enough of the protocol for a
// sender to CONNECT, PING, GET_STATUS, GET_APP_AVAILABILITY, SET_VOLUME, LAUNCH and STOP
// apps, and LOAD media. One app runs at a time, as on a TV: a LAUNCH of another app replaces
// the running one (its page closes), a LAUNCH of the running app keeps its session, and an
// unknown app id is answered LAUNCH_ERROR NOT_FOUND. Status changes are broadcast.
//  - Default Media Receiver (CC1AD845): LOAD of HLS (contentType application/x-mpegurl or
//    application/vnd.apple.mpegurl, or a .m3u8 URL) plays it with hls.js in low-latency mode
//    in headless Chromium, on a page of the other loopback name (so CORS is exercised: the
//    stream's server must answer GET / under that name, and send CORS headers);
//    MEDIA_STATUS goes BUFFERING -> PLAYING once frames are presented (IDLE/ERROR on a fatal
//    hls.js error, none within --play-timeout, or none new for that long). Any other LOAD is fetched over HTTP and
//    checked with ffprobe, as before.
//  - Web receiver apps: DashCast (84912283) and every id given by --web-app. A message
//    {"url": ..., "force": .., "reload": .., "reload_time": ..} on the DashCast namespace
//    (urn:x-cast:com.madmod.dashcast) to the app's transportId opens the URL top-level in
//    headless Chromium (a later one navigates the same page; force, reload and reload_time are
//    printed, not acted on: the page is always top-level and never reloaded).
// The page is probed from outside (tv_page.mjs): its first <video> is watched for frames, the
// stamp.mjs stamp (glass-to-glass latency; sender and emulator share the clock) and the
// audio level of its MediaStream. URLs must be 127.0.0.1 / localhost.
//   node cast_receiver.mjs [--port 8009] [--fetch-seconds 8] [--max-bytes 50000000]
//        [--exit-after-loads 0] [--timeout 600] [--misbehave WHAT] [--web-app ID[,ID]]...
//        [--silent-after S] [--stats-file PATH] [--play-timeout 30]
// --misbehave answers the first receiver GET_STATUS with bad input instead, for a sender's
// error handling: oversize (a frame announcing 1 MiB), truncated (half a frame, then the
// end of the stream), garbage (a frame that is not a CastMessage), bad_json (a receiver
// message whose payload is not JSON), unknown_namespace (a message on a namespace nobody
// opened).
// --silent-after S: S seconds after a connection's first CONNECT, nothing more is answered or
// sent on that connection (no PONG, no status), so that the sender must declare it dead;
// later connections are served as usual (each silenced S seconds after its own CONNECT).
// --stats-file PATH: every second PATH is replaced (write, then rename) by
//   {"app":ID|null,"url":..,"tv_stats":{..}|null,"loads":N,"launches":N,"stops":N,"connections":N}
//   (the url whole, token included, unlike stdout: the test checks that the token dies).
// --exit-after-loads N: exit 0 once N LOADs were checked (ffprobe done, or HLS playing/failed).
// Chromium does not outlive the emulator: SIGTERM/SIGINT close it; if the emulator is
// killed, Chromium's DevTools pipe (playwright's --remote-debugging-pipe) reaches EOF and
// Chromium exits on its own (cast_receiver_selftest.mjs checks this after a SIGKILL).
// stdout: one JSON object per line: {"type":"listening","port":N,..} first, then events
// {"type":"event","event":NAME,..}: connect, close (virtual connections), ping, launch
// {appId,sessionId,transportId}, launch_error {appId}, stop {appId,sessionId,reason:
// "request"|"replaced"|"no such session"}, page_opened {url} / page_error / page_closed, url_refused, load
// {contentId,contentType,streamType,hlsVideoSegmentFormat,currentTime_present,autoplay,
// player:"chromium"|"ffprobe"}, load_refused, media_checked (ffprobe result), media_playing,
// media_error, media_command, tv_stats (every second while a page is open: web app
// {frames,audio_dbfs,muted,latency_ms:{p50,p90,max,n}|null,..}; media {frames,audio_bytes,
// latency_s,pdt_latency_s,latency_ms,player_state,..}; frames: the more of presented and
// decoded), silenced {client}, misbehave, stats_error, timeout.
// --user-switch-after S: S seconds after the first LAUNCH, the user switches the TV to
// YouTube (233637DE) with the remote, as if from another sender: the running app goes,
// RECEIVER_STATUS is broadcast (event user_switch).
// --dump-dir DIR: for diagnosing a stream the player cannot play: every response under /hls/
// the page fetches is saved in DIR (NNNN-<name>, in order of arrival), the page's console
// (hls.js with debug on) goes to DIR/console.log.
// Printed URLs (stdout) show a token= query value as its first 4 characters and "…".
import castv2 from 'castv2';
import { execFileSync, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, createWriteStream, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { openPage } from './chromium_page.mjs';
import { crossOriginPageUrl, playHls, probeVideo } from './tv_page.mjs';

const { values: a } = parseArgs({ options: {
  port: { type: 'string', default: '8009' }, 'fetch-seconds': { type: 'string', default: '8' },
  'max-bytes': { type: 'string', default: '50000000' }, 'exit-after-loads': { type: 'string', default: '0' },
  timeout: { type: 'string', default: '600' }, misbehave: { type: 'string', default: '' },
  'web-app': { type: 'string', multiple: true, default: [] }, 'silent-after': { type: 'string', default: '0' },
  'stats-file': { type: 'string', default: '' }, 'play-timeout': { type: 'string', default: '30' },
  'user-switch-after': { type: 'string', default: '0' }, 'dump-dir': { type: 'string', default: '' } } });

const NS = { connection: 'urn:x-cast:com.google.cast.tp.connection', heartbeat: 'urn:x-cast:com.google.cast.tp.heartbeat',
  receiver: 'urn:x-cast:com.google.cast.receiver', media: 'urn:x-cast:com.google.cast.media',
  dashcast: 'urn:x-cast:com.madmod.dashcast' };
const DEFAULT_MEDIA_RECEIVER = 'CC1AD845';
const DASHCAST = '84912283';
const YOUTUBE = '233637DE';  // what --user-switch-after switches to: an app that is not the sender's
// What LAUNCH can start: the Default Media Receiver plays media; a web app shows a URL.
const APPS = new Map([
  [DEFAULT_MEDIA_RECEIVER, { kind: 'media', displayName: 'Default Media Receiver',
    namespaces: [NS.media, 'urn:x-cast:com.google.cast.cac'] }],
  [DASHCAST, { kind: 'web', displayName: 'DashCast', namespaces: [NS.dashcast] }],
  [YOUTUBE, { kind: 'other', displayName: 'YouTube', namespaces: [] }],
  ...a['web-app'].flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)
    .map((id) => [id, { kind: 'web', displayName: `Web app ${id}`, namespaces: [NS.dashcast] }]),
]);

// A URL's token (token=, access_token=, ...) is a credential of the sender's: what is printed
// or written shows its first 4 characters only. Applied to whole JSON lines, so that error
// messages quoting a URL are covered too.
const redact = (text) => String(text ?? '').replace(/([?&#;][^=&#"\s]*token=)([^&#"\s\\]*)/gi,
  (_m, key, value) => `${key}${value.slice(0, 4)}…`);
const emit = (event, extra = {}) => process.stdout.write(redact(JSON.stringify({ type: 'event', event, ...extra })) + '\n');

// --- TLS identity: a fresh self-signed certificate in a temp dir -------------------------
// The dir goes as soon as the key is read, so that a killed emulator leaves nothing behind.
const certDir = mkdtempSync(join(tmpdir(), 'cast-receiver-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=cast-receiver-emulator',
  '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
const server = new castv2.Server({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) });
rmSync(certDir, { recursive: true, force: true });

// --- receiver state ------------------------------------------------------------------------
let app = null;            // the running app's RECEIVER_STATUS entry, if any
let screen = null;         // its page in Chromium (a Screen), if it shows one
let media = null;          // { mediaSessionId, playerState, media, currentTime, player }
let mediaSessionId = 0; let checked = 0;
const counts = { loads: 0, launches: 0, stops: 0, connections: 0 };
let tvStats = null;        // the screen's last figures
const volume = { level: 1, muted: false, controlType: 'attenuation', stepInterval: 0.05 };
const receiverStatus = () => ({ applications: app ? [app] : [], volume, isActiveInput: true, isStandBy: false });
const mediaStatus = () => (media ? [{ mediaSessionId: media.mediaSessionId, playbackRate: 1, playerState: media.playerState,
  currentTime: media.currentTime, supportedMediaCommands: 15, volume: { level: 1, muted: false }, media: media.media,
  ...(media.idleReason ? { idleReason: media.idleReason } : {}) }] : []);

// --- connections: castv2's Server names each by "address:port" -----------------------------
const conns = new Map();   // clientId -> { silenced, timer }
const silentAfterMs = Number(a['silent-after']) * 1000;
server.server.on('secureConnection', (socket) => {
  const clientId = `${socket.remoteAddress}:${socket.remotePort}`;
  counts.connections++;
  conns.set(clientId, { silenced: false, timer: null });
  socket.once('close', () => { clearTimeout(conns.get(clientId)?.timer); conns.delete(clientId); });
});
function startSilenceClock(clientId) {
  const c = conns.get(clientId);
  if (!silentAfterMs || !c || c.timer) return;
  c.timer = setTimeout(() => { c.silenced = true; emit('silenced', { client: clientId }); }, silentAfterMs);
}
const silenced = (clientId) => conns.get(clientId)?.silenced ?? false;

// Every send goes through here: a silenced or already closed connection gets nothing (castv2
// throws on a client that has gone).
function send(clientId, src, dst, ns, body) {
  if (!server.clients[clientId] || silenced(clientId)) return;
  server.send(clientId, src, dst, ns, typeof body === 'string' ? body : JSON.stringify(body));
}
const r = (body) => ({ requestId: body.requestId });  // an answer carries its request's id
function reply(clientId, msg, body) {  // answer to whoever sent msg, on the same namespace
  send(clientId, msg.dst, msg.src, msg.ns, body);
}
// A status change goes to every connection (requestId 0), the requester's answer aside.
function broadcastReceiver(exceptClientId) {
  for (const clientId of Object.keys(server.clients))
    if (clientId !== exceptClientId) send(clientId, 'receiver-0', '*', NS.receiver, { type: 'RECEIVER_STATUS', requestId: 0, status: receiverStatus() });
}
function broadcastMedia() {
  if (!app) return;
  for (const clientId of Object.keys(server.clients))
    send(clientId, app.transportId, '*', NS.media, { type: 'MEDIA_STATUS', requestId: 0, status: mediaStatus() });
}

// --- the media check: GET the URL, then ffprobe what came back ------------------------------
function loopbackUrl(u) {
  try { const h = new URL(u).hostname; return ['127.0.0.1', 'localhost', '[::1]'].includes(h); } catch { return false; }
}
async function fetchAndProbe(m) {
  const dir = mkdtempSync(join(tmpdir(), 'cast-receiver-media-'));
  const out = join(dir, 'media');
  const result = { contentId: m.contentId, contentType: m.contentType, streamType: m.streamType, bytes: 0 };
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), Number(a['fetch-seconds']) * 1000);
  const t0 = Date.now();
  try {
    const res = await fetch(m.contentId, { signal: ctl.signal });
    result.http_status = res.status;
    result.http_content_type = res.headers.get('content-type');
    const file = createWriteStream(out);
    for await (const chunk of res.body) {
      result.bytes += chunk.length;
      if (result.first_byte_ms === undefined) result.first_byte_ms = Date.now() - t0;
      file.write(chunk);
      if (result.bytes >= Number(a['max-bytes'])) { ctl.abort(); break; }
    }
    await new Promise((r) => file.end(r));
  } catch (e) {
    if (e.name !== 'AbortError') result.fetch_error = e.message;
    else result.fetch_stopped_after_s = Number(a['fetch-seconds']);
  }
  clearTimeout(timer);
  // playlists (HLS/DASH) are probed by URL so that ffprobe follows the segments
  const playlist = /mpegurl|dash\+xml/i.test(m.contentType || '') || /\.(m3u8|mpd)(\?|$)/.test(m.contentId);
  result.ffprobe = await new Promise((resolve) => execFile('ffprobe', ['-v', 'error', '-show_entries',
    'stream=codec_type,codec_name,width,height,sample_rate:format=format_name,duration', '-of', 'json',
    ...(playlist ? ['-protocol_whitelist', 'http,tcp,file,crypto,data', m.contentId] : [out])],
  { timeout: 20000 }, (err, stdout, stderr) => {
    let j = {}; try { j = JSON.parse(stdout); } catch { /* empty */ }
    resolve({ ok: !err && (j.streams || []).length > 0, format: j.format?.format_name ?? null,
      duration: j.format?.duration ? Number(j.format.duration) : null,
      streams: (j.streams || []).map((s) => ({ type: s.codec_type, codec: s.codec_name, ...(s.width ? { size: `${s.width}x${s.height}` } : {}) })),
      error: err ? (stderr || err.message).trim().split('\n').pop() : undefined });
  }));
  rmSync(dir, { recursive: true, force: true });
  return result;
}

// --- bad input on request (--misbehave) ---------------------------------------------------
const MISBEHAVIOURS = ['oversize', 'truncated', 'garbage', 'bad_json', 'unknown_namespace'];
if (a.misbehave && !MISBEHAVIOURS.includes(a.misbehave)) {
  process.stderr.write(`--misbehave: one of ${MISBEHAVIOURS.join(', ')}\n`); process.exit(2);
}
const frame = (body) => { const p = Buffer.alloc(4); p.writeUInt32BE(body.length); return Buffer.concat([p, body]); };
function misbehave(clientId, msg) {
  const socket = server.clients[clientId]?.socket;
  if (!socket) return;
  emit('misbehave', { what: a.misbehave });
  if (a.misbehave === 'bad_json') server.send(clientId, msg.dst, msg.src, NS.receiver, '{"type":"RECEIVER_STATUS",');
  else if (a.misbehave === 'unknown_namespace') server.send(clientId, msg.dst, msg.src, 'urn:x-cast:com.example.nobody', '{"type":"HELLO"}');
  else if (a.misbehave === 'oversize') socket.write(frame(Buffer.alloc(1 << 20, 0x41)));
  else if (a.misbehave === 'garbage') socket.write(frame(Buffer.from('\xff\xff\xff this is no protobuf', 'latin1')));
  else if (a.misbehave === 'truncated') {
    const whole = frame(Buffer.alloc(200, 0x41));
    socket.end(whole.subarray(0, 100));  // the stream ends inside the frame
  }
}
let misbehaved = false;

// --- --dump-dir ----------------------------------------------------------------------------
const dump = a['dump-dir'] ? (() => {
  mkdirSync(a['dump-dir'], { recursive: true });
  const log = createWriteStream(join(a['dump-dir'], 'console.log'));
  let n = 0;
  return {
    console: (line) => log.write(`${new Date().toISOString()} ${line}\n`),
    response: (res) => {
      const u = new URL(res.url());
      if (!u.pathname.startsWith('/hls/')) return;
      const name = `${String(n++).padStart(4, '0')}-${u.pathname.split('/').pop()}${u.search ? '-' + u.search.slice(1).replace(/[^\w=]/g, '_') : ''}`;
      res.body().then((b) => writeFileSync(join(a['dump-dir'], name), b)).catch(() => {});
    },
  };
})() : null;

// --- the TV screen: one headless Chromium with one page --------------------------------------
// Steps (open, navigate, start hls.js) run one after another; close() may come at any time,
// and a launch still in flight then closes its browser itself.
class Screen {
  #chain = Promise.resolve();
  browser = null; page = null; closed = false; url = null;

  #run(step) {
    const p = this.#chain.then(() => (this.closed ? undefined : step()));
    this.#chain = p.catch(() => {});
    return p;
  }
  async #open() {
    if (this.page) return;
    const opened = await openPage({ timeoutMs: 30000, onConsole: dump?.console });
    if (this.closed) { await opened.browser.close(); throw new Error('closed while opening'); }
    Object.assign(this, opened);
    if (dump) this.page.on('response', dump.response);
  }
  show(url) { return this.#run(async () => { await this.#open(); await this.page.goto(url); this.url = url; }); }
  playHls(url) {
    return this.#run(async () => {
      await this.#open();
      await this.page.goto(crossOriginPageUrl(url));
      await playHls(this.page, url, { debug: !!dump });
      this.url = url;
    });
  }
  evaluate(fn) { return this.#run(() => this.page?.evaluate(fn)); }
  async stats() { return this.page && !this.closed ? probeVideo(this.page) : null; }
  async close() {
    this.closed = true;
    await this.browser?.close().catch(() => {});
  }
}
function closeScreen() {
  if (!screen) return;
  const old = screen;
  screen = null; tvStats = null;
  old.close().then(() => emit('page_closed', { url: old.url }));
}

// --- apps ----------------------------------------------------------------------------------
// A LAUNCH of the app that runs keeps it (a sender joins the session, as on a real
// receiver); another app replaces it.
function launch(appId) {
  const kind = APPS.get(appId);
  if (app?.appId === appId) return;
  if (app) stopApp('replaced');
  const sessionId = randomUUID();
  app = { appId, displayName: kind.displayName, sessionId, transportId: randomUUID(), statusText: kind.displayName,
    isIdleScreen: false, launchedFromCloud: false, universalAppId: appId, namespaces: kind.namespaces.map((name) => ({ name })) };
  media = null;
  counts.launches++;
  emit('launch', { appId, sessionId, transportId: app.transportId });
  scheduleUserSwitch();
}
// --user-switch-after: once, timed from the first launch.
let userSwitch = null;
function scheduleUserSwitch() {
  const after = Number(a['user-switch-after']) * 1000;
  if (!after || userSwitch) return;
  userSwitch = setTimeout(() => {
    emit('user_switch', { appId: YOUTUBE });
    launch(YOUTUBE);
    broadcastReceiver();
  }, after);
}
function stopApp(reason) {
  emit('stop', { appId: app.appId, sessionId: app.sessionId, reason });
  counts.stops++;
  closeScreen();
  app = null; media = null;
}

// A web app's URL message: the page shows it (top-level, like DashCast with force).
async function showUrl(body) {
  if (!loopbackUrl(body.url)) { emit('url_refused', { url: body.url, reason: 'not a loopback URL' }); return; }
  screen ??= new Screen();
  const s = screen;
  try {
    await s.show(body.url);
    if (!s.closed) emit('page_opened', { url: body.url, force: body.force, reload: body.reload });
  } catch (e) {
    if (!s.closed) emit('page_error', { url: body.url, error: e.message.split('\n')[0] });
  }
}

// --- media in Chromium: HLS through hls.js ----------------------------------------------------
const isHls = (m) => /^application\/(x-mpegurl|vnd\.apple\.mpegurl)/i.test(m.contentType || '')
  || new URL(m.contentId).pathname.toLowerCase().endsWith('.m3u8');

function playInChromium(m, session) {
  closeScreen();
  screen = new Screen();
  screen.playHls(m.contentId).catch((e) => mediaFailed(session, `page: ${e.message.split('\n')[0]}`));
  session.deadline = setTimeout(() => mediaFailed(session, `no frame within ${a['play-timeout']} s`),
    Number(a['play-timeout']) * 1000);
}
function mediaChecked() {
  if (++checked === Number(a['exit-after-loads'])) shutdown(0);
}
function mediaFailed(session, error) {
  if (media !== session || session.playerState === 'IDLE') return;
  clearTimeout(session.deadline);
  Object.assign(session, { playerState: 'IDLE', idleReason: 'ERROR' });
  emit('media_error', { contentId: session.media.contentId, error });
  broadcastMedia();
  mediaChecked();
}
// The player's figures drive MEDIA_STATUS, as a real receiver's player would.
function followPlayer(stats) {
  const session = media;
  if (!session || session.player !== 'chromium') return;
  session.currentTime = stats.current_time ?? session.currentTime;
  if (stats.hls_errors?.length) { mediaFailed(session, `hls.js: ${stats.hls_errors.join(', ')}`); return; }
  const frames = Math.max(stats.frames, stats.decoded);
  if (session.playerState === 'BUFFERING' && frames > 0) {
    clearTimeout(session.deadline);
    session.playerState = 'PLAYING';
    emit('media_playing', { contentId: session.media.contentId, size: stats.size });
    broadcastMedia();
    mediaChecked();
  }
  // A player that stalls for --play-timeout gives up too, as a receiver's does.
  if (session.playerState !== 'PLAYING') return;
  if (frames !== session.lastFrames) {
    session.lastFrames = frames;
    session.progressAt = Date.now();
  } else if (Date.now() - session.progressAt > Number(a['play-timeout']) * 1000) {
    mediaFailed(session, `stalled at ${frames} frames for ${a['play-timeout']} s`);
  }
}

async function load(clientId, msg, body) {
  const m = body.media || {};
  if (!loopbackUrl(m.contentId)) {  // this lab only ever touches 127.0.0.1
    emit('load_refused', { contentId: m.contentId, reason: 'not a loopback URL' });
    reply(clientId, msg, { ...r(body), type: 'LOAD_FAILED' }); return;
  }
  const player = isHls(m) ? 'chromium' : 'ffprobe';
  const session = media = { mediaSessionId: ++mediaSessionId, playerState: 'BUFFERING', currentTime: body.currentTime || 0,
    media: m, player };
  counts.loads++;
  emit('load', { contentId: m.contentId, contentType: m.contentType, streamType: m.streamType,
    hlsVideoSegmentFormat: m.hlsVideoSegmentFormat ?? null, currentTime_present: 'currentTime' in body,
    currentTime: body.currentTime ?? null, autoplay: body.autoplay, player });
  reply(clientId, msg, { ...r(body), type: 'MEDIA_STATUS', status: mediaStatus() });
  if (player === 'chromium') { playInChromium(m, session); return; }
  closeScreen();
  const result = await fetchAndProbe(m);
  if (media === session) {
    Object.assign(media, result.ffprobe.ok ? { playerState: 'PLAYING' } : { playerState: 'IDLE', idleReason: 'ERROR' });
    broadcastMedia();
  }
  emit('media_checked', result);
  mediaChecked();
}

// PLAY/PAUSE reach the <video> when Chromium plays the media; STOP ends the player.
function mediaCommand(clientId, msg, body) {
  if (body.type === 'PLAY') media.playerState = 'PLAYING';
  if (body.type === 'PAUSE') media.playerState = 'PAUSED';
  if (body.type === 'SEEK') media.currentTime = body.currentTime ?? media.currentTime;
  if (body.type === 'STOP') { Object.assign(media, { playerState: 'IDLE', idleReason: 'CANCELLED' }); clearTimeout(media.deadline); }
  if (media.player === 'chromium' && screen) {
    if (body.type === 'STOP') closeScreen();
    else if (body.type === 'PLAY') screen.evaluate(() => document.querySelector('video')?.play()).catch(() => {});
    else if (body.type === 'PAUSE') screen.evaluate(() => document.querySelector('video')?.pause()).catch(() => {});
  }
  emit('media_command', { command: body.type });
  reply(clientId, msg, { ...r(body), type: 'MEDIA_STATUS', status: mediaStatus() });
}

// --- protocol ----------------------------------------------------------------------------
function onReceiver(clientId, msg, body) {
  if (body.type === 'GET_STATUS' && a.misbehave && !misbehaved) { misbehaved = true; misbehave(clientId, msg); }
  else if (body.type === 'GET_STATUS') reply(clientId, msg, { ...r(body), type: 'RECEIVER_STATUS', status: receiverStatus() });
  else if (body.type === 'GET_APP_AVAILABILITY')
    reply(clientId, msg, { ...r(body), responseType: 'GET_APP_AVAILABILITY', availability: Object.fromEntries(
      [].concat(body.appId).map((id) => [id, APPS.has(id) ? 'APP_AVAILABLE' : 'APP_UNAVAILABLE'])) });
  else if (body.type === 'LAUNCH') {
    if (!APPS.has(body.appId)) {
      emit('launch_error', { appId: body.appId });
      reply(clientId, msg, { ...r(body), type: 'LAUNCH_ERROR', reason: 'NOT_FOUND' }); return;
    }
    launch(body.appId);
    reply(clientId, msg, { ...r(body), type: 'RECEIVER_STATUS', status: receiverStatus() });
    broadcastReceiver(clientId);
  } else if (body.type === 'STOP') {
    if (app && (!body.sessionId || body.sessionId === app.sessionId)) stopApp('request');
    else emit('stop', { sessionId: body.sessionId, reason: 'no such session' });
    reply(clientId, msg, { ...r(body), type: 'RECEIVER_STATUS', status: receiverStatus() });
    broadcastReceiver(clientId);
  } else if (body.type === 'SET_VOLUME') {
    Object.assign(volume, body.volume || {});
    reply(clientId, msg, { ...r(body), type: 'RECEIVER_STATUS', status: receiverStatus() });
  } else reply(clientId, msg, { ...r(body), type: 'INVALID_REQUEST', reason: 'INVALID_COMMAND' });
}

function onMedia(clientId, msg, body) {
  if (body.type === 'LOAD') load(clientId, msg, body);
  else if (body.type === 'GET_STATUS') reply(clientId, msg, { ...r(body), type: 'MEDIA_STATUS', status: mediaStatus() });
  else if (['PLAY', 'PAUSE', 'STOP', 'SEEK'].includes(body.type) && media) mediaCommand(clientId, msg, body);
  else reply(clientId, msg, { ...r(body), type: 'INVALID_REQUEST', reason: 'INVALID_COMMAND' });
}

server.on('message', (clientId, src, dst, ns, data) => {
  if (silenced(clientId)) return;
  const msg = { src, dst, ns };
  let body = {};
  try { body = JSON.parse(data); } catch { return; }
  const toApp = app && dst === app.transportId;
  if (ns === NS.connection) {
    if (body.type === 'CONNECT') startSilenceClock(clientId);
    emit(body.type === 'CONNECT' ? 'connect' : 'close', { client: clientId, from: src, to: dst });
  } else if (ns === NS.heartbeat) {
    if (body.type === 'PING') { reply(clientId, msg, { type: 'PONG' }); emit('ping', { from: src }); }
  } else if (ns === NS.receiver) onReceiver(clientId, msg, body);
  else if (ns === NS.media && toApp && APPS.get(app.appId).kind === 'media') onMedia(clientId, msg, body);
  else if (ns === NS.dashcast && toApp && APPS.get(app.appId).kind === 'web' && body.url !== undefined) showUrl(body);
});

// --- every second: the screen's figures, as events and in the stats file ---------------------
function statsForEvent(s) {
  const common = { frames: Math.max(s.frames, s.decoded), latency_ms: s.latency_ms, size: s.size, muted: s.muted };
  return media?.player === 'chromium'
    ? { ...common, audio_bytes: s.audio_bytes, latency_s: s.latency_s ?? null, pdt_latency_s: s.pdt_latency_s ?? null,
      player_state: media.playerState }
    : { ...common, audio_dbfs: s.audio_dbfs, audio_track: s.audio_track, video: s.video };
}
function writeStatsFile() {
  if (!a['stats-file']) return;
  const tmp = `${a['stats-file']}.tmp-${process.pid}`;
  // Not redacted: the file is the test's own (it checks the token stops working), not a log.
  writeFileSync(tmp, JSON.stringify({ app: app?.appId ?? null, url: screen?.url ?? null, tv_stats: tvStats,
    ...counts }) + '\n', { mode: 0o600 });
  renameSync(tmp, a['stats-file']);  // a reader sees the old file or the new one, never half
}
let ticking = false;
async function tick() {
  if (ticking) return;
  ticking = true;
  try {
    const s = screen;
    const stats = s ? await s.stats() : null;
    if (stats && s === screen) {
      if (stats.video) followPlayer(stats);
      tvStats = stats.video ? statsForEvent(stats) : { video: false, frames: 0 };
      emit('tv_stats', tvStats);
    }
    writeStatsFile();
  } catch (e) {
    emit('stats_error', { error: e.message });
  } finally { ticking = false; }
}
setInterval(tick, 1000);

let shuttingDown = false;
async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  setTimeout(() => process.exit(code), 5000).unref();  // a browser that hangs on close
  server.close();
  await screen?.close();
  setTimeout(() => process.exit(code), 100);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
setTimeout(() => { emit('timeout'); shutdown(0); }, Number(a.timeout) * 1000);

// castv2 loads its protobuf schema asynchronously and throws on packets that arrive
// before that ("extension not loaded yet"): only listen once it can parse.
const proto = createRequire(import.meta.url)('castv2/lib/proto.js');
for (let i = 0; i < 250; i++) {
  try { proto.CastMessage.parse(Buffer.alloc(0)); } catch (e) { if (e.message === 'extension not loaded yet') { await new Promise((r) => setTimeout(r, 20)); continue; } }
  break;
}
server.listen(Number(a.port), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ type: 'listening', host: '127.0.0.1', port: server.server.address().port,
    app: DEFAULT_MEDIA_RECEIVER, apps: [...APPS.keys()] }) + '\n');
});

#!/usr/bin/env node
// Copied from ../shared/peers/node/ and extended with --misbehave.
// Chromecast emulator: a CASTV2 receiver (npm castv2's Server, TLS with a throw-away
// self-signed certificate made by the openssl CLI) that speaks just enough of the
// protocol for a sender to CONNECT, PING, GET_STATUS, LAUNCH the Default Media
// Receiver (CC1AD845) and LOAD media. It then really fetches the media URL over
// HTTP (127.0.0.1 / localhost only) and checks it with ffprobe.
//   node cast_receiver.mjs [--port 8009] [--fetch-seconds 8] [--max-bytes 50000000]
//        [--exit-after-loads 0] [--timeout 600] [--misbehave WHAT]
// --misbehave answers the first receiver GET_STATUS with bad input instead, for a sender's
// error handling: oversize (a frame announcing 1 MiB), truncated (half a frame, then the
// end of the stream), garbage (a frame that is not a CastMessage), bad_json (a receiver
// message whose payload is not JSON), unknown_namespace (a message on a namespace nobody
// opened).
// stdout: one JSON object per line ({"type":"listening","port":N} first, then events).
import castv2 from 'castv2';
import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const { values: a } = parseArgs({ options: {
  port: { type: 'string', default: '8009' }, 'fetch-seconds': { type: 'string', default: '8' },
  'max-bytes': { type: 'string', default: '50000000' }, 'exit-after-loads': { type: 'string', default: '0' },
  timeout: { type: 'string', default: '600' }, misbehave: { type: 'string', default: '' } } });

const NS = { connection: 'urn:x-cast:com.google.cast.tp.connection', heartbeat: 'urn:x-cast:com.google.cast.tp.heartbeat',
  receiver: 'urn:x-cast:com.google.cast.receiver', media: 'urn:x-cast:com.google.cast.media' };
const DEFAULT_MEDIA_RECEIVER = 'CC1AD845';
const emit = (event, extra = {}) => process.stdout.write(JSON.stringify({ type: 'event', event, ...extra }) + '\n');

// --- TLS identity: a fresh self-signed certificate in a temp dir -------------------------
const dir = mkdtempSync(join(tmpdir(), 'cast-receiver-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=cast-receiver-emulator',
  '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
const server = new castv2.Server({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });

// --- receiver state ------------------------------------------------------------------------
let app = null;            // the running Default Media Receiver session, if any
let media = null;          // { mediaSessionId, playerState, media, currentTime }
let mediaSessionId = 0; let loads = 0;
const volume = { level: 1, muted: false, controlType: 'attenuation', stepInterval: 0.05 };
const receiverStatus = () => ({ applications: app ? [app] : [], volume, isActiveInput: true, isStandBy: false });
const mediaStatus = () => (media ? [{ mediaSessionId: media.mediaSessionId, playbackRate: 1, playerState: media.playerState,
  currentTime: media.currentTime, supportedMediaCommands: 15, volume: { level: 1, muted: false }, media: media.media,
  ...(media.idleReason ? { idleReason: media.idleReason } : {}) }] : []);

function reply(clientId, msg, body) {  // answer to whoever sent msg, on the same namespace
  server.send(clientId, msg.dst, msg.src, msg.ns, JSON.stringify(body));
}
function broadcastMedia() {
  if (!app) return;
  for (const clientId of Object.keys(server.clients))
    server.send(clientId, app.transportId, '*', NS.media, JSON.stringify({ type: 'MEDIA_STATUS', requestId: 0, status: mediaStatus() }));
}

// --- the media check: GET the URL, then ffprobe what came back ------------------------------
function loopbackUrl(u) {
  try { const h = new URL(u).hostname; return ['127.0.0.1', 'localhost', '[::1]'].includes(h); } catch { return false; }
}
async function fetchAndProbe(m) {
  const out = join(dir, `media-${mediaSessionId}`);
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
  rmSync(out, { force: true });
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

// --- protocol ----------------------------------------------------------------------------
server.on('message', async (clientId, src, dst, ns, data) => {
  const msg = { src, dst, ns };
  let body = {};
  try { body = JSON.parse(data); } catch { return; }
  if (ns === NS.connection) {
    emit(body.type === 'CONNECT' ? 'connect' : 'close', { client: clientId, from: src, to: dst });
  } else if (ns === NS.heartbeat) {
    if (body.type === 'PING') { reply(clientId, msg, { type: 'PONG' }); emit('ping', { from: src }); }
  } else if (ns === NS.receiver) {
    const r = { requestId: body.requestId };
    if (body.type === 'GET_STATUS' && a.misbehave && !misbehaved) { misbehaved = true; misbehave(clientId, msg); }
    else if (body.type === 'GET_STATUS') reply(clientId, msg, { ...r, type: 'RECEIVER_STATUS', status: receiverStatus() });
    else if (body.type === 'GET_APP_AVAILABILITY')
      reply(clientId, msg, { ...r, responseType: 'GET_APP_AVAILABILITY', availability: Object.fromEntries(
        [].concat(body.appId).map((id) => [id, id === DEFAULT_MEDIA_RECEIVER ? 'APP_AVAILABLE' : 'APP_UNAVAILABLE'])) });
    else if (body.type === 'LAUNCH') {
      if (body.appId !== DEFAULT_MEDIA_RECEIVER) { reply(clientId, msg, { ...r, type: 'LAUNCH_ERROR', reason: 'NOT_FOUND' }); return; }
      app = { appId: DEFAULT_MEDIA_RECEIVER, displayName: 'Default Media Receiver', sessionId: randomUUID(),
        transportId: `web-${randomUUID().slice(0, 8)}`, statusText: 'Ready To Cast', isIdleScreen: false,
        namespaces: [{ name: NS.media }, { name: 'urn:x-cast:com.google.cast.cac' }] };
      media = null;
      emit('launch', { appId: body.appId, sessionId: app.sessionId, transportId: app.transportId });
      reply(clientId, msg, { ...r, type: 'RECEIVER_STATUS', status: receiverStatus() });
    } else if (body.type === 'STOP') {
      emit('stop', { sessionId: body.sessionId });
      app = null; media = null;
      reply(clientId, msg, { ...r, type: 'RECEIVER_STATUS', status: receiverStatus() });
    } else if (body.type === 'SET_VOLUME') {
      Object.assign(volume, body.volume || {});
      reply(clientId, msg, { ...r, type: 'RECEIVER_STATUS', status: receiverStatus() });
    } else reply(clientId, msg, { ...r, type: 'INVALID_REQUEST', reason: 'INVALID_COMMAND' });
  } else if (ns === NS.media && app && dst === app.transportId) {
    const r = { requestId: body.requestId };
    if (body.type === 'LOAD') {
      const m = body.media || {};
      if (!loopbackUrl(m.contentId)) {  // this lab only ever touches 127.0.0.1
        emit('load_refused', { contentId: m.contentId, reason: 'not a loopback URL' });
        reply(clientId, msg, { ...r, type: 'LOAD_FAILED' }); return;
      }
      media = { mediaSessionId: ++mediaSessionId, playerState: 'BUFFERING', currentTime: body.currentTime || 0, media: m };
      emit('load', { contentId: m.contentId, contentType: m.contentType, streamType: m.streamType, autoplay: body.autoplay });
      reply(clientId, msg, { ...r, type: 'MEDIA_STATUS', status: mediaStatus() });
      const result = await fetchAndProbe(m);
      if (media?.mediaSessionId === mediaSessionId) {
        Object.assign(media, result.ffprobe.ok ? { playerState: 'PLAYING' } : { playerState: 'IDLE', idleReason: 'ERROR' });
        broadcastMedia();
      }
      emit('media_checked', result);
      if (++loads === Number(a['exit-after-loads'])) shutdown(0);
    } else if (body.type === 'GET_STATUS') reply(clientId, msg, { ...r, type: 'MEDIA_STATUS', status: mediaStatus() });
    else if (['PLAY', 'PAUSE', 'STOP', 'SEEK'].includes(body.type) && media) {
      if (body.type === 'PLAY') media.playerState = 'PLAYING';
      if (body.type === 'PAUSE') media.playerState = 'PAUSED';
      if (body.type === 'SEEK') media.currentTime = body.currentTime ?? media.currentTime;
      if (body.type === 'STOP') Object.assign(media, { playerState: 'IDLE', idleReason: 'CANCELLED' });
      emit('media_command', { command: body.type });
      reply(clientId, msg, { ...r, type: 'MEDIA_STATUS', status: mediaStatus() });
    } else reply(clientId, msg, { ...r, type: 'INVALID_REQUEST', reason: 'INVALID_COMMAND' });
  }
});

function shutdown(code) {
  server.close();
  rmSync(dir, { recursive: true, force: true });
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
    app: DEFAULT_MEDIA_RECEIVER }) + '\n');
});

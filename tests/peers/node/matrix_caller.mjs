#!/usr/bin/env node
// Matrix VoIP caller: matrix-js-sdk's legacy 1:1 MatrixCall on Node + @roamhq/wrtc places
// calls, receives media, and prints one JSON object per line on stdout (matrix_call_probe.mjs
// has the per-call events and the report entries).
//   node matrix_caller.mjs --hs URL --user alice --password pw (--target @u:server | --room !id:server)
//        [--audio-only] [--calls 1] [--timeout 60] [--min-frames 10] [--join-timeout 20]
//        [--hangup-after S] [--hold-at S] [--resume-at S] [--ice-restart-at S]
// --target: a joined room with exactly that user and us, else a new unencrypted DM
// (trusted_private_chat, is_direct) that the target must join within --join-timeout.
// The call carries `invitee` = the target. --calls N places N calls one after another;
// --timeout bounds the whole run (a call still going then is hung up).
// Exit 0 when every call decoded >= --min-frames video frames (--min-frames 0: any outcome).
import { stopFakeMedia } from './matrix_env.mjs';  // first: browser shims
import { parseArgs } from 'node:util';
import * as sdk from 'matrix-js-sdk';
import { CallProbe, callOptions, finish, makeEmitter, signIn, SDK_VERSION, watchCallEvents } from './matrix_call_probe.mjs';

const env = process.env;
const { values: a } = parseArgs({ options: { ...callOptions,
  hs: { type: 'string', default: env.MATRIX_HS }, user: { type: 'string', default: env.MATRIX_USER },
  password: { type: 'string', default: env.MATRIX_PASSWORD }, target: { type: 'string' }, room: { type: 'string' },
  'audio-only': { type: 'boolean', default: false }, 'join-timeout': { type: 'string', default: '20' } } });
if (!a.hs || !a.user || !a.password || (!a.target && !a.room)) {
  console.error('need --hs, --user, --password and --target or --room'); process.exit(2);
}

const emit = makeEmitter(a['ready-file']);
const probes = [];
const deadline = Date.now() + Number(a.timeout) * 1000;
const remaining = () => Math.max(0, deadline - Date.now());
let current = null;
const timer = setTimeout(() => { emit('timeout'); current?.abort(); }, remaining());

const { client, login, syncState } = await signIn({ hs: a.hs, user: a.user, password: a.password });
emit('ready', { user_id: login.user_id, device_id: login.device_id, sync: syncState,
  voip_supported: client.supportsVoip(), sdk_version: SDK_VERSION, target: a.target ?? null, room: a.room ?? null });
watchCallEvents(client, emit);

// Resolves when `check()` holds, re-checking on every room membership change and every
// 100 ms (a room that arrives whole in one sync, its members joined already, fires no
// membership change); rejects after ms.
function until(check, ms, what) {
  return new Promise((resolve, reject) => {
    if (check()) { resolve(); return; }
    const onChange = () => { if (check()) { cleanup(); resolve(); } };
    const t = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${what}`)); }, ms);
    const poll = setInterval(onChange, 100);
    const cleanup = () => { clearTimeout(t); clearInterval(poll); client.off(sdk.RoomStateEvent.Members, onChange); };
    client.on(sdk.RoomStateEvent.Members, onChange);
  });
}

async function roomFor(target) {
  const joinedIds = (room) => room.getJoinedMembers().map((m) => m.userId).sort();
  const mine = [client.getUserId(), target].sort().join(' ');
  const existing = client.getRooms().find((room) => room.getMyMembership() === 'join' && joinedIds(room).join(' ') === mine);
  if (existing) { emit('room', { room_id: existing.roomId, created: false }); return existing.roomId; }
  const { room_id: roomId } = await client.createRoom({ preset: 'trusted_private_chat', is_direct: true,
    invite: [target], visibility: 'private' });
  emit('room', { room_id: roomId, created: true });
  const joined = () => client.getRoom(roomId)?.getMember(target)?.membership === 'join';
  await until(joined, Math.min(Number(a['join-timeout']) * 1000, remaining()), `${target} to join ${roomId}`);
  emit('target_joined', { room_id: roomId, user_id: target });
  return roomId;
}

async function placeOne(roomId) {
  const call = sdk.createNewMatrixCall(client, roomId, a.target ? { invitee: a.target } : undefined);
  if (!call) throw new Error('createNewMatrixCall: VoIP not supported');
  const probe = new CallProbe(call, { role: 'caller', opts: a, emit });
  probes.push(probe);
  current = probe;
  call.on(sdk.CallEvent.State, (state) => { if (state === 'invite_sent') probe.mark('invite'); });
  emit('placing', { call_id: call.callId, room_id: roomId, video: !a['audio-only'] });
  try {
    await (a['audio-only'] ? call.placeVoiceCall() : call.placeVideoCall());
  } catch (e) {
    emit('call_error', { call_id: call.callId, code: 'place_failed', message: e.message });
  }
  if (remaining() === 0) probe.abort();
  await probe.ended;
}

let setupError = null;
try {
  const roomId = a.room ?? await roomFor(a.target);
  for (let i = 0; i < Number(a.calls) && remaining() > 0; i++) await placeOne(roomId);
} catch (e) {
  setupError = e.message;
  emit('setup_failed', { error: e.message });
}
clearTimeout(timer);
const calls = probes.map((p) => ({ ...p.report(), target: a.target ?? null }));
const ok = !setupError && calls.length === Number(a.calls)
  && calls.every((c) => c.frames_received >= Number(a['min-frames']));
finish({ client, ok, calls, extra: { setup_error: setupError }, stopMedia: stopFakeMedia });

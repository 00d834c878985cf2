#!/usr/bin/env node
// A deliberately small, in-memory Matrix Client-Server API server: just what
// matrix-js-sdk needs to log in, sync, make rooms and run VoIP calls (1:1 and MSC3401 group calls).
// No federation, no E2EE, no persistence.  Where it implements something it follows what
// Synapse 1.67 does (checked side by side, see ../README.md section 7): sync shape,
// timeline limits, power levels, membership checks, state de-duplication, error codes.
//   node mini_homeserver.mjs [--port 8008] [--user alice:secret ...] [--quiet]
//        [--rc-message 0.2:10]   Synapse-style rate limit on room event sends (per user; default off)
//        [--turn-uri turn:127.0.0.1:3478?transport=udp ... --turn-secret S]  answer /voip/turnServer like Synapse
//        [--fail-sends N --fail-retry-after-ms MS]  the next N room event sends get 429 M_LIMIT_EXCEEDED
// Test controls (Switchboard's copy; no auth, loopback only, not part of any real homeserver):
//   POST /_test/fail_sends {"count": N, "retry_after_ms": MS}   fail the next N sends (send/ and state/ PUTs)
//                                                               with 429 M_LIMIT_EXCEEDED + retry_after_ms
//   POST /_test/pause_sync {"user": "@u:server"}                hold that user's /sync until resumed
//   POST /_test/resume_sync {"user": "@u:server"}
//   GET  /_test/sends     every send attempt: {user, method, path, txn_id, status, ts}
//   GET  /_test/events    every room event in stream order, with unsigned.transaction_id
// Prints {"type":"listening","url":...} on stdout once ready; logs requests to stderr.
import http from 'node:http';
import { randomBytes, createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: {
  port: { type: 'string', default: '8008' }, host: { type: 'string', default: '127.0.0.1' },
  'server-name': { type: 'string', default: 'localhost' }, user: { type: 'string', multiple: true, default: [] },
  'rc-message': { type: 'string' }, 'turn-uri': { type: 'string', multiple: true, default: [] },
  'turn-secret': { type: 'string', default: 'mini-turn-secret' },
  'fail-sends': { type: 'string', default: '0' }, 'fail-retry-after-ms': { type: 'string', default: '1000' },
  quiet: { type: 'boolean', default: false } } });
const SERVER = opt['server-name'];
const id = (n = 12) => randomBytes(n).toString('base64url');

// ---- state -------------------------------------------------------------
const users = new Map();   // userId -> { password, filters: [], accountData: {} }
const tokens = new Map();  // access token -> { userId, deviceId }
const rooms = new Map();   // roomId -> { state: Map("type\0key" -> event) }
const log = [];            // every room event and to-device message, in stream order
const txns = new Map();    // "token\0txnId" -> response (idempotent PUTs)
let waiters = [];          // pending /sync long-polls
// test controls (see the header)
const failSends = { count: Number(opt['fail-sends']), retryAfterMs: Number(opt['fail-retry-after-ms']) };
const sendAttempts = [];   // {user, method, path, txn_id, status, ts}
const pausedSync = new Map();  // userId -> [resolve] of held /sync requests
let seq = 0;

const addUser = (name, password) => {
  const userId = name.startsWith('@') ? name : `@${name}:${SERVER}`;
  if (!users.has(userId)) users.set(userId, { password, filters: [], accountData: {} });
  return userId;
};
for (const u of opt.user) addUser(...u.split(':'));

function newSession(userId, deviceId = id(6).toUpperCase()) {
  const token = `syt_${id()}`;
  tokens.set(token, { userId, deviceId, token });
  return { user_id: userId, access_token: token, device_id: deviceId, home_server: SERVER };
}

function wake() { const w = waiters; waiters = []; w.forEach((f) => f()); }

function sendEvent(roomId, sender, type, content, stateKey, txnId, token) {
  const ev = { type, content, sender, room_id: roomId, event_id: `$${id(32)}`, origin_server_ts: Date.now() };
  const room = rooms.get(roomId);
  if (stateKey !== undefined) {
    ev.state_key = stateKey;
    const prev = room.state.get(`${type}\0${stateKey}`);  // Synapse: unsigned.replaces_state / prev_content
    if (prev) ev.unsigned = { replaces_state: prev.event_id, prev_content: prev.content, prev_sender: prev.sender };
    room.state.set(`${type}\0${stateKey}`, ev);
  }
  const entry = { seq: ++seq, roomId, ev, txnId, token };
  log.push(entry); byEventId.set(ev.event_id, entry);
  wake();
  return ev;
}

const membership = (roomId, userId) =>
  rooms.get(roomId)?.state.get(`m.room.member\0${userId}`)?.content.membership;

// membership of userId in roomId as it was at stream position `pos`
function membershipAt(roomId, userId, pos) {
  let m;
  for (const e of log) {
    if (e.seq > pos) break;
    if (e.roomId === roomId && e.ev.type === 'm.room.member' && e.ev.state_key === userId) m = e.ev.content.membership;
  }
  return m;
}

// ---- event formatting ----------------------------------------------------
// Every event handed to a client carries unsigned.age (Synapse does this for timeline, state,
// /state, /members, /messages); transaction_id only goes back to the device (token) that sent it.
function clientEvent(e, session) {
  const ev = { ...e.ev, unsigned: { ...(e.ev.unsigned || {}), age: Date.now() - e.ev.origin_server_ts } };
  if (e.txnId && session && e.token === session.token) ev.unsigned.transaction_id = e.txnId;
  return ev;
}
const byEventId = new Map();  // event_id -> log entry (for formatting state events)
const fmt = (ev, session) => clientEvent(byEventId.get(ev.event_id) || { ev }, session);

const powerLevels = (roomId) => rooms.get(roomId).state.get('m.room.power_levels\0')?.content || {};
const userLevel = (roomId, userId) => { const pl = powerLevels(roomId); return pl.users?.[userId] ?? pl.users_default ?? 0; };

// Synapse-style checks before a room event is accepted (event auth subset + request rate limit)
function authorizeSend(roomId, userId, type, stateKey) {
  if (membership(roomId, userId) !== 'join')
    throw new MatrixError(403, 'M_FORBIDDEN', `User ${userId} not in room ${roomId} (${membership(roomId, userId) ?? 'None'})`);
  const pl = powerLevels(roomId);
  const need = pl.events?.[type] ?? (stateKey !== undefined ? pl.state_default ?? 50 : pl.events_default ?? 0);
  const have = userLevel(roomId, userId);
  if (have < need)
    throw new MatrixError(403, 'M_FORBIDDEN', `You don't have permission to post that to the room. user_level (${have}) < send_level (${need})`);
  if (stateKey?.startsWith('@') && stateKey !== userId)  // state keyed by a user ID belongs to that user
    throw new MatrixError(403, 'M_FORBIDDEN', 'You are not allowed to set others state');
}

// rc_message: token bucket per user, like Synapse's Ratelimiter (off unless --rc-message)
const [rcRate, rcBurst] = (opt['rc-message'] || '').split(':').map(Number);
const buckets = new Map();
function rateLimit(userId) {
  if (!rcRate) return;
  const now = Date.now() / 1000;
  const b = buckets.get(userId) || { count: 0, t: now };
  b.count = Math.max(0, b.count - (now - b.t) * rcRate); b.t = now;
  if (b.count + 1 > rcBurst) {
    const e = new MatrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests');
    e.extra = { retry_after_ms: Math.ceil(((b.count + 1 - rcBurst) / rcRate) * 1000) };
    buckets.set(userId, b); throw e;
  }
  b.count += 1; buckets.set(userId, b);
}

const canonical = (v) => (Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
    : JSON.stringify(v));

// ---- /sync -------------------------------------------------------------
// Shape follows Synapse 1.67: empty sections are left out, the timeline honours the filter's
// room.timeline.limit (Synapse default 10) and says limited:true with a prev_batch for /messages.
function syncFilter(session, q) {
  const f = q.get('filter');
  if (!f) return {};
  if (f.startsWith('{')) { try { return JSON.parse(f); } catch { throw new MatrixError(400, 'M_NOT_JSON', 'Invalid filter JSON'); } }
  const stored = users.get(session.userId).filters[Number(f)];
  if (!stored) throw new MatrixError(400, 'M_UNKNOWN', 'No such filter');  // Synapse: 400 for an unknown filter id
  return stored;
}

function roomSummary(roomId, userId) {
  const members = [...rooms.get(roomId).state.values()].filter((e) => e.type === 'm.room.member');
  const count = (m) => members.filter((e) => e.content.membership === m).length;
  return { 'm.heroes': members.filter((e) => e.state_key !== userId && ['join', 'invite'].includes(e.content.membership))
    .map((e) => e.state_key).slice(0, 5), 'm.joined_member_count': count('join'), 'm.invited_member_count': count('invite') };
}

function buildSync(session, since, filter) {
  const { userId, deviceId } = session;
  const limit = filter.room?.timeline?.limit ?? 10;
  const res = { next_batch: String(seq) };
  const join = {}; const invite = {}; const leave = {};
  for (const [roomId, room] of rooms) {
    const now = membership(roomId, userId);
    const before = since === 0 ? undefined : membershipAt(roomId, userId, since);
    const fresh = log.filter((e) => e.seq > since && e.roomId === roomId);
    if (now === 'join') {
      const newlyJoined = before !== 'join';
      if (!newlyJoined && !fresh.length) continue;
      const candidates = newlyJoined ? log.filter((e) => e.roomId === roomId) : fresh;
      const timeline = candidates.slice(-limit);
      const limited = candidates.length > timeline.length;
      const inTimeline = new Set(timeline.map((e) => e.ev.event_id));
      // state: everything current that the client cannot reconstruct from the timeline
      // (full state for a new join, the state changes in the gap of a limited incremental sync)
      const stateEvs = [...room.state.values()].filter((ev) => !inTimeline.has(ev.event_id)
        && (newlyJoined || (limited && byEventId.get(ev.event_id)?.seq > since)));
      join[roomId] = {
        timeline: { events: timeline.map((e) => clientEvent(e, session)), limited,
          prev_batch: `t${timeline.length ? timeline[0].seq : seq}` },
        state: { events: stateEvs.map((ev) => fmt(ev, session)) },
        ephemeral: { events: [] }, account_data: { events: [] },
        unread_notifications: { notification_count: 0, highlight_count: 0 },
        summary: roomSummary(roomId, userId) };
    } else if (now === 'invite' && (since === 0 || before !== 'invite')) {
      // Synapse: stripped create/join_rules/name/... plus the inviter's member event, then the full invite event
      const stripped = [...room.state.values()]
        .filter((e) => ['m.room.create', 'm.room.name', 'm.room.join_rules', 'm.room.avatar', 'm.room.canonical_alias',
          'm.room.encryption'].includes(e.type) || (e.type === 'm.room.member' && e.state_key !== userId
          && e.state_key === room.state.get(`m.room.member\0${userId}`)?.sender))
        .map(({ type, state_key, content, sender }) => ({ type, state_key, content, sender }));
      invite[roomId] = { invite_state: { events: [...stripped, fmt(room.state.get(`m.room.member\0${userId}`), session)] } };
    } else if (['leave', 'ban'].includes(now) && since !== 0 && ['join', 'invite'].includes(before)) {
      leave[roomId] = { timeline: { events: fresh.slice(-limit).map((e) => clientEvent(e, session)),
        limited: fresh.length > limit, prev_batch: `t${fresh.length ? fresh.slice(-limit)[0].seq : seq}` },
      state: { events: [] }, account_data: { events: [] } };
    }
  }
  const toDevice = log.filter((e) => e.seq > since && e.toDevice && e.to === userId && (e.device === '*' || e.device === deviceId))
    .slice(0, 100).map((e) => e.toDevice);  // Synapse hands out at most 100 per sync
  const any = Object.keys(join).length || Object.keys(invite).length || Object.keys(leave).length || toDevice.length;
  if (any) {
    res.rooms = {};
    if (Object.keys(join).length) res.rooms.join = join;
    if (Object.keys(invite).length) res.rooms.invite = invite;
    if (Object.keys(leave).length) res.rooms.leave = leave;
  }
  if (toDevice.length) res.to_device = { events: toDevice };
  const accountData = since === 0 ? Object.entries(users.get(userId).accountData).map(([type, content]) => ({ type, content })) : [];
  if (accountData.length) res.account_data = { events: accountData };
  res.device_one_time_keys_count = { signed_curve25519: 0 };
  res['org.matrix.msc2732.device_unused_fallback_key_types'] = [];
  res.device_unused_fallback_key_types = [];
  return any || since === 0 ? res : null;
}

async function sync(session, query) {
  const since = Number(String(query.get('since') || '0').replace(/^[st]/, '')) || 0;
  const filter = syncFilter(session, query);
  const deadline = Date.now() + Math.min(Number(query.get('timeout') || 0), 30000);
  for (;;) {
    // held while paused (a test control): the response is built only once resumed
    while (pausedSync.has(session.userId)) await new Promise((resolve) => pausedSync.get(session.userId).push(resolve));
    const res = buildSync(session, since, filter);
    if (res || Date.now() >= deadline) return res || buildSync(session, seq, filter) || { next_batch: String(seq),
      device_one_time_keys_count: { signed_curve25519: 0 }, 'org.matrix.msc2732.device_unused_fallback_key_types': [],
      device_unused_fallback_key_types: [] };
    await new Promise((resolve) => {
      const t = setTimeout(() => { waiters = waiters.filter((w) => w !== done); resolve(); }, deadline - Date.now());
      const done = () => { clearTimeout(t); resolve(); };
      waiters.push(done);
    });
  }
}

// GET /rooms/{id}/messages: real history from a prev_batch ("t<seq>") or sync token
function messages(session, roomId, q) {
  needRoom(roomId);
  if (membership(roomId, session.userId) !== 'join') throw new MatrixError(403, 'M_FORBIDDEN', 'User not in room');
  const from = Number(String(q.get('from') || seq + 1).replace(/^[st]/, '')) || seq + 1;
  const limit = Math.min(Number(q.get('limit') || 10), 1000);
  const evs = log.filter((e) => e.roomId === roomId && !e.toDevice);
  // `to` (Synapse honours it): stop at that stream position; a sync token "N" covers events up to seq N
  const to = q.get('to') ? Number(String(q.get('to')).replace(/^[st]/, '')) : undefined;
  const inRange = (e) => to === undefined || (q.get('dir') === 'f' ? e.seq <= to : e.seq > to);
  const chunk = q.get('dir') === 'f' ? evs.filter((e) => e.seq >= from && inRange(e)).slice(0, limit)
    : evs.filter((e) => e.seq < from && inRange(e)).slice(-limit).reverse();
  const out = { chunk: chunk.map((e) => clientEvent(e, session)), start: `t${from}` };
  if (chunk.length) out.end = `t${q.get('dir') === 'f' ? chunk[chunk.length - 1].seq + 1 : chunk[chunk.length - 1].seq}`;
  return out;
}

// ---- rooms -------------------------------------------------------------
// Same event order and default power levels as Synapse 1.67 (room version 9)
const localpart = (userId) => userId.slice(1).split(':')[0];
const memberContent = (membershipValue, userId) => ({ membership: membershipValue, displayname: localpart(userId) });

function createRoom(userId, body) {
  const roomId = `!${id(13)}:${SERVER}`;
  const preset = body.preset || (body.visibility === 'public' ? 'public_chat' : 'private_chat');
  const invites = body.invite || [];
  rooms.set(roomId, { state: new Map() });
  sendEvent(roomId, userId, 'm.room.create', { room_version: body.room_version || '9', creator: userId, ...(body.creation_content || {}) }, '');
  sendEvent(roomId, userId, 'm.room.member', memberContent('join', userId), userId);
  const initial = new Map((body.initial_state || []).map((s) => [`${s.type}\0${s.state_key ?? ''}`, s]));
  let pl = initial.get('m.room.power_levels\0')?.content;
  initial.delete('m.room.power_levels\0');
  if (!pl) {
    pl = { users: { [userId]: 100 }, users_default: 0,
      events: { 'm.room.name': 50, 'm.room.power_levels': 100, 'm.room.history_visibility': 100, 'm.room.canonical_alias': 50,
        'm.room.avatar': 50, 'm.room.tombstone': 100, 'm.room.server_acl': 100, 'm.room.encryption': 100 },
      events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 50, historical: 100 };
    if (preset === 'trusted_private_chat') for (const u of invites) pl.users[u] = 100;
    if (preset !== 'public_chat') pl.invite = 0;
    Object.assign(pl, body.power_level_content_override || {});  // shallow, as Synapse does
  }
  sendEvent(roomId, userId, 'm.room.power_levels', pl, '');
  if (!initial.has('m.room.join_rules\0')) sendEvent(roomId, userId, 'm.room.join_rules', { join_rule: preset === 'public_chat' ? 'public' : 'invite' }, '');
  if (!initial.has('m.room.history_visibility\0')) sendEvent(roomId, userId, 'm.room.history_visibility', { history_visibility: 'shared' }, '');
  if (preset !== 'public_chat' && !initial.has('m.room.guest_access\0')) sendEvent(roomId, userId, 'm.room.guest_access', { guest_access: 'can_join' }, '');
  for (const s of initial.values()) sendEvent(roomId, userId, s.type, s.content, s.state_key ?? '');
  if (body.name) sendEvent(roomId, userId, 'm.room.name', { name: body.name }, '');
  if (body.topic) sendEvent(roomId, userId, 'm.room.topic', { topic: body.topic }, '');
  for (const u of invites) sendEvent(roomId, userId, 'm.room.member', memberContent('invite', u), u);
  return { room_id: roomId };
}

function joinRoom(roomId, userId) {
  needRoom(roomId);
  const now = membership(roomId, userId);
  const rule = rooms.get(roomId).state.get('m.room.join_rules\0')?.content.join_rule;
  if (now === 'ban') throw new MatrixError(403, 'M_FORBIDDEN', 'You are banned from this room');
  if (now !== 'join' && now !== 'invite' && rule !== 'public') throw new MatrixError(403, 'M_FORBIDDEN', 'You are not invited to this room.');
  if (now !== 'join') sendEvent(roomId, userId, 'm.room.member', memberContent('join', userId), userId);
  return { room_id: roomId };
}

// ---- HTTP --------------------------------------------------------------
class MatrixError extends Error {
  constructor(status, errcode, error) { super(error); Object.assign(this, { status, errcode }); }
}
const notFound = () => { throw new MatrixError(400, 'M_UNRECOGNIZED', 'Unrecognized request'); };  // Synapse: 400 (404 outside /_matrix/client)
const needRoom = (roomId) => { if (!rooms.has(roomId)) throw new MatrixError(404, 'M_NOT_FOUND', 'Unknown room'); };
const needJoined = (roomId, userId) => {
  needRoom(roomId);
  if (membership(roomId, userId) !== 'join') throw new MatrixError(403, 'M_FORBIDDEN', `User ${userId} not in room ${roomId}`);
};

function login(body) {
  const name = body.identifier?.user ?? body.user;
  const userId = name?.startsWith('@') ? name : `@${name}:${SERVER}`;
  if (body.type !== 'm.login.password' || users.get(userId)?.password !== body.password)
    throw new MatrixError(403, 'M_FORBIDDEN', 'Invalid username or password');
  return newSession(userId, body.device_id);
}

function register(body) {
  const name = body.username || `user_${id(4)}`;
  if (users.has(`@${name}:${SERVER}`)) throw new MatrixError(400, 'M_USER_IN_USE', 'User ID already taken');
  const userId = addUser(name, body.password);
  return body.inhibit_login ? { user_id: userId } : newSession(userId, body.device_id);
}

// Synapse's TURN REST credentials: username "<expiry>:<user>", password base64(HMAC-SHA1(secret, username))
function turnServer(s) {
  if (!opt['turn-uri'].length) return {};
  const username = `${Math.floor(Date.now() / 1000) + 3600}:${s.userId}`;
  return { username, password: createHmac('sha1', opt['turn-secret']).update(username).digest('base64'), ttl: 3600, uris: opt['turn-uri'] };
}

// Each route: [method, regexp on the path after /_matrix/client/(v3|r0|v1), handler(session, match, body, query)]
const routes = [
  ['GET', /^\/account\/whoami$/, (s) => ({ user_id: s.userId, is_guest: false, device_id: s.deviceId })],
  ['GET', /^\/capabilities$/, () => ({ capabilities: { 'm.room_versions': { default: '9', available: { 9: 'stable', 10: 'stable' } },
    'm.change_password': { enabled: false }, 'm.set_displayname': { enabled: false }, 'm.set_avatar_url': { enabled: false },
    'm.3pid_changes': { enabled: false } } })],
  ['GET', /^\/pushrules\/?$/, () => ({ global: { override: [], content: [], room: [], sender: [],
    underride: ['.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted'].map((rule_id) =>
      ({ rule_id, default: true, enabled: true, conditions: [], actions: ['notify'] })) } })],
  ['POST', /^\/user\/([^/]+)\/filter$/, (s, m, body) => {
    const f = users.get(s.userId).filters; f.push(body); return { filter_id: String(f.length - 1) }; }],
  ['GET', /^\/user\/([^/]+)\/filter\/(\d+)$/, (s, m) => {
    const f = users.get(s.userId).filters[Number(m[2])];
    if (!f) throw new MatrixError(404, 'M_NOT_FOUND', 'No such filter'); return f; }],
  ['PUT', /^\/user\/([^/]+)\/account_data\/([^/]+)$/, (s, m, body) => {
    users.get(s.userId).accountData[m[2]] = body; return {}; }],
  ['GET', /^\/user\/([^/]+)\/account_data\/([^/]+)$/, (s, m) => {
    const d = users.get(s.userId).accountData[m[2]];
    if (!d) throw new MatrixError(404, 'M_NOT_FOUND', 'Account data not found'); return d; }],
  ['GET', /^\/sync$/, (s, m, body, q) => sync(s, q)],
  ['POST', /^\/createRoom$/, (s, m, body) => { rateLimit(s.userId); return createRoom(s.userId, body); }],  // Synapse: one rc_message action
  ['POST', /^\/(?:join|rooms)\/([^/]+?)(?:\/join)?$/, (s, m) => joinRoom(m[1], s.userId)],
  ['POST', /^\/rooms\/([^/]+)\/leave$/, (s, m) => {
    needRoom(m[1]);
    if (!['join', 'invite'].includes(membership(m[1], s.userId))) throw new MatrixError(403, 'M_FORBIDDEN', 'User not in room');
    sendEvent(m[1], s.userId, 'm.room.member', { membership: 'leave' }, s.userId); return {}; }],
  ['POST', /^\/rooms\/([^/]+)\/invite$/, (s, m, body) => {
    needJoined(m[1], s.userId);
    if (userLevel(m[1], s.userId) < (powerLevels(m[1]).invite ?? 0)) throw new MatrixError(403, 'M_FORBIDDEN', 'You do not have permission to invite');
    if (membership(m[1], body.user_id) === 'join') throw new MatrixError(403, 'M_FORBIDDEN', `${body.user_id} is already in the room.`);
    sendEvent(m[1], s.userId, 'm.room.member', memberContent('invite', body.user_id), body.user_id); return {}; }],
  ['GET', /^\/rooms\/([^/]+)\/joined_members$/, (s, m) => {
    needJoined(m[1], s.userId);
    const joined = {};
    for (const e of rooms.get(m[1]).state.values())
      if (e.type === 'm.room.member' && e.content.membership === 'join') joined[e.state_key] = { avatar_url: null, display_name: e.content.displayname ?? null };
    return { joined }; }],
  ['GET', /^\/rooms\/([^/]+)\/members$/, (s, m) => {
    needJoined(m[1], s.userId);
    return { chunk: [...rooms.get(m[1]).state.values()].filter((e) => e.type === 'm.room.member').map((e) => fmt(e, s)) }; }],
  ['GET', /^\/rooms\/([^/]+)\/state$/, (s, m) => { needJoined(m[1], s.userId); return [...rooms.get(m[1]).state.values()].map((e) => fmt(e, s)); }],
  ['GET', /^\/rooms\/([^/]+)\/state\/([^/]+)\/?(.*)$/, (s, m) => {
    needJoined(m[1], s.userId);
    const e = rooms.get(m[1]).state.get(`${m[2]}\0${m[3]}`);
    if (!e) throw new MatrixError(404, 'M_NOT_FOUND', 'Event not found.'); return e.content; }],
  ['PUT', /^\/rooms\/([^/]+)\/state\/([^/]+)\/?(.*)$/, (s, m, body) => {
    needRoom(m[1]);
    authorizeSend(m[1], s.userId, m[2], m[3]);
    // Synapse: re-sending identical content (same sender) returns the existing event, no new event
    rateLimit(s.userId);  // Synapse counts the request even when it is de-duplicated
    const prev = rooms.get(m[1]).state.get(`${m[2]}\0${m[3]}`);
    if (prev && prev.sender === s.userId && canonical(prev.content) === canonical(body)) return { event_id: prev.event_id };
    return { event_id: sendEvent(m[1], s.userId, m[2], body, m[3], undefined, s.token).event_id }; }],
  ['PUT', /^\/rooms\/([^/]+)\/send\/([^/]+)\/([^/]+)$/, (s, m, body) => {
    needRoom(m[1]);
    authorizeSend(m[1], s.userId, m[2]);
    rateLimit(s.userId);
    return { event_id: sendEvent(m[1], s.userId, m[2], body, undefined, m[3], s.token).event_id }; }],
  ['GET', /^\/rooms\/([^/]+)\/messages$/, (s, m, b, q) => messages(s, m[1], q)],
  ['POST', /^\/rooms\/([^/]+)\/(?:read_markers|receipt\/.*)$/, () => ({})],
  ['PUT', /^\/rooms\/([^/]+)\/typing\/.*$/, () => ({})],
  ['PUT', /^\/sendToDevice\/([^/]+)\/([^/]+)$/, (s, m, body) => {
    for (const [to, devices] of Object.entries(body.messages || {}))
      for (const [device, content] of Object.entries(devices))
        log.push({ seq: ++seq, toDevice: { content, type: m[1], sender: s.userId }, to, device });
    wake(); return {}; }],
  ['GET', /^\/devices$/, (s) => ({ devices: [...new Map([...tokens.values()].filter((t) => t.userId === s.userId)
    .map((t) => [t.deviceId, { device_id: t.deviceId, display_name: null, last_seen_ip: '127.0.0.1', last_seen_ts: Date.now() }])).values()] })],
  ['GET', /^\/voip\/turnServer$/, (s) => turnServer(s)],  // {} = no TURN configured (Synapse answers the same)
  ['GET', /^\/profile\/([^/]+)(?:\/displayname|\/avatar_url)?$/, (s, m) => ({ displayname: localpart(m[1]) })],
  ['PUT', /^\/presence\/([^/]+)\/status$/, () => ({})],
];

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type' };

async function handle(req, url, body) {
  const path = decodeURIComponent(url.pathname);
  if (path === '/_matrix/client/versions')
    return { versions: ['r0.0.1', 'r0.1.0', 'r0.2.0', 'r0.3.0', 'r0.4.0', 'r0.5.0', 'r0.6.0', 'r0.6.1', 'v1.1', 'v1.2'],
      unstable_features: {} };  // what Synapse 1.67 advertises
  if (path.startsWith('/_test/')) return testControl(req.method, path.slice(6), body);
  const m0 = path.match(/^\/_matrix\/client\/(?:v3|r0|v1|unstable)(\/.*)$/);
  if (!m0) throw new MatrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  const sub = m0[1];
  if (sub === '/login' && req.method === 'GET') return { flows: [{ type: 'm.login.password' }, { type: 'm.login.application_service' }] };
  if (sub === '/login' && req.method === 'POST') return login(body);
  if (sub === '/register' && req.method === 'POST') return register(body);
  const token = (req.headers.authorization || '').replace(/^Bearer /, '') || url.searchParams.get('access_token');
  const session = tokens.get(token);
  if (!token) throw new MatrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
  if (!session) { const e = new MatrixError(401, 'M_UNKNOWN_TOKEN', 'Invalid access token passed.'); e.extra = { soft_logout: false }; throw e; }
  if (sub === '/logout' && req.method === 'POST') { tokens.delete(token); return {}; }
  for (const [method, re, fn] of routes) {
    const m = method === req.method && sub.match(re);
    if (m) {
      const key = `${token}\0${req.method} ${sub}`;  // PUT .../{txnId}: same txn -> same answer
      const isSend = method === 'PUT' && /^\/rooms\/[^/]+\/(send|state)\//.test(sub);
      let attempt;
      if (isSend) {
        attempt = { user: session.userId, method, path: sub, txn_id: m[0].startsWith('/rooms') && /\/send\//.test(sub) ? m[3] : null,
          status: 200, ts: Date.now() };
        sendAttempts.push(attempt);
        if (failSends.count > 0) {  // a test control: refuse as Synapse's rate limiter would
          failSends.count -= 1; attempt.status = 429;
          const e = new MatrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests');
          e.extra = { retry_after_ms: failSends.retryAfterMs }; throw e;
        }
      }
      if (method === 'PUT' && /\/(send|sendToDevice)\//.test(sub) && txns.has(key)) return txns.get(key);
      let res;
      try { res = await fn(session, m, body, url.searchParams); } catch (e) {
        if (attempt) attempt.status = e.status || 500;  // e.g. --rc-message's 429
        throw e;
      }
      if (method === 'PUT' && /\/(send|sendToDevice)\//.test(sub)) txns.set(key, res);
      return res;
    }
  }
  notFound();
}

// Test controls: fault injection and inspection for Switchboard's tests (see the header)
function testControl(method, sub, body) {
  if (method === 'POST' && sub === '/fail_sends') {
    failSends.count = Number(body.count ?? 1); failSends.retryAfterMs = Number(body.retry_after_ms ?? 1000); return {};
  }
  if (method === 'POST' && sub === '/pause_sync') { if (!pausedSync.has(body.user)) pausedSync.set(body.user, []); return {}; }
  if (method === 'POST' && sub === '/resume_sync') {
    const held = pausedSync.get(body.user) || []; pausedSync.delete(body.user); held.forEach((f) => f()); return {};
  }
  if (method === 'GET' && sub === '/sends') return { sends: sendAttempts };
  if (method === 'GET' && sub === '/events')
    return { events: log.filter((e) => !e.toDevice).map((e) => ({ ...e.ev, unsigned: { transaction_id: e.txnId } })) };
  throw new MatrixError(404, 'M_UNRECOGNIZED', 'Unknown test control');
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', async () => {
    const url = new URL(req.url, 'http://x');
    let status = 200; let out;
    try {
      if (req.method === 'OPTIONS') out = {};
      else out = await handle(req, url, raw ? JSON.parse(raw) : {});
    } catch (e) {
      status = e.status || 500;
      out = { errcode: e.errcode || 'M_UNKNOWN', error: e.message, ...(e.extra || {}) };
    }
    if (!opt.quiet || status >= 400) console.error(`${status} ${req.method} ${url.pathname}`);
    res.writeHead(status, { 'Content-Type': 'application/json', ...CORS });
    res.end(JSON.stringify(out));
  });
});
server.listen(Number(opt.port), opt.host, () => {
  const { port } = server.address();
  console.log(JSON.stringify({ type: 'listening', url: `http://${opt.host}:${port}`, server_name: SERVER }));
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); process.exit(0); });

// What matrix_caller.mjs and matrix_callee.mjs share: JSON-line output, sign-in, the facts
// of m.call.* events seen in the timeline, and CallProbe, the per-call instrumentation
// (state history, decoded video frames per phase, remote audio level, scripted actions after
// `connected`: hold, resume, ICE restart, hangup; the final report entry).
// Import matrix_env.mjs before this module (browser shims before any MatrixClient exists).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import * as sdk from 'matrix-js-sdk';
import { countVideo, measureAudio, latencySummary } from './testmedia.mjs';

export const SDK_VERSION = createRequire(import.meta.url)('matrix-js-sdk/package.json').version;

// Options both drivers take (node:util parseArgs format); numbers are seconds unless named.
export const callOptions = {
  'hangup-after': { type: 'string' }, 'hold-at': { type: 'string' }, 'resume-at': { type: 'string' },
  'ice-restart-at': { type: 'string' }, 'min-frames': { type: 'string', default: '10' },
  calls: { type: 'string', default: '1' }, timeout: { type: 'string', default: '60' },
  'ready-file': { type: 'string' },  // created once the driver is signed in and synced (for tests)
};

// One JSON object per line on stdout: {type:"event", event, t_ms (since start), ts (epoch ms), ...}.
// ts lets a reader line up events of several processes on this machine.
// The 'ready' event also creates `readyFile` (when given): a test waits for the file.
export function makeEmitter(readyFile) {
  const t0 = Date.now();
  return (event, extra = {}) => {
    const now = Date.now();
    process.stdout.write(JSON.stringify({ type: 'event', event, t_ms: now - t0, ts: now, ...extra }) + '\n');
    if (event === 'ready' && readyFile) writeFileSync(readyFile, '');
  };
}

// Logs in with a password; resolves with the started client after its first sync.
export async function signIn({ hs, user, password, timeoutMs = 30000 }) {
  const login = await sdk.createClient({ baseUrl: hs }).login('m.login.password',
    { identifier: { type: 'm.id.user', user }, password });
  const client = sdk.createClient({ baseUrl: hs, userId: login.user_id, accessToken: login.access_token,
    deviceId: login.device_id });
  const synced = new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no first sync in time')), timeoutMs);
    client.once(sdk.ClientEvent.Sync, (state) => { clearTimeout(t); resolve(state); });
  });
  // Room sends still in flight (a hangup placed just before the end): finish() waits for them.
  const inflight = new Set();
  const sendEvent = client.sendEvent.bind(client);
  client.sendEvent = (...args) => {
    const p = sendEvent(...args);
    inflight.add(p);
    p.then(() => inflight.delete(p), () => inflight.delete(p));
    return p;
  };
  client.settleSends = async (ms) => {
    await new Promise((r) => setTimeout(r, 50));  // let a hangup() reach its send
    let t;
    await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => { t = setTimeout(r, ms); })]);
    clearTimeout(t);
  };
  await client.startClient({ initialSyncLimit: 20 });
  const syncState = await synced;
  return { client, login, syncState };
}

const mLines = (sdp) => (sdp || '').split('\r\n').filter((l) => l.startsWith('m='));
const attr = (sdp, name) => [...new Set((sdp || '').split('\r\n').filter((l) => l.startsWith(`a=${name}:`))
  .map((l) => l.slice(name.length + 3)))];
const directions = (sdp) => (sdp || '').split('\r\n')
  .filter((l) => ['a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive'].includes(l)).map((l) => l.slice(2));
// the JSON type of a value as it came over the wire ("string", "number", "absent", ...)
const jsonType = (v) => (v === undefined ? 'absent' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

// The facts of an m.call.invite a test checks (§0 of docs/matrix-voip.md).
export function inviteFacts(ev) {
  const c = ev.getContent();
  return { room_id: ev.getRoomId(), sender: ev.getSender(), call_id: c.call_id, version: c.version,
    version_type: jsonType(c.version), party_id: c.party_id ?? null, lifetime: c.lifetime ?? null,
    invitee: c.invitee ?? null, m_lines: mLines(c.offer?.sdp), age_ms: ev.getLocalAge?.() ?? null,
    metadata_key: c.sdp_stream_metadata ? 'sdp_stream_metadata'
      : c['org.matrix.msc3077.sdp_stream_metadata'] ? 'org.matrix.msc3077.sdp_stream_metadata' : null };
}

// The facts of an m.call.negotiate: which way, its ICE ufrag(s) and media directions.
export function negotiateFacts(ev) {
  const c = ev.getContent();
  const sdp = c.description?.sdp;
  return { room_id: ev.getRoomId(), sender: ev.getSender(), call_id: c.call_id, party_id: c.party_id ?? null,
    description_type: c.description?.type ?? null, lifetime: c.lifetime ?? null, ice_ufrag: attr(sdp, 'ice-ufrag'),
    directions: directions(sdp) };
}

// Emits invite_seen / negotiate_seen / call_event_seen for m.call.* timeline events (not
// candidates) and calls onInvite(facts, seenAtMs) for others' invites. Our own invite comes
// back as invite_echo, our own negotiate events with own: true; other own events are skipped.
export function watchCallEvents(client, emit, { onInvite = () => {}, wanted = () => true } = {}) {
  client.on(sdk.RoomEvent.Timeline, (ev, room, toStartOfTimeline) => {
    const type = ev.getType();
    if (toStartOfTimeline || !type.startsWith('m.call.') || !wanted(ev.getRoomId())) return;
    const own = ev.getSender() === client.getUserId();
    if (type === 'm.call.invite') {
      const facts = inviteFacts(ev);
      emit(own ? 'invite_echo' : 'invite_seen', facts);
      if (!own) onInvite(facts, Date.now());
    } else if (type === 'm.call.negotiate') {
      emit('negotiate_seen', { own, ...negotiateFacts(ev) });
    } else if (!own && type !== 'm.call.candidates') {
      const c = ev.getContent();
      emit('call_event_seen', { call_type: type, sender: ev.getSender(), call_id: c.call_id,
        party_id: c.party_id ?? null, reason: c.reason ?? null, selected_party_id: c.selected_party_id ?? null });
    }
  });
}

const seconds = (v) => (v === undefined ? null : Number(v));

// Instruments one MatrixCall from the moment it exists until it ends.
//   role: 'caller' | 'callee'; opts: parsed callOptions; emit: from makeEmitter().
// Marks the driver sets: mark('invite', ms) (invite sent or seen), mark('answer', ms).
export class CallProbe {
  constructor(call, { role, opts, emit }) {
    Object.assign(this, { call, role, emit });
    this.callId = call.callId;
    this.t = { created: Date.now(), invite: null, answer: null, connected: null, firstFrame: null, ended: null };
    this.states = [call.state];  // a callee's probe starts at ringing
    this.errors = [];
    this.phases = [];  // {name, start_ms (after connected), frames_at_start}
    this.video = null; this.audio = null; this.videoTracks = new Set(); this.audioTrack = null;
    this.ended = new Promise((resolve) => { this.resolveEnded = resolve; });
    this.timers = [];
    this.actions = { hangupAfter: seconds(opts['hangup-after']), holdAt: seconds(opts['hold-at']),
      resumeAt: seconds(opts['resume-at']), iceRestartAt: seconds(opts['ice-restart-at']) };

    call.on(sdk.CallEvent.State, (state, old) => {
      if (state === this.states[this.states.length - 1]) return;  // js-sdk re-emits an unchanged state
      this.states.push(state);
      emit('call_state', { call_id: this.callId, state, old_state: old ?? null });
      if (state === 'connecting' && this.role === 'caller' && this.t.answer === null) this.mark('answer');
      if (state === 'connected' && this.t.connected === null) this.onConnected();
    });
    call.on(sdk.CallEvent.FeedsChanged, (feeds) => this.attachFeeds(feeds));
    call.on(sdk.CallEvent.Error, (err) => {
      this.errors.push({ code: err.code, message: err.message });
      emit('call_error', { call_id: this.callId, code: err.code, message: err.message });
    });
    call.on(sdk.CallEvent.Hangup, () => this.onHangup());
  }

  mark(what, at = Date.now()) { if (this.t[what] === null) this.t[what] = at; }
  frames() { return this.video ? this.video.stats.frames : 0; }
  after(at, from) { return at !== null && from !== null ? at - from : null; }

  attachFeeds(feeds) {
    for (const feed of feeds) {
      if (feed.isLocal()) continue;
      const v = feed.stream.getVideoTracks()[0];
      if (v && !this.videoTracks.has(v.id)) {  // a new remote track (renegotiation) keeps counting
        this.videoTracks.add(v.id);
        const previous = this.video;
        this.video = countVideo(v, (s) => {
          this.mark('firstFrame');
          this.emit('first_frame', { call_id: this.callId, resolution: s.resolution,
            ms_after_answer: this.after(this.t.firstFrame, this.t.answer),
            ms_after_invite: this.after(this.t.firstFrame, this.t.invite) });
        }, previous ? previous.stats : undefined);
        previous?.stop();
      }
      const a = feed.stream.getAudioTracks()[0];
      if (a && a.id !== this.audioTrack) {
        this.audioTrack = a.id;
        this.audio?.stop();
        this.audio = measureAudio(a);
      }
    }
  }

  phase(name) {
    this.phases.push({ name, start_ms: Date.now() - this.t.connected, frames_at_start: this.frames() });
    this.emit('phase', { call_id: this.callId, phase: name, frames_so_far: this.frames() });
  }

  onConnected() {
    this.mark('connected');
    this.emit('ice_connected', { call_id: this.callId, ice: this.call.peerConn?.iceConnectionState ?? null });
    this.phase('connected');
    const at = (s, fn) => { if (s !== null) this.timers.push(setTimeout(fn, s * 1000)); };
    const guarded = (name, fn) => () => {
      if (this.call.callHasEnded()) return;
      try { fn(); this.phase(name); } catch (e) {
        this.emit('call_error', { call_id: this.callId, code: `${name}_failed`, message: e.message });
      }
    };
    const { hangupAfter, holdAt, resumeAt, iceRestartAt } = this.actions;
    at(holdAt, guarded('held', () => this.call.setRemoteOnHold(true)));
    at(resumeAt, guarded('resumed', () => this.call.setRemoteOnHold(false)));
    at(iceRestartAt, guarded('ice_restarted', () => this.call.peerConn.restartIce()));
    at(hangupAfter, () => {
      if (this.call.callHasEnded()) return;
      this.emit('hanging_up', { call_id: this.callId });
      this.call.hangup('user_hangup', false);
    });
  }

  onHangup() {
    if (this.t.ended !== null) return;
    this.mark('ended');
    this.timers.forEach(clearTimeout);
    this.audioDbfs = this.audio ? this.audio.dbfs() : null;
    this.emit('hangup', { call_id: this.callId, reason: this.call.hangupReason ?? null,
      party: this.call.hangupParty ?? null, frames_received: this.frames(), audio_dbfs: this.audioDbfs,
      ms_after_invite: this.after(this.t.ended, this.t.invite) });
    this.video?.stop(); this.audio?.stop();
    this.resolveEnded();
  }

  // Hangs up a call still going (the driver's own timeout).
  abort() {
    if (this.t.ended !== null) return;
    this.timedOut = true;
    try { if (!this.call.callHasEnded()) this.call.hangup('user_hangup', false); } catch { /* ended below */ }
    this.onHangup();  // no-op if the hangup above already ended it
  }

  report() {
    const frames = this.frames();
    const byPhase = {};
    this.phases.forEach((p, i) => {
      const next = this.phases[i + 1];
      byPhase[p.name] = (next ? next.frames_at_start : frames) - p.frames_at_start;
    });
    // frames decoded before `connected` (usually none) count with the first phase
    if (this.phases.length) byPhase.connected += this.phases[0].frames_at_start;
    return { call_id: this.callId, role: this.role, room_id: this.call.roomId, frames_received: frames,
      audio_dbfs: this.audioDbfs ?? (this.audio ? this.audio.dbfs() : null),
      first_frame_ms_after_answer: this.after(this.t.firstFrame, this.t.answer),
      first_frame_ms_after_invite: this.after(this.t.firstFrame, this.t.invite),
      connected_ms_after_invite: this.after(this.t.connected, this.t.invite),
      ended_ms_after_invite: this.after(this.t.ended, this.t.invite),
      invite_ts: this.t.invite, answer_ts: this.t.answer, first_frame_ts: this.t.firstFrame, ended_ts: this.t.ended,
      hangup_reason: this.call.hangupReason ?? null, hangup_party: this.call.hangupParty ?? null,
      states: this.states, errors: this.errors, frames_by_phase: byPhase,
      phases: this.phases.map(({ name, start_ms }) => ({ name, start_ms })), timed_out: !!this.timedOut,
      stamp_latency_ms: latencySummary(this.video ? this.video.stats.latencies : []) };
  }
}

// The last line of a driver: {type:"report", ok, sdk_version, calls:[...]}; then, once the
// last sends went out (at most 3 s), an explicit exit: wrtc may segfault on a natural exit.
export async function finish({ client, ok, calls, extra = {}, stopMedia }) {
  process.stdout.write(JSON.stringify({ type: 'report', ok, sdk_version: SDK_VERSION, ...extra, calls }) + '\n');
  await client?.settleSends?.(3000);
  await new Promise((r) => setTimeout(r, 100));  // js-sdk ends a call (terminate) after its send
  client?.stopClient();
  stopMedia?.();
  setTimeout(() => process.exit(ok ? 0 : 1), 200);
}

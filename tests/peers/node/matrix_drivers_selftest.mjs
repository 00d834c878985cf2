#!/usr/bin/env node
// Self-test of matrix_caller.mjs and matrix_callee.mjs, js-sdk against js-sdk on the mini
// homeserver (all on 127.0.0.1, every child ended by its PID, every wait bounded):
//   1. a video call: connected, frames and audio both ways, the callee holds, resumes and
//      restarts ICE (each an m.call.negotiate offer; the restart with a new ufrag), the
//      caller hangs up;
//   2. the callee rejects: the caller's call ends at once, reason user_hangup, party remote;
//   3. the callee hangs up after connected.
// Prints one line per check and `N passed, N failed`; exit 0 when all passed.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let passed = 0; let failed = 0;
const check = (ok, what, detail = '') => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${ok || !detail ? '' : `: ${detail}`}`);
};

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// Runs a node script; resolves with its JSON lines (killed by PID after timeoutS).
function run(script, args, timeoutS) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('exit', (code) => {
      clearTimeout(t);
      const lines = out.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
      resolve({ code, lines, report: lines.find((l) => l.type === 'report'), events: lines.filter((l) => l.type === 'event') });
    });
  });
}

const port = await freePort();
const hs = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [join(here, 'mini_homeserver.mjs'), '--port', String(port), '--quiet'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('the homeserver did not start')), 15000);
  server.stdout.once('data', () => { clearTimeout(t); resolve(); });
});
const post = async (path, body) => (await fetch(hs + path, { method: 'POST', body: JSON.stringify(body),
  signal: AbortSignal.timeout(5000) })).json();
const events = async () => (await (await fetch(`${hs}/_test/events`, { signal: AbortSignal.timeout(5000) })).json()).events;

try {
  for (const u of ['alice', 'bob']) await post('/_matrix/client/v3/register', { username: u, password: 'pw', inhibit_login: true });
  const who = ['--hs', hs, '--password', 'pw'];
  const pair = async (calleeArgs, callerArgs) => {
    const callee = run('matrix_callee.mjs', [...who, '--user', 'bob', '--timeout', '40', ...calleeArgs], 50);
    await new Promise((r) => setTimeout(r, 1500));  // the callee signs in first; its join is awaited by the caller
    const caller = run('matrix_caller.mjs', [...who, '--user', 'alice', '--target', '@bob:localhost', '--timeout', '40',
      ...callerArgs], 50);
    return { callee: await callee, caller: await caller };
  };

  // 1. connected, hold, resume, ICE restart, caller hangs up
  let { callee, caller } = await pair(['--hold-at', '2', '--resume-at', '4', '--ice-restart-at', '6'], ['--hangup-after', '9']);
  const ce = callee.report?.calls?.[0]; const cr = caller.report?.calls?.[0];
  check(callee.code === 0 && caller.code === 0, 'both drivers exit 0', `callee ${callee.code}, caller ${caller.code}`);
  check(ce?.states[0] === 'ringing' && ce.states.includes('connected') && ce.states.at(-1) === 'ended',
    'callee rang, connected, ended', JSON.stringify(ce?.states));
  check(ce && ce.errors.length === 0 && cr && cr.errors.length === 0, 'no call errors');
  check(cr?.frames_received > 100 && ce?.frames_received > 100, 'frames both ways', `${cr?.frames_received}/${ce?.frames_received}`);
  check(ce?.audio_dbfs > -30 && cr?.audio_dbfs > -30, 'the tone is heard both ways', `${cr?.audio_dbfs}/${ce?.audio_dbfs}`);
  const p = ce?.frames_by_phase || {};
  check(p.connected > 30 && p.held < 10 && p.resumed > 30 && p.ice_restarted > 30, 'callee frames stop while held only',
    JSON.stringify(p));
  check(cr?.hangup_reason === 'user_hangup' && cr?.hangup_party === 'local' && ce?.hangup_party === 'remote',
    'caller hung up', `${cr?.hangup_reason} ${cr?.hangup_party}/${ce?.hangup_party}`);
  const offers = (await events()).filter((e) => e.type === 'm.call.negotiate' && e.content.call_id === ce?.call_id
    && e.content.description?.type === 'offer').map((e) => e.content.description.sdp);
  const ufrag = (sdp) => sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
  check(offers.length === 3, 'hold, resume and ICE restart each send an m.call.negotiate offer', `${offers.length} offers`);
  check(offers.length === 3 && offers[0].includes('a=sendonly') && ufrag(offers[1]) === ufrag(offers[0])
    && ufrag(offers[2]) !== ufrag(offers[1]), 'hold offers sendonly, only the restart changes the ufrag');

  // 2. callee rejects
  ({ callee, caller } = await pair(['--mode', 'reject'], ['--min-frames', '0']));
  const rr = caller.report?.calls?.[0];
  check(callee.code === 0, 'callee rejected', JSON.stringify(callee.report?.calls?.[0]?.states));
  check(rr?.hangup_reason === 'user_hangup' && rr?.hangup_party === 'remote' && rr?.ended_ms_after_invite < 5000,
    'a rejected call ends at once on the caller', `${rr?.hangup_reason} ${rr?.hangup_party} ${rr?.ended_ms_after_invite} ms`);
  check((await events()).some((e) => e.type === 'm.call.reject' && e.content.call_id === rr?.call_id), 'm.call.reject sent');

  // 3. callee hangs up
  ({ callee, caller } = await pair(['--hangup-after', '2'], []));
  const hr = caller.report?.calls?.[0];
  check(caller.code === 0 && hr?.hangup_party === 'remote' && hr?.hangup_reason === 'user_hangup'
    && callee.report?.calls?.[0]?.hangup_party === 'local', 'callee hung up', `${hr?.hangup_reason} ${hr?.hangup_party}`);
} catch (e) {
  check(false, 'self-test ran', e.message);
} finally {
  server.kill('SIGTERM');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

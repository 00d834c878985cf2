#!/usr/bin/env node
// Headless Debian Chromium (/usr/bin/chromium) driven by playwright-core: open a URL,
// wait for a JS condition, evaluate an expression, take a screenshot. A library for other
// drivers (import { openPage } from './chromium_page.mjs') and a command line:
//   node chromium_page.mjs --url URL [--wait-for EXPR] [--eval EXPR] [--screenshot PATH]
//        [--timeout 30] [--arg --extra-chromium-flag ...]
// It prints one JSON line: {"type":"report","ok":..,"value":<--eval result>,"error":..}.
// Exit 0 when the page loaded, the condition held in time and the expression did not throw.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Why each flag:
// - allow-loopback-in-peer-connection: without it Chromium gathers no 127.0.0.1 candidate,
//   and the tests use loopback only.
// - WebRtcHideLocalIpsWithMdns: otherwise host candidates are "<uuid>.local" mDNS names,
//   which our ICE (IP literals only) and the loopback filters cannot use.
// - autoplay-policy: a <video> with a remote stream plays without a user gesture.
// - use-fake-ui/device-for-media-stream: getUserMedia answers at once, with a fake camera
//   and a tone, where no camera, microphone or permission prompt exists.
// - no-sandbox: Chromium refuses to start as root (CI runs as root) with its sandbox on.
export const WEBRTC_FLAGS = [
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

// Launches Chromium and opens `url` (or about:blank). The caller closes `browser`.
export async function openPage({ url = 'about:blank', args = [], timeoutMs = 30000, onConsole } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...WEBRTC_FLAGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...args],
    timeout: timeoutMs,
  });
  try {
    // Chromium lists the loopback network (and every non-default interface) only to a
    // page that holds camera or microphone permission: grant both up front.
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    if (onConsole) page.on('console', (m) => onConsole(`${m.type()}: ${m.text()}`));
    await page.goto(url, { timeout: timeoutMs });
    return { browser, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

// Resolves when the JS expression (which may be async) is truthy in the page; throws
// after timeoutMs. Polled from here: page.waitForFunction takes a promise for truthy.
export async function waitFor(page, expression, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The JSON-serializable value of a JS expression (a promise is awaited).
export async function evaluate(page, expression) {
  return page.evaluate(expression);
}

export async function screenshot(page, path) {
  await page.screenshot({ path, fullPage: true });
}

async function main() {
  const { values: a } = parseArgs({ options: {
    url: { type: 'string', default: 'about:blank' }, 'wait-for': { type: 'string' }, eval: { type: 'string' },
    screenshot: { type: 'string' }, timeout: { type: 'string', default: '30' },
    arg: { type: 'string', multiple: true, default: [] } } });
  const timeoutMs = Number(a.timeout) * 1000;
  const report = { type: 'report', ok: false, url: a.url, value: null, error: null, console: [] };
  let browser;
  try {
    const opened = await openPage({ url: a.url, args: a.arg, timeoutMs, onConsole: (l) => report.console.push(l) });
    browser = opened.browser;
    if (a['wait-for']) await waitFor(opened.page, a['wait-for'], timeoutMs);
    if (a.eval) report.value = await evaluate(opened.page, a.eval);
    if (a.screenshot) await screenshot(opened.page, a.screenshot);
    report.ok = true;
  } catch (e) {
    report.error = e.message.split('\n')[0];
  }
  await browser?.close();
  process.stdout.write(JSON.stringify(report) + '\n');
  process.exit(report.ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();

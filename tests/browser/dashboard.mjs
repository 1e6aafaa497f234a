// The dashboard in a real headless Chromium (Debian's /usr/bin/chromium), driven by
// playwright-core: sign in, try a call, open its conversation, correct an answer and hear the
// correction used in the next simulated call, mark a callback task done, tap a car's repair
// status and take over a text thread at phone width, and take screenshots of every page at
// phone and desktop widths.
//
// Runs `frontdesk demo` itself: FRONTDESK_BIN names the binary, SCREENSHOTS the output folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const bin = process.env.FRONTDESK_BIN || 'target/debug/frontdesk';
const shots = process.env.SCREENSHOTS || 'target/test-output/screenshots';
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(shots, { recursive: true });

function fail(msg) { throw new Error(msg); }
function check(cond, msg) { if (!cond) fail(msg); }

async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-browser-'));
  const child = spawn(bin, ['demo', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' },
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('demo did not start:\n' + out)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const pw = out.match(/with password (\S+)/), addr = out.match(/listening on (http:\/\/\S+)/);
      if (pw && addr) { clearTimeout(timer); resolve({ password: pw[1], base: addr[1] }); }
    });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
  });
  return { child, ...(await ready) };
}

const demo = await startDemo();
const browser = await chromium.launch({
  executablePath: browserPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const steps = [];
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const base = demo.base;

  // Sign in: /try asks for it first, then lands on the simulator.
  await page.goto(base + '/try');
  check(page.url().includes('/login'), 'not sent to sign in: ' + page.url());
  await page.getByLabel('Email').fill('owner@demo.frontdesk');
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/b\/joes-auto\/try/);
  steps.push('signed in');

  // Try a call (SMS flavour): a question the profile does not answer yet.
  async function ask(text) {
    const before = await page.locator('#log .bubble.them').count();
    await page.getByLabel('You say').fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#log .bubble.them').nth(before).waitFor();
    return page.locator('#log .bubble.them').nth(before).innerText();
  }
  async function newCall() {
    await page.goto(base + '/b/joes-auto/try');
    await page.getByLabel('Text message (SMS) instead of a voice call').check();
    await page.getByRole('button', { name: /Start/ }).click();
    await page.locator('#log .bubble.them').first().waitFor();
  }
  await newCall();
  const before = await ask('Do you do window tinting?');
  check(!before.includes('Austin Tint'), 'already knew the answer: ' + before);
  steps.push('simulated a text: ' + before);

  // Open the conversation and correct the answer.
  await page.getByRole('link', { name: "Open this conversation's transcript" }).click();
  await page.waitForURL(/\/conversations\//);
  const lastTurn = page.locator('.turn.assistant').last();
  await lastTurn.locator('summary').click();
  await lastTurn.getByLabel('Answer', { exact: true }).fill("No, we don't tint windows; Austin Tint on Lamar does good work.");
  await lastTurn.getByLabel(/Keywords/).fill('tint, tinting, window tint');
  await lastTurn.getByRole('button', { name: 'Save correction' }).click();
  await page.getByText('Saved: the new answer is part of the profile').waitFor();
  steps.push('corrected the answer');

  // The next simulated call uses the correction.
  await newCall();
  const after = await ask('hey do you guys do window tint');
  check(after.includes('Austin Tint'), 'correction not used: ' + after);
  steps.push('the next call used it: ' + after);

  // A question that needs a person makes a callback task; mark it done with a note.
  await newCall();
  await ask('How much would it cost to paint the hood of my van?');
  await ask('yes, this number is fine');
  await page.goto(base + '/b/joes-auto/tasks');
  const task = page.locator('article').first();
  await task.getByLabel('Note').fill('Called back, quoted the body shop');
  await task.getByRole('button', { name: 'Mark done' }).click();
  await page.getByText('Called back, quoted the body shop').waitFor();
  steps.push('marked a task done');

  // At phone width, as a service advisor holds it: tap a car's status on Today, open the
  // inbox, reply in a thread (the assistant pauses there) and hand it back.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/b/joes-auto');
  const car = page.locator('article.car', { hasText: 'Dana Ortiz' });
  check(await car.getByText('Waiting on parts').count() > 0, 'the seeded car is not waiting on parts');
  await page.screenshot({ path: join(shots, 'repair-today-phone.png'), fullPage: true });
  await car.getByRole('button', { name: 'Ready for pickup' }).click();
  await page.locator('article.car', { hasText: 'Dana Ortiz' }).locator('.tag.work', { hasText: 'Ready for pickup' }).waitFor();
  steps.push('tapped a car ready for pickup');
  await page.goto(base + '/b/joes-auto/messages');
  const row = page.locator('a.row', { hasText: 'Dana Ortiz' });
  check(await row.count() === 1, 'Dana\'s thread is not in the inbox');
  check((await row.getAttribute('class')).includes('unread'), 'Dana\'s thread is not marked unread');
  await page.screenshot({ path: join(shots, 'inbox-phone.png'), fullPage: true });
  await row.click();
  await page.getByText('any news on my camry?').waitFor();
  check(await page.getByText('ready for pickup').count() > 0, 'the ready text is not in the thread');
  await page.getByLabel('Reply as yourself').fill('Hi Dana, it is parked out front, keys at the desk.');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('took this thread over').waitFor();
  check(await page.getByText('(staff)').count() > 0, 'the staff reply is not shown under a name');
  await page.screenshot({ path: join(shots, 'thread-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Hand back to the assistant' }).click();
  await page.getByLabel('Reply as yourself').waitFor();
  check(await page.getByText('took this thread over').count() === 0, 'the thread was not handed back');
  steps.push('replied in a thread at phone width and handed it back');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Screenshots of every page at phone and desktop widths.
  const convHref = await (async () => {
    await page.goto(base + '/b/joes-auto/conversations');
    return page.locator('tbody a').first().getAttribute('href');
  })();
  const pages = {
    today: '/b/joes-auto', conversations: '/b/joes-auto/conversations', transcript: convHref,
    appointments: '/b/joes-auto/appointments', tasks: '/b/joes-auto/tasks', messages: '/b/joes-auto/messages',
    contacts: '/b/joes-auto/contacts', reports: '/b/joes-auto/reports',
    settings: '/b/joes-auto/settings', try: '/b/joes-auto/try?sms=1&c=' + convHref.split('/').pop(),
  };
  for (const [w, h, label] of [[390, 844, 'phone'], [1280, 800, 'desktop']]) {
    await page.setViewportSize({ width: w, height: h });
    for (const [name, path] of Object.entries(pages)) {
      const resp = await page.goto(base + path);
      check(resp.status() === 200, `${name} answered ${resp.status()}`);
      await page.screenshot({ path: join(shots, `${name}-${label}.png`), fullPage: name !== 'settings' });
    }
  }
  for (const [w, h, label] of [[390, 844, 'phone'], [1280, 800, 'desktop']]) {
    const anon = await browser.newContext({ viewport: { width: w, height: h } });
    const p = await anon.newPage();
    await p.goto(base + '/login');
    await p.screenshot({ path: join(shots, `login-${label}.png`) });
    await anon.close();
  }
  steps.push('screenshots in ' + shots);
  console.log('ok: ' + steps.join('; '));
} catch (e) {
  console.error('steps done: ' + steps.join('; '));
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
  demo.child.kill('SIGTERM');
}

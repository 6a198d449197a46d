import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testMongoUri } from '../support/db.js';
import { TEST_PII_ENV } from '../support/keys.js';

const root = join(import.meta.dirname, '..', '..');

/** Runs src/main.ts as production would, with only the given environment. */
function run(env: Record<string, string>, untilLine?: RegExp) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...TEST_PII_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    if (!untilLine) return resolve();
    const check = () => (untilLine.test(stdout) ? resolve() : undefined);
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`exited before ready: ${stderr}${stdout}`)));
  });
  return { child, exited, ready, out: () => stdout, err: () => stderr };
}

describe('process start-up and shutdown', () => {
  it('exits non-zero with one line naming PORT when PORT is invalid', async () => {
    const p = run({ PORT: 'not-a-port', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(await p.exited).not.toBe(0);
    const lines = p.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
  });

  it('exits non-zero naming TELEGRAM_WEBHOOK_SECRET when webhook mode has none', async () => {
    const p = run({ MONGODB_URI: 'mongodb://127.0.0.1:1/x', TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_MODE: 'webhook' });
    expect(await p.exited).not.toBe(0);
    const lines = p.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/TELEGRAM_WEBHOOK_SECRET/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const p = run({ MONGODB_URI: testMongoUri(), PORT: String(20000 + Math.floor(Math.random() * 20000)), LOG_LEVEL: 'info' }, /"event":"started"/);
    await p.ready;
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"event":"stopped"');
  }, 30_000);
});

import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants, existsSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * FerretDB 1.24.2 built from the project's own Go module (`scripts/ferretdb/`),
 * which embeds FerretDB as a library with the SQLite handler. A plain
 * `go install …/cmd/ferretdb@v1.24.2` panics at start (empty version file in the
 * module zip); see scripts/ferretdb/main.go.
 */

export const FERRETDB_VERSION = '1.24.2';
const BUILD_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 30_000;

/** The Go module's folder: found by walking up from this file (works from src/ and dist/src/). */
export function ferretDbSourceDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scripts', 'ferretdb');
    if (existsSync(join(candidate, 'go.mod'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function cacheRoot(): string {
  return process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
}

/** Where the build for this exact source lives: the hash changes whenever main.go, go.mod or go.sum do. */
async function cachedBinaryPath(sourceDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(await readFile(join(sourceDir, file)));
  return join(cacheRoot(), 'luong-huu-bot', `ferretdb-${FERRETDB_VERSION}-${hash.digest('hex').slice(0, 12)}`, 'ferretdb');
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function runGo(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('go', args, { cwd, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'Go is not installed' : (stderr.trim() || err.message).split('\n').slice(-5).join('\n');
      reject(new Error(`go ${args.join(' ')} failed: ${reason}`));
    });
  });
}

/**
 * The FerretDB binary: `FERRETDB_BIN` if set, else the cached build, else a
 * fresh build (needs Go and the module proxy; about two minutes the first time).
 * Concurrent callers may both build; each writes a temporary file and renames it.
 */
export async function ferretDbBinary(log: (line: string) => void = () => undefined): Promise<string> {
  const fromEnv = process.env.FERRETDB_BIN;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) throw new Error(`FERRETDB_BIN=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const sourceDir = ferretDbSourceDir();
  if (!sourceDir) throw new Error('scripts/ferretdb/ (the FerretDB build module) was not found');
  const bin = await cachedBinaryPath(sourceDir);
  if (await isExecutable(bin)) return bin;

  log(`building FerretDB ${FERRETDB_VERSION} from scripts/ferretdb (once per machine) …`);
  await mkdir(dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  try {
    await runGo(['build', '-trimpath', '-o', tmp, '.'], sourceDir);
    await rename(tmp, bin);
  } finally {
    await rm(tmp, { force: true });
  }
  log(`built ${bin}`);
  return bin;
}

export interface FerretDbProcess {
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB on a free loopback port with its SQLite files in `dataDir`.
 * It exits by itself when this process dies (its stdin closes). A start-up
 * failure is thrown with FerretDB's own error text. Not `durable`: SQLite does
 * not wait for the disk on each commit (throw-away test and benchmark data).
 * Production on FerretDB needs the same `_txlock=immediate` in its SQLite URL.
 */
export async function startFerretDb(bin: string, dataDir: string, durable = true): Promise<FerretDbProcess> {
  await mkdir(dataDir, { recursive: true });
  // _txlock=immediate: FerretDB's update transactions start as readers and upgrade to writers; under concurrent
  // writes SQLite refuses the upgrade at once ("database is locked", SQLITE_BUSY) instead of waiting its busy
  // timeout. Taking the write lock at BEGIN makes concurrent writers wait their turn.
  const sqliteUrl = `file:${dataDir}/?_txlock=immediate${durable ? '' : '&_pragma=synchronous(off)'}`;
  const child = spawn(bin, ['--listen-addr=127.0.0.1:0', `--sqlite-url=${sqliteUrl}`, '--exit-with-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    // Keep the tail only: FerretDB logs errors alone (--log-level=error), but bound it anyway.
    stderr = (stderr + chunk).slice(-4000);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no "ready" line after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(reason: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const own = stderr.trim();
      reject(new Error(`FerretDB did not start: ${reason}${own ? `\n${own}` : ''}`));
    }
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${String(code ?? signal)})`));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^ready (mongodb:\/\/\S+)$/m.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(match[1].replace(/\/$/, ''));
    });
  });
  // Nothing more is read from stdout; keep draining it so FerretDB never blocks on a full pipe.
  child.stdout.resume();

  return {
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The version the binary reports (`--version`), to print beside the URI. */
function ferretDbVersion(bin: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(bin, ['--version'], { timeout: 10_000 }, (err, stdout) => resolve(err ? 'unknown version' : stdout.trim()));
  });
}

/** The binary (see ferretDbBinary), refused unless it reports FERRETDB_VERSION. */
export async function verifiedFerretDbBinary(log: (line: string) => void = () => undefined): Promise<{ bin: string; version: string }> {
  const bin = await ferretDbBinary(log);
  const version = await ferretDbVersion(bin);
  if (version !== FERRETDB_VERSION) throw new Error(`${bin} reports version ${version}, expected ${FERRETDB_VERSION}`);
  return { bin, version };
}

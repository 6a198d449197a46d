import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts a TypeScript worker script in its own process (through tsx) with
 * `env`, and resolves once it prints "ready"; an early exit fails. The child
 * is added to `children`, for the test to kill whatever is left.
 */
export async function startReadyChild(script: string, env: NodeJS.ProcessEnv, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
  });
  return child;
}

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EJSON } from 'bson';
import type { Store } from './store.js';
import { toInternal } from './values.js';
import { errorMessage } from '../../errors.js';

/**
 * Dev-only persistence: the whole store as one canonical EJSON file, so types
 * (ObjectId, Date, Long, Decimal128, Binary subtypes) survive a restart. Not a
 * database file format: no journal, last write wins, fine for `npm run dev`.
 */
export async function loadSnapshot(store: Store, file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    store.restore(toInternal(EJSON.parse(text, { relaxed: false })));
  } catch (err) {
    throw new Error(`cannot load embedded-mongo snapshot ${file}: ${errorMessage(err)}`);
  }
  return true;
}

export class SnapshotWriter {
  private readonly store: Store;
  private readonly file: string;
  private readonly delayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(store: Store, file: string, delayMs = 500) {
    this.store = store;
    this.file = file;
    this.delayMs = delayMs;
  }

  /** Coalesces bursts of writes into one save about `delayMs` after the first. */
  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save().catch((err: unknown) => {
        process.emitWarning(`embedded-mongo could not save ${this.file}: ${errorMessage(err)}`);
      });
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now if anything changed; used on stop. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.save();
  }

  private save(): Promise<void> {
    // Serialise saves so an older snapshot can never overwrite a newer one.
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (!this.dirty) return;
        this.dirty = false;
        // Stringify synchronously: the snapshot reflects one consistent moment.
        const text = EJSON.stringify(this.store.snapshot(), { relaxed: false });
        await mkdir(dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, this.file);
      });
    return this.writing;
  }
}

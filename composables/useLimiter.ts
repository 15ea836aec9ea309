/** Queries a board runs at once. */
export const BOARD_CONCURRENCY = 8;

/**
 * A concurrency limiter shared by the tiles of a board: at most `limit` queries in flight; the rest
 * wait their turn. An aborted waiter leaves the queue without running.
 */
export function createLimiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  async function run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (active >= limit) {
      await new Promise<void>((resolve, reject) => {
        const go = () => { signal?.removeEventListener('abort', cancel); resolve(); };
        const cancel = () => {
          const i = queue.indexOf(go);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        queue.push(go);
        signal?.addEventListener('abort', cancel, { once: true });
      });
    }
    active++;
    try {
      return await fn();
    } finally {
      release();
    }
  }
  return { run, get active() { return active; }, get waiting() { return queue.length; } };
}

export type Limiter = ReturnType<typeof createLimiter>;

/**
 * What a benchmark started, stopped in reverse order exactly once: at the end, after a failure,
 * or on SIGINT / SIGTERM. A resource still starting when the stop begins is waited for and then
 * stopped too, so an early Ctrl-C leaves nothing behind. A second signal exits at once.
 */
export class Cleanup {
  private readonly stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  private readonly starting = new Set<Promise<unknown>>();
  private running?: Promise<void>;
  private finished = false;
  /** Set by a signal: the benchmark should stop measuring. */
  interrupted: string | undefined;

  constructor(private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  /** Registers `stop` for the resource `starting` resolves to, once it has started. */
  async start<T>(name: string, starting: Promise<T>, stop: (resource: T) => Promise<unknown>): Promise<T> {
    this.starting.add(starting);
    try {
      const resource = await starting;
      if (this.finished) {
        // Started after the cleanup ran (a signal came during start-up): stop it right away.
        await stop(resource);
        throw new Interrupted(this.interrupted ?? 'the cleanup');
      }
      this.stops.push({ name, stop: () => stop(resource) });
      return resource;
    } finally {
      this.starting.delete(starting);
    }
  }

  /** Registers a stop for something already there (or about to be: stops must tolerate absence). */
  add(name: string, stop: () => Promise<unknown>): void {
    this.stops.push({ name, stop });
  }

  /** Stops everything, last started first; failures are reported and do not stop the rest. */
  run(): Promise<void> {
    this.running ??= (async () => {
      await Promise.allSettled([...this.starting]);
      for (let step = this.stops.pop(); step; step = this.stops.pop()) {
        const { name, stop } = step;
        try {
          await stop();
        } catch (error) {
          this.log(`  cleanup: stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.finished = true;
    })();
    return this.running;
  }

  /** On SIGINT / SIGTERM: mark interrupted, clean up, exit 130; a second signal exits immediately. */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.interrupted) {
          this.log(`${signal} again: exiting without waiting for the cleanup`);
          process.exit(130);
        }
        this.interrupted = signal;
        this.log(`${signal}: stopping the app, the workers and the Temporal server, dropping the database ...`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  /**
   * Also on an error nobody catches (an uncaught exception, an unhandled rejection): report it,
   * clean up, exit 1. Without this a bench that dies that way leaves its databases and servers.
   */
  onFatalErrors(): void {
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      process.on(event, (error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        // While cleaning up, connections failing as their servers stop are expected: noted only.
        if (this.running) return this.log(`  (${event} while cleaning up: ${message.split('\n')[0]})`);
        this.log(`${event}: ${message}`);
        void this.run().finally(() => process.exit(1));
      });
    }
  }

  /**
   * Runs a benchmark's `main` to its end, cleans up once, and exits: 130 after a signal, 1 after a
   * failure, else 0. Uncaught errors and signals clean up too (onFatalErrors, onSignals).
   */
  runMain(main: () => Promise<void>): void {
    this.onSignals();
    this.onFatalErrors();
    let exitCode = 0;
    main()
      .catch((error) => {
        if (this.interrupted || error instanceof Interrupted) return;
        console.error(error);
        exitCode = 1;
      })
      .finally(async () => {
        this.log('Cleaning up ...');
        await this.run();
        process.exit(this.interrupted ? 130 : exitCode);
      });
  }

  /** Throws when a signal arrived, so a measuring loop stops early. */
  check(): void {
    if (this.interrupted) throw new Interrupted(this.interrupted);
  }
}

export class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
  }
}

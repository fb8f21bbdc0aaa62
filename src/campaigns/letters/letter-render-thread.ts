import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CampaignMessageFields, LetterAddressee } from '../campaign-message';
import { renderLetterBatchWithLayout, RenderedLetterBatch } from './letter-pdf';

/**
 * Renders print files on a thread of their own (one `worker_threads` Worker, started on first use),
 * not on the worker process's main thread. pdfkit works synchronously: a file of 1,000 letters holds
 * the thread that runs it for seconds, and on the Temporal worker's main thread that is every other
 * activity, heartbeat and workflow query of the process waiting, and the rendering itself ran
 * about half as fast there as in a bare process (bench:campaign: ~8.3 s against ~4-5 s for the
 * same 1,000 letters). On its own thread it renders at the bare renderer's pace.
 *
 * One file at a time (the campaign renders one batch per activity); a thread that dies fails the
 * files it had and is started afresh for the next.
 */
export class LetterRenderThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (batch: RenderedLetterBatch) => void; reject: (error: Error) => void }>();

  render(
    fields: CampaignMessageFields,
    templateVersion: number,
    addressees: readonly LetterAddressee[],
    createdAt: Date,
  ): Promise<RenderedLetterBatch> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<RenderedLetterBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Kept alive while it has work; idle, it does not hold the process open.
      worker.ref();
      worker.postMessage({ id, fields, templateVersion, addressees, createdAt: createdAt.getTime() } satisfies RenderRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // From source (ts-node, jest) the thread needs TypeScript too; built, it loads the .js.
    const load = __filename.endsWith('.ts')
      ? `if (!require.extensions['.ts']) require('ts-node/register/transpile-only'); require(${JSON.stringify(__filename)});`
      : `require(${JSON.stringify(__filename)});`;
    const worker = new Worker(load, { eval: true, workerData: { letterRenderThread: true } });
    worker.unref();
    worker.on('message', (answer: RenderAnswer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve({ pdf: Buffer.from(answer.pdf.buffer, answer.pdf.byteOffset, answer.pdf.byteLength), pageCount: answer.pageCount, letters: answer.letters });
    });
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => failAll(new Error(`the letter render thread failed: ${error.message}`)));
    worker.on('exit', (code) => failAll(new Error(`the letter render thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

interface RenderRequest {
  id: number;
  fields: CampaignMessageFields;
  templateVersion: number;
  addressees: readonly LetterAddressee[];
  createdAt: number;
}

type RenderAnswer =
  | { id: number; pdf: Uint8Array; pageCount: number; letters: RenderedLetterBatch['letters'] }
  | { id: number; error: string };

// The thread's side.
if (!isMainThread && (workerData as { letterRenderThread?: boolean } | undefined)?.letterRenderThread) {
  const port = parentPort!;
  port.on('message', (request: RenderRequest) => {
    renderLetterBatchWithLayout(request.fields, request.templateVersion, request.addressees, { createdAt: new Date(request.createdAt) }).then(
      ({ pdf, pageCount, letters }) => port.postMessage({ id: request.id, pdf, pageCount, letters } satisfies RenderAnswer),
      // The message only (names a recipient id at most, never an address: see letter-pdf.ts).
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies RenderAnswer),
    );
  });
}

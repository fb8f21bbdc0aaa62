import type { CampaignMessageFields, LetterAddressee } from '../campaign-message';
import { letterManifestCsv } from './letter-manifest';
import { LetterRenderThread } from './letter-render-thread';
import { LETTER_TEMPLATES, missingMergeFields } from './letter-template';

/** A print file and its manifest. */
export interface PrintFile {
  pdf: Buffer;
  manifest: string;
}

/**
 * The campaign's letters as print files: the versioned template, rendered with pdfkit (see
 * letter-pdf.ts) on a thread of its own (see letter-render-thread.ts).
 */
export class LetterPrinter {
  private readonly thread = new LetterRenderThread();

  /** Names of the merge fields the message still lacks, or `templateVersion` when the version is unknown. */
  missingMergeFields(fields: CampaignMessageFields, templateVersion: number): string[] {
    return [...(LETTER_TEMPLATES[templateVersion] ? [] : ['templateVersion']), ...missingMergeFields(fields)];
  }

  /** One print file: the letters in the order given (print order), with its manifest. */
  async print(fields: CampaignMessageFields, templateVersion: number, batchNo: number, addressees: LetterAddressee[], createdAt: Date): Promise<PrintFile> {
    const { pdf, letters } = await this.thread.render(fields, templateVersion, addressees, createdAt);
    return { pdf, manifest: letterManifestCsv(batchNo, addressees, letters) };
  }

  /** Stops the render thread (a print after this starts a new one). */
  close(): Promise<void> {
    return this.thread.close();
  }
}

import type { CampaignMessageFields, LetterAddressee } from '../campaign-message';
import { letterManifestCsv } from './letter-manifest';
import { renderLetterBatchWithLayout } from './letter-pdf';
import { LETTER_TEMPLATES, missingMergeFields } from './letter-template';

/** A print file and its manifest. */
export interface PrintFile {
  pdf: Buffer;
  manifest: string;
}

/** The campaign's letters as print files: the versioned template, rendered with pdfkit (see letter-pdf.ts). */
export class LetterPrinter {
  /** Names of the merge fields the message still lacks, or `templateVersion` when the version is unknown. */
  missingMergeFields(fields: CampaignMessageFields, templateVersion: number): string[] {
    return [...(LETTER_TEMPLATES[templateVersion] ? [] : ['templateVersion']), ...missingMergeFields(fields)];
  }

  /** One print file: the letters in the order given (print order), with its manifest. */
  async print(fields: CampaignMessageFields, templateVersion: number, batchNo: number, addressees: LetterAddressee[], createdAt: Date): Promise<PrintFile> {
    const { pdf, letters } = await renderLetterBatchWithLayout(fields, templateVersion, addressees, { createdAt });
    return { pdf, manifest: letterManifestCsv(batchNo, addressees, letters) };
  }
}

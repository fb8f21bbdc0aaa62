import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import { mediaTypeOf } from '../../http/raw-bodies';

export type ClientFileMediaType = 'application/pdf' | 'application/zip';

/** What a file package must start with, per media type: the type sent must be the type it is. */
export const FILE_SIGNATURES: Record<ClientFileMediaType, { magic: Buffer; rule: string }> = {
  'application/pdf': {
    magic: Buffer.from('%PDF-', 'latin1'),
    rule: 'a file sent as application/pdf must be a PDF: its first bytes must be %PDF-',
  },
  'application/zip': {
    magic: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    rule: 'a file sent as application/zip must be a ZIP archive: its first bytes must be PK followed by 0x03 0x04',
  },
};

export const FILE_MEDIA_TYPE_RULE = 'Content-Type must be application/pdf or application/zip';
export const EMPTY_FILE_RULE = 'the body must be the file package (a PDF or a ZIP archive), not empty';

/**
 * The body of `POST /clients/{pseudonym}/file` as a file package: a PDF or a ZIP archive, as its
 * Content-Type says and its first bytes show (415 otherwise, naming the rule; the bytes are never
 * repeated). The edge read the body (see src/http/raw-bodies.ts) within its limit.
 */
export function fileFromRequest(contentType: string | undefined, body: unknown): { mediaType: ClientFileMediaType; content: Buffer } {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType !== 'application/pdf' && mediaType !== 'application/zip') throw new UnsupportedMediaTypeException(FILE_MEDIA_TYPE_RULE);
  if (!Buffer.isBuffer(body) || body.length === 0) throw new BadRequestException([EMPTY_FILE_RULE]);
  const { magic, rule } = FILE_SIGNATURES[mediaType];
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) throw new UnsupportedMediaTypeException(rule);
  return { mediaType, content: body };
}

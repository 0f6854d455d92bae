/**
 * What chat makes of an uploaded file, through the one document extractor (api/extract): the type sniffed
 * from the bytes, images answered as they are, documents as text for the model — pages, slides and sheets
 * labelled, at most 90,000 characters. The extractor's refusals are answered under this surface's codes
 * (413 too large, 415 unsupported, 422 empty/damaged/bomb/too many pages, 503 busy).
 */
import type { DocumentExtractor } from '../../extract/extractor';
import { ExtractRefusal } from '../../extract/refusal';
import type { ExtractResult, Segment } from '../../extract/types';

export const LIMITS = {
  /** Text handed to the model per document (a chat text part holds at most 100,000 characters). */
  documentChars: 90_000,
};

export type AttachmentKind = 'image' | 'document';

export interface AttachmentContent {
  kind: AttachmentKind;
  mediaType: string;
  /** Documents: the text to give the model; null for images. */
  text: string | null;
  truncated: boolean;
}

/** Reads the file off the event loop; throws the extractor's refusal as an `attachments` error. */
export async function readAttachment(
  extractor: DocumentExtractor,
  filename: string,
  bytes: Uint8Array,
): Promise<AttachmentContent> {
  let result: ExtractResult;
  try {
    result = await extractor.extract({ filename, bytes }, { chars: LIMITS.documentChars });
  } catch (err) {
    throw err instanceof ExtractRefusal ? err.forSurface('attachments') : err;
  }
  if (result.kind === 'image')
    return { kind: 'image', mediaType: result.mediaType, text: null, truncated: false };
  const full = renderText(result.segments);
  const truncated = result.truncated || full.length > LIMITS.documentChars;
  return {
    kind: 'document',
    mediaType: result.mediaType,
    text: full.slice(0, LIMITS.documentChars),
    truncated,
  };
}

/**
 * Segments as one text: a `--- Page n ---` / `--- Slide n ---` / `--- Sheet name ---` line where those
 * change, rows of one sheet or CSV on consecutive lines, other segments as paragraphs.
 */
export function renderText(segments: Segment[]): string {
  let out = '';
  let previous: Segment['location'] | undefined;
  for (const { text, location } of segments) {
    const label =
      location.page !== undefined
        ? `Page ${location.page}`
        : location.slide !== undefined
          ? `Slide ${location.slide}`
          : location.sheet !== undefined
            ? `Sheet ${location.sheet}`
            : '';
    const previousLabel = previous && (previous.page ?? previous.slide ?? previous.sheet);
    const current = location.page ?? location.slide ?? location.sheet;
    if (label && current !== previousLabel) out += `${out ? '\n\n' : ''}--- ${label} ---\n${text}`;
    else out += `${out ? (label ? '\n' : '\n\n') : ''}${text}`;
    previous = location;
  }
  return out;
}

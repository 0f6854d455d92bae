/** HTML pages: the tag count is checked, then html-blocks.ts reads paragraphs under their heading path. */
import type { SegmentSink } from '../segments';
import type { ExtractLimits } from '../types';
import { checkTagCount, readHtmlBlocks } from './html-blocks';

export async function readHtml(name: string, text: string, limits: ExtractLimits, sink: SegmentSink) {
  checkTagCount(name, text, limits.elements);
  await readHtmlBlocks(text, sink);
}

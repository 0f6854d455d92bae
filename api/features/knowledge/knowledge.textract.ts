/**
 * Amazon Textract for OCR when configured (TEXTRACT_REGION; credentials as the S3 driver gets them:
 * api/lib/aws-credentials.ts). One synchronous DetectDocumentText call per page image (AWS JSON 1.1
 * protocol: `POST /`, `X-Amz-Target: Textract.DetectDocumentText`, SigV4 for service `textract` through
 * aws4fetch), and the LINE blocks joined in reading order. Only Textract's error type is logged or shown:
 * its messages may echo request details.
 * https://docs.aws.amazon.com/textract/latest/dg/API_DetectDocumentText.html
 */
import { AwsClient } from 'aws4fetch';
import type { TextractConfig } from '../../config';
import type { CredentialProvider } from '../../lib/aws-credentials';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';

export const TEXTRACT_ENGINE = 'textract';
/** Textract's synchronous limit for a document's bytes. */
export const TEXTRACT_MAX_BYTES = 5 * 1024 * 1024;
/** Image types DetectDocumentText reads (besides PDF and TIFF, which we do not send). */
export const TEXTRACT_IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);
const TIMEOUT_MS = 60_000;

interface Block {
  BlockType?: string;
  Text?: string;
  Confidence?: number;
}

export class TextractOcr {
  readonly engine = TEXTRACT_ENGINE;

  constructor(
    private readonly options: Omit<TextractConfig, 'credentials'> & {
      credentials: CredentialProvider;
      log: Logger;
      /** Retries of an answer 5xx or 429 (aws4fetch backs off between them). */
      retries?: number;
    },
  ) {}

  /** The text of one page image (PNG or JPEG) and the mean confidence of its lines (0–100). */
  async detectText(image: Uint8Array): Promise<{ text: string; confidence: number }> {
    if (image.byteLength > TEXTRACT_MAX_BYTES)
      throw new AppError('validation:knowledge', 'A page image is larger than Textract accepts (5 MB)');
    const client = new AwsClient({
      ...(await this.options.credentials.get()),
      service: 'textract',
      region: this.options.region,
      retries: this.options.retries ?? 3,
    });
    let res: Response;
    try {
      res = await client.fetch(`${this.options.endpoint}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Textract.DetectDocumentText',
        },
        body: JSON.stringify({ Document: { Bytes: Buffer.from(image).toString('base64') } }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new AppError('unavailable:knowledge', 'Amazon Textract could not be reached', {
        cause: new Error((err as Error).name),
      });
    }
    const body = (await res.json().catch(() => null)) as { Blocks?: Block[]; __type?: string } | null;
    if (!res.ok) {
      const type = String(body?.__type ?? 'unknown')
        .split('#')
        .pop();
      this.options.log.warn({ status: res.status, type }, 'textract refused a page');
      // A page Textract cannot read fails the item with the reason; throttling and outages are retried.
      throw new AppError(
        res.status >= 500 || res.status === 429 || type === 'ProvisionedThroughputExceededException'
          ? 'unavailable:knowledge'
          : 'validation:knowledge',
        `Amazon Textract could not read a page (${type})`,
      );
    }
    const lines = (body?.Blocks ?? []).filter((b) => b.BlockType === 'LINE' && b.Text);
    const confidence = lines.length
      ? lines.reduce((sum, b) => sum + (b.Confidence ?? 0), 0) / lines.length
      : 0;
    return { text: lines.map((b) => b.Text).join('\n'), confidence };
  }
}

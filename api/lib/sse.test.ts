import { describe, expect, it } from 'vitest';
import { FILL, jsonTemplate } from './sse';

describe('jsonTemplate', () => {
  const shape = (value: string) => ({
    id: 'chatcmpl-1',
    created: 1,
    model: 'm "quoted"',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content: value }, finish_reason: null }],
  });

  it.each([
    '',
    'plain',
    'quotes " and \\ backslashes',
    'new\nlines\tand\u0001controls',
    'ünïcödé 漢字 🙂',
    'lone \ud800 surrogate',
    FILL.slice(1), // text resembling the marker is data, not a hole
    '</script><!--',
  ])('gives the bytes JSON.stringify gives for %j', (value) => {
    expect(jsonTemplate(shape(FILL))(value)).toBe(JSON.stringify(shape(value)));
  });

  it('refuses a shape without exactly one hole', () => {
    expect(() => jsonTemplate({ a: 'x' })).toThrow(/exactly once/);
    expect(() => jsonTemplate({ a: FILL, b: FILL })).toThrow(/exactly once/);
  });
});

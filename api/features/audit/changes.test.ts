import { describe, expect, it } from 'vitest';
import { fieldChanges } from './changes';

describe('fieldChanges', () => {
  it('lists only the fields whose value changed, as from → to', () => {
    const before = { name: 'GPT', price: '2.5', surfaces: ['chat', 'compare'], note: null as string | null };
    const after = { name: 'GPT 4', price: '2.5', surfaces: ['chat'], note: null as string | null };
    expect(fieldChanges(before, after, ['name', 'price', 'surfaces', 'note'])).toEqual({
      name: { from: 'GPT', to: 'GPT 4' },
      surfaces: { from: ['chat', 'compare'], to: ['chat'] },
    });
  });
});

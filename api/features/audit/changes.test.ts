import { describe, expect, it } from 'vitest';
import { describeDetails, fieldChanges, listChanges } from './changes';

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

describe('listChanges', () => {
  it('names what was added and removed, sorted, and nothing when the lists hold the same items', () => {
    expect(listChanges(['chat:use', 'admin:users'], ['compare:use', 'chat:use', 'api:use'])).toEqual({
      added: ['api:use', 'compare:use'],
      removed: ['admin:users'],
    });
    expect(listChanges(['a', 'b'], ['b', 'a'])).toBeNull();
  });
});

describe('describeDetails', () => {
  it('reads changes as before → after, list changes as added/removed, other details as key: value', () => {
    expect(
      describeDetails({
        name: { from: 'teachers', to: 'faculty' },
        capabilities: { added: ['api:use', 'compare:use'], removed: ['admin:users'] },
        scopes: { added: [], removed: ['mcp:tools'] },
        description: { from: null, to: 'All faculty' },
        secret: true,
      }),
    ).toEqual([
      'name: teachers → faculty',
      'capabilities: added api:use, compare:use; removed admin:users',
      'scopes: removed mcp:tools',
      'description: — → All faculty',
      'secret: true',
    ]);
    expect(describeDetails({ long: 'x'.repeat(400) })[0]).toHaveLength('long: '.length + 160);
  });
});

import { describe, expect, it } from 'vitest';
import { personOf } from './capture';
import type { DecisionPackageView, GraphNodeView } from './graph.schemas';
import { mdInline, renderPackageMarkdown } from './package.markdown';

const node = (over: Partial<GraphNodeView>): GraphNodeView => ({
  id: '0b7d9c1e-6c2f-4a8e-9a53-2b1f0f1c9d11',
  type: 'decision',
  class: null,
  status: 'accepted',
  title: 'T',
  body: '',
  metadata: {},
  createdBy: { userId: null, apiKeyId: null, oauthClientId: null, agentId: null, label: 'Clerk' },
  createdAt: '2026-11-12T10:00:00.000Z',
  updatedAt: '2026-11-12T10:00:00.000Z',
  ...over,
});

const empty = {
  decidedBy: [],
  evidence: [],
  constraints: [],
  conditions: [],
  alternatives: [],
  consulted: [],
  notified: [],
  supersedes: [],
  supersededBy: [],
  related: [],
  edges: [],
  history: [],
};

describe('renderPackageMarkdown', () => {
  it('escapes user text so it cannot add headings, links or HTML', () => {
    expect(mdInline('# [x](http://e) <b>*y*</b>')).toBe('\\# \\[x\\](http://e) \\<b\\>\\*y\\*\\</b\\>');
    const md = renderPackageMarkdown({
      ...empty,
      node: node({ title: '<script>alert(1)</script>', body: 'line one\n# not a heading' }),
    } as DecisionPackageView);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\# not a heading');
  });

  it('lists only the sections that have entries, people with their e-mail', () => {
    const md = renderPackageMarkdown({
      ...empty,
      node: node({ title: 'Later start', body: 'Sleep research' }),
      decidedBy: [node({ type: 'person', status: null, title: 'School Board' })],
      consulted: [
        node({ type: 'person', status: null, title: 'Dana', metadata: { email: 'dana@d.example' } }),
      ],
      alternatives: [node({ type: 'alternative', status: 'rejected', title: 'Keep 7:50' })],
    } as DecisionPackageView);
    expect(md).toContain('- **Decided by:** School Board');
    expect(md).toContain('## Alternatives considered\n\n- Keep 7:50');
    expect(md).toContain('## Consulted\n\n- Dana (dana@d.example)');
    expect(md).not.toContain('## Evidence');
  });
});

describe('personOf', () => {
  it('reads a name, an e-mail, "Name <e-mail>" or an object', () => {
    expect(personOf('Dana Whitfield')).toEqual({ name: 'Dana Whitfield', email: null });
    expect(personOf('Dana@District.example')).toEqual({
      name: 'Dana@District.example',
      email: 'dana@district.example',
    });
    expect(personOf('Dana W <Dana@district.example>')).toEqual({
      name: 'Dana W',
      email: 'dana@district.example',
    });
    expect(personOf({ name: 'Dana', email: 'D@x.example' })).toEqual({ name: 'Dana', email: 'd@x.example' });
  });
});

import { describe, expect, it } from 'vitest';
import { Derived, DerivedFrom } from './derived';

describe('derived values', () => {
  it('makes a value once per object and again for a replaced one, frozen', () => {
    let made = 0;
    const lengths = new DerivedFrom<number[], { length: number }>();
    const list = [1, 2, 3];
    const first = lengths.get(list, () => {
      made++;
      return { length: list.length };
    });
    expect(lengths.get(list, () => ({ length: -1 }))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const replaced = [1, 2];
    expect(lengths.get(replaced, () => ({ length: replaced.length }))).toEqual({ length: 2 });
    expect(made).toBe(1);
  });

  it('keys a value by both objects', () => {
    const views = new Derived<string[], { id: string }, string[]>();
    const list = ['a', 'b', 'c'];
    const ann = { id: 'ann' };
    const bob = { id: 'bob' };
    const forAnn = views.get(list, ann, () => list.filter((x) => x !== 'b'));
    const forBob = views.get(list, bob, () => list.filter((x) => x === 'b'));
    expect(forAnn).toEqual(['a', 'c']);
    expect(forBob).toEqual(['b']);
    expect(views.get(list, ann, () => [])).toBe(forAnn);
    expect(views.get([...list], ann, () => ['new list'])).toEqual(['new list']);
  });
});

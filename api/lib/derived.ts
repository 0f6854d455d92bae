/**
 * Values derived from objects that hot caches hand out unchanged until something changes (a loaded list, an
 * actor): made once, kept while those objects live, made again once a cache has replaced them. Frozen, as
 * every request that asks shares them (ADR 019).
 */

/** A value derived from one object. */
export class DerivedFrom<A extends object, V> {
  private readonly values = new WeakMap<A, V>();

  get(a: A, make: () => V): V {
    let value = this.values.get(a);
    if (value === undefined) {
      value = Object.freeze(make());
      this.values.set(a, value);
    }
    return value;
  }
}

/** A value derived from two objects (e.g. a loaded list and the actor looking at it). */
export class Derived<A extends object, B extends object, V> {
  private readonly byFirst = new WeakMap<A, DerivedFrom<B, V>>();

  get(a: A, b: B, make: () => V): V {
    let bySecond = this.byFirst.get(a);
    if (!bySecond) {
      bySecond = new DerivedFrom();
      this.byFirst.set(a, bySecond);
    }
    return bySecond.get(b, make);
  }
}

/** A minimal browser cookie jar for fetch-driven flows: stores Set-Cookie by name and path, honours deletion. */
export interface JarCookie {
  name: string;
  value: string;
  path: string;
  attributes: string[];
}

export class CookieJar {
  readonly cookies = new Map<string, JarCookie>();

  /** Records every Set-Cookie of a response; Max-Age=0 or a past Expires deletes. */
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const maxAge = attrs.find((a) => /^max-age=/i.test(a));
      const expires = attrs.find((a) => /^expires=/i.test(a));
      const gone =
        (maxAge && Number(maxAge.slice(8)) <= 0) ||
        (expires && new Date(expires.slice(8)).getTime() < Date.now()) ||
        value === '';
      const key = `${name};${path}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path, attributes: attrs });
    }
  }

  get(name: string): JarCookie | undefined {
    return [...this.cookies.values()].find((c) => c.name === name);
  }

  /** The Cookie header for a URL on our origin (path-matched). */
  header(url: string): string {
    const pathname = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter(
        (c) =>
          pathname === c.path ||
          pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) ||
          c.path === '/',
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

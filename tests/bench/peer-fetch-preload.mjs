/**
 * Preloaded into the peer gateway (Portkey 1.15.2) for the relay benchmark: on Node 20 its streaming path
 * appends headers to a `fetch` Response, whose headers are immutable there ("immutable" TypeError). Every
 * fetch response is rewrapped with mutable headers (STACK-NOTES 17). The body stream is passed on as is.
 */
const original = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const r = await original(...args);
  return new Response(r.body, {
    status: r.status,
    statusText: r.statusText,
    headers: new Headers(r.headers),
  });
};

// The address after '#' as the console and the portal read it:
// '#/customers/12?from=2026-01-01' against entries with a `path` such as
// 'customers/:id' -> {entry, params: {id: '12'}, query: {from: ...}, empty}.
// entry is null when nothing matches; empty says the address named no path
// at all ('#/' or none). The first matching entry wins.
export function matchHash(hash, entries) {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart, queryPart] = raw.split('?');
  const parts = pathPart.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const query = Object.fromEntries(new URLSearchParams(queryPart || ''));
  for (const entry of entries) {
    const pattern = entry.path === '' ? [] : entry.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params = {};
    let ok = true;
    pattern.forEach((p, i) => {
      if (p.startsWith(':')) params[p.slice(1)] = parts[i];
      else if (p !== parts[i]) ok = false;
    });
    if (ok) return { entry, params, query, empty: parts.length === 0 };
  }
  return { entry: null, params: {}, query, empty: parts.length === 0 };
}

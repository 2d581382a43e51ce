// RFC 8785 JSON Canonicalization Scheme: the exact bytes of a log leaf must be reproducible by
// anyone, so entries are serialized canonically — object members sorted by their UTF-16 code
// units (§3.2.3), no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them
// (§3.2.2.2, §3.2.2.3).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // §3.2.2.3: NaN and infinities have no JSON form.
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no form for NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Default sort compares UTF-16 code units, which is exactly what §3.2.3 asks for.
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}

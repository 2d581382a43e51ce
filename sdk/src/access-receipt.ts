// Access receipts (DESIGN.md "Partner API"): every response that discloses or changes personal
// data names the transparency-log entries it was recorded in, in the `Access-Receipt` header,
// "<index>[, <index>...]". The client remembers them per returned object, so an app can look a
// receipt up from the result it already holds, and check it with ReceiptVerifier.

/** The response header that names the log entries a response was recorded in. */
export const ACCESS_RECEIPT_HEADER = 'Access-Receipt';

const receipts = new WeakMap<object, readonly number[]>();

/**
 * The log indexes in an Access-Receipt header value, in order; undefined when the header is
 * absent or not a list of non-negative integers (a receipt that cannot be read proves nothing,
 * so none is claimed).
 */
export function parseAccessReceipt(header: string | null | undefined): number[] | undefined {
  if (header === null || header === undefined) return undefined;
  const parts = header.split(',').map((part) => part.trim());
  if (!parts.every((part) => /^\d{1,16}$/.test(part))) return undefined;
  const indexes = parts.map(Number);
  return indexes.every((index) => Number.isSafeInteger(index)) ? indexes : undefined;
}

/** Remembers the receipt of the response `result` came from. */
export function rememberReceipt(result: object, indexes: readonly number[] | undefined): void {
  if (indexes?.length) receipts.set(result, indexes);
}

/**
 * The transparency-log indexes recorded for the response that produced `result` (an object a
 * ParleyClient method returned), from its `Access-Receipt` header; undefined when that response
 * carried none (it disclosed and changed no personal data) or `result` did not come from a
 * ParleyClient. Check each index with {@link ReceiptVerifier.verify}.
 *
 * @example
 * const message = await client.sendMessage({ to: friendId, text: 'Listen to this' });
 * const [index] = receiptOf(message) ?? [];
 */
export function receiptOf(result: object): number[] | undefined {
  const indexes = receipts.get(result);
  return indexes ? [...indexes] : undefined;
}

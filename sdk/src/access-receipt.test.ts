import { describe, expect, it } from 'vitest';
import { parseAccessReceipt, receiptOf, rememberReceipt } from './access-receipt.js';

describe('the Access-Receipt header', () => {
  it('reads one index or a comma-separated list, with or without spaces', () => {
    expect(parseAccessReceipt('0')).toEqual([0]);
    expect(parseAccessReceipt('12')).toEqual([12]);
    expect(parseAccessReceipt('3, 4, 10')).toEqual([3, 4, 10]);
    expect(parseAccessReceipt('3,4')).toEqual([3, 4]);
  });

  it('claims nothing for an absent or unreadable header', () => {
    for (const header of [
      null,
      undefined,
      '',
      ' ',
      'abc',
      '1,,2',
      '-1',
      '1.5',
      '1;2',
      '0x10',
      '99999999999999999',
    ]) {
      expect(parseAccessReceipt(header)).toBeUndefined();
    }
  });

  it('is remembered per returned object, and handed out as a copy', () => {
    const message = { id: 'm' };
    const other = { id: 'o' };
    rememberReceipt(message, [5, 6]);
    rememberReceipt(other, []);
    expect(receiptOf(message)).toEqual([5, 6]);
    receiptOf(message)!.push(7);
    expect(receiptOf(message)).toEqual([5, 6]);
    expect(receiptOf(other)).toBeUndefined();
    expect(receiptOf({ id: 'm' })).toBeUndefined();
  });
});

import { BadRequestException } from '@nestjs/common';
import { CURSOR_RULE, decodeCursor, encodeCursor } from '../../src/paging/cursor';
import { pageOf } from '../../src/paging/page';

describe('the cursor codec: opaque, read strictly', () => {
  const refusal = (call: () => unknown) => {
    try {
      call();
    } catch (error) {
      return error;
    }
    throw new Error('not refused');
  };

  it('gives back what it encoded, for its kind', () => {
    const cursor = encodeCursor('transitions.go-live', ['2027-06-01', 'rotterdam.feijenoord.2027-06-01']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'transitions.go-live', ['date', 'text'])).toEqual(['2027-06-01', 'rotterdam.feijenoord.2027-06-01']);
    expect(decodeCursor(encodeCursor('t', ['infinity', 'a']), 't', ['date-or-infinity', 'text'])).toEqual(['infinity', 'a']);
    expect(decodeCursor(encodeCursor('t', [42]), 't', ['int'])).toEqual([42]);
    const at = '2026-11-30T23:59:59.123456Z';
    expect(decodeCursor(encodeCursor('t', [at, 'id:1']), 't', ['timestamp', 'text'])).toEqual([at, 'id:1']);
  });

  const good = encodeCursor('k', ['2027-06-01', 'x']);
  const fields = ['date', 'text'] as const;
  it.each([
    ['another kind (another list or sort)', encodeCursor('other', ['2027-06-01', 'x'])],
    ['too few values', encodeCursor('k', ['2027-06-01'])],
    ['too many values', encodeCursor('k', ['2027-06-01', 'x', 'y'])],
    ['a value of the wrong type', encodeCursor('k', [20270601, 'x'])],
    ['an impossible date', encodeCursor('k', ['2027-02-30', 'x'])],
    ['a date in another format', encodeCursor('k', ['1-6-2027', 'x'])],
    ['a control character in text', encodeCursor('k', ['2027-06-01', 'x\u0000'])],
    ['an empty text', encodeCursor('k', ['2027-06-01', ''])],
    ['no JSON', Buffer.from('not json').toString('base64url')],
    ['JSON but no array', Buffer.from('{"k":1}').toString('base64url')],
    ['a character outside base64url', `${good}=`],
    ['a changed last character', good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A')],
    ['an empty cursor', ''],
    ['an overlong cursor', 'A'.repeat(404)],
  ])('refuses %s with 400 naming cursor and its rule, never the value', (_case, cursor) => {
    const error = refusal(() => decodeCursor(cursor, 'k', [...fields])) as BadRequestException;
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getResponse()).toMatchObject({ message: [CURSOR_RULE] });
    expect(JSON.stringify(error.getResponse())).not.toContain(cursor || 'never');
  });

  it('refuses a negative or fractional number where a version goes', () => {
    expect(refusal(() => decodeCursor(encodeCursor('t', [-1]), 't', ['int']))).toBeInstanceOf(BadRequestException);
    expect(refusal(() => decodeCursor(encodeCursor('t', [1.5]), 't', ['int']))).toBeInstanceOf(BadRequestException);
  });
});

describe('pageOf: a page cut from limit + 1 rows', () => {
  const rows = [1, 2, 3, 4, 5].map((n) => ({ n }));

  it('has a next cursor at the last item when there is one more row', () => {
    const page = pageOf(rows.slice(0, 3), 2, 'n', (row) => [row.n]);
    expect(page.items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(decodeCursor(page.nextCursor!, 'n', ['int'])).toEqual([2]);
  });

  it('has none on the last page, full or not', () => {
    expect(pageOf(rows.slice(0, 2), 2, 'n', (row) => [row.n]).nextCursor).toBeNull();
    expect(pageOf([], 2, 'n', (row: { n: number }) => [row.n])).toEqual({ items: [], nextCursor: null });
  });

  it('maps rows to items, keeping the sort key from the row', () => {
    const page = pageOf(rows, 1, 'n', (row) => [row.n], (row) => `item ${row.n}`);
    expect(page).toEqual({ items: ['item 1'], nextCursor: encodeCursor('n', [1]) });
  });
});

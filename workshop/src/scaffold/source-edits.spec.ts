import { insertEntry, objectKeys, removeEntry } from './source-edits';

const SOURCE = `/** The list. */
export const LIST = {
  first: { a: 1 },
  second: {
    a: 2,
  },
} as const satisfies Record<string, unknown>;
`;

describe('source edits of an exported object literal', () => {
  it('adds an entry after a named one or last, and removing it gives the text back byte for byte', () => {
    const entry = "  'new-one': {\n    a: 3,\n  },\n";
    const afterFirst = insertEntry(SOURCE, 'list.ts', 'LIST', entry, 'first');
    expect(objectKeys(afterFirst, 'list.ts', 'LIST')).toEqual(['first', 'new-one', 'second']);
    expect(removeEntry(afterFirst, 'list.ts', 'LIST', 'new-one')).toBe(SOURCE);
    const last = insertEntry(SOURCE, 'list.ts', 'LIST', entry);
    expect(objectKeys(last, 'list.ts', 'LIST')).toEqual(['first', 'second', 'new-one']);
    expect(removeEntry(last, 'list.ts', 'LIST', 'new-one')).toBe(SOURCE);
  });

  it('leaves the text alone when the entry is not there, and names a missing constant', () => {
    expect(removeEntry(SOURCE, 'list.ts', 'LIST', 'absent')).toBe(SOURCE);
    expect(() => objectKeys(SOURCE, 'list.ts', 'OTHER')).toThrow('no object literal named OTHER');
  });
});

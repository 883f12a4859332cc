import { ObjectId } from 'mongodb';
import { ExtendedJsonError, parseExtendedJson } from './extended-json';

describe('parseExtendedJson', () => {
  it('reads $oid as an ObjectId', () => {
    const doc = parseExtendedJson('{ "_id" : { "$oid" : "4fcf5b3cb25b4c3e1c000001" }, "id" : "uf4bx" }') as Record<
      string,
      unknown
    >;
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect((doc._id as ObjectId).toHexString()).toBe('4fcf5b3cb25b4c3e1c000001');
    expect(doc.id).toBe('uf4bx');
  });

  it('reads $numberInt, $numberLong and $numberDouble as numbers', () => {
    expect(
      parseExtendedJson(
        '{"a": {"$numberInt": "-7"}, "b": {"$numberLong": "9007199254740991"}, "c": {"$numberDouble": "1339077397.5"}, "d": {"$numberDouble": "-1e3"}}',
      ),
    ).toEqual({ a: -7, b: 9007199254740991, c: 1339077397.5, d: -1000 });
  });

  it('reads $date from an ISO string, milliseconds or a $numberLong', () => {
    const doc = parseExtendedJson(
      '{"a": {"$date": "2012-06-06T12:00:00Z"}, "b": {"$date": 1338984000000}, "c": {"$date": {"$numberLong": "1338984000000"}}}',
    ) as Record<string, Date>;
    expect(doc.a.toISOString()).toBe('2012-06-06T12:00:00.000Z');
    expect(doc.b.getTime()).toBe(1338984000000);
    expect(doc.c.getTime()).toBe(1338984000000);
  });

  it('reads wrapped values inside arrays and nested objects', () => {
    expect(parseExtendedJson('{"xs": [{"$numberInt": "1"}, {"n": {"$numberLong": "2"}}]}')).toEqual({
      xs: [1, { n: 2 }],
    });
  });

  it('leaves plain JSON alone, including strings that mention $', () => {
    expect(parseExtendedJson('{"title": "costs \\"$5\\"", "n": 3}')).toEqual({ title: 'costs "$5"', n: 3 });
  });

  it.each([
    ['{"n": {"$numberInt": "x"}}', '"n": not a number'],
    ['{"n": {"$numberLong": "12345678901234567890"}}', '"n": an integer beyond ±2^53 loses digits'],
    ['{"n": {"$numberDouble": "abc"}}', '"n": not a number'],
    ['{"d": {"$date": "not a date"}}', '"d": not a valid date'],
    ['{"a": [1, {"$numberInt": "x"}]}', '"a": not a number'],
  ])('rejects %s with a message naming the field', (text, message) => {
    expect(() => parseExtendedJson(text)).toThrow(new ExtendedJsonError(message));
  });

  it.each(['{"_id": {"$oid": "xyz"}}', '{"n": {"$numberLong": "123456789012345678901"}}'])(
    'rejects %s, which bson cannot read',
    (text) => {
      expect(() => parseExtendedJson(text)).toThrow(ExtendedJsonError);
    },
  );

  it('throws a SyntaxError for broken JSON', () => {
    expect(() => parseExtendedJson('{"id": "a", "title": ')).toThrow(SyntaxError);
  });
});

import { CheckContext, Expectation, expectation } from '../src/check-kit';

/** The dump the step writes, in the original mongoimport format. */
export const DUMP_FILE = '.data/workshop/posts.json';
const SAMPLE = 20;

export async function check(context: CheckContext): Promise<Expectation[]> {
  const text = context.read(DUMP_FILE);
  const lines = (text ?? '').split('\n').filter((line) => line.trim() !== '');
  let ids: string[] = [];
  let mongoimport = false;
  try {
    const documents = lines
      .slice(0, SAMPLE)
      .map((line) => JSON.parse(line) as { _id?: { $oid?: string }; id?: unknown });
    mongoimport = documents.length > 0 && documents.every((d) => typeof d._id?.$oid === 'string');
    ids = documents.map((d) => String(d.id));
  } catch {
    mongoimport = false;
  }
  const found = await Promise.all(
    ids.map(async (id) => (await context.monolith(`/posts/${encodeURIComponent(id)}`)).status === 200),
  );
  const missing = ids.filter((_, n) => !found[n]);
  return [
    expectation(
      `${DUMP_FILE} exists`,
      text !== undefined,
      `generate it: npm run generate -- --count 300 --seed 2024 --out ${DUMP_FILE}`,
    ),
    expectation(
      'it is a mongoimport dump: one extended-JSON document per line, _id as {"$oid": ...}',
      mongoimport,
      'generate the file again with npm run generate (it writes that format)',
    ),
    expectation(
      `the monolith has the dump's posts (the first ${Math.min(SAMPLE, lines.length)} looked up by id)`,
      ids.length > 0 && missing.length === 0,
      `import it: npm run import -- ${DUMP_FILE} (MONGO_URL comes from eval "$(npm run -s workshop -- env)")`,
      missing.length > 0 ? `missing: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}` : undefined,
    ),
  ];
}

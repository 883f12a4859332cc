import { Db } from 'mongodb';
import { Projection } from './projections';
import { Row } from './drift';

/** Reads one side of a projection: only its key and compared fields. */
export async function readSide(db: Db, projection: Projection, side: 'monolith' | 'service'): Promise<Row[]> {
  const { collection, filter = {} } = projection[side];
  const fields = [...projection.key, ...projection.fields];
  const projectionSpec = Object.fromEntries([['_id', 0], ...fields.map((field) => [field, 1])]);
  return db.collection(collection).find(filter, { projection: projectionSpec }).toArray();
}

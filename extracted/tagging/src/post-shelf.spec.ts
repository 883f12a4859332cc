import { Post } from '@app/contracts';
import { PostShelf } from './post-shelf';

const post = (id: string, fields: Partial<Post> = {}) =>
  ({ id, title: `Post ${id}`, tags: ['web'], ...fields }) as Post;

describe('PostShelf', () => {
  it('gives back a copy of what was put, or nothing for an unknown id', () => {
    const shelf = new PostShelf();
    shelf.put(post('a', { selftext: 'é and ✓' }));
    const copy = shelf.get('a') as Post;
    copy.title = 'changed by a reader';
    expect(shelf.get('a')).toEqual(post('a', { selftext: 'é and ✓' }));
    expect(shelf.get('b')).toBeUndefined();
  });

  it('writes new fields over the current ones and keeps the others', () => {
    const shelf = new PostShelf();
    shelf.put(post('a', { manual_tags: ['x'] }));
    expect(shelf.merge({ id: 'a', tags: ['django'] })).toEqual(post('a', { manual_tags: ['x'], tags: ['django'] }));
    expect(shelf.get('a')).toEqual(post('a', { manual_tags: ['x'], tags: ['django'] }));
  });

  it('keeps its byte count in step with what it holds', () => {
    const shelf = new PostShelf();
    shelf.put(post('a'));
    const one = shelf.bytes;
    shelf.put(post('b'));
    shelf.merge({ id: 'b', title: 'A much longer title than the first one had' });
    shelf.put(post('b'));
    expect(shelf.bytes).toBe(2 * one);
    expect(shelf.size).toBe(2);
    shelf.clear();
    expect({ size: shelf.size, bytes: shelf.bytes }).toEqual({ size: 0, bytes: 0 });
  });
});

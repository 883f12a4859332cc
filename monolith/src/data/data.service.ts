import { Injectable } from '@nestjs/common';
import { Post } from '@app/contracts';
import { PostsService } from '../posts/posts.service';
import { DataQueryDto } from './dto/data-query.dto';

export interface EveLink {
  href: string;
  title: string;
}

/** The envelope of an Eve (python-eve) collection resource. */
export interface EvePage<T> {
  _items: T[];
  _links: { self: EveLink; parent: EveLink; next?: EveLink; prev?: EveLink; last?: EveLink };
  _meta: { page: number; max_results: number; total: number };
}

const RESOURCE = 'data';

/** The posts as the original Eve-based service exposed them, for clients still written against it. */
@Injectable()
export class DataService {
  constructor(private readonly posts: PostsService) {}

  async page(query: DataQueryDto): Promise<EvePage<Post>> {
    const { page, max_results } = query;
    const { items, total } = await this.posts.page({ page, limit: max_results });
    const lastPage = Math.max(1, Math.ceil(total / max_results));
    const href = (target: number) => `/${RESOURCE}?page=${target}&max_results=${max_results}`;
    return {
      _items: items,
      _links: {
        self: { href: href(page), title: RESOURCE },
        parent: { href: '/', title: 'home' },
        // As in Eve: next and last only before the last page, prev only after the first.
        ...(page < lastPage && {
          next: { href: href(page + 1), title: 'next page' },
          last: { href: href(lastPage), title: 'last page' },
        }),
        ...(page > 1 && { prev: { href: href(Math.min(page - 1, lastPage)), title: 'previous page' } }),
      },
      _meta: { page, max_results, total },
    };
  }
}

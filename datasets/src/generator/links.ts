import { MODULES, projectName, slug } from './post-text';
import { Random } from './random';

export interface Link {
  url: string;
  /** reddit's domain field: the host without "www.". */
  domain: string;
}

type LinkTemplate = (rng: Random, user: string, title: string, year: number) => string;

const LINKS: LinkTemplate[] = [
  (rng, user) => `https://github.com/${user}/${projectName(rng)}`,
  (rng, user) => `https://github.com/${user}/${projectName(rng)}`,
  (rng) => `https://pypi.python.org/pypi/${projectName(rng)}`,
  (rng) => `https://docs.python.org/3/library/${rng.pick(MODULES)}.html`,
  (rng) => `https://www.youtube.com/watch?v=${rng.token(11)}`,
  (_rng, user, title, year) => `https://${user}.github.io/${year}/${slug(title)}.html`,
  (_rng, _user, title) => `https://realpython.com/${slug(title).replace(/_/g, '-')}/`,
  (rng, _user, title) =>
    `https://stackoverflow.com/questions/${rng.int(1_000_000, 30_000_000)}/${slug(title).replace(/_/g, '-')}`,
  (rng) => `https://lwn.net/Articles/${rng.int(300_000, 700_000)}/`,
  (rng, user, title) => `https://medium.com/@${user}/${slug(title).replace(/_/g, '-')}-${rng.hex(12)}`,
  (rng) => `https://www.python.org/downloads/release/python-${rng.int(2, 3)}${rng.int(0, 12)}${rng.int(0, 9)}/`,
  (rng, user) => `https://bitbucket.org/${user}/${projectName(rng)}`,
  (rng) => `https://i.imgur.com/${rng.token(7).replace(/[-_]/g, 'x')}.png`,
  (rng, _user, title) =>
    `http://blog.${projectName(rng).replace(/-/g, '')}.org/posts/${slug(title).replace(/_/g, '-')}`,
];

/** An external link for a link post, its host matching the domain. */
export function link(rng: Random, user: string, title: string, year: number): Link {
  const url = rng.pick(LINKS)(rng, user.replace(/_/g, '-'), title, year);
  return { url, domain: new URL(url).hostname.replace(/^www\./, '') };
}

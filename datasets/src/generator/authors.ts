const FIRST = [
  'lazy',
  'curious',
  'happy',
  'grumpy',
  'sleepy',
  'quiet',
  'rusty',
  'clever',
  'brave',
  'tiny',
  'mega',
  'code',
  'py',
  'dev',
  'data',
  'hacker',
  'snake',
  'pixel',
  'binary',
  'async',
  'retro',
  'cosmic',
  'zen',
  'vim',
];
const SECOND = [
  'coder',
  'pythonista',
  'monkey',
  'wizard',
  'panda',
  'otter',
  'fox',
  'badger',
  'ninja',
  'hacker',
  'dev',
  'guru',
  'newbie',
  'owl',
  'llama',
  'penguin',
  'turtle',
  'gopher',
  'whale',
  'falcon',
];

/**
 * The k-th user name: distinct for every k, so a pool of authors needs no
 * memory. Small k are the frequent posters.
 */
export function authorName(k: number): string {
  const first = FIRST[k % FIRST.length];
  const second = SECOND[Math.floor(k / FIRST.length) % SECOND.length];
  const round = Math.floor(k / (FIRST.length * SECOND.length));
  const separator = (k >> 1) % 3 === 0 ? '_' : '';
  return round === 0 ? `${first}${separator}${second}` : `${first}${separator}${second}${round + 1}`;
}

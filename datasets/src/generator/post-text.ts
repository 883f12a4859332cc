import { Random } from './random';

/**
 * Word lists and templates for r/Python-like titles and bodies. Many words
 * are keywords of the tag vocabulary (libs/domain/src/tag-vocabulary.json), so imported posts get tags.
 */
const LIBRARIES = [
  'Django',
  'Flask',
  'FastAPI',
  'pandas',
  'NumPy',
  'asyncio',
  'pytest',
  'SQLAlchemy',
  'requests',
  'pydantic',
  'matplotlib',
  'Jupyter',
  'Tkinter',
  'PyQt',
  'Celery',
  'Scrapy',
  'Selenium',
  'pygame',
  'TensorFlow',
  'PyTorch',
  'sklearn',
  'Cython',
  'PyPy',
  'Numba',
  'mypy',
  'Poetry',
  'pip',
  'conda',
  'aiohttp',
  'Twisted',
  'Tornado',
  'gevent',
  'boto',
  'Paramiko',
  'click',
  'attrs',
  'Werkzeug',
  'Jinja2',
  'starlette',
  'polars',
  'SciPy',
  'Kivy',
  'uvicorn',
  'trio',
  'Hypothesis',
  'tox',
  'black',
  'ruff',
  'pylint',
  'virtualenv',
  'setuptools',
  'DRF',
  'Wagtail',
];

const THINGS = [
  'web scraper',
  'REST API',
  'CLI tool',
  'IRC bot',
  'Twitter bot',
  'dataframe',
  'neural network',
  'text adventure game',
  'GUI',
  'web app',
  'package',
  'library',
  'script',
  'test suite',
  'decorator',
  'generator',
  'context manager',
  'metaclass',
  'dataclass',
  'websocket server',
  'HTTP client',
  'task queue',
  'static site generator',
  'ORM',
  'database migration',
  'Docker image',
  'Jupyter notebook',
  'plotting library',
  'password manager',
  'chat server',
  'markdown parser',
  'music player',
  'budget tracker',
  'home automation script',
  'Raspberry Pi project',
];

const TASKS = [
  'parse a large CSV file',
  'read JSON from an API',
  'deploy a web app',
  'write unit tests',
  'profile slow code',
  'package my project for PyPI',
  'connect to PostgreSQL',
  'scrape a website',
  'plot time series data',
  'speed up a loop',
  'handle timeouts with requests',
  'run coroutines concurrently',
  'store passwords securely',
  'automate Excel reports',
  'build a GUI',
  'learn Python 3 coming from Python 2',
  'type hint a decorator',
  'mock a database in tests',
  'manage dependencies',
  'set up a virtualenv',
  'serve static files',
  'train a model on my own data',
  'send email from a script',
  'process images in bulk',
  'schedule a cron job',
];

const ADJECTIVES = [
  'simple',
  'fast',
  'tiny',
  'modern',
  'minimal',
  'pure Python',
  'async',
  'typed',
  'lightweight',
  'faster',
  'open source',
  'experimental',
  'battle-tested',
  'friendly',
  'zero-dependency',
];

const PROJECT_PARTS = [
  'py',
  'snake',
  'hydra',
  'flux',
  'pipe',
  'quill',
  'ember',
  'torch',
  'pixel',
  'cobra',
  'lark',
  'atlas',
  'comet',
  'nimbus',
  'forge',
  'spark',
  'glint',
  'kite',
  'orbit',
  'relay',
];

const CATEGORIES = [
  'IDE',
  'web framework',
  'testing library',
  'linter',
  'debugger',
  'book for beginners',
  'Python podcast',
  'plotting library',
  'ORM',
  'packaging tool',
  'editor plugin',
  'standard library module',
];

export const MODULES = [
  'itertools',
  'functools',
  'collections',
  'asyncio',
  'typing',
  'pathlib',
  'dataclasses',
  'logging',
  'unittest',
  'subprocess',
];

const FLAIRS = ['Discussion', 'Help', 'News', 'Resource', 'Tutorial', 'Showcase'];

type Template = (rng: Random, year: number) => string;

const lib = (rng: Random) => rng.pick(LIBRARIES);
const version = (rng: Random) => `${rng.int(0, 4)}.${rng.int(0, 19)}${rng.chance(0.4) ? `.${rng.int(0, 9)}` : ''}`;

/** A made-up project name such as "pyflux" or "emberkit". */
export function projectName(rng: Random): string {
  return `${rng.pick(PROJECT_PARTS)}${rng.pick(['', 'kit', 'ify', 'lib', 'db', 'io', '-py', 'er'])}`;
}

const TITLES: Template[] = [
  (rng) => `How do I ${rng.pick(TASKS)} with ${lib(rng)}?`,
  (rng) => `${lib(rng)} vs ${lib(rng)} for a ${rng.pick(THINGS)}?`,
  (rng) =>
    `I built a ${rng.pick(THINGS)} with ${lib(rng)}${rng.pick(['', ' - feedback welcome', ' in a weekend', ', here is what I learned'])}`,
  (rng) => `Announcing ${projectName(rng)} ${version(rng)}: a ${rng.pick(ADJECTIVES)} ${rng.pick(THINGS)} for Python`,
  (rng) => `${lib(rng)} ${version(rng)} released`,
  (rng) => `Why is my ${lib(rng)} ${rng.pick(THINGS)} so slow?`,
  (rng) => `Beginner question: how to ${rng.pick(TASKS)}?`,
  (rng) => `What is your favourite ${rng.pick(CATEGORIES)}?`,
  (rng) =>
    `Python 3 migration: ${rng.pick(['lessons from porting', 'how we moved', 'tips for porting', 'still stuck on'])} ${rng.int(5, 500)}k lines of ${lib(rng)} code`,
  (rng) => `Show r/Python: ${projectName(rng)}, a ${rng.pick(ADJECTIVES)} ${rng.pick(THINGS)} written in Python`,
  (rng) => `Tutorial: ${rng.pick(TASKS)} using ${lib(rng)}`,
  (rng) => `${lib(rng)} tips I wish I knew earlier`,
  (rng, year) => `Is ${lib(rng)} still worth learning in ${year}?`,
  (rng) =>
    `Understanding ${rng.pick(MODULES)}: ${rng.pick(['a deep dive', 'the parts nobody explains', 'practical examples', 'common pitfalls'])}`,
  (rng) =>
    `${rng.pick(['Faster', 'Cleaner', 'Safer', 'Simpler'])} ${rng.pick(THINGS)}s with ${lib(rng)} and ${lib(rng)}`,
  (rng) => `Ask r/Python: best way to ${rng.pick(TASKS)}?`,
  (rng) =>
    `PEP ${rng.int(8, 700)} discussion: ${rng.pick(['good idea?', 'what changes for us', 'accepted!', 'thoughts?'])}`,
  (rng) => `Job interview asked me to ${rng.pick(TASKS)} - how would you do it?`,
  (rng) =>
    `Benchmark: ${lib(rng)} vs ${lib(rng)} performance on ${rng.pick(['a million rows', 'real traffic', 'my laptop', 'PyPy'])}`,
];

const SENTENCES: Template[] = [
  (rng) => `I have been using ${lib(rng)} for about ${rng.int(2, 30)} months now.`,
  (rng) => `My ${rng.pick(THINGS)} works, but it takes ${rng.int(2, 90)} seconds on a small input.`,
  (rng) => `I tried ${lib(rng)} first and then switched to ${lib(rng)}.`,
  (rng) => `Is there a ${rng.pick(ADJECTIVES)} way to ${rng.pick(TASKS)}?`,
  () => `The code is on GitHub, tests run with pytest and the docs are on Read the Docs.`,
  () => `Any help is appreciated, I am still learning.`,
  () => `We deploy it with Docker on a small Linux box and it has been stable.`,
  (rng) => `Performance matters here because the script runs every ${rng.int(1, 59)} minutes from cron.`,
  (rng) => `The data lives in a SQLite database with about ${rng.int(1, 900)}k rows.`,
  (rng) => `Type hints and mypy caught ${rng.int(2, 40)} bugs before release.`,
  (rng) => `Version ${version(rng)} adds async support and drops Python 2.`,
  () => `It is my first project, so please be gentle.`,
  (rng) => `I read the tutorial twice but I still do not get how ${rng.pick(MODULES)} fits in.`,
  () => `Feedback on the API design is very welcome.`,
  () => `Pandas was too slow for this, so I rewrote the hot loop with NumPy.`,
];

export function title(rng: Random, year: number): string {
  return rng.pick(TITLES)(rng, year);
}

/** A self post's body: usually a few sentences, sometimes nothing. */
export function selftext(rng: Random, year: number): string {
  if (rng.chance(0.15)) return '';
  const sentences = Array.from({ length: rng.int(1, 5) }, () => rng.pick(SENTENCES)(rng, year));
  return rng.chance(0.3)
    ? `${sentences.slice(0, 2).join(' ')}\n\n${sentences.slice(2).join(' ')}`.trim()
    : sentences.join(' ');
}

export function flair(rng: Random): string {
  return rng.pick(FLAIRS);
}

/** reddit's permalink slug: lower-case words joined by underscores, at most 50 characters. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50)
    .replace(/_+$/, '');
}

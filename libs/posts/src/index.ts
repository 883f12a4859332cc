export * from './post-catalog';
export * from './post.document';

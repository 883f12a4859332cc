/**
 * Message patterns: `<service>.<entity>.<verb>`. The gateway's bridge, the
 * relay and the services import these names, so a typo fails to compile.
 */
export const PATTERNS = {
  search: {
    query: 'search.posts.query',
    health: 'search.health.check',
    applyEvents: 'search.events.apply',
    reset: 'search.store.reset',
  },
  recommendations: {
    list: 'recommendations.posts.list',
    forUser: 'recommendations.users.list',
    health: 'recommendations.health.check',
    applyEvents: 'recommendations.events.apply',
    reset: 'recommendations.store.reset',
  },
  tagging: {
    countTags: 'tagging.tags.count',
    postsByTag: 'tagging.posts.list',
    getPostTags: 'tagging.post-tags.get',
    replacePostTags: 'tagging.post-tags.replace',
    getPreferences: 'tagging.preferences.get',
    replacePreferences: 'tagging.preferences.replace',
    health: 'tagging.health.check',
    applyEvents: 'tagging.events.apply',
    reset: 'tagging.store.reset',
  },
  engagement: {
    record: 'engagement.engagements.record',
    stats: 'engagement.stats.get',
    health: 'engagement.health.check',
    applyEvents: 'engagement.events.apply',
    reset: 'engagement.store.reset',
  },
} as const;

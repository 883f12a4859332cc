/** Stream names JetStream accepts, kept to what is also a safe subject token. */
export const EVENT_STREAM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const EVENT_STREAM_RULE = { message: 'EVENT_STREAM must be 1-64 letters, digits, _ or -' };
export const DEFAULT_EVENT_STREAM = 'strangler-events';

/** The durable consumer through which the monolith applies writes that services own after a flip. */
export const MONOLITH_CONSUMER = 'monolith';

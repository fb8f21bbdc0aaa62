export * from './campaign-email-sender';
export * from './campaign-email.config';
export * from './email-backoff';
export * from './message-id';
export * from './smtp-failure';

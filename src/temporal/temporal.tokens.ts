export const TEMPORAL_CLIENT_CONNECTION = Symbol('temporal-client-connection');

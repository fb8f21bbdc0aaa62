export const TEMPORAL_CLIENT_CONNECTION = Symbol('temporal-client-connection');
export const TEMPORAL_DATA_CONVERTER = Symbol('temporal-data-converter');

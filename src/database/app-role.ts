/**
 * The database role the application runs as (see the event store migration). The service
 * connects with DATABASE_URL and takes this role for the session; migrations run as the
 * connecting user, who owns the tables.
 */
export const APP_ROLE = 'overdracht_app';

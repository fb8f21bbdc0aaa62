import type { Event } from '../../events/event.types';
import { deterministicEventId } from '../../events/event-id';

/**
 * The events of a handover's audiences, in the stream `audience.<transitionId>`: counts and ids,
 * never an address, e-mail address or name.
 */
export type AudienceKind = 'addresses' | 'subscribers';
export const AUDIENCE_KINDS: readonly AudienceKind[] = ['addresses', 'subscribers'];

/** A CSV file of addresses or subscribers was accepted: how many rows it held and how many were new. */
export type AudienceImported = Event<'AudienceImported', { importId: string; kind: AudienceKind; rows: number; newRows: number }>;

/** A subscriber's personal data was erased (its key and data deleted: crypto-shredding). */
export type SubscriberErased = Event<'SubscriberErased', { subscriberId: string }>;

export type AudienceEvent = AudienceImported | SubscriberErased;
export const AUDIENCE_EVENT_TYPES: readonly AudienceEvent['type'][] = ['AudienceImported', 'SubscriberErased'];
export const AUDIENCE_EVENT_SCHEMA_VERSION = 1;

export const audienceStreamId = (transitionId: string) => `audience.${transitionId}`;

/** The same on every repeat: an import's event, and a subscriber's erasure, are recorded once. */
export const audienceImportedEventId = (importId: string) => deterministicEventId(`audience-import.${importId}`, 1);
export const subscriberErasedEventId = (subscriberId: string) => deterministicEventId(`subscriber-erased.${subscriberId}`, 1);

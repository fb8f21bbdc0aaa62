import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../events/event.types';
import { InlineProjection, Projection } from '../events/projection';
import type {
  ClientFileTransferred,
  ClientInformed,
  ClientListed,
  ConsentGiven,
  ConsentRefused,
  IntakePlanned,
  PersonalDataErased,
  TransferAccepted,
  TransferEnded,
  TransferFinished,
} from './client.events';
import { ClientVault } from './vault/client-vault';

type TransferReadEvent =
  | ClientListed
  | ClientInformed
  | ConsentGiven
  | ConsentRefused
  | ClientFileTransferred
  | IntakePlanned
  | TransferAccepted
  | TransferEnded
  | TransferFinished
  | PersonalDataErased;

/**
 * `client_transfers`, the read model behind every client read and the handovers' client counts:
 * one row per transfer, codes and dates only. PersonalDataErased also shreds the client's key in
 * the vault, in the append's transaction, so the key goes exactly when the erasure is recorded;
 * a rebuild shreds again, which changes nothing. The vault's tables are not this projection's
 * (a rebuild must never empty them).
 */
@Injectable()
@InlineProjection()
export class ClientTransferProjection implements Projection<TransferReadEvent> {
  readonly name = 'client_transfers';
  readonly tables = ['client_transfers'];
  readonly handles = [
    'ClientListed',
    'ClientInformed',
    'ConsentGiven',
    'ConsentRefused',
    'ClientFileTransferred',
    'IntakePlanned',
    'TransferAccepted',
    'TransferEnded',
    'TransferFinished',
    'PersonalDataErased',
  ] as const;

  constructor(private readonly vault: ClientVault) {}

  async apply(event: RecordedEvent<TransferReadEvent>, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'ClientListed': {
        const d = event.data;
        await manager.query(
          `INSERT INTO client_transfers (pseudonym, transition_id, import_id, municipality, district, outgoing_provider,
                                         incoming_provider, target_group, step, step_since, listed_at, updated_at, last_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'listed', $9, $9, $9, $10)
           ON CONFLICT (pseudonym) DO NOTHING`,
          [d.pseudonym, d.transitionId, d.importId, d.municipality, d.district, d.outgoingProvider, d.incomingProvider,
            d.targetGroup, event.recordedAt, event.globalPosition],
        );
        return;
      }
      case 'ClientInformed':
        return this.step(manager, event, 'informed', 'informed_on = $5, inform_channel = $6', event.data.date, event.data.channel);
      case 'ConsentGiven':
        return this.step(manager, event, 'consent-given', 'consent_on = $5', event.data.date);
      case 'ConsentRefused':
        return this.step(manager, event, 'declined', 'consent_on = $5', event.data.date);
      case 'ClientFileTransferred':
        return this.step(
          manager, event, 'file-transferred', 'file_id = $5, file_media_type = $6, file_bytes = $7, file_transferred_at = $2',
          event.data.fileId, event.data.mediaType, event.data.bytes,
        );
      case 'IntakePlanned':
        return this.step(manager, event, 'intake-planned', 'intake_on = $5', event.data.date);
      case 'TransferAccepted':
        return this.step(manager, event, 'accepted', 'accepted_on = $5', event.data.date);
      case 'TransferEnded':
        return this.step(manager, event, 'ended', 'end_reason = $5', event.data.reason);
      case 'TransferFinished':
        return this.update(manager, event, 'finished = true, finished_at = $2');
      case 'PersonalDataErased':
        // First the key: a replayed erasure (a rebuild) finds its row up to date and still shreds.
        await this.vault.shred(manager, event.data.pseudonym);
        return this.update(manager, event, 'erased = true, erasure_reason = $4', event.data.reason);
    }
  }

  /** A step reached: the step, since when, and what the event says about it. */
  private step(manager: EntityManager, event: RecordedEvent<TransferReadEvent>, step: string, set: string, ...values: unknown[]) {
    return this.update(manager, event, `step = $4, step_since = $2, ${set}`, step, ...values);
  }

  /** Applies a change once: a replayed or older event leaves the row as it is. $1 pseudonym, $2 recorded at, $3 position. */
  private async update(manager: EntityManager, event: RecordedEvent<TransferReadEvent>, set: string, ...values: unknown[]): Promise<void> {
    await manager.query(
      `UPDATE client_transfers SET ${set}, updated_at = $2, last_position = $3
       WHERE pseudonym = $1 AND last_position < $3`,
      [event.data.pseudonym, event.recordedAt, event.globalPosition, ...values],
    );
  }
}

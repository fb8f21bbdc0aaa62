import { goLiveRefusal, signOffRefusal } from '../../src/web/pages/handover/handover-refusals';
import { timelinePage } from '../../src/web/pages/handover/timeline-pages';

describe('handover page helpers', () => {
  it('maps go-live refusals to a Dutch message next to the field they concern', () => {
    expect(goLiveRefusal(400, 'goLiveDate must be after today (2026-12-01, Europe/Amsterdam)')).toEqual({ field: 'goLiveDate', message: 'De nieuwe startdatum moet na vandaag liggen.' });
    expect(goLiveRefusal(400, 'goLiveDate must be at most 10 years after today (on or before 2036-12-01, Europe/Amsterdam)').message).toMatch(/10 jaar/);
    expect(goLiveRefusal(400, 'reason must say why (10 characters or more)').field).toBe('reason');
    expect(goLiveRefusal(409, 'go-live was moved by someone else first: expectedGoLiveDate is stale').message).toMatch(/Iemand anders/);
    expect(goLiveRefusal(409, 'the handover is cancelled').message).toMatch(/kan nu niet meer/);
    expect(signOffRefusal(409).field).toBe('milestone');
  });

  it('pages the timeline newest first with a cursor to older events', () => {
    const events = Array.from({ length: 25 }, (_, i) => i);
    expect(timelinePage(events, undefined, 20)).toEqual({ events: events.slice(5).reverse(), olderCursor: '20' });
    expect(timelinePage(events, '20', 20)).toEqual({ events: [4, 3, 2, 1, 0], olderCursor: null });
    expect(timelinePage(events, 'rubbish', 20).events[0]).toBe(24);
  });
});

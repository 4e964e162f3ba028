import { digestMessage, reminderMessage, scheduleLabel, subscriptionMessage } from '../../bot/digests/digest-cards';
import type { Deadline } from '../../bot/digests/deadlines';
import { coming } from '../../bot/digests/deadlines';
import { cardProblems } from '../helpers/adaptive-card';
import { cardText } from '../helpers/cards';

const day = (title: string, date: string): Deadline => ({ key: title, title, description: 'Beskrivning.', when: { kind: 'day', date } });
const today = '2029-01-10';

describe('the digest', () => {
  test('lists the deadlines of the coming 90 days, with days left, and nothing further away', () => {
    const all = coming([day('Långt bort', '2029-04-11'), day('Om 90 dagar', '2029-04-10'), day('I morgon', '2029-01-11'), day('Passerad', '2029-01-09')], today);
    const digest = digestMessage(all, today);
    expect(digest.text.split('\n')).toEqual([
      'Sammanfattning: tidsfrister',
      'Det här händer de närmaste 90 dagarna.',
      '• 11 januari 2029 (i morgon): I morgon',
      '• 10 april 2029 (om 90 dagar): Om 90 dagar',
      'Skriv "tidsfrister" för alla, "avsluta prenumeration" för att sluta få sammanfattningen.',
    ]);
    expect(cardProblems(digest.card)).toEqual([]);
    expect(cardText(digest.card)).not.toContain('Långt bort');
  });

  test('when none falls within 90 days, shows the next one beyond', () => {
    const digest = digestMessage(coming([day('Senare', '2029-09-01'), day('Nästa', '2029-06-01')], today), today);
    expect(digest.text).toContain('Inget de närmaste 90 dagarna; nästa tidsfrist:');
    expect(digest.text).toContain('• 1 juni 2029 (om 142 dagar): Nästa');
    expect(digest.text).not.toContain('Senare');
  });

  test('says so when nothing is coming at all', () => {
    expect(digestMessage([], today).text).toContain('Inga kommande tidsfrister.');
  });

  test('a season is shown as written, with no count of days', () => {
    const winter: Deadline = { key: 'slut', title: 'Slutredovisning', description: '', when: { kind: 'season', year: 2028, season: 'vinter' } };
    expect(digestMessage([winter], '2027-11-20').text).toContain('• vintern 2028 (tidigast om ca 6 veckor): Slutredovisning');
    // Between its two possible stretches it is in the digest only once December is within 90 days.
    expect(digestMessage([winter], '2028-05-02').text).toContain('Inget de närmaste 90 dagarna; nästa tidsfrist:\n• vintern 2028 (möjligen i december): Slutredovisning');
    expect(digestMessage([winter], '2028-09-15').text).toContain('Det här händer de närmaste 90 dagarna.\n• vintern 2028 (möjligen i december): Slutredovisning');
  });
});

test('a reminder says the days actually left', () => {
  expect(reminderMessage(day('Remissvar', '2029-01-15'), 5).text).toBe('Påminnelse: "Remissvar" om 5 dagar, 15 januari 2029. Beskrivning.');
});

describe('the subscription confirmation', () => {
  test('describes the schedule actually used: DIGEST_CRON replaces Monday 08:00', () => {
    expect(scheduleLabel('weekly', undefined, new Date())).toBe('varje måndag kl. 08.00');
    expect(scheduleLabel('daily', undefined, new Date())).toBe('varje dag kl. 08.00');
    const label = scheduleLabel('weekly', '0 7 * * 2-5', new Date('2026-12-01T22:00:00Z'));
    expect(label).toBe('enligt driftens schema "0 7 * * 2-5" (svensk tid), nästa gång onsdag 2 december 2026 kl. 07:00');
  });

  test('in a channel it is the channel that subscribes; digests come as new posts', () => {
    const message = subscriptionMessage({ now: 'weekly', schedule: 'varje måndag kl. 08.00', inChannel: true });
    expect(message.text).toContain('Kanalen får en sammanfattning av kommande tidsfrister varje måndag kl. 08.00 som ett nytt inlägg');
    expect(cardProblems(message.card)).toEqual([]);
  });

  test('ending a subscription that was never there says so, and offers to subscribe', () => {
    const message = subscriptionMessage({ inChannel: false });
    expect(message.text).toBe('Ingen prenumeration att avsluta. Den här konversationen prenumererar inte på tidsfrister, så det fanns inget att avsluta.');
    expect(cardText(message.card)).toContain('Prenumerera');
    expect(cardText(message.card)).not.toContain('avslutad');
  });
});

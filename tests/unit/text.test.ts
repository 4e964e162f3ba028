import { commandText, stripMentions } from '../../bot/teams/text';
import { homeConversationId } from '../../bot/teams/turn';
import { checkActivity, checkContentType } from '../../bot/http/activity-request';

describe('mentions and command text', () => {
  test("a channel's thread belongs to the channel", () => {
    expect(homeConversationId('19:abc@thread.tacv2;messageid=1712345')).toBe('19:abc@thread.tacv2');
    expect(homeConversationId('a:1personal')).toBe('a:1personal');
  });

  test.each([
    ['<at>Planeringsboten</at> hjälp', 'hjälp'],
    ['<at>Test Bot</at>&nbsp;hjälp', 'hjälp'],
    ['hjälp <at>Planeringsboten</at>', 'hjälp'],
    ['<at id="0">Bot</at> <at id="1">Alex</at> vad är RUS?', 'vad är RUS?'],
    ['  flera   mellanslag ', 'flera mellanslag'],
    ['<at>Planeringsboten</at> vad ansvarar <at>Anna Halvarsson</at> för?', 'vad ansvarar Anna Halvarsson för?'],
  ])('stripMentions(%j) = %j', (input, expected) => expect(stripMentions(input)).toBe(expected));

  test.each([
    ['Hjälp!', 'hjalp'],
    ['HJÄLP', 'hjalp'],
    ['hjalp', 'hjalp'],
    ['Begrepp: rumsligt perspektiv?', 'begrepp rumsligt perspektiv'],
    ['Ny viljeriktning', 'ny viljeriktning'],
    ['Öppna Ärende Åtta', 'oppna arende atta'],
    ['🙂', ''],
  ])('commandText(%j) = %j', (input, expected) => expect(commandText(input)).toBe(expected));
});

describe('request checks before botbuilder sees a request', () => {
  test.each(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/activity+json'])('%s is accepted', (t) =>
    expect(checkContentType(t)).toBeUndefined(),
  );
  test.each([undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])('%s is refused with 415', (t) =>
    expect(checkContentType(t)?.status).toBe(415),
  );
  test('a complete activity passes', () => {
    expect(checkActivity({ type: 'message', conversation: { id: 'c' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' })).toBeUndefined();
  });
  test.each([null, 'text', 42, [], {}, { type: '' }, { type: 'message', conversation: 'c', serviceUrl: 'http://x' }, { type: 'message', conversation: { id: 7 }, serviceUrl: 'http://x' }])(
    '%j is refused with 400 and a Swedish reason',
    (body) => {
      const problem = checkActivity(body);
      expect(problem?.status).toBe(400);
      expect(problem?.message).toMatch(/Aktivitet|Begäran/);
    },
  );
});

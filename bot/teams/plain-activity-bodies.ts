import type { ConnectorClient } from 'botframework-connector';

type OperationSpec = Parameters<ConnectorClient['sendOperationRequest']>[1];

/** The body as the caller gave it: core-client checks that it is an object and JSON encodes it. */
const AS_GIVEN = { serializedName: 'activity', required: true, type: { name: 'Object' } } as const;

const plainSpecs = new WeakMap<OperationSpec, OperationSpec>();

/**
 * Sends the activities in a connector client's requests (replies, new messages, card updates) as the
 * JSON of the activity itself. The SDK's serializer walks every property of an outgoing activity
 * against its Activity model first: a fifth of what a question turn allocated and a tenth of its time
 * on the bot's thread, to produce the same JSON (tests/e2e/connector-bodies.test.ts compares them).
 */
export function sendActivitiesAsGiven(client: ConnectorClient): ConnectorClient {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = (args, spec, callback) => send(args, plainSpecOf(spec), callback);
  return client;
}

function plainSpecOf(spec: OperationSpec): OperationSpec {
  const mapper = spec.requestBody?.mapper;
  if (mapper?.type.name !== 'Composite' || mapper.type.className !== 'Activity') return spec;
  let plain = plainSpecs.get(spec);
  if (!plain) {
    plain = { ...spec, requestBody: { ...spec.requestBody!, mapper: AS_GIVEN } };
    plainSpecs.set(spec, plain);
  }
  return plain;
}

import * as fs from 'fs';
import * as path from 'path';
import { OpenSearchSimulator } from '../simulator';
import { associationEvents, associationProperties, domainEvents, domainPackagesProperties, entry, STACK_ID } from './events';

/**
 * The bundled asset, as Lambda loads it: its SDK client finds the local
 * simulator through the SDK's standard endpoint override alone.
 */
const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'package-association-handler', 'index.js');

let sim: OpenSearchSimulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sim = await OpenSearchSimulator.start({ associationDuration: { polls: 1 } });
  sim.addDomain('search');
  sim.addPackage({ id: 'F111111111', name: 'synonyms' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_OPENSEARCH: sim.endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: sim.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterAll(async () => {
  process.env = savedEnv;
  jest.restoreAllMocks();
  await sim.stop();
});

test('the bundled handler reaches the endpoint named by AWS_ENDPOINT_URL_OPENSEARCH', async () => {
  const handler = require(BUNDLE);
  const event = domainEvents.create(domainPackagesProperties([entry('F111111111')]));
  const started = await handler.onEvent(event);
  let result = await handler.isComplete({ ...event, ...started });
  for (let i = 0; !result.IsComplete && i < 10; i++) result = await handler.isComplete({ ...event, ...started });

  expect(result).toEqual({ IsComplete: true, Data: { KF111111111: 'F111111111|analyzers/F111111111|v1|synonyms|TXT-DICTIONARY|ACTIVE' } });
  expect(sim.callCount('AssociatePackage')).toBe(1);
});

test('the bundled handler reads its stack\'s resources at the endpoint named by AWS_ENDPOINT_URL_CLOUDFORMATION', async () => {
  const handler = require(BUNDLE);
  const held = '123456789012/us-east-1/search/123456789012:synonyms';
  sim.serveStack(STACK_ID, () => [{ logicalId: 'Other', physicalId: held, resourceType: 'Custom::OpenSearchPackageAssociation', status: 'CREATE_COMPLETE' }]);
  const started = await handler.onEvent(associationEvents.create(associationProperties()));

  expect(started.PhysicalResourceId).toBe(held);
  expect(sim.callCount('ListStackResources')).toBe(1);
});

test('the bundle holds the handler and the SDK client, not aws-cdk-lib (which a shared constant of lib/ can drag in)', () => {
  const bundle = fs.readFileSync(BUNDLE, 'utf8');
  // A class every aws-cdk-lib import brings along, kept by name through minification for its jsii runtime info.
  expect(bundle).not.toContain('aws-cdk-lib.Duration');
  expect(fs.statSync(BUNDLE).size).toBeLessThan(1024 * 1024);
});

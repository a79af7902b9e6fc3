import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { OpenSearchSimulator } from '../simulator';
import { packageEvents, packageProperties } from './events';
import { drive, localClients } from './operation-driver';
import { Clients } from '../../lambda/clients';
import { MARK_LENGTH } from '../../lambda/package-ownership-mark';

/*
 * The ownership mark and the deletion of a package, where the mutation run
 * (docs/mutation-testing.md) found no test: two stacks that want one name, the
 * shorter mark of a resource with a long logical ID, a deletion that fails
 * again, and a package deleted by hand during an update.
 */

let sim: OpenSearchSimulator;
let apis: Clients;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start({ packageProcessingDuration: { polls: 2 } });
  apis = localClients(sim.endpoint);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await sim.stop();
});

const v1 = packageProperties();
const v2 = packageProperties({ S3Key: 'synonyms-2.txt' });
const idOf = (name = 'product-synonyms') => sim.packageByName(name)!.PackageID!;

/** The same event from the stack `Staging`. */
const inStaging = (event: CloudFormationCustomResourceEvent): CloudFormationCustomResourceEvent =>
  ({ ...event, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Staging/other-guid' });

test('a package another stack created under the same name and logical ID is not this stack\'s: its create is refused, naming that stack', async () => {
  expect((await drive(apis, packageEvents.create(v1))).error).toBeUndefined();

  await expect(drive(apis, inStaging(packageEvents.create(v1)))).rejects.toThrow(
    /the name is taken by package \S+ \(AVAILABLE\), which this resource did not create \(stack Test \(resource Synonyms\) created it\)/);
  expect(sim.callCount('CreatePackage')).toBe(1);
});

test('a logical ID too long for the whole mark gets the mark without it, which keeps the description within 1024 characters and still names the package this resource\'s', async () => {
  // With this logical ID, the whole mark is exactly MARK_LENGTH characters: one too many with the newline before it.
  const logicalId = 'S'.repeat(MARK_LENGTH - '(managed by stack Test, resource , mark 0123456789abcdef)'.length);
  const description = 'd'.repeat(1024 - MARK_LENGTH);
  const props = packageProperties({ PackageDescription: description });
  const event = { ...packageEvents.create(props), LogicalResourceId: logicalId };
  const created = await drive(apis, event);
  expect(created.error).toBeUndefined();
  expect(sim.packageByName('product-synonyms')?.PackageDescription).toMatch(new RegExp(`^${description}\n\\(managed by stack Test, mark [0-9a-f]{16}\\)$`));

  const updated = await drive(apis, { ...packageEvents.update(created.physicalId, { ...props, S3Key: 'synonyms-2.txt' }, props), LogicalResourceId: logicalId });
  expect(updated.error).toBeUndefined();
  expect(updated.result?.Data?.AvailablePackageVersion).toBe('v2');
});

test('a deletion that fails again after an earlier failed one is reported, not retried until the timeout', async () => {
  const physicalId = (await drive(apis, packageEvents.create(v1))).physicalId;
  sim.setPackageStatus(idOf(), 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'referenced by a domain snapshot' });
  sim.failNextPackageProcessing('product-synonyms', 'DELETE_FAILED', { ErrorType: 'DependencyViolation', ErrorMessage: 'still referenced by a domain snapshot' });
  const outcome = await drive(apis, packageEvents.delete(physicalId, v1));

  expect(outcome.error?.message).toBe(`Package product-synonyms (${idOf()}): DELETE_FAILED: DependencyViolation: still referenced by a domain snapshot`);
  expect(sim.callCount('DeletePackage')).toBe(1);
});

test('a package deleted by hand while its update is waited for fails the update, saying the package is gone', async () => {
  const physicalId = (await drive(apis, packageEvents.create(v1))).physicalId;
  const id = idOf();
  const outcome = await drive(apis, packageEvents.update(physicalId, v2, v1), { beforeCheck: check => { if (check === 2) sim.deletePackage(id); } });

  expect(outcome.error?.message).toBe('Package product-synonyms: the package is gone');
});

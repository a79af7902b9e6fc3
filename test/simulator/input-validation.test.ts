import {
  AssociatePackageCommand, AssociatePackagesCommand, CreatePackageCommand, CreatePackageCommandInput, DescribePackagesCommand,
  DissociatePackageCommand, ListPackagesForDomainCommand, OpenSearchClient, UpdatePackageCommand,
} from '@aws-sdk/client-opensearch';
import { OpenSearchSimulator } from './index';
import { localClient } from './local-client';

const DOMAIN = 'search-domain';
const SYNONYMS = 'F111111111';
const SOURCE = { S3BucketName: 'packages-bucket', S3Key: 'synonyms.txt' };
const NAME_PATTERN = 'Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+';
const PACKAGE_ID_PATTERN = 'Member must satisfy regular expression pattern: ^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$';

let sim: OpenSearchSimulator;
let client: OpenSearchClient;

beforeEach(async () => {
  sim = await OpenSearchSimulator.start();
  client = localClient(sim.endpoint);
  sim.addDomain(DOMAIN);
  sim.addPackage({ id: SYNONYMS, name: 'synonyms' });
});

afterEach(async () => {
  client.destroy();
  await sim.stop();
});

type ServiceFailure = Error & { $metadata: { httpStatusCode?: number } };

/** What the client reports for a call the simulator refuses: type, status and message. */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  const error = await promise.then(() => { throw new Error('expected the call to be refused'); }, (failure: ServiceFailure) => failure);
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
}

/** The ValidationException (400) the simulator answers with, for the given violations in Coral's wording. */
function validationException(...violations: string[]) {
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  return { name: 'ValidationException', status: 400, message: `${count} detected: ${violations.join('; ')}` };
}

const create = (input: Partial<CreatePackageCommandInput>) =>
  client.send(new CreatePackageCommand({ PackageName: 'synonyms-two', PackageType: 'TXT-DICTIONARY', PackageSource: SOURCE, ...input } as CreatePackageCommandInput));

/** A request the SDK cannot send: raw JSON, signed for `es` in us-east-1 (the simulator reads the scope, not the signature). */
function rawRequest(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${sim.endpoint}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'authorization': 'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/es/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
}

describe('requests are checked against the OpenSearch API model before the operation runs', () => {
  test('a required member that is missing', async () => {
    expect(await refusal(create({ PackageSource: undefined })))
      .toEqual(validationException("Value null at 'packageSource' failed to satisfy constraint: Member must not be null"));
  });

  test('a string shorter than its minimum length', async () => {
    expect(await refusal(create({ PackageSource: { S3BucketName: 'ab', S3Key: 'synonyms.txt' } })))
      .toEqual(validationException("Value 'ab' at 'packageSource.s3BucketName' failed to satisfy constraint: Member must have length greater than or equal to 3"));
  });

  test('a string longer than its maximum length, counted in code points (Smithy\'s definition)', async () => {
    const update = (CommitMessage: string) => client.send(new UpdatePackageCommand({ PackageID: SYNONYMS, PackageSource: SOURCE, CommitMessage }));
    const message = 'x'.repeat(161);
    expect(await refusal(update(message)))
      .toEqual(validationException(`Value '${message}' at 'commitMessage' failed to satisfy constraint: Member must have length less than or equal to 160`));
    expect((await update('🔎'.repeat(160))).PackageDetails?.PackageStatus).toBe('COPYING');
  });

  test('a pattern, in the body and in the path, that the whole value must match', async () => {
    expect(await refusal(create({ PackageName: 'Synonyms' })))
      .toEqual(validationException(`Value 'Synonyms' at 'packageName' failed to satisfy constraint: ${NAME_PATTERN}`));
    // `[a-z][a-z0-9\-]+` matches a part of each name: the service matches the whole value (Java's matches()).
    expect(await refusal(client.send(new ListPackagesForDomainCommand({ DomainName: 'Bad_Domain' }))))
      .toEqual(validationException(`Value 'Bad_Domain' at 'domainName' failed to satisfy constraint: ${NAME_PATTERN}`));
    expect(await refusal(client.send(new DissociatePackageCommand({ PackageID: `${SYNONYMS}\n`, DomainName: DOMAIN }))))
      .toEqual(validationException(`Value '${SYNONYMS}\n' at 'packageID' failed to satisfy constraint: ${PACKAGE_ID_PATTERN}`));
  });

  test('an enum', async () => {
    expect(await refusal(create({ PackageType: 'TXT-THESAURUS' as never })))
      .toEqual(validationException("Value 'TXT-THESAURUS' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [TXT-DICTIONARY, ZIP-PLUGIN, PACKAGE-LICENSE, PACKAGE-CONFIG]"));
  });

  test('a list shorter than its minimum length, inside a list member', async () => {
    expect(await refusal(client.send(new DescribePackagesCommand({ Filters: [{ Name: 'PackageName', Value: [] }] }))))
      .toEqual(validationException("Value '[]' at 'filters.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1"));
  });

  test('an integer above its maximum, in the query string; below 1 is not refused, as the model sets no minimum', async () => {
    expect(await refusal(client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 101 }))))
      .toEqual(validationException("Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"));
    expect((await client.send(new ListPackagesForDomainCommand({ DomainName: DOMAIN, MaxResults: 0 }))).DomainPackageDetailsList).toEqual([]);
  });

  test('nested structures and list members, every violation in one answer, in the model\'s member order', async () => {
    const roleArn = 'arn:aws:iam::1:user';
    expect(await refusal(client.send(new AssociatePackageCommand({
      PackageID: SYNONYMS,
      DomainName: DOMAIN,
      PrerequisitePackageIDList: ['pkg-0a1b', 'plugin'],
      AssociationConfiguration: { KeyStoreAccessOption: { KeyAccessRoleArn: roleArn } as never },
    })))).toEqual(validationException(
      `Value 'plugin' at 'prerequisitePackageIDList.2.member' failed to satisfy constraint: ${PACKAGE_ID_PATTERN}`,
      `Value '${roleArn}' at 'associationConfiguration.keyStoreAccessOption.keyAccessRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
      `Value '${roleArn}' at 'associationConfiguration.keyStoreAccessOption.keyAccessRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws|aws\\-cn|aws\\-us\\-gov|aws\\-iso|aws\\-iso\\-b):iam::[0-9]+:role\\/.*`,
      "Value null at 'associationConfiguration.keyStoreAccessOption.keyStoreAccessEnabled' failed to satisfy constraint: Member must not be null",
    ));
    expect(await refusal(client.send(new AssociatePackagesCommand({ DomainName: 'xy', PackageList: [{ PackageID: SYNONYMS }, { PackageID: 'G-1' }] }))))
      .toEqual(validationException(
        `Value 'G-1' at 'packageList.2.member.packageID' failed to satisfy constraint: ${PACKAGE_ID_PATTERN}`,
        "Value 'xy' at 'domainName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      ));
  });

  test('the operation does not run, and an injected fault still comes first', async () => {
    expect((await refusal(create({ PackageName: 'ab' }))).name).toBe('ValidationException');
    expect(sim.packages().map((pkg) => pkg.PackageName)).toEqual(['synonyms']);
    sim.injectError('ListPackagesForDomain', { type: 'ThrottlingException', status: 429, message: 'Rate exceeded' });
    expect(await refusal(client.send(new ListPackagesForDomainCommand({ DomainName: 'Bad_Domain' }))))
      .toEqual({ name: 'ThrottlingException', status: 429, message: 'Rate exceeded' });
  });

  test('members the model does not have are ignored, null is absent; a value of the wrong JSON type cannot be read', async () => {
    const extra = await rawRequest('POST', '/2021-01-01/packages', {
      PackageName: 'synonyms-two', PackageType: 'TXT-DICTIONARY', PackageSource: { ...SOURCE, S3VersionId: '3' }, Tags: [], PackageDescription: null,
    });
    expect(extra.status).toBe(200);
    expect((await extra.json() as { PackageDetails: object }).PackageDetails).not.toHaveProperty('PackageDescription');
    const wrongType = await rawRequest('POST', '/2021-01-01/packages', { PackageName: 7, PackageType: 'TXT-DICTIONARY', PackageSource: SOURCE });
    expect(wrongType.status).toBe(400);
    expect(wrongType.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(sim.packages().map((pkg) => pkg.PackageName)).toEqual(['synonyms', 'synonyms-two']);
  });
});

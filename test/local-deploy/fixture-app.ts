import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { CloudAssembly, readCloudAssembly } from './cloud-assembly';
import { DomainPackageAssociation } from '../../lib';

/** The stack with a domain and two associations on it. */
export const FIXTURE_STACK = 'LocalDeployFixture';
/** The stack whose association waits two seconds at most. */
export const SHORT_WAIT_STACK = 'LocalDeployShortWait';

/** What varies between versions of the fixture app. */
export interface FixtureAppOptions {
  /** Default `F111111111`. */
  readonly synonymsPackageId?: string;
  /** Default `v1`. */
  readonly synonymsVersion?: string;
}

/** A small domain that takes custom plugins, retained when the stack is deleted so that what is left on it can be inspected. */
export function retainedDomain(stack: Stack): opensearch.Domain {
  return new opensearch.Domain(stack, 'Search', {
    version: opensearch.EngineVersion.OPENSEARCH_2_19,
    capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
    ebs: { volumeSize: 10 },
    nodeToNodeEncryption: true,
    encryptionAtRest: { enabled: true },
    enforceHttps: true,
    // Retained, so that what the associations leave on it can be inspected after the stack is deleted.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * Synthesises, in process, the app the local-deploy tests deploy:
 * - `LocalDeployFixture`: a domain (name generated), Synonyms (F111111111,
 *   version label, removed with the stack) and Stopwords (F222222222,
 *   RemovalPolicy.RETAIN), created in parallel;
 * - `LocalDeployShortWait`: a domain and one association with a 2-second timeout.
 */
export function synthesizeFixtureApp(outdir: string, options: FixtureAppOptions = {}): CloudAssembly {
  // The CDK CLI turns asset metadata on; an in-process App must ask for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });

  const stack = new Stack(app, FIXTURE_STACK);
  const domain = retainedDomain(stack);
  new DomainPackageAssociation(stack, 'Synonyms', {
    domain,
    packageId: options.synonymsPackageId ?? 'F111111111',
    versionLabel: options.synonymsVersion ?? 'v1',
  });
  new DomainPackageAssociation(stack, 'Stopwords', { domain, packageId: 'F222222222', removalPolicy: RemovalPolicy.RETAIN });

  const shortWait = new Stack(app, SHORT_WAIT_STACK);
  new DomainPackageAssociation(shortWait, 'Synonyms', {
    domain: retainedDomain(shortWait),
    packageId: 'F111111111',
    timeout: Duration.seconds(2),
  });

  app.synth();
  return readCloudAssembly(outdir);
}

import { App, Stack } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as cr from 'aws-cdk-lib/custom-resources';
import { DomainPackageAssociation } from '../lib';
import { median, printTable, ratio } from './table';

/**
 * Synth scale: synth time and template size for N associations in one stack,
 * with this library and with hand-written AwsCustomResource associations
 * (AssociatePackage on create, DissociatePackage on delete), alternately in
 * the same run.
 */
type Style = 'library' | 'AwsCustomResource';
const COUNTS = [1, 10, 100];
const RUNS = 3;

function build(style: Style, count: number): Stack {
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'eu-west-1' } });
  const domain = opensearch.Domain.fromDomainAttributes(stack, 'Domain', {
    domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/search',
    domainEndpoint: 'https://search-abc.eu-west-1.es.amazonaws.com',
  });
  for (let i = 1; i <= count; i++) {
    const packageId = `F${100000000 + i}`;
    if (style === 'library') {
      new DomainPackageAssociation(stack, `Package${i}`, { domain, packageId });
    } else {
      const call = (action: string) => ({
        service: 'OpenSearch', action, parameters: { DomainName: domain.domainName, PackageID: packageId },
        physicalResourceId: cr.PhysicalResourceId.of(`${domain.domainName}/${packageId}`),
      });
      new cr.AwsCustomResource(stack, `Package${i}`, {
        onCreate: call('associatePackage'), onDelete: call('dissociatePackage'),
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [domain.domainArn] }), installLatestAwsSdk: false,
      });
    }
  }
  return stack;
}

function measure(style: Style, count: number) {
  const stack = build(style, count);
  const start = process.hrtime.bigint();
  const assembly = (stack.node.root as App).synth();
  const millis = Number(process.hrtime.bigint() - start) / 1e6;
  const template = assembly.getStackByName('Bench').template;
  const resources = Object.keys(template.Resources);
  return { millis, bytes: JSON.stringify(template).length, shared: resources.filter(id => id.startsWith('OpenSearchPackagesProvider')).length };
}

export function benchSynthScale(): void {
  const rows: Array<Array<string | number>> = [];
  for (const count of COUNTS) {
    const results: Record<Style, ReturnType<typeof measure>[]> = { 'library': [], 'AwsCustomResource': [] };
    for (let run = 0; run < RUNS; run++) {
      results.library.push(measure('library', count));
      results.AwsCustomResource.push(measure('AwsCustomResource', count));
    }
    const ours = median(results.library.map(r => r.millis));
    const theirs = median(results.AwsCustomResource.map(r => r.millis));
    const [oursBytes, theirsBytes] = [results.library[0].bytes, results.AwsCustomResource[0].bytes];
    rows.push([count, ours.toFixed(0), theirs.toFixed(0), ratio(ours, theirs),
      oursBytes, theirsBytes, ratio(oursBytes, theirsBytes), results.library[0].shared]);
  }
  printTable(`3. Synth scale: N associations in one stack (median of ${RUNS} synths, alternating)`,
    ['N', 'ours ms', 'ACR ms', 'time ratio', 'ours bytes', 'ACR bytes', 'size ratio', 'provider resources'], rows);
}

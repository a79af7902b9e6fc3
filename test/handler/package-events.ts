import { events, Properties } from './events';
import { CustomPackageProperties } from '../../lib/custom-package-properties';

export type PackageProperties = CustomPackageProperties & { ServiceToken?: string };

export function packageProperties(overrides: Partial<PackageProperties> = {}): PackageProperties {
  return {
    PackageName: 'product-synonyms',
    PackageType: 'TXT-DICTIONARY',
    S3BucketName: 'dictionaries',
    S3Key: 'synonyms-1.txt',
    WaitSeconds: '600',
    ...overrides,
  };
}

/** Events for Custom::OpenSearchPackage, built like the association events. */
export const packageEvents = {
  create: (props: PackageProperties) => withType(events.create(props as unknown as Properties)),
  update: (physicalId: string, props: PackageProperties, oldProps: PackageProperties) =>
    withType(events.update(physicalId, props as unknown as Properties, oldProps as unknown as Properties)),
  delete: (physicalId: string, props: PackageProperties) => withType(events.delete(physicalId, props as unknown as Properties)),
};

function withType<T extends { ResourceType: string; LogicalResourceId: string }>(event: T): T {
  return { ...event, ResourceType: 'Custom::OpenSearchPackage', LogicalResourceId: 'Synonyms' };
}

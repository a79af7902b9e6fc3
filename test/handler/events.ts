import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { PackageAssociationProperties } from '../../lib/package-association-properties';

/** A presigned-looking URL: tests check that it never reaches a log line. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/arn%3Aaws?X-Amz-Signature=secret-signature';

export type Properties = PackageAssociationProperties & { ServiceToken?: string };

export function associationProperties(overrides: Partial<Properties> = {}): Properties {
  return { DomainName: 'search', PackageID: 'F111111111', WaitSeconds: '600', ...overrides };
}

const common = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  ResponseURL: RESPONSE_URL,
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Test/guid',
  RequestId: 'request-1',
  LogicalResourceId: 'Synonyms',
  ResourceType: 'Custom::OpenSearchPackageAssociation',
};

/** Events as CloudFormation sends them (properties are strings). */
export const events = {
  create(props: Properties): CloudFormationCustomResourceEvent {
    return { ...common, RequestType: 'Create', ResourceProperties: { ...props, ServiceToken: common.ServiceToken } };
  },
  update(physicalId: string, props: Properties, oldProps: Properties): CloudFormationCustomResourceEvent {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      ResourceProperties: { ...props, ServiceToken: common.ServiceToken },
      OldResourceProperties: { ...oldProps, ServiceToken: common.ServiceToken },
    };
  },
  delete(physicalId: string, props: Properties): CloudFormationCustomResourceEvent {
    return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId, ResourceProperties: { ...props, ServiceToken: common.ServiceToken } };
  },
};

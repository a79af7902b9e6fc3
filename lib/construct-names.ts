import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { registeredPackage } from './custom-package-registry';

/*
 * How messages name the domains and packages they are about: by the value
 * when it is known at synth time, and by construct path rather than by a
 * token (which would read `${Token[TOKEN.123]}` or `{"Ref":"Search14E54FC3"}`).
 */

/** `search (Test/Domain)` for a name known at synth time, else the domain's construct path. */
export function domainLabel(domain: opensearch.IDomain): string {
  return Token.isUnresolved(domain.domainName) ? domain.node.path : `${domain.domainName} (${domain.node.path})`;
}

/**
 * What follows "package " in a message: `synonyms (Test/Synonyms)` for a
 * CustomPackage of the app, the ID itself when it is known, else what the
 * token refers to.
 */
export function packageLabel(packageId: string): string {
  const pkg = registeredPackage(packageId);
  if (pkg) return `${pkg.packageName} (${pkg.construct.node.path})`;
  if (!Token.isUnresolved(packageId)) return packageId;
  const token = Tokenization.reverseString(packageId).firstToken;
  return token instanceof Reference ? `whose ID is an attribute of ${token.target.node.path}` : 'whose ID is known only at deploy time';
}

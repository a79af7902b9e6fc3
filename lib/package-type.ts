import { Token } from 'aws-cdk-lib';
import { checkPackageType } from './validation';

/**
 * The type of an OpenSearch Service package.
 */
export class PackageType {
  /** A text dictionary: synonyms, stopwords, user dictionaries. */
  public static readonly TXT_DICTIONARY = new PackageType('TXT-DICTIONARY');
  /** A custom plugin (a ZIP file); needs an engine version. */
  public static readonly ZIP_PLUGIN = new PackageType('ZIP-PLUGIN');
  /** The license of a third-party plugin. */
  public static readonly PACKAGE_LICENSE = new PackageType('PACKAGE-LICENSE');
  /** The configuration of a third-party plugin. */
  public static readonly PACKAGE_CONFIG = new PackageType('PACKAGE-CONFIG');

  /**
   * A package type as the API spells it, e.g. `TXT-DICTIONARY`. Checked
   * against the types the API accepts (a token is taken as it is).
   */
  public static of(value: string): PackageType {
    if (!Token.isUnresolved(value)) {
      const problem = checkPackageType('PackageType.of', value);
      if (problem) throw new Error(problem);
    }
    return new PackageType(value);
  }

  /**
   * @param value the type as the API spells it, e.g. `TXT-DICTIONARY`
   */
  private constructor(public readonly value: string) {}
}
